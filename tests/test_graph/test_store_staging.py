"""The Store interface: staged replaces (stage, query, commit or discard) and updates in place."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import SparqlServer
from rdflib import Graph, Literal, URIRef

from graph.errors import QuerySyntaxError, StoreError
from graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, UPDATES_GRAPH
from graph.store import EmbeddedStore, RemoteStore, StoreConfig, open_store

EX = "https://example.org/"
G1 = URIRef(EX + "graph/one")


def graph_of(*objects: str) -> Graph:
    g = Graph()
    for value in objects:
        g.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal(value)))
    return g


def values(store: EmbeddedStore | RemoteStore, sparql: str = "SELECT ?o WHERE { ?s ?p ?o }") -> list[str]:
    return sorted(str(row[0]) for row in store.query(sparql))


# -- staging ------------------------------------------------------------------------------------


def test_a_staged_graph_is_queried_before_readers_see_it_and_seen_once_committed(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("old")})
    with db.stage({G1: graph_of("new")}) as staged:
        assert [str(row[0]) for row in staged.query("SELECT ?o WHERE { ?s ?p ?o }")] == ["new"]
        assert values(db) == ["old"]
        staged.commit()
    assert values(EmbeddedStore(store)) == ["new"]


def test_a_discarded_or_abandoned_staging_leaves_the_graph_and_no_generation_behind(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("old")})
    before = sorted((store.path / "generations").iterdir())
    db.stage({G1: graph_of("discarded")}).discard()
    with pytest.raises(RuntimeError), db.stage({G1: graph_of("abandoned")}):
        raise RuntimeError("the build failed after staging")
    assert values(db) == ["old"]
    assert sorted((store.path / "generations").iterdir()) == before
    db.replace({G1: graph_of("next")})  # the lock was released
    assert values(db) == ["next"]


def test_a_staging_holds_the_lock_so_nothing_else_writes_meanwhile(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("old")})
    with db.stage({G1: graph_of("new")}):
        with pytest.raises(StoreError, match="another build"):
            EmbeddedStore(store).replace({G1: graph_of("other")})
        with pytest.raises(StoreError, match="another build"):
            EmbeddedStore(store).update(f'INSERT DATA {{ <{EX}s> <{EX}p> "x" }}')
    assert values(db) == ["old"]


def test_a_store_in_the_layout_written_before_opens(tmp_path: Path) -> None:
    """``current`` a relative symlink to ``generations/NAME``, one pyoxigraph store per generation."""
    root = tmp_path / "store"
    generation = root / "generations" / "01795548000000000000-1234"
    generation.parent.mkdir(parents=True)
    old = ox.Store(str(generation))
    old.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("built before"), ox.NamedNode(G1)))
    old.flush()
    del old
    os.symlink("generations/01795548000000000000-1234", root / "current")
    db = EmbeddedStore(StoreConfig(root))
    assert values(db) == ["built before"]
    db.update(f'INSERT DATA {{ <{EX}s> <{EX}p> "updated" }}')
    assert values(EmbeddedStore(StoreConfig(root))) == ["built before", "updated"]


# -- updates in place ---------------------------------------------------------------------------


def test_an_update_applies_in_place_to_the_current_generation(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("built")})
    generation = db.current_generation()
    db.update(f'INSERT DATA {{ <{EX}s> <{EX}p> "added" }}')
    assert db.current_generation() == generation
    assert [p.name for p in (store.path / "generations").iterdir()] == [generation.name if generation else ""]
    assert values(db) == ["added", "built"]
    assert [str(o) for o in db.graph(UPDATES_GRAPH).objects()] == ["added"]  # no GRAPH named: the updates graph
    assert [str(o) for o in db.graph(G1).objects()] == ["built"]


def test_a_reader_opened_before_an_update_sees_it_after(store: StoreConfig) -> None:
    writer, reader = EmbeddedStore(store), EmbeddedStore(store)
    writer.replace({G1: graph_of("built")})
    assert values(reader) == ["built"]
    writer.update(f'DELETE DATA {{ GRAPH <{G1}> {{ <{EX}s> <{EX}p> "built" }} }}')
    assert values(reader) == []
    writer.update(f'INSERT DATA {{ <{EX}s> <{EX}p> "one" }} ;\nINSERT DATA {{ <{EX}s> <{EX}p> "two" }} ;')
    writer.update(f'DELETE WHERE {{ <{EX}s> <{EX}p> "one" }}')
    assert values(reader) == ["two"]


def test_an_update_that_does_not_parse_is_reported_where_it_fails_and_changes_nothing(store: StoreConfig) -> None:
    db = EmbeddedStore(store)
    db.replace({G1: graph_of("built")})
    with pytest.raises(QuerySyntaxError) as caught:
        db.update(f'INSERT DATA {{ <{EX}s> <{EX}p> "x" }} ;\nINSERT DATA {{ <{EX}s> <{EX}p> }}')
    assert caught.value.source == "update"
    assert caught.value.line == 2
    assert values(db) == ["built"]


def test_an_update_of_a_store_never_built_says_so(store: StoreConfig) -> None:
    with pytest.raises(StoreError, match="no graph has been built"):
        EmbeddedStore(store).update(f'INSERT DATA {{ <{EX}s> <{EX}p> "x" }}')


# -- the remote store: the same staging ---------------------------------------------------------


def test_a_remote_staging_is_queried_then_committed_or_discarded(fresh_oxigraph: SparqlServer) -> None:
    db = open_store(fresh_oxigraph.config())
    assert isinstance(db, RemoteStore)
    db.replace({ASSERTED_GRAPH: graph_of("old")})
    with db.stage({ASSERTED_GRAPH: graph_of("discarded")}) as staged:
        assert [str(row[0]) for row in staged.query("SELECT ?o WHERE { ?s ?p ?o }")] == ["discarded"]
        assert values(db) == ["old"]
    assert values(db) == ["old"]
    with db.stage({ASSERTED_GRAPH: graph_of("new"), INFERRED_GRAPH: graph_of("inferred")}) as staged:
        staged.commit()
    assert values(db) == ["inferred", "new"]
    assert len(db.generation_graphs()) == 3  # the new pair and the previous one; the discarded is gone
    with pytest.raises(StoreError, match="updates are not applied"):
        db.update(f'INSERT DATA {{ <{EX}s> <{EX}p> "x" }}')
