"""The SPARQL endpoint (graph.server) through a live uvicorn: protocol, formats, security, limits, clients."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import httpx
import pytest
from conftest import SparqlServer
from fastapi import FastAPI
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, VOID, XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.term import Node
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from graph.build import build
from graph.errors import ProtocolError, QuerySyntaxError
from graph.namespaces import AK, ASSERTED_GRAPH, ID, ONTOLOGY_GRAPH, SD, resource
from graph.query import named_queries
from graph.results import RESULT_FORMATS, Cell, Form, TermKind, Written
from graph.server.negotiation import Wanted, negotiate
from graph.server.templates import figure, href
from graph.server.workers import Job, Jobs, Lanes, StoreEngine, WorkerPool, Writing
from graph.sparql import keywords
from graph.store import EmbeddedStore, StoreConfig

TOKEN = "a-test-token-0123456789"

TEXT = (
    "Sam Carter, ADCS President 2020/21, said: “Waiting lists are growing.” "
    "The Pressures Test report found that referrals rose by 12.5%. "
    "It recommends that government funds family help."
)
DOC = resource("doc", "server_fixture")
PERSON = resource("person", "sam-carter")
POST = resource("post", "adcs-president")
REPORT = resource("report", "pressures-test")
HOLDING = resource("holding", "sam-carter", "adcs-president", "2020-04-01")
STATEMENT = resource("statement", "server_fixture", 42, 70)
FINDING = resource("finding", "server_fixture", 71, 133)
RECOMMENDATION = resource("recommendation", "server_fixture", 134, 183)
ITEM = resource("item", "server_fixture", 0)
ADCS = resource("org", "association-of-directors-of-childrens-services")  # read from the test corpus


def span(graph: Graph, text: str) -> URIRef:
    """Add the span of ``text`` (first occurrence in TEXT) and return its IRI."""
    start = TEXT.index(text)
    end = start + len(text)
    node = URIRef(f"{DOC}#char={start},{end}")
    graph.add((node, RDF.type, AK.Span))
    graph.add((node, AK.document, DOC))
    graph.add((node, AK.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((node, AK.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    graph.add((node, AK.quote, Literal(text)))
    return node


def fixture_graph() -> Graph:
    """A person with a post and a statement, a report with a finding and a recommendation, with provenance."""
    g = Graph()
    interval = resource("interval", "2020-04-01_2021-03-31")
    g.add((DOC, RDF.type, AK.SourceDocument))
    g.add((DOC, AK.fileName, Literal("server_fixture.txt")))
    g.add((DOC, AK.text, Literal(TEXT)))
    g.add((ITEM, RDF.type, AK.Item))
    g.add((ITEM, AK.inDocument, DOC))
    g.add((ITEM, AK.kind, AK.Comment))
    g.add((ITEM, AK.title, Literal("Fixture comment on waiting lists")))
    g.add((ITEM, AK.position, Literal(0, datatype=XSD.nonNegativeInteger)))
    g.add((ITEM, AK.date, Literal("2021-01-15", datatype=XSD.date)))
    g.add((ITEM, AK.span, span(g, TEXT)))
    g.add((PERSON, RDF.type, AK.Person))
    g.add((PERSON, AK.name, Literal("Sam Carter")))
    g.add((PERSON, AK.mention, span(g, "Sam Carter")))
    g.add((POST, RDF.type, AK.Post))
    g.add((POST, AK.name, Literal("ADCS President")))
    g.add((POST, AK.mention, span(g, "ADCS President")))
    g.add((POST, AK.role, AK.President))
    g.add((POST, AK.postIn, ADCS))
    g.add((HOLDING, RDF.type, AK.Holding))
    g.add((HOLDING, AK.holder, PERSON))
    g.add((HOLDING, AK.post, POST))
    g.add((HOLDING, AK.during, interval))
    g.add((HOLDING, AK.termLabel, Literal("2020/21")))
    g.add((HOLDING, AK.inferred, Literal(False)))
    g.add((HOLDING, AK.span, span(g, "Sam Carter, ADCS President 2020/21")))
    g.add((interval, RDF.type, AK.Interval))
    g.add((interval, AK.startDate, Literal("2020-04-01", datatype=XSD.date)))
    g.add((interval, AK.endDate, Literal("2021-03-31", datatype=XSD.date)))
    g.add((STATEMENT, RDF.type, AK.Statement))
    g.add((STATEMENT, AK.speaker, PERSON))
    g.add((STATEMENT, AK.inItem, ITEM))
    g.add((STATEMENT, AK.inRole, POST))
    g.add((STATEMENT, AK.span, span(g, "“Waiting lists are growing.”")))
    g.add((REPORT, RDF.type, AK.Report))
    g.add((REPORT, AK.title, Literal("Pressures Test")))
    g.add((REPORT, AK.mention, span(g, "Pressures Test")))
    g.add((FINDING, RDF.type, AK.Finding))
    g.add((FINDING, AK.source, REPORT))
    g.add((FINDING, AK.value, Literal("12.5", datatype=XSD.decimal)))
    g.add((FINDING, AK.span, span(g, "The Pressures Test report found that referrals rose by 12.5%.")))
    g.add((RECOMMENDATION, RDF.type, AK.Recommendation))
    g.add((RECOMMENDATION, AK.source, REPORT))
    g.add((RECOMMENDATION, AK.number, Literal("1")))
    g.add((RECOMMENDATION, AK.span, span(g, "It recommends that government funds family help.")))
    return g


def build_store(corpus: Path, directory: Path) -> StoreConfig:
    """The test corpus built into ``directory``, with the fixture graph added to the asserted graph."""
    config = StoreConfig(directory)
    build(corpus, store=config, jobs=1, allow_invalid=True)
    store = EmbeddedStore(config)
    graphs = {name: store.graph(name) for name in store.triple_counts()}
    graphs[ASSERTED_GRAPH] += fixture_graph()
    store.replace(graphs)
    return config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    store: StoreConfig
    process: subprocess.Popen[bytes]

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


@contextlib.contextmanager
def start_server(store: StoreConfig, *options: str, token: str | None = None) -> Iterator[LiveServer]:
    """``adcs-kg serve`` in a subprocess on a free loopback port, stopped when the generator closes."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "ADCS_KG_SERVER_TOKEN"}
    if token:
        env["ADCS_KG_SERVER_TOKEN"] = token
    command = [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", str(port), *options]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"the server exited with {process.returncode}: {output}")
        try:
            if httpx.get(url + "/health").status_code == 200:
                break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                process.kill()
                raise
        time.sleep(0.1)
    try:
        yield LiveServer(url, store, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


LIMITS = ("--timeout", "2", "--max-rows", "1000", "--max-body", "4096", "--workers", "2")


@pytest.fixture(scope="module")
def server(fixture_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A read-only server (no token) with short limits."""
    config = build_store(fixture_corpus, tmp_path_factory.mktemp("server") / "store")
    with start_server(config, *LIMITS) as running:
        yield running


@pytest.fixture(scope="module")
def federating(fixture_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server started with a token that allows SERVICE and LOAD."""
    config = build_store(fixture_corpus, tmp_path_factory.mktemp("federating") / "store")
    with start_server(config, *LIMITS, "--allow-service", "--allow-load", token=TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def writable(fixture_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server started with a token, allowing CORS from one origin."""
    config = build_store(fixture_corpus, tmp_path_factory.mktemp("writable") / "store")
    with start_server(config, *LIMITS, "--cors-origin", "http://localhost:9999", token=TOKEN) as running:
        yield running


def media(response: httpx.Response) -> str:
    """The media type of a response, without parameters."""
    return response.headers["content-type"].split(";")[0]


def select(server: LiveServer, query: str, **headers: str) -> list[dict[str, str]]:
    response = httpx.get(server.sparql, params={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def ask(server: LiveServer, query: str) -> bool:
    response = httpx.get(server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


FIXED = 'SELECT ?name ?start WHERE { VALUES (?name ?start) { ("Sam, \\"the\\" one" "2020-04-01"^^xsd:date) } }'
FIXED_CSV = 'name,start\r\n"Sam, ""the"" one",2020-04-01\r\n'
FIXED_TSV = '?name\t?start\n"Sam, \\"the\\" one"\t"2020-04-01"^^<http://www.w3.org/2001/XMLSchema#date>\n'
CONSTRUCT = 'CONSTRUCT { id:thing ak:name "Thing"@en ; ak:position 3 } WHERE {}'


def constructed() -> Graph:
    g = Graph()
    g.add((ID.thing, AK.name, Literal("Thing", lang="en")))
    g.add((ID.thing, AK.position, Literal(3)))
    return g


# -- the protocol -----------------------------------------------------------------------------


def test_query_by_get_post_form_and_post_body_give_the_same_rows(server: LiveServer) -> None:
    query = 'SELECT ?name WHERE { ?p a ak:Person ; ak:name ?name FILTER(?name = "Sam Carter") }'
    by_get = httpx.get(server.sparql, params={"query": query})
    by_form = httpx.post(server.sparql, data={"query": query})
    by_body = httpx.post(server.sparql, content=query, headers={"Content-Type": "application/sparql-query"})
    expected = {
        "head": {"vars": ["name"]},
        "results": {"bindings": [{"name": {"type": "literal", "value": "Sam Carter"}}]},
    }
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert media(response) == "application/sparql-results+json"
        assert response.json() == expected


def test_select_results_in_every_format_by_accept(server: LiveServer) -> None:
    def get(accept: str) -> httpx.Response:
        return httpx.get(server.sparql, params={"query": FIXED}, headers={"Accept": accept})

    assert get("text/csv").text == FIXED_CSV
    assert get("text/tab-separated-values").text == FIXED_TSV
    as_json = get("application/sparql-results+json").json()
    assert as_json["results"]["bindings"][0]["start"] == {
        "type": "literal",
        "value": "2020-04-01",
        "datatype": str(XSD.date),
    }
    as_xml = ET.fromstring(get("application/sparql-results+xml").content)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in as_xml.findall("r:head/r:variable", ns)] == ["name", "start"]
    literal = as_xml.find("r:results/r:result/r:binding[@name='name']/r:literal", ns)
    assert literal is not None and literal.text == 'Sam, "the" one'


def test_ask_answers_in_json_and_xml(server: LiveServer) -> None:
    assert httpx.get(server.sparql, params={"query": "ASK { FILTER(1 > 2) }"}).json() == {"head": {}, "boolean": False}
    response = httpx.get(server.sparql, params={"query": "ASK {}", "format": "xml"})
    assert media(response) == "application/sparql-results+xml"
    assert "<boolean>true</boolean>" in response.text


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_and_describe_in_every_graph_format_by_accept(
    server: LiveServer, accept: str, rdflib_format: str
) -> None:
    response = httpx.get(server.sparql, params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert media(response) == accept
    assert isomorphic(Graph().parse(data=response.text, format=rdflib_format), constructed())
    described = httpx.get(server.sparql, params={"query": f"DESCRIBE <{PERSON}>"}, headers={"Accept": accept})
    assert media(described) == accept
    graph = Graph().parse(data=described.text, format=rdflib_format)
    assert (PERSON, AK.name, Literal("Sam Carter")) in graph
    assert set(graph.subjects()) == {PERSON}


def test_q_values_choose_the_format(server: LiveServer) -> None:
    def chosen(accept: str) -> str:
        return media(httpx.get(server.sparql, params={"query": FIXED}, headers={"Accept": accept}))

    assert chosen("text/csv;q=0.5, application/sparql-results+xml;q=0.9") == "application/sparql-results+xml"
    assert chosen("application/sparql-results+json;q=0, text/*;q=0.2") == "text/csv"
    assert chosen("text/tab-separated-values, */*;q=0.1") == "text/tab-separated-values"
    assert chosen("application/json") == "application/sparql-results+json"


def test_format_parameter_overrides_accept(server: LiveServer) -> None:
    response = httpx.get(
        server.sparql, params={"query": FIXED, "format": "csv"}, headers={"Accept": "application/json"}
    )
    assert response.text == FIXED_CSV
    graph = httpx.get(server.sparql, params={"query": CONSTRUCT, "format": "nt"})
    assert media(graph) == "application/n-triples"


def test_nothing_acceptable_is_406(server: LiveServer) -> None:
    assert httpx.get(server.sparql, params={"query": FIXED}, headers={"Accept": "image/png"}).status_code == 406
    response = httpx.get(server.sparql, params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_negotiation_without_accept_defaults_to_json_results() -> None:
    assert negotiate(RESULT_FORMATS, None, None).media_type == "application/sparql-results+json"
    assert negotiate(RESULT_FORMATS, "*/*", None).media_type == "application/sparql-results+json"


def test_default_and_named_graph_uri_set_the_dataset(server: LiveServer) -> None:
    counts = EmbeddedStore(server.store).triple_counts()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    response = httpx.get(server.sparql, params={"query": count, "default-graph-uri": str(ONTOLOGY_GRAPH)})
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == counts[ONTOLOGY_GRAPH]
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.post(server.sparql, data={"query": graphs, "named-graph-uri": str(ASSERTED_GRAPH)})
    assert [row["g"]["value"] for row in response.json()["results"]["bindings"]] == [str(ASSERTED_GRAPH)]
    assert httpx.get(server.sparql, params={"query": count, "default-graph-uri": "not an iri"}).status_code == 400


def test_malformed_query_is_400_with_the_parser_message_and_position(server: LiveServer) -> None:
    response = httpx.get(server.sparql, params={"query": "SELECT ?s\nWHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.text.startswith("malformed query, line 2, column 16:")


def test_missing_or_repeated_query_is_400(server: LiveServer) -> None:
    assert httpx.post(server.sparql, data={"default-graph-uri": "https://example.org/g"}).status_code == 400
    response = httpx.get(server.sparql + "?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400
    assert "exactly one" in response.text


def test_unsupported_post_media_type_is_415(server: LiveServer) -> None:
    response = httpx.post(server.sparql, content="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_an_update_sent_as_a_query_changes_nothing(server: LiveServer) -> None:
    update = 'INSERT DATA { id:intruder ak:name "Intruder" }'
    assert httpx.get(server.sparql, params={"query": update}).status_code == 400
    assert httpx.post(server.sparql, data={"update": update}).status_code == 403
    response = httpx.post(server.sparql, content=update, headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403
    assert "read-only" in response.text
    assert not ask(server, "ASK { id:intruder ?p ?o }")


def test_an_update_sent_as_a_query_with_the_token_changes_nothing(writable: LiveServer) -> None:
    update = 'INSERT DATA { id:smuggled ak:name "Smuggled" }'
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.post(writable.sparql, data={"query": update}, headers=auth).status_code == 400
    body = {**auth, "Content-Type": "application/sparql-query"}
    assert httpx.post(writable.sparql, content=update, headers=body).status_code == 400
    assert httpx.get(writable.sparql, params={"update": update}, headers=auth).status_code == 400
    assert not ask(writable, "ASK { id:smuggled ?p ?o }")


def test_service_description_at_the_endpoint(server: LiveServer) -> None:
    response = httpx.get(server.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    description = Graph().parse(data=response.text, format="turtle")
    endpoint = URIRef(server.sparql)
    assert (endpoint, RDF.type, SD.Service) in description
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Update) not in description
    counts = EmbeddedStore(server.store).triple_counts()
    described = {
        str(row.name): int(row.n)
        for row in description.query(
            "SELECT ?name ?n WHERE { ?g sd:name ?name ; sd:graph/void:triples ?n }",
            initNs={"sd": SD, "void": URIRef("http://rdfs.org/ns/void#")},
        )
    }
    assert described == {str(name): n for name, n in counts.items()}
    # the VoID description of the dataset comes with it
    assert (URIRef(server.url + "/.well-known/void#dataset"), VOID.sparqlEndpoint, endpoint) in description
    assert any(description.objects(None, VOID.classPartition))


def test_void_counts_graphs_classes_and_source_documents(server: LiveServer) -> None:
    response = httpx.get(server.url + "/.well-known/void", headers={"Accept": "application/n-triples"})
    void = Graph().parse(data=response.text, format="nt")
    rows = void.query(
        "SELECT ?n WHERE { ?d void:classPartition [ void:class ak:Person ; void:entities ?n ] }",
        initNs={"void": URIRef("http://rdfs.org/ns/void#"), "ak": AK},
    )
    persons = select(server, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ak:Person }")
    assert [int(r.n) for r in rows] == [int(persons[0]["n"])]
    derived = set(void.objects(None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert DOC in derived
    counts = EmbeddedStore(server.store).triple_counts()
    namespaces = {"void": VOID, "ak": AK}
    subsets = void.query("SELECT ?g ?n WHERE { ?d void:subset ?g . ?g void:triples ?n }", initNs=namespaces)
    assert {graph: int(n) for graph, n in subsets} == counts  # type: ignore[misc]
    names = void.query(
        "SELECT ?n WHERE { ?d void:propertyPartition [ void:property ak:name ; void:triples ?n ] }", initNs=namespaces
    )
    stated = select(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ak:name ?o }")
    assert [int(r.n) for r in names] == [int(stated[0]["n"])]


# -- security and limits ----------------------------------------------------------------------


def test_service_is_refused(server: LiveServer) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = httpx.get(server.sparql, params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text


def test_service_and_load_work_when_enabled(federating: LiveServer) -> None:
    # the server federates with itself: one worker runs the query, the other the SERVICE part
    query = f'SELECT ?name WHERE {{ SERVICE <{federating.sparql}> {{ ?p a ak:Person ; ak:name "Sam Carter", ?name }} }}'
    assert select(federating, query) == [{"name": "Sam Carter"}]
    description = httpx.get(federating.sparql, headers={"Accept": "text/turtle"}).text
    assert (URIRef(federating.sparql), SD.feature, SD.BasicFederatedQuery) in Graph().parse(data=description)
    loaded = "https://example.org/graph/void"
    response = httpx.post(
        federating.sparql,
        content=f"LOAD <{federating.url}/.well-known/void> INTO GRAPH <{loaded}>",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 204, response.text
    assert ask(federating, f"ASK {{ GRAPH <{loaded}> {{ ?d a void:Dataset }} }}")
    unreachable = httpx.post(
        federating.sparql,
        content=f"LOAD <http://127.0.0.1:{free_port()}/data.ttl> INTO GRAPH <https://example.org/graph/none>",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert unreachable.status_code == 502
    assert "could not load" in unreachable.text
    assert not ask(federating, "ASK { GRAPH <https://example.org/graph/none> { ?s ?p ?o } }")


def test_keywords_ignore_strings_iris_comments_and_prefixed_names() -> None:
    text = 'SELECT * WHERE { ?s ex:service "LOAD" ; <http://x/SERVICE> ?o } # SERVICE\nLIMIT 1'
    assert keywords(text) == {"SELECT", "WHERE", "LIMIT"}


def test_runaway_query_is_stopped_with_503_while_others_are_served(server: LiveServer) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome: dict[str, httpx.Response] = {}
    thread = threading.Thread(
        target=lambda: outcome.setdefault("runaway", httpx.get(server.sparql, params={"query": runaway}, timeout=30))
    )
    thread.start()
    time.sleep(0.3)
    assert ask(server, "ASK { ?s a ak:Person }")
    thread.join()
    response = outcome["runaway"]
    assert response.status_code == 503
    assert "ran longer than the server's limit of 2 s" in response.text
    assert ask(server, "ASK { ?s a ak:Report }")  # its worker was replaced
    metrics = httpx.get(server.url + "/metrics").text
    counted = re.search(r"^adcs_kg_query_timeouts_total (\d+)$", metrics, re.MULTILINE)
    assert counted is not None and int(counted[1]) >= 1


def test_workers_of_abandoned_requests_come_back(server: LiveServer) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    for _ in range(2):  # every worker busy, and both clients give up
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(server.sparql, params={"query": runaway}, timeout=0.5)
    statuses = []
    for _ in range(60):  # the runaways are stopped at the limit, their workers replaced
        statuses.append(httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=30).status_code)
        if statuses[-1] == 200:
            break
    assert statuses[-1] == 200
    assert set(statuses) <= {200, 503}


def test_body_over_the_limit_is_413(server: LiveServer) -> None:
    query = "ASK {} #" + "x" * 5000
    response = httpx.post(server.sparql, content=query, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert "limit of 4096 bytes" in response.text


def test_a_streamed_body_over_the_limit_is_413(server: LiveServer) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts what arrives
        yield b"query=ASK+%7B%7D+%23"
        for _ in range(10):
            yield b"x" * 1000

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert httpx.post(server.sparql, content=chunks(), headers=form).status_code == 413
    assert httpx.post(server.sparql, content=iter([b"query=ASK+%7B%7D"]), headers=form).status_code == 200


def test_results_are_cut_at_max_rows_and_say_so(server: LiveServer) -> None:
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 1000
    assert response.headers["x-sparql-maxrows"] == "1000"
    small = httpx.get(server.sparql, params={"query": FIXED})
    assert "x-sparql-maxrows" not in small.headers


def test_cors_is_off_by_default_and_on_when_configured(server: LiveServer, writable: LiveServer) -> None:
    origin = {"Origin": "http://localhost:9999"}
    assert (
        "access-control-allow-origin" not in httpx.get(server.sparql, params={"query": FIXED}, headers=origin).headers
    )
    allowed = httpx.get(writable.sparql, params={"query": FIXED}, headers=origin)
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:9999"
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    asked = httpx.options(writable.sparql, headers={**origin, **preflight})
    assert asked.status_code == 200
    assert asked.headers["access-control-allow-origin"] == "http://localhost:9999"
    other = httpx.options(writable.sparql, headers={"Origin": "http://elsewhere.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_updates_need_the_bearer_token(writable: LiveServer) -> None:
    update = 'INSERT DATA { id:added ak:name "Added" }'
    form = {"update": update}
    assert httpx.post(writable.sparql, data=form).status_code == 401
    assert httpx.post(writable.sparql, data=form, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert not ask(writable, 'ASK { id:added ak:name "Added" }')
    response = httpx.post(writable.sparql, data=form, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204
    assert ask(writable, 'ASK { id:added ak:name "Added" }')
    assert ask(writable, "ASK { ?s a ak:Person }")  # the rest of the graph is still there


def test_the_token_is_compared_in_constant_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    from starlette.requests import Request

    from graph.errors import ProtocolError
    from graph.server import ServerConfig
    from graph.server.service import Service

    compared: list[tuple[bytes, bytes]] = []
    constant_time = hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        compared.append((given, expected))
        return constant_time(given, expected)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    service = Service(ServerConfig(StoreConfig(tmp_path / "store"), token=TOKEN))

    def bearing(token: str) -> Request:
        return Request({"type": "http", "method": "POST", "headers": [(b"authorization", f"Bearer {token}".encode())]})

    service.authorise(bearing(TOKEN))
    with pytest.raises(ProtocolError) as refused:
        service.authorise(bearing(TOKEN[:-1] + "x"))
    assert refused.value.status == 401
    assert compared == [(TOKEN.encode(), TOKEN.encode()), ((TOKEN[:-1] + "x").encode(), TOKEN.encode())]


def test_load_is_refused_even_with_the_token(writable: LiveServer) -> None:
    response = httpx.post(
        writable.sparql,
        content="LOAD <http://127.0.0.1:9/data.ttl>",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 403
    assert "LOAD" in response.text


def test_graph_store_protocol_with_the_token(writable: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    store = writable.url + "/store"
    graph = {"graph": "https://example.org/graph/extra"}
    turtle = '<https://example.org/a> <https://example.org/b> "c" .'
    assert httpx.put(store, params=graph, content=turtle, headers={"Content-Type": "text/turtle"}).status_code == 401
    put = httpx.put(store, params=graph, content=turtle, headers={**auth, "Content-Type": "text/turtle"})
    assert put.status_code == 201  # created (replacing is 204, below)
    got = httpx.get(store, params=graph, headers={**auth, "Accept": "application/n-triples"})
    assert isomorphic(Graph().parse(data=got.text, format="nt"), Graph().parse(data=turtle, format="turtle"))
    more = '<https://example.org/a> <https://example.org/b> "d" .'
    added = httpx.post(store, params=graph, content=more, headers={**auth, "Content-Type": "application/n-triples"})
    assert added.status_code == 204
    got = httpx.get(store, params=graph, headers={**auth, "Accept": "application/n-triples"})
    assert len(Graph().parse(data=got.text, format="nt")) == 2
    replaced = httpx.put(store, params=graph, content=more, headers={**auth, "Content-Type": "text/turtle"})
    assert replaced.status_code == 204
    got = httpx.get(store, params=graph, headers={**auth, "Accept": "application/n-triples"})
    assert isomorphic(Graph().parse(data=got.text, format="nt"), Graph().parse(data=more, format="nt"))
    unsupported = httpx.put(store, params=graph, content=more, headers={**auth, "Content-Type": "text/plain"})
    assert unsupported.status_code == 415
    assert httpx.delete(store, params=graph).status_code == 401
    assert httpx.delete(store, params=graph, headers=auth).status_code == 204
    assert httpx.delete(store, params=graph, headers=auth).status_code == 404
    assert ask(writable, "ASK { ?s a ak:Person }")  # the built graphs are untouched


def test_graph_store_protocol_is_refused_on_a_read_only_server(server: LiveServer) -> None:
    store = server.url + "/store"
    graph = {"graph": str(ASSERTED_GRAPH)}
    assert httpx.get(store, params=graph).status_code == 403
    turtle = {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}
    assert httpx.put(store, params=graph, content="", headers=turtle).status_code == 403
    assert httpx.post(store, params=graph, content="", headers=turtle).status_code == 403
    assert httpx.delete(store, params=graph, headers=turtle).status_code == 403
    assert ask(server, "ASK { ?s a ak:Person }")


# -- operations and the JSON API --------------------------------------------------------------


def test_health_reports_the_triple_count(server: LiveServer) -> None:
    health = httpx.get(server.url + "/health").json()
    assert health["status"] == "ok"
    assert health["triples"] == sum(EmbeddedStore(server.store).triple_counts().values())


def test_metrics_count_requests_in_prometheus_text(server: LiveServer) -> None:
    httpx.get(server.sparql, params={"query": "ASK {}"})
    text = httpx.get(server.url + "/metrics").text
    assert "# TYPE adcs_kg_requests_total counter" in text
    assert 'adcs_kg_requests_total{method="GET",route="/sparql",status="200"}' in text
    assert 'adcs_kg_request_seconds_bucket{route="/sparql",le="+Inf"}' in text


def test_metrics_count_errors_by_reason(server: LiveServer) -> None:
    def errors(reason: str) -> int:
        text = httpx.get(server.url + "/metrics").text
        found = re.search(rf'^adcs_kg_query_errors_total{{reason="{reason}"}} (\d+)$', text, re.MULTILINE)
        return int(found[1]) if found else 0

    syntax, refused = errors("syntax"), errors("http_406")
    assert httpx.get(server.sparql, params={"query": "ASK {"}).status_code == 400
    assert httpx.get(server.sparql, params={"query": "ASK {}"}, headers={"Accept": "image/png"}).status_code == 406
    assert (errors("syntax"), errors("http_406")) == (syntax + 1, refused + 1)


def test_api_lists_and_runs_named_queries(server: LiveServer) -> None:
    listed = httpx.get(server.url + "/api/queries").json()
    assert [q["name"] for q in listed] == list(named_queries())
    items = httpx.get(server.url + "/api/queries/items")
    assert items.status_code == 200
    titles = [row["title"]["value"] for row in items.json()["results"]["bindings"] if "title" in row]
    assert "Fixture comment on waiting lists" in titles
    csv = httpx.get(server.url + "/api/queries/items", params={"format": "csv"})
    assert csv.text.startswith("title,kind,date,document\r\n")


def test_api_answers_a_parameterised_query_in_its_contract_columns(server: LiveServer) -> None:
    params = {"post": "ADCS President", "date": "2021-06-01", "format": "csv"}
    csv = httpx.get(server.url + "/api/queries/who_held", params=params)
    assert csv.status_code == 200
    assert csv.text.startswith("person,post,organisation,start,end\r\n")  # the parameter post is a column too


def test_api_errors_are_404_and_400(server: LiveServer) -> None:
    assert httpx.get(server.url + "/api/queries/no_such_query").status_code == 404
    response = httpx.get(server.url + "/api/queries/items", params={"bogus": "1"})
    assert response.status_code == 400
    assert "bogus" in response.json()["detail"]


def test_openapi_documents_the_api_and_every_named_query(server: LiveServer) -> None:
    document = httpx.get(server.url + "/openapi.json").json()
    paths = document["paths"]
    assert {"/sparql", "/api/queries", "/api/queries/{name}", "/health", "/metrics"} <= set(paths)
    for query in named_queries().values():
        operation = paths[f"/api/queries/{query.name}"]["get"]
        assert operation["summary"] == query.summary
        declared = {p["name"]: p for p in operation["parameters"]}
        assert set(declared) == {p.name for p in query.params} | {"format"}
        assert all(declared[p.name]["required"] == (p.default is None) for p in query.params)
    person = paths["/api/queries/statements_by"]["get"]["parameters"][0]
    url = server.url + "/api/queries/statements_by"
    rows = httpx.get(url, params={person["name"]: "Sam Carter"}).json()["results"]["bindings"]
    assert [row["quote"]["value"] for row in rows] == ["“Waiting lists are growing.”"]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_resources_dereference_to_rdf_with_their_quotes(server: LiveServer) -> None:
    path = "/id/" + str(PERSON)[len(str(ID)) :]
    turtle = httpx.get(server.url + path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (PERSON, AK.name, Literal("Sam Carter")) in graph
    assert Literal("Sam Carter", datatype=XSD.string) in set(graph.objects(None, AK.quote)) | {
        Literal(str(q), datatype=XSD.string) for q in graph.objects(None, AK.quote)
    }
    as_jsonld = httpx.get(server.url + path, headers={"Accept": "application/ld+json"})
    assert media(as_jsonld) == "application/ld+json"
    assert isomorphic(Graph().parse(data=as_jsonld.text, format="json-ld"), graph)
    assert httpx.get(server.url + "/id/person/nobody", headers={"Accept": "text/turtle"}).status_code == 404
    page = httpx.get(server.url + path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert media(page) == "text/html"
    assert "<h1>Sam Carter</h1>" in page.text
    assert page.headers["vary"] == turtle.headers["vary"] == "Accept"


def facts(graph: Graph, subject: Node) -> set[tuple[Node, object]]:
    """What ``graph`` says of ``subject``, literals by value (the store keeps xsd:nonNegativeInteger as xsd:integer)."""
    return {(p, o.toPython() if isinstance(o, Literal) else o) for p, o in graph.predicate_objects(subject)}


def test_every_resource_of_the_graph_dereferences(server: LiveServer) -> None:
    fixture = fixture_graph()
    for subject in set(fixture.subjects()):
        response = httpx.get(server.url + href(str(subject)), headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, subject
        served = Graph().parse(data=response.text, format="nt")
        assert facts(fixture, subject) <= facts(served, subject)
    ontology = httpx.get(server.url + "/resource", params={"iri": str(AK.Person)}, headers={"Accept": "text/turtle"})
    assert (AK.Person, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in Graph().parse(data=ontology.text)


def test_pictures_are_drawn_from_the_graph(server: LiveServer) -> None:
    document_page = "/resource?" + urlencode({"iri": str(DOC)})
    officers = httpx.get(server.url + "/viz/officers.svg")
    assert media(officers) == "image/svg+xml"
    assert f'xlink:href="{escape(document_page)}"' in officers.text  # Sam Carter's bar links to its source
    commentary = "/resource?" + urlencode({"iri": str(resource("doc", "commentary"))})
    measure = httpx.get(server.url + "/viz/measure.svg", params={"measure": "referral"})
    assert f'xlink:href="{escape(commentary)}"' in measure.text
    neighbourhood = httpx.get(server.url + "/viz/neighbourhood", params={"iri": str(PERSON)})
    assert media(neighbourhood) == "text/html"
    assert '"focus": "' + str(PERSON) + '"' in neighbourhood.text


# -- real clients -----------------------------------------------------------------------------


def test_sparqlwrapper_select_and_construct(server: LiveServer) -> None:
    client = SPARQLWrapper(server.sparql)
    client.setQuery("SELECT ?title WHERE { ?r a ak:Report ; ak:title ?title } ORDER BY ?title")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]  # type: ignore[index,call-overload]
    assert "Pressures Test" in [row["title"]["value"] for row in rows]
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    data = client.query().convert()
    assert isomorphic(Graph().parse(data=data, format="turtle"), constructed())


def test_rdflib_sparqlstore_queries_the_endpoint(server: LiveServer) -> None:
    remote = Graph(store=SPARQLStore(server.sparql))
    rows = list(remote.query("SELECT ?name WHERE { ?p a ak:Person ; ak:name ?name }", initNs={"ak": AK}))
    assert Literal("Sam Carter") in [row[0] for row in rows]  # type: ignore[index]
    assert remote.query("ASK { ?s ?p ?o }").askAnswer is True


def test_a_store_engine_serves_any_store_like_the_worker_pool(server: LiveServer) -> None:
    job = Job("SELECT ?name WHERE { ?p a ak:Person ; ak:name ?name } ORDER BY ?name", max_rows=100)
    person = Cell(TermKind.URI, str(PERSON))
    bound = Job("SELECT ?this ?name WHERE { ?this ak:name ?name }", 10, bindings=(("this", person),))

    async def both(engine: StoreEngine | WorkerPool) -> tuple[object, object]:
        await engine.start()
        try:
            one_by_one = await engine.run(job), await engine.run(bound)
            together = await engine.run_all(Jobs((job, bound)))
            assert together.answers == one_by_one  # answered together, in their order
            with pytest.raises(QuerySyntaxError):  # one query's error is the batch's
                await engine.run_all(Jobs((job, Job("SELECT ?x WHERE {", 10))))
            return one_by_one
        finally:
            await engine.stop()

    forwarded = asyncio.run(both(StoreEngine(EmbeddedStore(server.store), timeout=10)))
    pooled = asyncio.run(both(WorkerPool(server.store, size=1, timeout=10)))
    assert forwarded == pooled
    answer = forwarded[1]
    assert answer.form is Form.SELECT  # type: ignore[attr-defined]
    assert answer.rows == ((person, Cell(TermKind.LITERAL, "Sam Carter")),)  # type: ignore[attr-defined]


def test_an_answer_written_by_a_worker_is_the_one_written_from_a_store_engine_s_answer(server: LiveServer) -> None:
    query = "SELECT ?name ?p WHERE { ?p a ak:Person ; ak:name ?name } ORDER BY ?name"
    named = named_queries()["people"]
    writings = [Writing(Job(query, 100), Wanted(f.media_type, None)) for f in RESULT_FORMATS]
    writings.append(Writing(Job(named.text, 100), Wanted(None, "csv", named)))

    async def written(engine: StoreEngine | WorkerPool) -> list[Written]:
        await engine.start()
        try:
            return [await engine.write(writing) for writing in writings]
        finally:
            await engine.stop()

    forwarded = asyncio.run(written(StoreEngine(EmbeddedStore(server.store), timeout=10)))
    pooled = asyncio.run(written(WorkerPool(server.store, size=1, timeout=10)))
    assert forwarded == pooled
    assert b"Sam Carter" in pooled[0].body
    assert pooled[-1].body.splitlines()[0] == b"name"  # the named query's declared columns only


def test_lanes_give_the_general_slots_then_the_fast_lane_then_refuse_at_once() -> None:
    async def scenario() -> None:
        lanes: Lanes[str] = Lanes(size=2, admission_wait=0.2, retry_after=1)
        lanes.release("fast", fast=True)
        lanes.release("a", fast=False)
        lanes.release("b", fast=False)
        taken = [await lanes.acquire() for _ in range(3)]
        assert sorted(taken[:2]) == [("a", False), ("b", False)] and taken[2] == ("fast", True)
        with pytest.raises(ProtocolError) as refused:
            await lanes.acquire()
        assert refused.value.status == 503 and refused.value.headers == {"Retry-After": "1"}
        waiting = asyncio.ensure_future(lanes.acquire())
        await asyncio.sleep(0)
        lanes.release("fast", fast=True)  # the first to wait gets the first freed
        assert await waiting == ("fast", True)
        gone = asyncio.ensure_future(lanes.acquire())
        await asyncio.sleep(0)
        gone.cancel()  # a request that went away takes no slot with it
        lanes.release("a", fast=False)
        assert await lanes.acquire() == ("a", False)

    asyncio.run(scenario())


def test_a_remote_store_is_served_by_forwarding_queries(fixture_corpus: Path, fresh_oxigraph: SparqlServer) -> None:
    remote = fresh_oxigraph.config()
    build(fixture_corpus, store=remote, jobs=1, allow_invalid=True)
    with start_server(StoreConfig(fresh_oxigraph.query_url), "--timeout", "10") as served:
        rows = select(served, "SELECT ?file WHERE { ?d a ak:SourceDocument ; ak:fileName ?file } ORDER BY ?file")
        assert [row["file"] for row in rows] == sorted(p.name for p in fixture_corpus.glob("*.txt"))
        page = httpx.get(served.url + "/", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert media(httpx.get(served.url + "/viz/officers.svg")) == "image/svg+xml"
        unsupported = httpx.get(served.sparql, params={"query": "ASK {}", "default-graph-uri": str(ASSERTED_GRAPH)})
        assert unsupported.status_code == 501


@contextlib.contextmanager
def in_thread(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread of this process; yields its URL."""
    import uvicorn

    port = free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=running.run)
    thread.start()
    try:
        while not running.started:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join()


# RemoteStore.query leaves a pyoxigraph result in the frames of the error it raises for an unreachable
# server; collected on another thread, pyoxigraph reports it as unraisable. Collected here, within the mark.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_health_says_when_the_store_is_unreachable(down_url: str) -> None:
    from graph.server import ServerConfig, create_app

    with in_thread(create_app(ServerConfig(StoreConfig(down_url), timeout=5))) as url:
        response = httpx.get(url + "/health", timeout=30)
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "could not be reached" in response.json()["detail"]
    gc.collect()


def test_a_server_bug_is_a_500_not_a_400(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.server.service
    from graph.server import ServerConfig, create_app

    def broken(answer: object, *, max_rows: int) -> object:
        raise ValueError("a bug in the server")

    monkeypatch.setattr(graph.server.service, "written_response", broken)
    with in_thread(create_app(ServerConfig(server.store, workers=1))) as url:
        assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 500
        assert httpx.get(url + "/sparql", params={"query": "ASK {"}).status_code == 400


def test_figures_are_written_as_a_reader_writes_them() -> None:
    assert [figure(v) for v in ("3100000000", "12.50", "0.5", "2440000.0", "no figure")] == [
        "3,100,000,000",
        "12.5",
        "0.5",
        "2,440,000",
        "no figure",
    ]
