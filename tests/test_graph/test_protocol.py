"""SPARQL 1.1 Protocol conformance of the endpoint with real clients: what a new user's clients ran into."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
from fastapi.routing import APIRoute
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from test_server import FIXED, PERSON, TOKEN, LiveServer, build_store, in_thread, start_server
from typer.testing import CliRunner

from graph.cli import app as cli
from graph.results import GRAPH_FORMATS, RESULT_FORMATS, Cell, TermKind
from graph.server import ServerConfig, create_app
from graph.server.routes import api, graph_store, pages, pictures, protocol, resources
from graph.server.workers import Job, WorkerError, WorkerPool

BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def endpoint(fixture_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with a token and a time limit generous enough for pictures on a busy machine."""
    config = build_store(fixture_corpus, tmp_path_factory.mktemp("protocol") / "store")
    with start_server(config, "--timeout", "30", "--workers", "2", token=TOKEN) as running:
        yield running


def ask(server: LiveServer, query: str) -> bool:
    response = httpx.get(server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


def update(server: LiveServer, text: str, **params: str | list[str]) -> httpx.Response:
    return httpx.post(server.sparql, data={"update": text, **params}, headers=BEARER)


def put(server: LiveServer, graph: str, turtle: str) -> httpx.Response:
    return httpx.put(
        server.url + "/store", params={"graph": graph}, content=turtle,
        headers={**BEARER, "Content-Type": "text/turtle"},
    )


# -- 4: a server error is a short 5xx, its traceback in the server's log only ----------------


def test_a_bug_in_the_server_is_a_short_500_and_its_traceback_is_logged(
    endpoint: LiveServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import graph.server.service

    def broken(answer: object, *, max_rows: int) -> object:
        raise ValueError("a bug in the serialiser")

    monkeypatch.setattr(graph.server.service, "written_response", broken)
    with caplog.at_level(logging.ERROR, logger="graph.server"), in_thread(
        create_app(ServerConfig(endpoint.store, workers=1))
    ) as url:
        plain = httpx.get(url + "/sparql", params={"query": "ASK {}"})
        api = httpx.get(url + "/api/queries/people")
    assert plain.status_code == 500
    assert plain.text.startswith("internal server error")
    assert len(plain.text) < 200
    assert "Traceback" not in plain.text and "serialiser" not in plain.text
    assert api.status_code == 500
    assert api.json()["detail"].startswith("internal server error") and "serialiser" not in api.text
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records if r.name == "graph.server")
    assert "GET /sparql" in logged
    assert "a bug in the serialiser" in logged and "Traceback" in logged


def test_a_bug_in_a_query_worker_keeps_its_traceback_for_the_log(endpoint: LiveServer) -> None:
    broken = Job("SELECT ?x WHERE {}", 10, bindings=(("x", Cell(TermKind.URI, "not an IRI at all")),))

    async def run() -> None:
        pool = WorkerPool(endpoint.store, size=1, timeout=30)
        await pool.start()
        try:
            await pool.run(broken)
        finally:
            await pool.stop()

    with pytest.raises(WorkerError) as failed:
        asyncio.run(run())
    assert "ValueError" in str(failed.value)
    assert "Traceback" in failed.value.worker_traceback
    assert "ox_term" in failed.value.worker_traceback  # where the worker met it


# -- 5: CSV and TSV blank nodes ----------------------------------------------------------------


def test_csv_and_tsv_write_blank_nodes_as_underscore_labels(endpoint: LiveServer) -> None:
    query = 'SELECT ?b WHERE { BIND(BNODE("x") AS ?b) }'
    csv_rows = httpx.get(endpoint.sparql, params={"query": query, "format": "csv"}).text.splitlines()
    tsv_rows = httpx.get(endpoint.sparql, params={"query": query, "format": "tsv"}).text.splitlines()
    assert csv_rows[0] == "b" and re.fullmatch(r"_:\w+", csv_rows[1]), csv_rows
    assert tsv_rows[0] == "?b" and re.fullmatch(r"_:\w+", tsv_rows[1]), tsv_rows


def test_every_format_the_cli_writes_is_what_the_endpoint_writes(endpoint: LiveServer) -> None:
    runner = CliRunner()
    for name in ("csv", "tsv", "json"):
        written = runner.invoke(cli, ["sparql", FIXED, "--store", str(endpoint.store.location), "--format", name])
        assert written.exit_code == 0, written.output
        served = httpx.get(endpoint.sparql, params={"query": FIXED, "format": name})
        assert written.stdout_bytes == served.content, name


# -- 6: relative IRIs resolve against the endpoint's URL -------------------------------------


def test_relative_iris_in_a_query_resolve_against_the_endpoint_url(endpoint: LiveServer) -> None:
    response = httpx.get(
        endpoint.sparql, params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200, response.text
    base = endpoint.url + "/"
    assert response.text.strip() == f'<{base}s> <{base}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'


def test_relative_iris_in_an_update_resolve_against_the_endpoint_url(endpoint: LiveServer) -> None:
    done = update(endpoint, 'INSERT DATA { GRAPH <relative-graph> { <relative-thing> <label> "related" } }')
    assert done.status_code == 204, done.text
    base = endpoint.url + "/"
    assert ask(endpoint, f'ASK {{ GRAPH <{base}relative-graph> {{ <{base}relative-thing> <{base}label> "related" }} }}')


# -- 7: GET /sparql without a query ----------------------------------------------------------


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "text/csv", "application/sparql-results+xml", "image/png"]
)
def test_get_sparql_without_a_query_is_400_not_406(endpoint: LiveServer, accept: str) -> None:
    response = httpx.get(endpoint.sparql, headers={"Accept": accept})
    assert response.status_code == 400
    assert "missing 'query'" in response.text


