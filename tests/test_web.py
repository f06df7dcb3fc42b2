"""The web pages of graph.server in headless Chromium: they render, stay on this machine, log no errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, sync_playwright
from test_server import PERSON, REPORT, TEXT, LiveServer, build_store, start_server

from graph.namespaces import ID

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
    assert "“Waiting lists are growing.”" in statements
    assert quoted("“Waiting lists are growing.”") in statements
    mentions = visit.page.locator("section[aria-labelledby=mentions]").inner_text()
    assert quoted("Sam Carter") in mentions
    assert "Sam Carter, ADCS President 2020/21, said:" in mentions  # the mention in its context
    assert visit.page.locator("#neighbourhood").count() == 1


def test_report_page_shows_findings_and_recommendations(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + path_of(str(REPORT)))
    finding = "The Pressures Test report found that referrals rose by 12.5%."
    assert quoted(finding) in visit.page.locator("section[aria-labelledby=findings]").inner_text()
    recommendation = "It recommends that government funds family help."
    assert recommendation in visit.page.locator("section[aria-labelledby=recommendations]").inner_text()


def test_links_between_resource_pages_work(visit: Visit, server: LiveServer) -> None:
    visit.page.goto(server.url + path_of(str(PERSON)))
    visit.page.locator("ol.timeline").get_by_role("link", name="ADCS President").click()
    assert visit.page.locator("h1").inner_text() == "ADCS President"
    visit.page.locator("section[aria-labelledby=holders]").get_by_role("link", name="Sam Carter").click()
    assert visit.page.locator("h1").inner_text() == "Sam Carter"


def test_unknown_resource_is_a_404_page(visit: Visit, server: LiveServer) -> None:
    visit.expected_status = 404
    response = visit.page.goto(server.url + "/id/person/nobody-at-all")
    assert response is not None and response.status == 404
    assert "nobody-at-all" in visit.page.get_by_role("alert").inner_text()
