"""Incremental builds: adding, changing and removing documents gives the graph a full build gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from graph.build import BuildSummary, add, build
from graph.errors import LoaderError, StoreError
from graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from graph.reason import Reasoning
from graph.store import EmbeddedStore, StoreConfig

GENRE = Path(__file__).resolve().parents[1] / "data" / "genre"


def corpus_of(tmp_path: Path, name: str, *documents: Path) -> Path:
    corpus = tmp_path / name
    corpus.mkdir()
    for document in documents:
        shutil.copy(document, corpus / document.name)
    return corpus


def assert_same_build(incremental: tuple[StoreConfig, BuildSummary], full: tuple[StoreConfig, BuildSummary]) -> None:
    (one, one_summary), (other, other_summary) = incremental, full
    graphs = [
        {g: EmbeddedStore(c).graph(g) for g in (ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH)} for c in (one, other)
    ]
    assert set(graphs[0][ASSERTED_GRAPH]) == set(graphs[1][ASSERTED_GRAPH])  # the very same IRIs
    assert set(graphs[0][INFERRED_GRAPH]) == set(graphs[1][INFERRED_GRAPH])
    assert isomorphic(graphs[0][ONTOLOGY_GRAPH], graphs[1][ONTOLOGY_GRAPH])
    assert one_summary.triples == other_summary.triples
    assert (one_summary.documents, one_summary.items) == (other_summary.documents, other_summary.items)
    assert one_summary.skipped == other_summary.skipped
    assert one_summary.validation.results == other_summary.validation.results


def full_build(tmp_path: Path, corpus: Path) -> tuple[StoreConfig, BuildSummary]:
    config = StoreConfig(tmp_path / f"full-{corpus.name}")
    return config, build(corpus, store=config, jobs=1, allow_invalid=True)


@pytest.fixture
def documents(fixture_corpus: Path) -> list[Path]:
    """Seven documents of the genre, with different file names."""
    return sorted(fixture_corpus.glob("*.txt")) + sorted(p for p in GENRE.glob("*.txt") if p.name != "news_archive.txt")


def test_adding_documents_gives_the_full_build(tmp_path: Path, documents: list[Path]) -> None:
    store = StoreConfig(tmp_path / "store")
    build(corpus_of(tmp_path, "first", *documents[:3]), store=store, jobs=1, allow_invalid=True)
    generation = EmbeddedStore(store).current_generation()
    summary = add(documents[3:], store=store, jobs=2, allow_invalid=True)
    assert EmbeddedStore(store).current_generation() != generation
    assert_same_build((store, summary), full_build(tmp_path, corpus_of(tmp_path, "all", *documents)))


def test_a_build_re_reads_changed_documents_and_drops_deleted_ones(tmp_path: Path, documents: list[Path]) -> None:
    corpus = corpus_of(tmp_path, "corpus", *documents)
    store = StoreConfig(tmp_path / "store")
    build(corpus, store=store, jobs=1, allow_invalid=True)
    changed = corpus / "sector_story.txt"
    text = changed.read_text(encoding="utf-8")
    assert "said" in text
    changed.write_text(text.replace("said", "added"), encoding="utf-8")
    (corpus / documents[0].name).unlink()
    before = EmbeddedStore(store).graph(ASSERTED_GRAPH)
    summary = build(corpus, store=store, jobs=1, allow_invalid=True)
    assert summary.documents == len(documents) - 1
    assert set(EmbeddedStore(store).graph(ASSERTED_GRAPH)) != set(before)
    assert_same_build((store, summary), full_build(tmp_path, corpus))


def test_deleting_every_document_but_one_and_adding_them_back(tmp_path: Path, documents: list[Path]) -> None:
    corpus = corpus_of(tmp_path, "corpus", *documents)
    store = StoreConfig(tmp_path / "store")
    build(corpus, store=store, jobs=1, allow_invalid=True)
    for document in documents[1:]:
        (corpus / document.name).unlink()
    assert_same_build((store, build(corpus, store=store, jobs=1, allow_invalid=True)), full_build(tmp_path, corpus))
    summary = add(documents[1:], store=store, jobs=1, allow_invalid=True)
    assert_same_build((store, summary), full_build(tmp_path, corpus_of(tmp_path, "again", *documents)))


def test_an_unchanged_corpus_extracts_nothing(tmp_path: Path, documents: list[Path]) -> None:
    corpus = corpus_of(tmp_path, "corpus", *documents)
    store = StoreConfig(tmp_path / "store")
    first = build(corpus, store=store, jobs=1, allow_invalid=True)
    again = build(corpus, store=store, jobs=2, allow_invalid=True)
    assert again.seconds["extract"] == 0
    assert again.triples == first.triples


def test_adding_to_a_store_without_a_recorded_build_is_refused(tmp_path: Path, documents: list[Path]) -> None:
    store = StoreConfig(tmp_path / "store")
    with pytest.raises(StoreError, match="build it first"):
        add(documents[:1], store=store)
    build(corpus_of(tmp_path, "corpus", *documents[:2]), store=store, reasoning=Reasoning.OWL_RL, allow_invalid=True)
    with pytest.raises(StoreError, match="build it first"):
        add(documents[2:3], store=store)


def test_a_bad_document_added_leaves_the_graph_as_it_was(tmp_path: Path, documents: list[Path]) -> None:
    store = StoreConfig(tmp_path / "store")
    build(corpus_of(tmp_path, "corpus", *documents[:2]), store=store, jobs=1, allow_invalid=True)
    before = EmbeddedStore(store).current_generation(), EmbeddedStore(store).triple_counts()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not text")
    with pytest.raises(LoaderError, match=r"bad\.txt"):
        add([documents[2], bad], store=store, jobs=1)
    with pytest.raises(LoaderError, match="not found"):
        add([tmp_path / "missing.txt"], store=store, jobs=1)
    assert (EmbeddedStore(store).current_generation(), EmbeddedStore(store).triple_counts()) == before
