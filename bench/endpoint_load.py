"""Benchmark: the endpoint beside Oxigraph's own server and a minimal FastAPI app over pyoxigraph.

Starts, on free loopback ports and over the same generation of one store, ``oxigraph
serve-read-only --union-default-graph`` (the baseline), the floor (``minimal_endpoint.py``: FastAPI
over pyoxigraph and nothing else) and ``adcs-kg serve``; then, for each workload and client
count, loads each server in turn for ``--seconds``, ``--runs`` times, and prints requests/s, p50
and p99 latency, errors, and the ratios of adcs-kg's requests/s to Oxigraph's and to the floor's:

- ``point``: one resource's triples (``SELECT ?p ?o WHERE { <iri> ?p ?o }``), the IRI cycling
  over resources of the graph;
- ``join``: statements with their speaker, quote and document (three joins, ``LIMIT 50``);
- ``named``: the parameterless named queries through ``/api/queries/NAME``, beside the same
  SPARQL through ``/sparql`` (adcs-kg only: the ratio is the API's cost).

Errors are responses other than 200; refusals (503 with ``Retry-After``: every worker was busy
for the admission wait) are counted apart. Then each named query at one client, its p50 beside
the same SPARQL run directly on pyoxigraph in this process, and adcs-kg's resident memory (with
its workers) after each run. The load generator (``http_load.py``) runs in this process; the
same generator measures all three servers.

    python bench/endpoint_load.py --clients 1 8 64 --seconds 5 --runs 3
    python bench/endpoint_load.py --store /tmp/x100/store --json

Only loopback traffic, bounded by ``--seconds`` per run; it stops by itself. Run on demand; never
part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import uvloop
from http_load import Load, Request, get, percentile, run_load

from graph.build import build
from graph.query import named_queries
from graph.reason import Reasoning
from graph.resources import DataDir, data_dir
from graph.store import EmbeddedStore, StoreConfig

BENCH = Path(__file__).parent
NAMED = ("items", "organisations", "people", "reports")
JOIN = """PREFIX ak: <https://w3id.org/adcs-kg/ontology#>
SELECT ?speaker ?quote ?document WHERE {
  ?statement a ak:Statement ; ak:speaker/ak:name ?speaker ; ak:span ?span .
  ?span ak:quote ?quote ; ak:document/ak:fileName ?document .
} LIMIT 50"""
JSON_RESULTS = "application/sparql-results+json"
RESOURCES = "SELECT DISTINCT ?s WHERE { ?s <https://w3id.org/adcs-kg/ontology#name> ?name } ORDER BY ?s LIMIT 100"
TARGETS = {"join": ("oxigraph", 0.9), "point": ("oxigraph", 0.3)}
"""The ratios of adcs-kg's requests/s the workloads aim at, and what to: the point queries also at 1x the floor."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], what: str) -> float:
    """Seconds until ``url`` answers 200; fails if the process ends first."""
    started = time.perf_counter()
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode} before it answered")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=5).status_code == 200:
                return time.perf_counter() - started
        time.sleep(0.05)


@contextmanager
def _process(command: list[str], url: str, what: str) -> Iterator[tuple[float, int]]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield _wait_until_answering(url, process, what), process.pid
    finally:
        process.terminate()
        process.wait()


@contextmanager
def server(store: StoreConfig, workers: int, extra: tuple[str, ...] = ()) -> Iterator[tuple[str, float, int]]:
    """``adcs-kg serve`` (with ``extra`` options): its URL, the seconds it took to answer /health, its pid."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", str(port)]
    with _process([*command, "--workers", str(workers), *extra], url + "/health", "adcs-kg serve") as (ready, pid):
        yield url, ready, pid


@contextmanager
def oxigraph_server(generation: Path) -> Iterator[str]:
    """Oxigraph's own read-only server on ``generation``, the default graph the union of the named graphs."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        raise SystemExit("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [binary, "serve-read-only", "--location", str(generation), "--bind", f"127.0.0.1:{port}"]
    with _process([*command, "--union-default-graph"], url + "/query?query=ASK%7B%7D", "oxigraph") as _:
        yield url


@contextmanager
def minimal_server(generation: Path) -> Iterator[str]:
    """The floor: ``minimal_endpoint.py`` on ``generation``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, str(BENCH / "minimal_endpoint.py"), "--store", str(generation), "--port", str(port)]
    with _process(command, url + "/sparql?query=ASK%7B%7D", "the minimal endpoint") as _:
        yield url


def resident_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (the query workers), from /proc."""
    total_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(entry.name) == pid or fields.get("PPid", "").strip() == str(pid):
            total_kb += int(fields.get("VmRSS", "0 kB").split()[0])
    return total_kb / 1024


def _summary(loads: list[Load]) -> dict[str, float]:
    """The median over runs of requests/s, p50 and p99 (ms), and all errors."""
    return {
        "per_second": statistics.median(load.per_second() for load in loads),
        "p50_ms": 1000 * statistics.median(load.percentile(0.5) for load in loads),
        "p99_ms": 1000 * statistics.median(load.percentile(0.99) for load in loads),
        "errors": sum(load.errors() for load in loads),
        "refused": sum(load.refused() for load in loads),
        "requests": sum(len(load.samples) for load in loads),
    }


def _direct_p50(generation: Path, text: str, requests: int) -> float:
    """The p50 (ms) of ``text`` run directly on pyoxigraph in this process, its results written as SPARQL JSON."""
    store = ox.Store.read_only(str(generation))
    samples = []
    for _ in range(requests):
        begun = time.perf_counter()
        store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)
        samples.append(time.perf_counter() - begun)
    return 1000 * percentile(samples, 0.5)