def test_get_sparql_without_a_query_still_describes_the_service_in_rdf(endpoint: LiveServer) -> None:
    for accept in ("text/turtle", "*/*"):
        assert httpx.get(endpoint.sparql, headers={"Accept": accept}).status_code == 200


# -- 8: using-graph-uri and using-named-graph-uri --------------------------------------------

SOURCE = "https://example.org/graph/using-source"


def test_an_update_honours_using_graph_uri_and_using_named_graph_uri(endpoint: LiveServer) -> None:
    assert put(endpoint, SOURCE, "<urn:using:s> <urn:using:p> 'from the source' .").status_code in {201, 204}
    copied = "https://example.org/graph/using-copy"
    named = "https://example.org/graph/using-named-copy"
    done = update(
        endpoint, f"INSERT {{ GRAPH <{copied}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}", **{"using-graph-uri": SOURCE}
    )
    assert done.status_code == 204, done.text
    done = update(
        endpoint, f"INSERT {{ GRAPH <{named}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        **{"using-named-graph-uri": SOURCE},
    )
    assert done.status_code == 204, done.text
    for graph in (copied, named):
        rows = httpx.get(
            endpoint.sparql, params={"query": f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "format": "csv"}
        ).text.splitlines()
        assert rows == ["o", "from the source"], graph


