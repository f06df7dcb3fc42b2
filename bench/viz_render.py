"""Benchmark: how long a network page takes to produce and to draw, with fixed positions or live physics.

For each size it makes a synthetic network shaped like the project's (a few hubs such as the ADCS,
many items and claims mentioning one to three entities), then

- produce: seconds to lay it out (fixed positions only) and write the HTML page;
- draw: seconds from opening the page in headless Chromium until it is drawn and still
  (``window.vizReady``: first drawing with fixed positions; end of the brief stabilisation
  with live physics, after which physics stops),

and prints both with their ratios to the smallest size in fixed mode.

    python bench/viz_render.py --sizes 100 500 1000 5000 --timeout 300

Needs Debian's ``chromium`` and the ``playwright`` package (no downloaded browsers). Run on
demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import Browser, sync_playwright

from graph.viz.network import reduce_network
from graph.viz.page import network_page

ENTITY_CLASSES = ("Person", "Organisation", "Report", "Policy")
CLAIM_CLASSES = ("Item", "Statement", "Finding", "Recommendation")


def synthetic(nodes: int, seed: int = 0) -> nx.MultiDiGraph:
    """A network of ``nodes`` nodes: a fifth entities (preferentially attached), the rest claims."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    entities = max(2, nodes // 5)
    for index in range(entities):
        graph.add_node(f"e{index}", label=f"Entity {index}", **{"class": ENTITY_CLASSES[index % 4]})
    weights = [1.0 / (index + 1) for index in range(entities)]  # a few hubs, a long tail
    edge = 0
    for index in range(nodes - entities):
        claim = f"c{index}"
        graph.add_node(claim, label=f"Claim {index} about something said", **{"class": CLAIM_CLASSES[index % 4]})
        for target in set(rng.choices(range(entities), weights=weights, k=rng.randint(1, 3))):
            graph.add_edge(claim, f"e{target}", key=f"e{edge}", relation="mentions",
                           quote=f"A quote of claim {index}.", document="bench.txt", start="0", end="20")
            edge += 1
    return graph


def produce(graph: nx.MultiDiGraph, physics: bool, path: Path) -> float:
    started = time.perf_counter()
    reduction = reduce_network(graph, max_nodes=graph.number_of_nodes())
    path.write_text(network_page(reduction, physics=physics), encoding="utf-8")
    return time.perf_counter() - started


def draw(browser: Browser, path: Path, timeout: float) -> float | None:
    """Seconds until the page says it is drawn and still; None if it did not within ``timeout``."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("window.vizReady === true", timeout=timeout * 1000, polling=50)
        return time.perf_counter() - started
    except Exception:  # the playwright timeout: reported as "did not settle"
        return None
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000, 5000])
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a page may take to draw")
    args = parser.parse_args()
    results: list[tuple[int, int, str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        for size in args.sizes:
            graph = synthetic(size)
            for physics in (False, True):
                path = Path(scratch) / f"network-{size}-{physics}.html"
                made = produce(graph, physics, path)
                drawn = draw(browser, path, args.timeout)
                results.append((size, graph.number_of_edges(), "live physics" if physics else "fixed", made, drawn))
        browser.close()
    base_made, base_drawn = results[0][3], results[0][4] or 1.0
    print(f"{'nodes':>6} {'edges':>6} {'mode':<13} {'produce s':>10} {'x':>7} {'draw s':>9} {'x':>7}")
    for size, edges, mode, made, drawn in results:
        shown = f"{drawn:9.2f} {drawn / base_drawn:7.1f}" if drawn is not None else f"{'> limit':>9} {'-':>7}"
        print(f"{size:6d} {edges:6d} {mode:<13} {made:10.2f} {made / base_made:7.1f} {shown}")


if __name__ == "__main__":
    main()
