"""The build: extraction, reasoning, validation, and an all-or-nothing replacement of the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

import loaders
from graph.build import BuildSummary, build
from graph.errors import LoaderError, ShapeError
from graph.namespaces import AK, ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, resource
from graph.reason import Reasoning
from graph.resources import DataDir, data_dir
from graph.store import EmbeddedStore, StoreConfig
from graph.validate import ReportFormat
from loaders.extraction import Extraction


def copy_corpus(source: Path, tmp_path: Path, *names: str) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name in names or tuple(p.name for p in source.glob("*.txt")):
        shutil.copy(source / name, corpus / name)
    return corpus


def snapshot(config: StoreConfig) -> tuple[Path | None, dict[URIRef, int]]:
    db = EmbeddedStore(config)
    return db.current_generation(), db.triple_counts()


def test_build_fills_three_named_graphs(fixture_corpus: Path, store: StoreConfig) -> None:
    summary = build(fixture_corpus, store=store, jobs=1)
    assert summary.documents == 2
    assert summary.items >= 3
    assert summary.validation.conforms
    counts = EmbeddedStore(store).triple_counts()
    assert set(counts) == {ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH}
    assert counts == summary.triples
    assert all(n > 0 for n in counts.values())
    assert set(summary.seconds) == {"extract", "link", "reason", "validate", "store"}


def test_asserted_inferred_and_ontology_are_kept_apart(fixture_corpus: Path, store: StoreConfig) -> None:
    build(fixture_corpus, store=store, jobs=1)
    db = EmbeddedStore(store)
    asserted, inferred, ontology = (db.graph(g) for g in (ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH))
    assert not set(asserted) & set(inferred)
    assert not set(ontology) & set(inferred)
    assert (None, RDF.type, AK.SourceDocument) in asserted
    assert (AK.Person, None, None) in ontology
    # what the reasoner adds: every item is, by the ontology, an extracted node
    item = next(asserted.subjects(RDF.type, AK.Item))
    assert (item, RDF.type, AK.ExtractedNode) in inferred


def test_fast_reasoner_gives_the_reference_result(fixture_corpus: Path, tmp_path: Path) -> None:
    """The streaming build (documents reasoned one by one) against the reference (owlrl on the whole)."""
    reference = build(fixture_corpus, store=StoreConfig(tmp_path / "ref"), jobs=1, reasoning=Reasoning.OWL_RL)
    fast = build(fixture_corpus, store=StoreConfig(tmp_path / "fast"), jobs=2, reasoning=Reasoning.RL_FAST)
    ref_graphs, fast_graphs = (
        {name: EmbeddedStore(StoreConfig(tmp_path / kind)).graph(name) for name in reference.triples}
        for kind in ("ref", "fast")
    )
    assert set(fast_graphs[ASSERTED_GRAPH]) == set(ref_graphs[ASSERTED_GRAPH])
    assert set(fast_graphs[INFERRED_GRAPH]) == set(ref_graphs[INFERRED_GRAPH])
    assert isomorphic(fast_graphs[ONTOLOGY_GRAPH], ref_graphs[ONTOLOGY_GRAPH])
    assert reference.triples == fast.triples
    assert reference.skipped == fast.skipped


@pytest.mark.slow
def test_fast_reasoner_gives_the_reference_result_on_the_bundled_corpus(
    corpus_build: tuple[StoreConfig, BuildSummary], tmp_path: Path
) -> None:
    reference, _ = corpus_build
    fast = StoreConfig(tmp_path / "fast")
    build(data_dir(DataDir.CORPUS), store=fast, reasoning=Reasoning.RL_FAST)
    assert set(EmbeddedStore(fast).graph(INFERRED_GRAPH)) == set(EmbeddedStore(reference).graph(INFERRED_GRAPH))


def test_building_twice_gives_the_same_graph_and_iris(fixture_corpus: Path, tmp_path: Path) -> None:
    first, second = StoreConfig(tmp_path / "one"), StoreConfig(tmp_path / "two")
    build(fixture_corpus, store=first, jobs=1)
    build(fixture_corpus, store=second, jobs=2)  # parallel extraction changes nothing
    one, two = (EmbeddedStore(c).graph(ASSERTED_GRAPH) for c in (first, second))
    assert isomorphic(one, two)
    assert set(one) == set(two)  # no blank nodes: the very same IRIs


def test_adding_a_document_does_not_renumber_the_others(fixture_corpus: Path, tmp_path: Path) -> None:
    alone, together = StoreConfig(tmp_path / "alone"), StoreConfig(tmp_path / "together")
    build(copy_corpus(fixture_corpus, tmp_path / "a", "commentary.txt"), store=alone, jobs=1)
    build(fixture_corpus, store=together, jobs=1)
    doc = resource("doc", "commentary")
    before, after = (EmbeddedStore(c).graph(ASSERTED_GRAPH) for c in (alone, together))
    items_before = set(before.subjects(AK.inDocument, doc))
    assert items_before
    assert items_before == set(after.subjects(AK.inDocument, doc))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("latin1.txt", "Caf\u00e9 culture".encode("latin-1"), "not valid UTF-8"),
        ("empty.txt", b"", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "NUL"),
        ("cut.txt", "A gap of \u00a3".encode()[:-1], "truncated"),
    ],
)
def test_bad_document_fails_the_build_and_leaves_the_store_untouched(
    fixture_corpus: Path, tmp_path: Path, store: StoreConfig, name: str, data: bytes, message: str
) -> None:
    build(fixture_corpus, store=store, jobs=1)
    before = snapshot(store)
    corpus = copy_corpus(fixture_corpus, tmp_path)
    (corpus / name).write_bytes(data)
    with pytest.raises(LoaderError, match=message) as caught:
        build(corpus, store=store, jobs=2)
    assert caught.value.file == corpus / name
    assert snapshot(store) == before


def test_enormous_document_fails_the_build(fixture_corpus: Path, tmp_path: Path, store: StoreConfig) -> None:
    build(fixture_corpus, store=store, jobs=1)
    before = snapshot(store)
    corpus = copy_corpus(fixture_corpus, tmp_path)
    with (corpus / "huge.txt").open("wb") as handle:
        handle.write(b"Funding. " * (50 * 1024 * 1024 // 9 + 1))  # 50 MB of text
    with pytest.raises(LoaderError, match=r"huge\.txt: file is 52,428,8"):
        build(corpus, store=store, jobs=1)
    assert snapshot(store) == before


def test_several_bad_documents_are_all_named(fixture_corpus: Path, tmp_path: Path, store: StoreConfig) -> None:
    corpus = copy_corpus(fixture_corpus, tmp_path)
    (corpus / "a.txt").write_bytes(b"")
    (corpus / "b.txt").write_bytes(b"\xff\xfe")
    with pytest.raises(LoaderError, match="2 documents could not be loaded") as caught:
        build(corpus, store=store, jobs=1)
    assert "a.txt" in str(caught.value)
    assert "b.txt" in str(caught.value)
    assert not EmbeddedStore(store).exists()


def test_missing_or_empty_corpus_directory(tmp_path: Path, store: StoreConfig) -> None:
    with pytest.raises(LoaderError, match="corpus directory not found"):
        build(tmp_path / "nowhere", store=store)
    (tmp_path / "empty").mkdir()
    with pytest.raises(LoaderError, match="no source documents"):
        build(tmp_path / "empty", store=store)


def _untitled_kindless_item(extraction: Extraction) -> None:
    """A broken loader: an item with no kind and no position breaks the item shape."""
    item = resource("item", extraction.document.id, "broken")
    extraction.graph.add((item, RDF.type, AK.Item))
    extraction.graph.add((item, AK.inDocument, extraction.document.iri))
    extraction.provenance(item, 0, 5)


@pytest.fixture
def broken_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "DOCUMENT_LOADERS", (*loaders.DOCUMENT_LOADERS, ("broken", _untitled_kindless_item)))


@pytest.mark.usefixtures("broken_loader")
def test_a_graph_that_fails_the_shapes_is_not_stored(fixture_corpus: Path, tmp_path: Path, store: StoreConfig) -> None:
    with pytest.raises(ShapeError, match="does not conform") as caught:
        build(fixture_corpus, store=store, jobs=1)
    assert "ItemShape" in caught.value.report_text
    assert "commentary.txt [0:5]" in caught.value.report_text
    assert not EmbeddedStore(store).exists()


@pytest.mark.usefixtures("broken_loader")
def test_both_pipelines_report_the_same_violations(fixture_corpus: Path, tmp_path: Path) -> None:
    found = {
        reasoning: build(
            fixture_corpus, store=StoreConfig(tmp_path / reasoning), jobs=1, reasoning=reasoning, allow_invalid=True
        ).validation
        for reasoning in (Reasoning.OWL_RL, Reasoning.RL_FAST)
    }
    reference, streaming = found[Reasoning.OWL_RL], found[Reasoning.RL_FAST]
    assert not streaming.conforms
    assert streaming.results == reference.results
    assert streaming.render(ReportFormat.HUMAN) == reference.render(ReportFormat.HUMAN)


@pytest.mark.usefixtures("broken_loader")
def test_allow_invalid_stores_it_and_reports_what_it_let_through(fixture_corpus: Path, store: StoreConfig) -> None:
    summary: BuildSummary = build(fixture_corpus, store=store, jobs=1, allow_invalid=True)
    assert not summary.validation.conforms
    assert any("ItemShape" in r.shape for r in summary.validation.results)
    assert EmbeddedStore(store).exists()


def test_a_failing_loader_is_reported_and_does_not_stop_the_others(
    fixture_corpus: Path, monkeypatch: pytest.MonkeyPatch, store: StoreConfig
) -> None:
    def explode(extraction: Extraction) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(loaders, "DOCUMENT_LOADERS", (("explode", explode), *loaders.DOCUMENT_LOADERS))
    summary = build(fixture_corpus, store=store, jobs=1)
    failures = [s for s in summary.skipped if s.loader == "explode"]
    assert [f.file for f in failures] == ["commentary.txt", "news_archive.txt"]
    assert "ZeroDivisionError: boom" in failures[0].reason
    assert summary.items >= 3


def test_quotes_of_every_span_are_the_source_text(corpus_build: tuple[StoreConfig, BuildSummary]) -> None:
    config, summary = corpus_build
    assert summary.validation.conforms
    asserted: Graph = EmbeddedStore(config).graph(ASSERTED_GRAPH)
    texts = {d: str(t) for d, t in asserted.subject_objects(AK.text)}
    spans = list(asserted.subjects(RDF.type, AK.Span))
    assert len(spans) > 100
    for span in spans:
        start, end = int(asserted.value(span, AK.start)), int(asserted.value(span, AK.end))  # type: ignore[arg-type]
        text = texts[asserted.value(span, AK.document)]
        assert asserted.value(span, AK.quote) == Literal(text[start:end])


def test_every_extracted_node_has_provenance(corpus_build: tuple[StoreConfig, BuildSummary]) -> None:
    config, _ = corpus_build
    rows = EmbeddedStore(config).query(
        """SELECT ?node WHERE {
             ?node a ak:ExtractedNode .
             FILTER NOT EXISTS { ?node ak:span|ak:mention|ak:evidence ?source }
           }"""
    )
    assert [str(r[0]) for r in rows] == []


def test_the_corpus_build_has_no_loader_failures(corpus_build: tuple[StoreConfig, BuildSummary]) -> None:
    _, summary = corpus_build
    assert summary.documents == 5
    assert [s for s in summary.skipped if "loader failed" in s.reason] == []