def test_an_update_with_its_own_using_or_with_and_the_parameter_is_400(endpoint: LiveServer) -> None:
    for text in (
        f"INSERT {{ GRAPH <urn:x> {{ ?s ?p ?o }} }} USING <{SOURCE}> WHERE {{ ?s ?p ?o }}",
        f"WITH <{SOURCE}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    ):
        refused = update(endpoint, text, **{"using-graph-uri": SOURCE})
        assert refused.status_code == 400
        assert "using-graph-uri" in refused.text


# -- 9: Graph Store Protocol PUT -------------------------------------------------------------


def test_graph_store_put_answers_201_when_it_creates_and_204_when_it_replaces(endpoint: LiveServer) -> None:
    graph = "https://example.org/graph/put-status"
    created = put(endpoint, graph, "<urn:put:s> <urn:put:p> 1 .")
    replaced = put(endpoint, graph, "<urn:put:s> <urn:put:p> 2 .")
    assert (created.status_code, replaced.status_code) == (201, 204)
    assert ask(endpoint, f"ASK {{ GRAPH <{graph}> {{ <urn:put:s> <urn:put:p> 2 }} }}")
    assert not ask(endpoint, f"ASK {{ GRAPH <{graph}> {{ <urn:put:s> <urn:put:p> 1 }} }}")


# -- 10: HTTP Basic authentication with the token as password --------------------------------


def test_sparqlwrapper_with_basic_credentials_writes_and_reads_back(endpoint: LiveServer) -> None:
    writer = SPARQLWrapper(endpoint.sparql)
    writer.setCredentials("any-user", TOKEN)
    writer.setMethod(POST)
    writer.setQuery('INSERT DATA { GRAPH <https://example.org/graph/wrapper> { <urn:wrapper:s> <urn:p> "w" } }')
    writer.query()
    reader = SPARQLWrapper(endpoint.sparql)
    reader.setReturnFormat(JSON)
    reader.setQuery('ASK { <urn:wrapper:s> <urn:p> "w" }')
    assert reader.query().convert()["boolean"] is True


def test_rdflib_update_store_with_auth_writes_and_reads_back(endpoint: LiveServer) -> None:
    store = SPARQLUpdateStore(endpoint.sparql, endpoint.sparql, auth=("someone", TOKEN))
    store.update('INSERT DATA { GRAPH <https://example.org/graph/rdflib> { <urn:rdflib:s> <urn:p> "r" } }')
    graph = Graph(store=store)
    assert list(graph.query('ASK { <urn:rdflib:s> <urn:p> "r" }')) == [True]
    assert Literal("r") in {row[0] for row in graph.query("SELECT ?o WHERE { <urn:rdflib:s> ?p ?o }")}


def test_basic_credentials_with_a_wrong_password_are_401(endpoint: LiveServer) -> None:
    refused = httpx.post(
        endpoint.sparql, data={"update": "INSERT DATA { <urn:no> <urn:no> 1 }"}, auth=("someone", TOKEN + "x")
    )
    assert refused.status_code == 401
    assert "Basic" in refused.headers["WWW-Authenticate"]
    assert not ask(endpoint, "ASK { <urn:no> <urn:no> 1 }")


# -- 11: HEAD on every GET route ---------------------------------------------------------------

ROUTE_FAMILIES = (protocol, graph_store, api, pages, resources, pictures)
SAMPLE_QUERY = {
    "/resource": {"iri": str(PERSON)},
    "/viz/neighbourhood": {"iri": str(PERSON)},
    "/viz/measure.svg": {"measure": "referrals"},
    "/store": {"graph": SOURCE},
    "/sparql": {"query": "ASK {}"},
}
SAMPLE_PATH = {"{name}": "people", "{path:path}": str(PERSON).rsplit("/id/", 1)[1]}


def get_routes() -> list[str]:
    """The URL of every GET route of the application's routers, with sample parameters."""
    urls = []
    for route in (r for family in ROUTE_FAMILIES for r in family.router.routes):
        if isinstance(route, APIRoute) and "GET" in route.methods:
            path = route.path
            for template, value in SAMPLE_PATH.items():
                path = path.replace(template, value)
            params = SAMPLE_QUERY.get(route.path)
            urls.append(path + ("?" + urlencode(params) if params else ""))
    return urls


def test_head_is_answered_on_every_get_route_as_get_without_a_body(endpoint: LiveServer) -> None:
    urls = get_routes()
    assert {"/", "/sparql?query=ASK+%7B%7D", "/health", "/api/queries"} <= set(urls)
    for url in [*urls, "/static/style.css"]:
        got = httpx.get(endpoint.url + url, headers=BEARER, timeout=60)
        head = httpx.head(endpoint.url + url, headers=BEARER, timeout=60)
        assert (url, head.status_code) == (url, got.status_code)
        assert head.content == b""
        assert head.headers.get("content-type") == got.headers.get("content-type"), url


# -- 12: OpenAPI operation ids -----------------------------------------------------------------


def test_the_openapi_document_has_unique_operation_ids(endpoint: LiveServer) -> None:
    document = httpx.get(endpoint.url + "/openapi.json").json()
    ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert {"get", "post"} <= set(document["paths"]["/sparql"])


# -- 13: parameters that cannot be what they claim ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/sparql?query=ASK%20%7B%7D%20%23%FF",
        "/api/queries/statements_by?person=%C3%28",
        "/resource?iri=https%3A%2F%2Fexample.org%2F%E2%82",
    ],
)
def test_percent_encoded_invalid_utf8_in_a_parameter_is_400(endpoint: LiveServer, url: str) -> None:
    response = httpx.get(endpoint.url + url)
    assert response.status_code == 400
    assert "not UTF-8" in response.text


def test_percent_encoded_invalid_utf8_in_a_form_is_400(endpoint: LiveServer) -> None:
    response = httpx.post(
        endpoint.sparql, content=b"query=ASK%20%7B%7D%23%FF",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.text


def test_a_repeated_named_query_parameter_is_400(endpoint: LiveServer) -> None:
    for page in ("/api/queries/who_held", "/queries/who_held"):
        response = httpx.get(
            endpoint.url + page + "?post=ADCS+President&post=Vice+President&date=2021-01-01"
        )
        assert response.status_code == 400, page
        assert "'post' is given more than once" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/api/queries/provenance?iri=" + quote(f"{PERSON}\x00", safe=""),
        "/resource?iri=" + quote(f"{PERSON}\x00", safe=""),
        "/viz/neighbourhood?iri=" + quote(f"{PERSON}\x00", safe=""),
        "/sparql?query=ASK%20%7B%7D&default-graph-uri=" + quote("urn:g\x00", safe=""),
        "/store?graph=" + quote("urn:g\x00", safe=""),
    ],
)
def test_a_nul_in_an_iri_parameter_is_400(endpoint: LiveServer, url: str) -> None:
    response = httpx.get(endpoint.url + url, headers=BEARER)
    assert response.status_code == 400, response.text
    assert "U+0000" in response.text


# -- 14: 406 ---------------------------------------------------------------------------------


def test_406_names_the_available_formats_and_does_not_echo_the_accept_header(endpoint: LiveServer) -> None:
    accept = "application/x-" + "a" * 5000
    for query, formats in (("ASK {}", RESULT_FORMATS), ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", GRAPH_FORMATS)):
        response = httpx.get(endpoint.sparql, params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 406
        assert "aaaa" not in response.text
        assert len(response.text) < 600
        assert all(f.media_type in response.text for f in formats)
    asked = httpx.get(endpoint.sparql, params={"query": "ASK {}", "format": "b" * 5000})
    assert asked.status_code == 406 and len(asked.text) < 600

