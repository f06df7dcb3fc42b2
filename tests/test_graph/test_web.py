"""The web pages of graph.server in headless Chromium: they render, stay on this machine, log no errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, sync_playwright
from rdflib import URIRef
from test_server import DOC, PERSON, REPORT, STATEMENT, TEXT, LiveServer, build_store, fixture_graph, start_server

from graph.namespaces import AK, ID
from graph.query import named_queries
from graph.resources import DataDir
from graph.server.templates import href

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def server(fixture_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    config = build_store(fixture_corpus, tmp_path_factory.mktemp("web") / "store")
    with start_server(config, "--timeout", "10") as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Chromium with a fresh profile, no background networking."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"],
        )
        yield context
        context.close()


@dataclass
class Visit:
    """A page with what it asked for and what it complained about."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected_status: int | None = None
    """An error status the test expects of the page itself (the browser logs it as a console error)."""

    def unexpected_errors(self) -> list[str]:
        expected = f"the server responded with a status of {self.expected_status}"
        return [e for e in self.errors if not (self.expected_status and expected in e)]


@pytest.fixture
def visit(browser: BrowserContext, server: LiveServer) -> Iterator[Visit]:
    page = browser.new_page()
    seen = Visit(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    def on_request(request: Request) -> None:
        seen.requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("request", on_request)
    yield seen
    page.close()
    off_machine = [url for url in seen.requests if not url.startswith((server.url, "data:", "about:"))]
    assert off_machine == []
    assert seen.unexpected_errors() == []


def path_of(iri: str) -> str:
    return "/id/" + iri[len(str(ID)) :]


def quoted(text: str) -> str:
    """The caption a page gives a quote of TEXT: its file and offsets."""
    start = TEXT.index(text)
    return f"server_fixture.txt, characters {start}–{start + len(text)}"


def test_home_page_shows_counts_and_the_query_gallery(visit: Visit, server: LiveServer) -> None:
    response = visit.page.goto(server.url + "/")
    assert response is not None and response.status == 200
    assert visit.page.title() == "Home · adcs-kg"
    assert visit.page.locator("table.counts caption").all_inner_texts() == [
        "Triples per named graph",
        "Instances per class",
        "Source documents",
    ]
    assert visit.page.get_by_role("link", name="items", exact=True).count() == 1
    assert visit.page.get_by_role("link", name="server_fixture.txt").count() == 1


def test_named_query_form_returns_rows(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/")
    visit.page.get_by_role("link", name="items", exact=True).click()
    visit.page.get_by_role("button", name="Run").click()
    visit.page.wait_for_selector("table.results")
    assert "Fixture comment on waiting lists" in visit.page.locator("table.results").inner_text()
    assert visit.page.url.startswith(server.url + "/queries/items")


def test_named_query_form_with_a_parameter_returns_rows(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/")
    visit.page.get_by_role("link", name="statements_by", exact=True).click()
    visit.page.get_by_label("person").fill("Sam Carter")
    visit.page.get_by_role("button", name="Run").click()
    visit.page.wait_for_selector("table.results")
    assert visit.page.locator("table.results thead").inner_text().split() == [
        "date",
        "item",
        "post",
        "organisation",
        "quote",
        "document",
        "start",
        "end",
        "date_earliest",
        "date_latest",
    ]
    assert "“Waiting lists are growing.”" in visit.page.locator("table.results tbody").inner_text()
    csv = visit.page.request.get(server.url + (visit.page.get_by_role("link", name="CSV").get_attribute("href") or ""))
    assert csv.headers["content-type"].startswith("text/csv")
    assert "Waiting lists are growing." in csv.text()


def test_named_query_results_link_to_resource_pages(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/queries/findings")
    link = visit.page.locator("table.results a[href^='/id/statement/']").first
    link.click()
    assert visit.page.url.startswith(server.url + "/id/statement/")
    assert visit.page.locator("section[aria-labelledby=sources] blockquote").count() == 1


def test_editor_runs_a_query_and_keeps_a_permalink(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/editor")
    query = "SELECT ?name WHERE { ?p a ak:Person ; ak:name ?name } ORDER BY ?name"
    visit.page.get_by_label("Query").fill(query)
    visit.page.get_by_role("button", name="Run").click()
    visit.page.wait_for_selector("table.results")
    assert "Sam Carter" in visit.page.locator("table.results tbody").inner_text()
    downloads = visit.page.locator(".downloads a").all_inner_texts()
    assert downloads == ["JSON", "XML", "CSV", "TSV"]
    permalink = visit.page.get_by_role("link", name="Permalink").get_attribute("href")
    assert permalink is not None
    visit.page.goto(server.url + permalink)
    assert visit.page.get_by_label("Query").input_value() == query
    assert "Sam Carter" in visit.page.locator("table.results tbody").inner_text()


@pytest.mark.parametrize(
    ("query", "media_types"),
    [
        (
            "SELECT ?name WHERE { ?p a ak:Person ; ak:name ?name }",
            [
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
            ],
        ),
        (
            "CONSTRUCT WHERE { ?p a ak:Person ; ak:name ?name }",
            ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"],
        ),
    ],
)
def test_editor_downloads_the_results_in_every_format(
    visit: Visit, server: LiveServer, query: str, media_types: list[str]
) -> None:
    visit.page.goto(server.url + "/editor")
    visit.page.get_by_label("Query").fill(query)
    visit.page.get_by_role("button", name="Run").click()
    visit.page.wait_for_selector("section[aria-labelledby=results]")
    assert "Sam Carter" in visit.page.locator("section[aria-labelledby=results]").inner_text()
    links = visit.page.locator(".downloads a")
    served = []
    for index in range(links.count()):
        download = visit.page.request.get(server.url + (links.nth(index).get_attribute("href") or ""))
        assert download.ok
        assert "Sam Carter" in download.text()
        served.append(download.headers["content-type"].split(";")[0])
    assert served == media_types


def test_editor_examples_run(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/editor")
    visit.page.get_by_role("link", name="Statements with the quote they came from").click()
    visit.page.wait_for_selector("table.results")
    assert "“Waiting lists are growing.”" in visit.page.locator("table.results tbody").inner_text()


def test_every_example_of_queries_examples_runs_in_the_editor_with_its_declared_columns(
    visit: Visit, server: LiveServer
) -> None:
    examples = named_queries(DataDir.EXAMPLE_QUERIES).values()
    assert len(examples) >= 4
    for example in examples:
        visit.page.goto(server.url + "/editor")
        visit.page.get_by_role("link", name=example.summary, exact=True).click()
        visit.page.wait_for_selector("table.results")
        assert visit.page.locator("table.results thead").inner_text().split() == list(example.columns)
        assert "#+" not in visit.page.locator("textarea").input_value()


def test_editor_shows_a_syntax_error_in_the_page(visit: Visit, server: LiveServer) -> None:
    visit.expected_status = 400
    response = visit.page.goto(server.url + "/editor?query=SELECT%20%3Fs%20WHERE%20%7B")
    assert response is not None and response.status == 400
    assert visit.page.get_by_role("alert").inner_text().startswith("malformed query, line 1")


def test_endpoint_opened_in_a_browser_leads_to_the_editor(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/sparql?query=ASK%20%7B%7D")
    assert visit.page.url.startswith(server.url + "/editor?query=ASK")
    assert visit.page.locator(".boolean").inner_text() == "Answer: yes"


def test_person_page_shows_posts_statements_and_quotes(visit: Visit, server: LiveServer) -> None:
    response = visit.page.goto(server.url + path_of(str(PERSON)))
    assert response is not None and response.status == 200
    assert visit.page.locator("h1").inner_text() == "Sam Carter"
    timeline = visit.page.locator("ol.timeline").inner_text()
    assert "2020-04-01 – 2021-03-31 (2020/21)" in timeline
    assert "ADCS President" in timeline
    statements = visit.page.locator("section[aria-labelledby=statements]").inner_text()
    assert "2021-01-15 · as ADCS President · in Fixture comment on waiting lists" in statements
    assert "“Waiting lists are growing.”" in statements
    assert quoted("“Waiting lists are growing.”") in statements
    mentions = visit.page.locator("section[aria-labelledby=mentions]").inner_text()
    assert quoted("Sam Carter") in mentions
    assert "Sam Carter, ADCS President 2020/21, said:" in mentions  # the mention in its context


def test_resource_page_draws_its_neighbourhood(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + path_of(str(PERSON)))
    frame_element = visit.page.locator("#neighbourhood iframe")
    frame_element.scroll_into_view_if_needed()
    frame = frame_element.content_frame
    frame.locator("canvas").wait_for()
    visit.page.wait_for_function(
        "() => document.querySelector('#neighbourhood iframe').contentWindow.vizReady === true"
    )
    assert "Neighbourhood of Sam Carter" in frame.locator("h1").inner_text()
    assert "Person" in frame.locator("#classes").inner_text()


def test_every_extracted_fact_shows_its_quote_with_document_and_offsets(visit: Visit, server: LiveServer) -> None:
    fixture = fixture_graph()
    for subject, span in fixture.subject_objects(AK.span):
        visit.page.goto(server.url + href(str(subject)))
        quote = str(fixture.value(span, AK.quote))
        shown = visit.page.locator("section[aria-labelledby=sources]").inner_text()
        assert quote in shown, subject
        assert quoted(quote) in shown, subject
    visit.page.goto(server.url + path_of(str(PERSON)))
    timeline = visit.page.locator("ol.timeline").inner_text()
    assert quoted("Sam Carter, ADCS President 2020/21") in timeline  # the holding, where the person's page shows it


def test_report_page_shows_findings_and_recommendations(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + path_of(str(REPORT)))
    finding = "The Pressures Test report found that referrals rose by 12.5%."
    findings = visit.page.locator("section[aria-labelledby=findings]").inner_text()
    assert quoted(finding) in findings
    assert "12.5" in findings
    recommendation = "It recommends that government funds family help."
    assert recommendation in visit.page.locator("section[aria-labelledby=recommendations]").inner_text()


def test_links_between_resource_pages_work(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + path_of(str(PERSON)))
    visit.page.locator("ol.timeline").get_by_role("link", name="ADCS President").click()
    assert visit.page.locator("h1").inner_text() == "ADCS President"
    visit.page.locator("section[aria-labelledby=holders]").get_by_role("link", name="Sam Carter").click()
    assert visit.page.locator("h1").inner_text() == "Sam Carter"


def test_home_page_leads_to_the_officer_timeline(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/")
    visit.page.get_by_role("link", name="ADCS officers by year").click()
    assert visit.page.locator("h1").inner_text() == "ADCS officers by year"
    source = "/resource?" + urlencode({"iri": str(DOC)})
    links = visit.page.locator("figure.chart svg a")
    bars = [links.nth(i) for i in range(links.count()) if links.nth(i).get_attribute("xlink:href") == source]
    assert len(bars) == 3  # Sam Carter's term (read from the fixture document), and his name and its box over it
    name = bars[1]  # the box behind the name, over the bar: where a reader clicks
    if name.get_attribute("target") == "_blank":  # the chart may open its sources in a new tab
        with visit.page.context.expect_page() as opened:
            name.click()
        shown = opened.value
    else:
        name.click()
        shown = visit.page
    shown.wait_for_load_state()
    assert shown.url == server.url + source
    assert shown.locator("h1").inner_text() == "doc:server_fixture"


def test_home_page_leads_to_the_measure_charts(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/")
    visit.page.locator("section[aria-labelledby=pictures]").get_by_role("link", name="referral", exact=True).click()
    assert visit.page.locator("h1").inner_text() == "referral across reports"
    assert visit.page.locator("figure.chart svg").count() == 1
    visit.page.get_by_label("Measure").fill("funding gap")
    visit.page.get_by_role("button", name="Draw").click()
    assert visit.page.locator("h1").inner_text() == "funding gap across reports"
    assert visit.page.locator("figure.chart svg a").count() >= 1


def test_referring_resources_are_listed_by_name_or_quote(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + path_of(str(DOC)))
    referring = visit.page.locator("section[aria-labelledby=incoming]")
    assert referring.get_by_role("link", name="Fixture comment on waiting lists").count() == 1  # ak:inDocument
    visit.page.goto(server.url + path_of(str(PERSON)))
    referring = visit.page.locator("section[aria-labelledby=incoming]")
    assert (
        referring.get_by_role("link", name="“Waiting lists are growing.”").count() >= 1
    )  # the statement, by its quote


def test_unknown_resource_is_a_404_page(visit: Visit, server: LiveServer) -> None:
    visit.expected_status = 404
    response = visit.page.goto(server.url + "/id/person/nobody-at-all")
    assert response is not None and response.status == 404
    assert "nobody-at-all" in visit.page.get_by_role("alert").inner_text()


# -- named-query results lead to the resources they name ---------------------------------------------------

CELL_LINKS = """() => {
  const heads = [...document.querySelectorAll('table.results thead th')].map((th) => th.innerText);
  return [...document.querySelectorAll('table.results tbody tr')].map((tr) => Object.fromEntries(
    [...tr.cells].map((td, i) => [heads[i],
      td.querySelector('a') ? td.querySelector('a').getAttribute('href') : (td.innerText.trim() ? '' : null)])));
}"""
"""Per row of the results table: column -> the href its cell links to, '' for text without a link, null if empty."""

RESOURCE_COLUMNS = {
    "findings": ("source", "speaker", "statement", "measure", "document"),
    "items": ("title", "document"),
    "measure_over_time?measure=referral": ("source", "document"),
    "network": ("source", "target", "document"),
    "officers": ("person", "post", "organisation", "document"),
    "organisations": ("name",),
    "people": ("name",),
    "policies": ("name",),
    "positions": ("person", "post", "organisation", "document"),
    "provenance?iri=" + str(PERSON): ("document", "quote"),
    "recommendations": ("source", "addressee", "text", "document"),
    "reports": ("title", "publisher", "series"),
    "speakers": ("item", "speaker", "post", "organisation", "document"),
    "statements_about?name=Department+for+Education": ("speaker", "quote", "item", "document"),
    "statements_by?person=Sam+Carter": ("item", "post", "organisation", "quote", "document"),
    "who_held?post=ADCS+President&date=2021-01-01": ("person", "post", "organisation"),
}
"""The columns of each named query that name a resource of the graph (a person, a post, a document...)."""


@pytest.mark.parametrize("query", RESOURCE_COLUMNS)
def test_named_query_results_link_every_resource_to_its_page(visit: Visit, server: LiveServer, query: str) -> None:
    visit.page.goto(server.url + "/queries/" + query)
    rows = visit.page.evaluate(CELL_LINKS)
    assert rows, query
    targets = set()
    for row in rows:
        for column in RESOURCE_COLUMNS[query]:
            assert row[column] != "", f"{query}: {column} is shown as text without a link"
            if row[column]:
                targets.add(row[column])
    for target in sorted(targets):
        assert target.startswith(("/id/", "/resource?")), target
        assert visit.page.request.get(server.url + target, headers={"Accept": "text/html"}).status == 200, target


def test_who_was_president_on_a_day_leads_to_what_they_said(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + "/queries/who_held")
    visit.page.get_by_label("post").fill("ADCS President")
    visit.page.get_by_label("date").fill("2021-01-01")
    visit.page.get_by_role("button", name="Run").click()
    visit.page.locator("table.results").get_by_role("link", name="Sam Carter").click()
    assert visit.page.url == server.url + path_of(str(PERSON))
    assert "“Waiting lists are growing.”" in visit.page.locator("section[aria-labelledby=statements]").inner_text()


TOKEN_CELL_LINES = """() => [...document.querySelectorAll('table.results td')].map((td) => {
  const lines = new Set();
  const texts = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!node.parentElement.checkVisibility()) continue;  // a closed <details> keeps its text laid out
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) if (box.width > 0) lines.add(Math.round(box.bottom));
  }
  return [td.innerText.trim(), lines.size];
})"""
"""Per cell of the results tables: its text and the number of lines it is laid out on."""

TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|-?[\d,]+(\.\d+)?%?|[\w-]+(\.[\w-]+)*\.[a-z]{2,4}")
"""A date, a number or a file name: text that a reader takes in at once."""


@pytest.mark.parametrize(
    "path",
    [
        "/queries/positions",
        "/queries/findings",
        "/queries/statements_by?person=Sam+Carter",
        "/queries/who_held?post=ADCS+President&date=2021-01-01",
        "/editor?"
        + urlencode({"query": "SELECT * WHERE { ?s ak:document/ak:fileName ?file ; ak:start ?at ; ak:quote ?quote }"}),
    ],
)
def test_result_cells_never_break_a_date_a_number_a_file_name_or_a_word(
    browser: BrowserContext, server: LiveServer, path: str
) -> None:
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 420, "height": 800})  # a phone's: the table is squeezed
        page.goto(server.url + path)
        cells = page.evaluate(TOKEN_CELL_LINES)
    finally:
        page.close()
    tokens = [(text, lines) for text, lines in cells if TOKEN.fullmatch(text)]
    assert tokens, path
    assert [text for text, lines in tokens if lines != 1] == []
    words = [(text, lines) for text, lines in cells if all(len(word) <= 40 for word in text.split())]
    assert [text for text, lines in words if lines > len(text.split())] == []  # nor any word (long IRIs may break)


# -- IRIs as shown can be pasted into a query -------------------------------------------------------------

SHOWN_IRIS = """() => [
  ...[...document.querySelectorAll('main a[title]')].map((a) => [a.textContent.trim(), a.title]),
  ...[...document.querySelectorAll('main .iri code')].map((c) => [c.textContent.trim(), null]),
]"""
"""What a page shows of IRIs: link texts with the IRI they stand for, and the IRIs of the page's resource."""

PREFIXED_OR_WHOLE = re.compile(r"<[^<>\s]+>|[A-Za-z][\w.-]*:\S*")


@pytest.mark.parametrize("resource_iri", [PERSON, REPORT, DOC, STATEMENT])
def test_iris_shown_on_a_page_parse_in_a_query_as_shown(visit: Visit, server: LiveServer, resource_iri: URIRef) -> None:
    visit.page.goto(server.url + href(str(resource_iri)))
    shown = [(text, iri) for text, iri in visit.page.evaluate(SHOWN_IRIS) if PREFIXED_OR_WHOLE.fullmatch(text)]
    assert any(iri is None for _, iri in shown)  # the page's own IRI is among them
    for text, iri in shown:
        query = f"SELECT (STR({text}) AS ?iri) WHERE {{}}"
        response = visit.page.request.get(server.url + "/sparql?" + urlencode({"query": query}))
        assert response.status == 200, f"{text} does not parse: {response.text()}"
        value = response.json()["results"]["bindings"][0]["iri"]["value"]
        assert value == (iri or str(resource_iri)), text


# -- errors look like the rest of the site -----------------------------------------------------------------


@pytest.mark.parametrize(("path", "status"), [("/resource", 400), ("/no/such/page", 404)])
def test_an_error_is_a_page_of_the_site_with_a_way_home(
    visit: Visit, server: LiveServer, path: str, status: int
) -> None:
    visit.expected_status = status
    response = visit.page.goto(server.url + path)
    assert response is not None and response.status == status
    assert visit.page.title() == f"Error {status} · adcs-kg"
    assert visit.page.get_by_role("navigation", name="Site").count() == 1
    visit.page.locator("main").get_by_role("link", name="Home").click()
    assert visit.page.url == server.url + "/"
