"""The embedded store: whole-generation replacement, readers, the build lock."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from graph.errors import QuerySyntaxError, StoreError
from graph.results import rdflib_cell
from graph.store import EmbeddedStore, StoreConfig, default_store_path

G1 = URIRef("https://example.org/graph/one")
G2 = URIRef("https://example.org/graph/two")
EX = "https://example.org/"


def graph_of(*objects: str) -> Graph:
    g = Graph()
    for value in objects:
        g.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal(value)))
    return g


def test_a_store_never_built_says_so(store: StoreConfig) -> None:
    with pytest.raises(StoreError, match="no graph has been built"):
        EmbeddedStore(store).triple_counts()


def test_replace_then_read_back(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("a", "b"), G2: graph_of("c")})
    assert db.triple_counts() == {G1: 2, G2: 1}
    assert {str(o) for o in db.graph(G1).objects()} == {"a", "b"}
    values = sorted(str(row[0]) for row in db.query("SELECT ?o WHERE { ?s ?p ?o }"))
    assert values == ["a", "b", "c"]  # the default graph is the union of the named graphs


def test_replace_swaps_the_whole_graph_and_keeps_one_previous_generation(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    for value in ("first", "second", "third"):
        db.replace({G1: graph_of(value)})
    assert [str(o) for o in db.graph(G1).objects()] == ["third"]
    assert len(list((store.path / "generations").iterdir())) == 2


def test_a_reader_opened_before_a_replace_sees_the_new_graph_after_it(store: StoreConfig) -> None:
    writer, reader = EmbeddedStore(store), EmbeddedStore(store)
    writer.replace({G1: graph_of("old")})
    assert [str(o) for o in reader.graph(G1).objects()] == ["old"]
    writer.replace({G1: graph_of("new")})
    assert [str(o) for o in reader.graph(G1).objects()] == ["new"]


def test_bindings_are_terms_not_text(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("a", '"} ; DROP ALL ; {"')})
    injected = Literal('"} ; DROP ALL ; {"')
    rows = list(db.query("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": injected}))
    assert [str(row[1]) for row in rows] == [str(injected)]
    assert db.triple_counts() == {G1: 2}


def test_answer_reads_the_union_or_the_dataset_asked_for_with_bound_parameters(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("a", "b"), G2: graph_of("c")})
    select = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    assert [row[0].value for row in db.answer(select, max_rows=10).rows if row[0]] == ["a", "b", "c"]
    only_two = db.answer(select, max_rows=10, default_graphs=[str(G2)])
    assert [row[0].value for row in only_two.rows if row[0]] == ["c"]
    cut = db.answer(select, max_rows=2)
    assert len(cut.rows) == 2 and cut.truncated
    asked = db.answer("SELECT ?s ?o WHERE { ?s ?p ?o }", max_rows=10, bindings=[("o", rdflib_cell(Literal("b")))])
    assert [row[0].value for row in asked.rows if row[0]] == [EX + "s"]
    relative = db.answer("SELECT (<s> AS ?iri) WHERE {}", max_rows=1, base_iri=EX)
    assert relative.rows[0][0] is not None and relative.rows[0][0].value == EX + "s"


def test_syntax_error_has_line_and_column(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("a")})
    with pytest.raises(QuerySyntaxError) as caught:
        db.query("SELECT ?x WHERE {\n  ?x ?y }")
    assert caught.value.line == 2
    assert caught.value.column is not None
    assert f"line 2, column {caught.value.column}" in str(caught.value)


def test_a_second_build_is_refused_while_one_holds_the_lock(store: StoreConfig) -> None:
    store.path.mkdir(parents=True)
    with open(store.path / "build.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(StoreError, match="another build"):
            EmbeddedStore(store).replace({G1: graph_of("a")})


def test_leftovers_of_a_killed_build_are_removed_by_the_next(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("a")})
    stale = store.path / "generations" / "00000000000000000001-1"
    stale.mkdir()
    (stale / "half-written").write_text("x")
    db.replace({G1: graph_of("b")})
    assert not stale.exists()


def test_default_store_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ADCS_KG_STORE", "http://127.0.0.1:7878/query")
    monkeypatch.setenv("ADCS_KG_UPDATE_URL", "http://127.0.0.1:7878/update")
    remote = StoreConfig.default()
    assert remote.is_remote
    assert remote.update_url == "http://127.0.0.1:7878/update"
    with pytest.raises(StoreError, match="remote store, not a directory"):
        _ = remote.path
    monkeypatch.delenv("ADCS_KG_STORE")
    monkeypatch.delenv("ADCS_KG_UPDATE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "adcs-kg" / "store"
    assert StoreConfig.default().path == tmp_path / "xdg" / "adcs-kg" / "store"
    assert not StoreConfig.default().is_remote