def measure(store: StoreConfig, args: argparse.Namespace) -> dict[str, object]:
    generation = EmbeddedStore(store).current_generation()
    assert generation is not None, f"nothing built in {store}"
    reader = ox.Store.read_only(str(generation))
    resources = [row["s"].value for row in reader.query(RESOURCES, use_default_graph_as_union=True)]  # type: ignore[union-attr]
    triples = len(reader)
    del reader
    queries = named_queries()
    report: dict[str, object] = {"triples": triples, "seconds": args.seconds, "runs": args.runs}
    results: list[dict[str, object]] = []
    memory: list[float] = []
    loop = uvloop.new_event_loop()
    with (
        oxigraph_server(generation) as oxigraph,
        minimal_server(generation) as minimal,
        server(store, args.workers) as (ours, _, pid),
    ):
        targets = (oxigraph, minimal, ours)

        def sparql(url: str, query: str) -> Request:
            return get("sparql", url + "/sparql", {"query": query}, JSON_RESULTS)

        point = {url: [sparql(url, f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}") for iri in resources] for url in targets}
        join = {url: [sparql(url, JOIN)] for url in targets}
        workloads: dict[str, dict[str, list[Request]]] = {
            "point": {"oxigraph": point[oxigraph], "floor": point[minimal], "adcs-kg": point[ours]},
            "join": {"oxigraph": join[oxigraph], "floor": join[minimal], "adcs-kg": join[ours]},
            "named": {
                "/sparql": [sparql(ours, queries[name].text) for name in NAMED],
                "/api/queries": [get("api", f"{ours}/api/queries/{name}", accept=JSON_RESULTS) for name in NAMED],
            },
        }
        servers = {"oxigraph": oxigraph, "floor": minimal, "adcs-kg": ours, "/sparql": ours, "/api/queries": ours}
        for workload, sent in workloads.items():
            for clients in args.clients:
                loads: dict[str, list[Load]] = {name: [] for name in sent}
                for _ in range(args.runs):
                    for name, requests in sent.items():
                        load = loop.run_until_complete(
                            run_load(servers[name], requests, clients=clients, seconds=args.seconds)
                        )
                        loads[name].append(load)
                        if servers[name] == ours:
                            memory.append(resident_mb(pid))
                row = {"workload": workload, "clients": clients, **{n: _summary(v) for n, v in loads.items()}}
                results.append(row)
                if not args.json:
                    print_row(row)
        named_p50 = []
        for name in NAMED:
            api = [get("api", f"{ours}/api/queries/{name}", accept=JSON_RESULTS)]
            load = loop.run_until_complete(run_load(ours, api, clients=1, seconds=args.seconds))
            named_p50.append(
                {
                    "query": name,
                    "endpoint_p50_ms": 1000 * load.percentile(0.5),
                    "direct_p50_ms": _direct_p50(generation, queries[name].text, max(5, len(load.samples))),
                    "errors": load.errors(),
                    "refused": load.refused(),
                }
            )
    loop.close()
    report |= {"results": results, "named_p50": named_p50, "memory_mb": memory}
    return report


def print_row(row: dict[str, object]) -> None:
    figures = {k: v for k, v in row.items() if isinstance(v, dict)}
    cells = [
        f"{name} {f['per_second']:8.1f}/s p50 {f['p50_ms']:7.2f} p99 {f['p99_ms']:7.2f} ms "
        f"err {f['errors']:.0f} refused {f['refused']:.0f}"
        for name, f in figures.items()
    ]
    print(f"{row['workload']:<6} c={row['clients']:<3} " + " | ".join(cells), flush=True)
    if "adcs-kg" in figures:
        ours = figures["adcs-kg"]["per_second"]
        line = (
            f"{'':<12}adcs-kg / oxigraph {ours / figures['oxigraph']['per_second']:.2f}x, "
            f"adcs-kg / floor {ours / figures['floor']['per_second']:.2f}x, "
            f"floor / oxigraph {figures['floor']['per_second'] / figures['oxigraph']['per_second']:.2f}x"
        )
        baseline, target = TARGETS[str(row["workload"])]
        print(line + f" (target: {target}x {baseline}" + (", 1x floor)" if row["workload"] == "point" else ")"))
    else:
        api, sparql = figures["/api/queries"]["per_second"], figures["/sparql"]["per_second"]
        print(f"{'':<12}/api/queries / /sparql {api / sparql:.2f}x (target: 0.8x)")


def print_report(report: dict[str, object]) -> None:
    print(f"{report['triples']:,} triples; {report['seconds']} s per run, {report['runs']} runs, medians over runs")
    for row in report["results"]:  # type: ignore[attr-defined]
        print_row(row)
    print("named queries at one client, p50 through /api/queries beside the same SPARQL directly on pyoxigraph:")
    for named in report["named_p50"]:  # type: ignore[attr-defined]
        ratio = named["endpoint_p50_ms"] / max(named["direct_p50_ms"], 1e-6)
        print(
            f"  {named['query']:<14} {named['endpoint_p50_ms']:8.2f} ms vs {named['direct_p50_ms']:8.2f} ms: "
            f"{ratio:.2f}x (target: at most 1.5x), errors {named['errors']}, refused {named['refused']}"
        )
    shown = ", ".join(f"{mb:.0f}" for mb in report["memory_mb"])  # type: ignore[attr-defined]
    print(f"adcs-kg resident memory after each run (MB): {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build the bundled corpus)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the measures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = StoreConfig(args.store or Path(tmp) / "store")
        if args.store is None:
            build(data_dir(DataDir.CORPUS), store=store, reasoning=Reasoning.RL_FAST, allow_invalid=True)
        report = measure(store, args)
    if args.json:
        print(json.dumps(report))
    else:
        print()
        print_report(report)


if __name__ == "__main__":
    main()
