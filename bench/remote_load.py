"""Benchmark: replacing the graph in the embedded store vs on SPARQL servers.

Builds the corpus once (into a temporary embedded store), then times ``Store.replace`` of the
same three graphs into: the embedded store (the baseline, measured in the same run), an Oxigraph
server this script starts (through SPARQL Update and through the Graph Store Protocol), and a
running Virtuoso when ``--virtuoso`` gives its base URL (credentials from ``ADCS_KG_USER`` and
``ADCS_KG_PASSWORD``). Prints seconds and triples per second, with ratios to the baseline.

    python bench/remote_load.py --repeat 3 --virtuoso http://127.0.0.1:8890

Run on demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from rdflib import Graph, URIRef

from graph.build import build
from graph.namespaces import PROJECT_GRAPHS
from graph.reason import Reasoning
from graph.resources import DataDir, data_dir
from graph.store import EmbeddedStore, StoreConfig, open_store
from graph.store.remote import RemoteStore


def built_graphs(corpus: Path, root: Path, reasoning: Reasoning) -> dict[URIRef, Graph]:
    config = StoreConfig(root / "source")
    build(corpus, store=config, reasoning=reasoning, allow_invalid=True)
    source = EmbeddedStore(config)
    return {name: source.graph(name) for name in PROJECT_GRAPHS}


@contextmanager
def oxigraph(root: Path, port: int) -> Iterator[str]:
    """An Oxigraph server on a fresh directory; yields its base URL."""
    executable = shutil.which("oxigraph")
    if executable is None:
        raise SystemExit("the Oxigraph server is not installed: pip install oxigraph")
    base = f"http://127.0.0.1:{port}"
    command = [executable, "serve", "--location", str(root / "oxigraph"), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait()


def seconds_to_replace(config: StoreConfig, graphs: dict[URIRef, Graph], repeat: int, batch: int) -> float:
    """The median wall time of ``repeat`` replaces (the first also creates the store)."""
    store = RemoteStore(config, batch_size=batch) if config.is_remote else open_store(config)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        store.replace(graphs)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=data_dir(DataDir.CORPUS))
    parser.add_argument("--reasoning", type=Reasoning, default=Reasoning.OWL_RL, choices=list(Reasoning))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=1000, help="triples per request to a server")
    parser.add_argument("--port", type=int, default=17878, help="loopback port for the Oxigraph server")
    parser.add_argument("--virtuoso", help="base URL of a running Virtuoso, e.g. http://127.0.0.1:8890")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        graphs = built_graphs(args.corpus, root, args.reasoning)
        triples = sum(len(g) for g in graphs.values())
        with oxigraph(root, args.port) as base:
            targets = {
                "embedded": StoreConfig(root / "embedded"),
                "oxigraph update": StoreConfig(f"{base}/query", update_url=f"{base}/update"),
                "oxigraph gsp": StoreConfig(f"{base}/query", update_url=f"{base}/update", gsp_url=f"{base}/store"),
            }
            if args.virtuoso:
                v = args.virtuoso.rstrip("/")
                targets["virtuoso update"] = StoreConfig(f"{v}/sparql", update_url=f"{v}/sparql-auth")
                targets["virtuoso gsp"] = StoreConfig(
                    f"{v}/sparql", update_url=f"{v}/sparql-auth", gsp_url=f"{v}/sparql-graph-crud-auth"
                )
            print(f"{triples:,} triples, median of {args.repeat} replaces, {args.batch} triples per request")
            print(f"{'store':<16} {'seconds':>9} {'x base':>7} {'triples/s':>11} {'x base':>7}")
            baseline: float | None = None
            for label, config in targets.items():
                seconds = seconds_to_replace(config, graphs, args.repeat, args.batch)
                baseline = baseline or seconds
                ratios = f"{seconds / baseline:>7.2f} {triples / seconds:>11,.0f} {baseline / seconds:>7.2f}"
                print(f"{label:<16} {seconds:>9.3f} {ratios}")


if __name__ == "__main__":
    main()
