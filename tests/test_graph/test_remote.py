"""The remote store on real SPARQL servers (Oxigraph, Virtuoso): reading, atomic replacement, failures."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from typer.testing import CliRunner

from graph.cli import app
from graph.errors import QuerySyntaxError, StoreError
from graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from graph.sparql import bind_values
from graph.store import EmbeddedStore, StoreConfig, open_store
from graph.store.remote import RemoteStore, batches

if TYPE_CHECKING:
    from conftest import SparqlServer

EX = "https://example.org/"
INJECTION = '"} ; DROP ALL ; {"'


def tagged(tag: str, count: int) -> Graph:
    """``count`` triples whose objects all carry ``tag``."""
    g = Graph()
    for i in range(count):
        g.add((URIRef(f"{EX}{tag}/{i}"), URIRef(EX + "tag"), Literal(tag)))
    return g


def sample() -> Graph:
    g = Graph()
    s = URIRef(EX + "s")
    g.add((s, URIRef(EX + "name"), Literal('Jane "J" Doe\nof Leeds')))
    g.add((s, URIRef(EX + "name"), Literal(INJECTION)))
    g.add((s, URIRef(EX + "day"), Literal("2021-04-01", datatype=XSD.date)))
    g.add((s, URIRef(EX + "flag"), Literal(True)))
    g.add((s, URIRef(EX + "label"), Literal("colour", lang="en-gb")))
    node = BNode()
    g.add((s, URIRef(EX + "interval"), node))
    g.add((node, URIRef(EX + "start"), Literal("2020-04-01", datatype=XSD.date)))
    return g


@pytest.fixture
def remote(sparql_server: SparqlServer) -> RemoteStore:
    db = RemoteStore(sparql_server.config())
    db.replace({ASSERTED_GRAPH: sample(), INFERRED_GRAPH: tagged("inferred", 2)})
    return db


# -- on each server -----------------------------------------------------------------------


def test_replace_then_read_back(remote: RemoteStore) -> None:
    assert remote.exists()
    assert remote.triple_counts() == {ASSERTED_GRAPH: 7, INFERRED_GRAPH: 2}
    copy = remote.graph(ASSERTED_GRAPH)
    assert len(copy) == 7
    assert (URIRef(EX + "s"), URIRef(EX + "name"), Literal('Jane "J" Doe\nof Leeds')) in copy
    assert len(remote.graph(ONTOLOGY_GRAPH)) == 0
    # the default graph is the union of the project's graphs
    rows = remote.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    assert len(rows.bindings) == 9
    assert remote.query("ASK { ?s ak:missing ?o }").askAnswer is False
    built = remote.query("CONSTRUCT { ?i a ak:Interval } WHERE { ?s <https://example.org/interval> ?i }")
    assert built.graph is not None and len(built.graph) == 1
    flag = next(iter(remote.query("SELECT ?f WHERE { ?s <https://example.org/flag> ?f }")))["f"]
    assert flag.toPython() is True  # Virtuoso answers "1"^^xsd:boolean


def test_graph_store_protocol_loads_the_same_graph(sparql_server: SparqlServer) -> None:
    db = RemoteStore(sparql_server.config(gsp=True), batch_size=2)
    db.replace({ASSERTED_GRAPH: sample()})
    assert len(db.graph(ASSERTED_GRAPH)) == 7
    assert db.triple_counts() == {ASSERTED_GRAPH: 7}


def test_loading_goes_in_batches_and_reports_progress(sparql_server: SparqlServer) -> None:
    db = RemoteStore(sparql_server.config(), batch_size=4)
    progress: list[tuple[int, int]] = []
    graphs = {ASSERTED_GRAPH: sample(), INFERRED_GRAPH: tagged("inferred", 10)}
    db.replace(graphs, on_progress=lambda done, total: progress.append((done, total)))
    # asserted: 5 plain triples (4 + 1), then the blank node's 2; inferred: 4 + 4 + 2
    assert progress == [(4, 17), (5, 17), (7, 17), (11, 17), (15, 17), (17, 17)]
    assert db.triple_counts() == {ASSERTED_GRAPH: 7, INFERRED_GRAPH: 10}


def test_bindings_are_terms_not_text(remote: RemoteStore) -> None:
    result = remote.query(
        "SELECT ?s ?name WHERE { ?s <https://example.org/name> ?name }", bindings={"name": Literal(INJECTION)}
    )
    assert [str(row["name"]) for row in result] == [INJECTION]
    filtered = remote.query(
        "SELECT ?s WHERE { ?s <https://example.org/day> ?d FILTER(?d >= ?since) }",
        bindings={"since": Literal("2021-01-01", datatype=XSD.date)},
    )
    assert [str(row["s"]) for row in filtered] == [EX + "s"]
    assert remote.triple_counts() == {ASSERTED_GRAPH: 7, INFERRED_GRAPH: 2}


def test_syntax_errors_have_line_and_column(remote: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        remote.query("SELECT ?x WHERE {\n  ?x ?y }")
    assert caught.value.line == 2


def test_a_reader_sees_the_old_graph_or_the_new_one_never_a_mixture(sparql_server: SparqlServer) -> None:
    writer = RemoteStore(sparql_server.config(), batch_size=500)
    reader = RemoteStore(sparql_server.config())

    def generation(tag: str) -> dict[URIRef, Graph]:
        return {ASSERTED_GRAPH: tagged(tag, 1500), INFERRED_GRAPH: tagged(f"{tag}-inferred", 1500)}

    writer.replace(generation("old"))
    seen: set[tuple[tuple[str, int], ...]] = set()
    errors: list[StoreError] = []
    stop = threading.Event()

    def read() -> None:
        while True:  # at least one read, then until the writer is done
            try:
                rows = reader.query("SELECT ?tag (COUNT(*) AS ?n) WHERE { ?s ?p ?tag } GROUP BY ?tag ORDER BY ?tag")
            except StoreError as exc:
                errors.append(exc)
                return
            seen.add(tuple((str(row["tag"]), int(row["n"])) for row in rows))
            if stop.is_set():
                return

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for tag in ("new", "old", "new"):
            writer.replace(generation(tag))
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert seen
    assert seen <= {(("new", 1500), ("new-inferred", 1500)), (("old", 1500), ("old-inferred", 1500))}


def test_a_failed_load_leaves_the_graph_as_it_was(sparql_server: SparqlServer, monkeypatch: pytest.MonkeyPatch) -> None:
    db = RemoteStore(sparql_server.config(), batch_size=10)
    db.replace({ASSERTED_GRAPH: tagged("old", 30)})
    before = db.generation_graphs()
    written: list[int] = []
    original = db._write_batch

    def failing(target: URIRef, triples: list[tuple[URIRef, URIRef, Literal]], *, idempotent: bool) -> None:
        if written:
            raise StoreError("connection lost")
        written.append(len(triples))
        original(target, triples, idempotent=idempotent)

    monkeypatch.setattr(db, "_write_batch", failing)
    with pytest.raises(StoreError, match="connection lost"):
        db.replace({ASSERTED_GRAPH: tagged("new", 30)})
    assert written == [10]  # one batch of the new generation had been written
    assert {str(o) for o in db.graph(ASSERTED_GRAPH).objects()} == {"old"}
    assert db.generation_graphs() == before  # the half-written generation was dropped


def test_only_the_current_and_previous_generations_are_kept(sparql_server: SparqlServer) -> None:
    db = RemoteStore(sparql_server.config())
    for tag in ("one", "two", "three"):
        db.replace({ASSERTED_GRAPH: tagged(tag, 2)})
    generations = db.generation_graphs()
    assert len(generations) == 2
    assert all(str(g).startswith(f"{ASSERTED_GRAPH}/") for g in generations)
    assert {str(o) for o in db.graph(ASSERTED_GRAPH).objects()} == {"three"}


def test_a_store_without_update_url_reads_but_cannot_be_built_into(remote: RemoteStore) -> None:
    reader = open_store(StoreConfig(remote.url))
    assert reader.triple_counts() == remote.triple_counts()
    with pytest.raises(StoreError, match="has no update URL, so it cannot be built into"):
        reader.replace({ASSERTED_GRAPH: tagged("new", 1)})
    assert remote.triple_counts() == {ASSERTED_GRAPH: 7, INFERRED_GRAPH: 2}


def test_only_the_project_graphs_can_be_written(remote: RemoteStore) -> None:
    with pytest.raises(StoreError, match="only the project's graphs"):
        remote.replace({URIRef(EX + "graph"): tagged("x", 1)})


# -- one server -----------------------------------------------------------------------------


def test_a_store_never_built_says_so(fresh_oxigraph: SparqlServer) -> None:
    db = RemoteStore(fresh_oxigraph.config())
    assert not db.exists()
    with pytest.raises(StoreError, match=r"no graph has been built in http://127\.0\.0\.1"):
        db.triple_counts()


def test_updates_need_the_credentials_from_the_environment(
    virtuoso: SparqlServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ADCS_KG_USER", raising=False)
    monkeypatch.delenv("ADCS_KG_PASSWORD", raising=False)
    with pytest.raises(StoreError, match=r"sparql-auth failed: HTTP 401"):
        RemoteStore(virtuoso.config()).replace({ASSERTED_GRAPH: tagged("x", 1)})
    monkeypatch.setenv("ADCS_KG_USER", "dba")
    monkeypatch.setenv("ADCS_KG_PASSWORD", "dba")
    RemoteStore(virtuoso.config()).replace({ASSERTED_GRAPH: tagged("x", 1)})


# -- failures, without a real server ---------------------------------------------------------


def test_a_server_that_is_down_is_named(down_url: str) -> None:
    db = RemoteStore(StoreConfig(down_url), retries=1, backoff=0.01)
    with pytest.raises(StoreError, match=rf"POST {down_url} could not be reached: ConnectError"):
        db.exists()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"


def test_a_slow_server_times_out(silent_server: str) -> None:
    db = RemoteStore(StoreConfig(silent_server), timeout=0.3, retries=1, backoff=0.01)
    with pytest.raises(StoreError, match=rf"POST {silent_server} timed out: ReadTimeout"):
        db.exists()


def mock_store(handler: httpx.MockTransport, **options: object) -> RemoteStore:
    config = StoreConfig("http://sparql.test/query", update_url="http://sparql.test/update")
    return RemoteStore(config, transport=handler, backoff=0.0, **options)  # type: ignore[arg-type]


def test_garbage_is_reported_with_the_first_lines_of_the_body() -> None:
    db = mock_store(httpx.MockTransport(lambda request: httpx.Response(200, text="<html>\nWelcome!\n</html>")))
    expected = r"http://sparql.test/query did not answer with SPARQL JSON results: <html> \| Welcome!"
    with pytest.raises(StoreError, match=expected):
        db.exists()


def test_credentials_in_a_url_are_refused_without_echoing_them() -> None:
    for config in (
        StoreConfig("http://dba:s3cret@sparql.test/query"),
        StoreConfig("http://sparql.test/query", update_url="http://dba:s3cret@sparql.test/update"),
        StoreConfig("http://sparql.test/query", gsp_url="http://dba@sparql.test/store"),
    ):
        with pytest.raises(StoreError, match=r"carries credentials: give them in ADCS_KG_USER") as caught:
            open_store(config)
        assert "s3cret" not in str(caught.value) and "dba" not in str(caught.value)
    with pytest.raises(StoreError, match=r"http://\[::1/query is not a valid URL"):
        open_store(StoreConfig("http://[::1/query"))


def test_http_errors_carry_status_and_body() -> None:
    db = mock_store(httpx.MockTransport(lambda request: httpx.Response(500, text="Internal error\nstack...\n")))
    with pytest.raises(StoreError, match=r"POST http://sparql.test/query failed: HTTP 500: Internal error \| stack"):
        db.exists()


def test_a_result_cut_by_the_server_is_an_error_not_a_short_answer() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        rows = {"head": {"vars": ["g"]}, "results": {"bindings": []}}
        return httpx.Response(200, json=rows, headers={"X-SPARQL-MaxRows": "10000"})  # as Virtuoso marks it

    with pytest.raises(StoreError, match="cut the result at 10000 rows"):
        mock_store(httpx.MockTransport(handler)).exists()


def test_reads_are_retried_but_the_switch_is_not() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(503, text="busy")

    db = mock_store(httpx.MockTransport(handler), retries=2)
    with pytest.raises(StoreError, match="HTTP 503: busy"):
        db.exists()
    assert calls == ["/query"] * 3
    calls.clear()
    with pytest.raises(StoreError, match="HTTP 503"):
        db._switch({ASSERTED_GRAPH: URIRef(f"{ASSERTED_GRAPH}/1")}, first=False)
    assert calls == ["/update"]


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        if "Authorization" not in request.headers:
            return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="sparql"'})
        return httpx.Response(200, json={"head": {"vars": []}, "results": {"bindings": []}})

    monkeypatch.setenv("ADCS_KG_USER", "reader")
    monkeypatch.setenv("ADCS_KG_PASSWORD", "secret")
    assert not mock_store(httpx.MockTransport(handler)).exists()
    assert seen == [None, "Basic cmVhZGVyOnNlY3JldA=="]
    seen.clear()
    monkeypatch.setenv("ADCS_KG_TOKEN", "t0ken")
    assert not mock_store(httpx.MockTransport(handler)).exists()
    assert seen == ["Bearer t0ken"]


# -- binding and batching ---------------------------------------------------------------------


def test_values_open_the_outermost_where_group() -> None:
    query = '# WHERE { in a comment\nSELECT ?x (EXISTS { ?x ?p "}" } AS ?e) WHERE { ?x <urn:p> "WHERE {" }'
    bound = bind_values(query, {"x": URIRef("urn:a")})
    assert bound.endswith('WHERE { VALUES (?x) { (<urn:a>) }  ?x <urn:p> "WHERE {" }')


def test_values_follow_a_construct_template_and_a_bare_select() -> None:
    construct = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"o": Literal(INJECTION)})
    assert construct == 'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o) { ("\\"} ; DROP ALL ; {\\"") }  ?s ?p ?o }'
    bare = bind_values("PREFIX a: <urn:a#>\nSELECT * { ?s a:p ?n }", {"n": Literal(3)})
    assert bare.endswith('{ VALUES (?n) { ("3"^^<http://www.w3.org/2001/XMLSchema#integer>) }  ?s a:p ?n }')


def test_blank_nodes_cannot_be_bound() -> None:
    with pytest.raises(StoreError, match="only IRIs and literals"):
        bind_values("SELECT * { ?s ?p ?o }", {"s": BNode()})


def test_batches_keep_the_triples_of_a_blank_node_together() -> None:
    g = tagged("plain", 5)
    for i in range(3):
        node, inner = BNode(), BNode()
        g.add((URIRef(f"{EX}r{i}"), URIRef(EX + "list"), node))
        g.add((node, RDF.first, inner))
        g.add((inner, RDF.value, Literal(i)))
    found = list(batches(g, 2))
    assert [(len(triples), blank) for triples, blank in found] == [(2, False), (2, False), (1, False), (3, True),
                                                                   (3, True), (3, True)]
    for triples, blank in found:
        if blank:
            subjects = {str(s) for s, _, _ in triples if isinstance(s, URIRef)}
            assert len(subjects) == 1


# -- the command line on a remote store --------------------------------------------------------


def test_the_command_line_builds_into_and_reads_a_remote_store(
    fresh_oxigraph: SparqlServer, fixture_corpus: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    store = ["--store", fresh_oxigraph.query_url]
    built = runner.invoke(
        app, ["build", "--corpus", str(fixture_corpus), *store, "--update-url", fresh_oxigraph.update_url,
              "--gsp-url", fresh_oxigraph.gsp_url, "--jobs", "1"],
    )
    assert built.exit_code == 0, built.output
    assert "Built" in built.output and "triples asserted" in built.output
    counts = RemoteStore(fresh_oxigraph.config()).triple_counts()
    assert set(counts) == {ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH}

    validated = runner.invoke(app, ["validate", *store])
    assert validated.exit_code == 0, validated.output
    stats = runner.invoke(app, ["stats", *store])
    assert stats.exit_code == 0, stats.output
    assert f"{counts[ASSERTED_GRAPH]:,}" in stats.output
    items = runner.invoke(app, ["query", "items", *store, "--format", "csv"])
    assert items.exit_code == 0, items.output
    assert items.output.splitlines()[0] == "title,kind,date,document"
    asked = runner.invoke(app, ["sparql", "ASK { ?item a ak:Item }", *store, "--format", "csv"])
    assert (asked.exit_code, asked.output) == (0, "true\n")
    broken = runner.invoke(app, ["sparql", "SELECT * WHERE {\n ?s ?p }", *store])
    assert broken.exit_code == 2
    assert "line 2, column" in broken.output
    held = runner.invoke(
        app, ["query", "who_held", "-p", "post=ADCS President", "-p", "date=2021-06-01", *store, "--format", "csv"]
    )
    assert held.exit_code == 0, held.output
    assert held.output.splitlines()[0] == "person,post,organisation,start,end"
    by_gsp = runner.invoke(app, ["validate", *store, "--gsp-url", fresh_oxigraph.gsp_url, "--format", "json"])
    assert (by_gsp.exit_code, json.loads(by_gsp.output)) == (0, {"conforms": True, "results": []})
    network = runner.invoke(app, ["viz", "network", *store, "--out", str(tmp_path / "network.html")])
    assert network.exit_code == 0, network.output
    assert "<html" in (tmp_path / "network.html").read_text(encoding="utf-8").lower()
    officers = runner.invoke(app, ["viz", "officers", *store, "--out", str(tmp_path / "officers.svg")])
    assert officers.exit_code == 0, officers.output
    assert "<svg" in (tmp_path / "officers.svg").read_text(encoding="utf-8")


def test_the_command_line_takes_a_remote_store_from_the_environment(
    fresh_oxigraph: SparqlServer, fixture_corpus: Path
) -> None:
    env = {
        "ADCS_KG_STORE": fresh_oxigraph.query_url,
        "ADCS_KG_UPDATE_URL": fresh_oxigraph.update_url,
        "ADCS_KG_GSP_URL": fresh_oxigraph.gsp_url,
    }
    runner = CliRunner()
    built = runner.invoke(app, ["build", "--corpus", str(fixture_corpus), "--jobs", "1"], env=env)
    assert built.exit_code == 0, built.output
    assert RemoteStore(fresh_oxigraph.config()).exists()
    stats = runner.invoke(app, ["stats"], env={"ADCS_KG_STORE": fresh_oxigraph.query_url})
    assert stats.exit_code == 0, stats.output
    assert str(ASSERTED_GRAPH) in stats.output


def test_the_command_line_cannot_build_into_a_remote_store_without_update_url(
    fresh_oxigraph: SparqlServer, fixture_corpus: Path
) -> None:
    result = CliRunner().invoke(
        app, ["build", "--corpus", str(fixture_corpus), "--store", fresh_oxigraph.query_url, "--jobs", "1"]
    )
    assert result.exit_code == 2
    assert "has no update URL, so it cannot be built into" in " ".join(result.output.split())
    assert "extract" not in result.output  # refused before any work
    assert not RemoteStore(fresh_oxigraph.config()).exists()


def test_the_command_line_names_a_server_that_is_down(down_url: str) -> None:
    result = CliRunner().invoke(app, ["stats", "--store", down_url])
    assert result.exit_code == 2
    assert f"{down_url} could not be reached" in " ".join(result.output.split())


def test_a_build_into_a_server_that_is_down_fails_first_and_leaves_the_embedded_store_alone(
    down_url: str, fixture_corpus: Path, tmp_path: Path
) -> None:
    embedded = EmbeddedStore(StoreConfig(tmp_path / "xdg" / "adcs-kg" / "store"))
    embedded.replace({ASSERTED_GRAPH: tagged("good", 3)})
    before = sorted(p.name for p in (embedded.path / "generations").iterdir())
    result = CliRunner().invoke(
        app, ["build", "--corpus", str(fixture_corpus), "--store", down_url, "--update-url", down_url, "--jobs", "1"],
        env={"XDG_DATA_HOME": str(tmp_path / "xdg")},
    )
    assert result.exit_code == 2
    assert f"{down_url} could not be reached" in " ".join(result.output.split())
    assert "extract" not in result.output  # refused before any work
    assert sorted(p.name for p in (embedded.path / "generations").iterdir()) == before
    assert {str(o) for o in embedded.graph(ASSERTED_GRAPH).objects()} == {"good"}


def test_the_command_line_refuses_credentials_in_a_url(fixture_corpus: Path) -> None:
    url = "http://dba:s3cret@127.0.0.1:1/sparql"
    for command in (["stats", "--store", url], ["build", "--corpus", str(fixture_corpus), "--store", url,
                                                 "--update-url", url]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2
        assert "carries credentials" in result.output and "s3cret" not in result.output


@pytest.mark.parametrize(("server_name", "atomic"), [("oxigraph", True), ("virtuoso", False)])
def test_whether_one_update_request_is_one_transaction(
    server_name: str, atomic: bool, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why a replace switches a pointer: on Virtuoso, a failed request keeps its earlier operations."""
    server: SparqlServer = request.getfixturevalue(server_name)
    for variable, value in server.credentials.items():
        monkeypatch.setenv(variable, value)
    db = RemoteStore(server.config())
    first, second = URIRef(EX + "transaction/first"), URIRef(EX + "transaction/second")
    db._update(f"DROP SILENT GRAPH <{first}> ; DROP SILENT GRAPH <{second}>", idempotent=True)
    db._update(f'INSERT DATA {{ GRAPH <{second}> {{ <{EX}s> <{EX}p> "exists" }} }}', idempotent=True)
    with pytest.raises(StoreError, match="HTTP"):
        db._update(
            f'INSERT DATA {{ GRAPH <{first}> {{ <{EX}s> <{EX}p> "written" }} }} ; CREATE GRAPH <{second}>',
            idempotent=False,
        )
    written = db._select(f"SELECT ?o WHERE {{ GRAPH <{first}> {{ ?s ?p ?o }} }}").bindings
    assert bool(written) is not atomic
