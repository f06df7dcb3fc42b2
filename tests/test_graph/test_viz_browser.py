"""The network page and the charts drawn in headless Chromium (Debian ``chromium``, driven by playwright):
drawn at once, interactive, with nothing requested beyond the page itself and no console errors."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
from matplotlib.image import imread
from playwright.sync_api import Browser, Page, sync_playwright
from test_viz import MARY, STATEMENT, fixture_store

from graph.build import BuildSummary
from graph.query import named_query, run_named
from graph.store import EmbeddedStore, StoreConfig
from graph.viz.charts import ChartFormat, officer_terms, officers_figure, render_chart
from graph.viz.network import load_network, reduce_network
from graph.viz.page import (
    CLAIM_CLASSES,
    FIXED_LAYOUT_CAP,
    LABEL_PIXELS,
    LABEL_ZOOMS,
    LABELLED_AT_ONCE,
    neighbourhood_html,
    network_page,
)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium with a fresh temporary profile (playwright's launch makes one each time)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return fixture_store(tmp_path_factory.mktemp("viz-browser"))


@dataclass
class Visit:
    """An open page and what it asked for and complained about."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def outside(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(("file://", "data:", "blob:"))]


def visit(browser: Browser, path: Path, *, wait_ready: bool = True) -> Visit:
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    seen = Visit(page)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.goto(path.as_uri())
    if wait_ready:
        page.wait_for_function("window.vizReady === true", timeout=30_000)
    return seen


def painted_pixels(page: Page) -> int:
    """How many pixels of the network canvas are not transparent."""
    count = page.evaluate(
        """() => {
        const canvas = document.querySelector('#network canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
        return painted;
    }"""
    )
    return int(count)


def distinct_colours(png: bytes) -> int:
    pixels = imread(io.BytesIO(png), format="png")
    return len({tuple(p) for p in pixels.reshape(-1, pixels.shape[-1])[::7].tolist()})


@pytest.mark.parametrize("physics", [False, True])
def test_network_page_draws_offline_without_errors(
    browser: Browser, db: EmbeddedStore, tmp_path: Path, physics: bool
) -> None:
    path = tmp_path / "network.html"
    path.write_text(network_page(reduce_network(load_network(db), max_nodes=100), physics=physics))
    seen = visit(browser, path)
    assert seen.outside == [] and seen.errors == []
    assert painted_pixels(seen.page) > 2000
    assert seen.page.evaluate("nodes.length") == 13 and seen.page.evaluate("edges.length") == 13
    assert seen.page.evaluate("network.physics.physicsEnabled") is False  # stopped, or never started
    screenshot = seen.page.screenshot()
    assert distinct_colours(screenshot) > 20
    (tmp_path / "network.png").write_bytes(screenshot)
    seen.page.close()


