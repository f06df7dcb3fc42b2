"""The web pages over HTTP: errors as pages for browsers and as JSON or text for clients, security headers,
short syntax errors, and IRIs shown in a form that a query accepts as it is."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from test_server import PERSON, STATEMENT, TOKEN, LiveServer, build_store, fixture_graph, media, start_server

from graph.namespaces import PREFIXES, resource, sparql_term

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
"""What Chromium sends when it opens a page."""


@pytest.fixture(scope="module")
def server(fixture_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    config = build_store(fixture_corpus, tmp_path_factory.mktemp("pages") / "store")
    with start_server(config, "--timeout", "10", token=TOKEN) as running:
        yield running


# -- errors look like the site in a browser, and stay data for clients -----------------------------------

PAGE_ERRORS = [
    ("GET", "/no/such/page", 404, "/no/such/page"),
    ("GET", "/resource", 400, "iri"),  # a missing parameter: FastAPI's 422 JSON before
    ("GET", "/resource?iri=not%20an%20iri", 400, "absolute IRI"),
    ("GET", "/viz/neighbourhood", 400, "iri"),
    ("GET", "/queries/no_such_query", 404, "no_such_query"),
    ("GET", "/queries/who_held?post=ADCS+President&date=yesterday", 400, "yesterday"),
    ("GET", "/id/person/nobody-at-all", 404, "nobody-at-all"),
    ("POST", "/editor", 405, "GET"),
]


@pytest.mark.parametrize(("method", "path", "status", "named"), PAGE_ERRORS)
def test_errors_on_pages_are_pages_with_the_message_and_a_link_home(
    server: LiveServer, method: str, path: str, status: int, named: str
) -> None:
    response = httpx.request(method, server.url + path, headers=BROWSER)
    assert response.status_code == status
    assert media(response) == "text/html"
    assert '<link rel="stylesheet" href="/static/style.css">' in response.text  # the site's own look
    assert '<a href="/">Home</a>' in response.text
    alert = response.text.split('role="alert">', 1)[1].split("</p>", 1)[0]
    assert named in alert
    assert not alert.startswith(("{", "[")) and "&#34;detail&#34;" not in alert  # a sentence, not a JSON dump


@pytest.mark.parametrize(
    ("path", "status", "named"),
    [
        ("/api/queries/no_such_query", 404, "no_such_query"),
        ("/api/queries/who_held", 400, "date"),
        ("/api/no/such/route", 404, "/api/no/such/route"),
    ],
)
def test_api_errors_stay_json(server: LiveServer, path: str, status: int, named: str) -> None:
    response = httpx.get(server.url + path, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert media(response) == "application/json"
    assert named in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "status", "named"),
    [
        ("/resource", 400, "iri"),
        ("/viz/measure.svg", 400, "measure"),
        ("/no/such/page", 404, "/no/such/page"),
        ("/sparql?query=ASK%20%7B", 400, "line 1"),
    ],
)
def test_errors_for_other_clients_are_plain_text(server: LiveServer, path: str, status: int, named: str) -> None:
    response = httpx.get(server.url + path, headers={"Accept": "text/turtle, application/sparql-results+json"})
    assert response.status_code == status
    assert media(response) == "text/plain"
    assert named in response.text


def test_the_openapi_document_says_a_bad_parameter_is_a_400(server: LiveServer) -> None:
    document = httpx.get(server.url + "/openapi.json").json()
    operations = {(p, m): o for p, ops in document["paths"].items() for m, o in ops.items()}
    assert [key for key, o in operations.items() if "422" in o["responses"]] == []
    assert "400" in operations[("/resource", "get")]["responses"]
    assert "400" in operations[("/api/queries/who_held", "get")]["responses"]
    assert "HTTPValidationError" not in document.get("components", {}).get("schemas", {})


# -- security headers -------------------------------------------------------------------------------------

HTML_PAGES = [
    "/",
    "/editor",
    "/editor?query=SELECT%20%3Fs%20WHERE%20%7B",
    "/queries/statements_by?person=Sam+Carter",
    "/id/person/sam-carter",
    "/viz/officers",
    "/viz/measure?measure=referral",
    "/viz/neighbourhood?iri=" + str(PERSON),
    "/no/such/page",
    "/resource",
]


def csp_directives(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_response_has_the_security_headers(server: LiveServer, path: str) -> None:
    response = httpx.get(server.url + path, headers=BROWSER)
    assert media(response) == "text/html"
    directives = csp_directives(response)
    assert directives["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]  # scripts are files, or inline ones by their hash
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'self'"]  # only the site's own pages embed its pictures
    assert directives["base-uri"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["referrer-policy"] == "same-origin"  # queries in page URLs never leave the site


@pytest.mark.parametrize("path", ["/sparql?query=ASK%20%7B%7D", "/api/queries", "/health", "/static/style.css"])
def test_other_responses_are_not_sniffed_or_framed(server: LiveServer, path: str) -> None:
    response = httpx.get(server.url + path)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["referrer-policy"] == "same-origin"


def test_the_pages_have_no_inline_script(server: LiveServer) -> None:
    for path in HTML_PAGES:
        if path.startswith("/viz/neighbourhood"):
            continue  # a self-contained picture: its inline scripts are allowed by their hashes
        page = httpx.get(server.url + path, headers=BROWSER).text
        assert "<script>" not in page and " on" + "click=" not in page, path


def test_no_log_line_holds_the_token(fixture_corpus: Path, tmp_path: Path) -> None:
    config = build_store(fixture_corpus, tmp_path / "store")
    basic = base64.b64encode(f"writer:{TOKEN}".encode()).decode()
    with start_server(config, "--timeout", "10", token=TOKEN) as running:
        for headers in ({"Authorization": f"Bearer {TOKEN}"}, {"Authorization": f"Basic {basic}"}, {}):
            for update in ('INSERT DATA { id:x ak:name "x" }', "INSERT DATA { id:x ak:name"):
                httpx.post(running.sparql, data={"update": update}, headers=headers, timeout=60)
        httpx.get(running.url + "/sparql", params={"query": "ASK {", "token": TOKEN})
        httpx.get(running.url + "/store?default", headers={"Authorization": f"Bearer {TOKEN}x"})
        running.process.terminate()
        output, _ = running.process.communicate(timeout=20)
    assert b"serving" in output  # the log was read
    assert TOKEN.encode() not in output
    assert basic.encode() not in output


# -- syntax errors in words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "position", "expected"),
    [
        ("SELECT ?s WHERE {", "line 1, column 18", "a variable"),
        ("SELECT ?s\nWHERE { ?s ?p ?o }\nLIMIT x", "line 3, column 7", "a number"),
        ('SELECT ?x WHERE { ?x ?p "open }', "line 1, column 32", "the closing quote"),
        ("SELECT ?x WHERE { ?x nowhere:p ?o }", "line 1, column 31", "a declared prefix"),
    ],
)
def test_a_syntax_error_is_short_with_its_position_and_what_was_expected_in_words(
    server: LiveServer, query: str, position: str, expected: str
) -> None:
    response = httpx.get(server.sparql, params={"query": query})
    assert response.status_code == 400
    message = response.text.strip()
    assert message.startswith(f"malformed query, {position}: expected ")
    assert expected in message
    assert len(message) <= 200
    assert "..=" not in message and "\\u{" not in message and "[_]" not in message


# -- IRIs are shown as a query accepts them ---------------------------------------------------------------


def test_every_resource_of_the_graph_is_shown_in_a_form_a_query_parses() -> None:
    store = ox.Store()
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    fixture = fixture_graph()
    iris = {str(t) for triple in fixture for t in triple if not hasattr(t, "language")}
    for iri in sorted(i for i in iris if i.startswith("http")):
        shown = sparql_term(iri)
        results = store.query(f"SELECT (STR({shown}) AS ?iri) WHERE {{}}", prefixes=prefixes)
        assert [s["iri"].value for s in results] == [iri], shown


def test_each_kind_of_resource_has_a_prefix_of_its_own(server: LiveServer) -> None:
    assert sparql_term(str(PERSON)) == "person:sam-carter"
    assert sparql_term(str(resource("org", "dfe"))) == "organisation:dfe"
    assert sparql_term(str(resource("report-series", "pressures"))) == "report-series:pressures"
    assert sparql_term(str(STATEMENT)) == f"<{STATEMENT}>"  # a path of several segments is shown whole
    response = httpx.get(server.sparql, params={"query": 'ASK { person:sam-carter ak:name "Sam Carter" }'})
    assert response.json()["boolean"] is True