def test_class_filter_and_search(browser: Browser, db: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "network.html"
    path.write_text(network_page(reduce_network(load_network(db), max_nodes=100)))
    seen = visit(browser, path)
    seen.page.get_by_label("Person").uncheck()
    hidden = seen.page.evaluate("nodes.get({filter: n => n.hidden}).map(n => n.fullLabel).sort()")
    assert hidden == ["Lee Park", "Mary Hale", "Tom Reed"]
    seen.page.get_by_label("Person").check()
    assert seen.page.evaluate("nodes.get({filter: n => n.hidden}).length") == 0
    seen.page.get_by_label("Find a node").fill("mary")
    seen.page.get_by_label("Find a node").press("Enter")
    assert seen.page.evaluate("network.getSelectedNodes()") == [MARY]
    assert seen.errors == []
    seen.page.close()


def test_click_opens_the_resource_page_when_linked(browser: Browser, db: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "network.html"
    path.write_text(network_page(reduce_network(load_network(db), max_nodes=100), link_base="http://127.0.0.1:9"))
    seen = visit(browser, path)
    seen.page.route("http://127.0.0.1:9/**", lambda route: route.fulfill(body="resource page"))
    point = seen.page.evaluate(f"network.canvasToDOM(network.getPosition({MARY!r}))")
    box = seen.page.locator("#network").bounding_box()
    assert box is not None
    with seen.page.expect_navigation():
        seen.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert seen.page.url == "http://127.0.0.1:9/resource?iri=https%3A%2F%2Fw3id.org%2Fadcs-kg%2Fid%2Fperson%2Fmary-hale"
    seen.page.close()


def test_officers_chart_page_draws_offline(browser: Browser, db: EmbeddedStore, tmp_path: Path) -> None:
    terms, _ = officer_terms(run_named(db, named_query("officers"), {}))
    path = tmp_path / "officers.html"
    path.write_bytes(render_chart(officers_figure(terms), ChartFormat.HTML, "ADCS officers"))
    seen = visit(browser, path, wait_ready=False)
    assert seen.outside == [] and seen.errors == []
    assert seen.page.locator("svg a").count() == 3 * len(terms)  # each holding's bar, name and name box link
    assert len(terms) == 2
    assert distinct_colours(seen.page.screenshot()) > 20
    seen.page.close()


def test_hovering_an_edge_shows_its_quote(browser: Browser, db: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "network.html"
    path.write_text(network_page(reduce_network(load_network(db), max_nodes=100)))
    seen = visit(browser, path)
    statement = "https://w3id.org/adcs-kg/id/statement/viz.txt/1"
    ends = [seen.page.evaluate(f"network.canvasToDOM(network.getPosition({iri!r}))") for iri in (statement, MARY)]
    box = seen.page.locator("#network").bounding_box()
    assert box is not None
    seen.page.mouse.move(box["x"] + (ends[0]["x"] + ends[1]["x"]) / 2, box["y"] + (ends[0]["y"] + ends[1]["y"]) / 2)
    tooltip = seen.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert f"“{STATEMENT}”" in tooltip.inner_text() and "viz.txt [14:81]" in tooltip.inner_text()
    seen.page.close()


def test_neighbourhood_page_selects_its_resource(browser: Browser, db: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "neighbourhood.html"
    path.write_text(neighbourhood_html(db, MARY))
    seen = visit(browser, path)
    assert seen.page.evaluate("network.getSelectedNodes()") == [MARY]
    assert seen.page.evaluate("nodes.length") == 3 and seen.outside == [] and seen.errors == []
    assert painted_pixels(seen.page) > 500
    seen.page.close()


def spokes(people: int) -> nx.MultiDiGraph:
    """An organisation, and ``people`` people each quoted in three statements that mention it."""
    graph = nx.MultiDiGraph()
    graph.add_node("hub", label="The organisation they speak of", **{"class": "Organisation"})
    for person in range(people):
        graph.add_node(f"e{person}", label=f"Person {person} of a long name", **{"class": "Person"})
        for said in range(3):
            claim = f"c{person}-{said}"
            graph.add_node(claim, label=f"Statement {said} of person {person}", **{"class": "Statement"})
            graph.add_edge(claim, f"e{person}", key=f"{claim}-speaker", relation="speaker")
            graph.add_edge(claim, "hub", key=f"{claim}-mentions", relation="mentions")
    return graph


def test_main_labels_are_readable_at_once_without_overlapping(browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "network.html"
    path.write_text(network_page(reduce_network(spokes(LABELLED_AT_ONCE + 10), max_nodes=500)))
    seen = visit(browser, path)
    shown = seen.page.evaluate(
        """() => {
        const pixels = id => nodes.get(id).font.size * network.getScale();
        const readable = nodes.getIds().filter(id => pixels(id) > 0.75 * config.labelPixels.node);
        const boxes = readable.map(id => network.getBoundingBox(id));
        const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        const crossing = boxes.flatMap((a, i) => boxes.slice(i + 1).filter(b => overlaps(a, b))).length;
        const claims = nodes.getIds().filter(id => id.startsWith("c")).map(pixels);
        return {readable, crossing, claims: Math.max(...claims)};
    }"""
    )
    firsts = page_config_of(seen.page)
    assert 10 <= len(shown["readable"]) < len(firsts)  # some first labels wait: they would overlap
    assert set(shown["readable"]) <= set(firsts) and not any(n.startswith("c") for n in shown["readable"])
    assert shown["crossing"] == 0
    assert shown["claims"] < LABEL_PIXELS.drawn_from - 1  # claims are not labelled in the whole view
    assert seen.page.evaluate("network.body.nodes['c0-0'].labelModule.visible()") is False
    later = sorted(set(firsts) - set(shown["readable"]))
    seen.page.evaluate(f"network.moveTo({{scale: network.getScale() * {LABEL_ZOOMS[1]}}})")
    zoomed = seen.page.evaluate(f"{later!r}.map(id => nodes.get(id).font.size * network.getScale())")
    assert min(zoomed) > 0.75 * LABEL_PIXELS.node  # readable once zoomed in
    assert seen.errors == []
    seen.page.close()


def page_config_of(page: Page) -> list[str]:
    """The first labels the page was given."""
    firsts: list[str] = page.evaluate("config.firstLabels")
    return firsts


def test_corpus_network_draws_offline_with_its_main_nodes_labelled(
    browser: Browser, corpus_build: tuple[StoreConfig, BuildSummary], tmp_path: Path
) -> None:
    graph = load_network(EmbeddedStore(corpus_build[0]))
    path = tmp_path / "corpus.html"
    path.write_text(network_page(reduce_network(graph, max_nodes=FIXED_LAYOUT_CAP)))
    seen = visit(browser, path)
    assert seen.outside == [] and seen.errors == []
    assert seen.page.evaluate("nodes.length") == graph.number_of_nodes()
    readable = seen.page.evaluate(
        "nodes.getIds().filter(id => nodes.get(id).font.size * network.getScale() > 0.75 * config.labelPixels.node)"
    )
    classes = {graph.nodes[n]["class"] for n in readable}
    assert len(readable) >= 10 and {"Person", "Organisation"} <= classes and not classes & CLAIM_CLASSES
    assert painted_pixels(seen.page) > 20_000
    seen.page.close()
