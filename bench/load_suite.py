"""Benchmark: the endpoint under mixed load, with runaway queries, at several client counts.

Starts ``adcs-kg serve`` on a free loopback port over the built bundled corpus (or ``--store``,
or the corpus copied ``--scale`` times), and at each ``--clients`` level sends a bounded mix:
cheap queries (one triple pattern, asked), joins, named queries (``/api/queries``) and resource
pages (HTML), with ``--runaways`` cross-product queries that run until the server stops them,
while another process polls ``/health`` every ``--health-every`` seconds. Each level runs
``--runs`` times; per kind it prints requests/s, p50 and p99 latency, errors and the requests
refused by admission control (503 with ``Retry-After`` while the workers are busy), then the
runaways' statuses, the p50, p99 and slowest ``/health``, and the server's resident memory (with
its workers) after each run, which should stay flat across runs.

    python bench/load_suite.py --clients 1 8 64 --runs 3
    python bench/load_suite.py --store /tmp/x100/store      # a 100x graph built beforehand
    python bench/load_suite.py --short --json               # the bounded version the test suite runs

Only loopback traffic, bounded by ``--requests`` per client and ``--seconds`` per run; it stops
by itself. Run on demand; the short version is a test (no timing assertions).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import uvloop
from endpoint_load import resident_mb, server
from genre_corpus import write_corpus
from http_load import Load, Request, get, percentile, run_load

from graph.build import build
from graph.reason import Reasoning
from graph.resources import DataDir, data_dir
from graph.store import StoreConfig

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
CHEAP = "ASK { ?s a ak:Person }"
JOIN = """SELECT ?speaker ?quote ?document WHERE {
  ?statement a ak:Statement ; ak:speaker/ak:name ?speaker ; ak:span ?span .
  ?span ak:quote ?quote ; ak:document/ak:fileName ?document .
} LIMIT 50"""
NAMED = ("items", "organisations", "people", "reports")
RESULTS = "application/sparql-results+json"


@dataclass
class Level:
    """What one run at one client count measured."""

    clients: int
    run: int
    load: Load = field(default_factory=Load)
    runaway_statuses: list[int] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    """Seconds each /health poll took."""
    health_failures: int = 0
    memory_mb: float = 0.0

    def report(self) -> dict[str, object]:
        kinds = {
            kind: {
                "requests": len(self.load.of(kind)),
                "per_second": self.load.per_second(kind),
                "p50_ms": 1000 * self.load.percentile(0.5, kind),
                "p99_ms": 1000 * self.load.percentile(0.99, kind),
                "errors": self.load.errors(kind),
                "refused": self.load.refused(kind),
            }
            for kind in self.load.kinds()
        }
        return {
            "clients": self.clients,
            "run": self.run,
            "seconds": self.load.seconds,
            "runaway_statuses": self.runaway_statuses,
            "health_polls": len(self.health),
            "health_p50_ms": 1000 * percentile(self.health, 0.5),
            "health_p99_ms": 1000 * percentile(self.health, 0.99),
            "health_max_ms": 1000 * max(self.health, default=0.0),
            "health_failures": self.health_failures,
            "memory_mb": self.memory_mb,
            "kinds": kinds,
        }


def poll_health(url: str, every: float, ready: Event, stop: Event, found: Queue[tuple[list[float], int]]) -> None:
    """In a process of its own (so that the load's event loop does not delay it): poll /health until ``stop``;
    ``ready`` once the first poll is answered."""
    parts = urlsplit(url)
    seconds: list[float] = []
    failures = 0
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
    while not stop.is_set():
        begun = time.perf_counter()
        try:
            connection.request("GET", "/health")
            response = connection.getresponse()
            response.read()
            failures += response.status != 200
        except (OSError, http.client.HTTPException):
            failures += 1
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
        seconds.append(time.perf_counter() - begun)
        ready.set()
        stop.wait(every)
    found.put((seconds, failures))


def mixed_requests(url: str, pages: list[str], rounds: int = 40) -> list[Request]:
    """The four kinds in turn: a cheap query, a join, a named query, a resource page."""
    requests = []
    for i in range(rounds):
        requests += [
            get("cheap", f"{url}/sparql", {"query": CHEAP}, RESULTS),
            get("join", f"{url}/sparql", {"query": JOIN}, RESULTS),
            get("named", f"{url}/api/queries/{NAMED[i % len(NAMED)]}", accept=RESULTS),
            get("page", f"{url}/resource", {"iri": pages[i % len(pages)]}, "text/html"),
        ]
    return requests


def resources_of(url: str) -> list[str]:
    """Some resource IRIs of the graph, for the page requests."""
    query = "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) } LIMIT 20"
    response = httpx.get(f"{url}/sparql", params={"query": query, "format": "json"}, timeout=120)
    response.raise_for_status()
    return [row["s"]["value"] for row in response.json()["results"]["bindings"]]


def one_level(url: str, pid: int, clients: int, run: int, args: argparse.Namespace, pages: list[str]) -> Level:
    level = Level(clients, run)
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Event(), context.Event()
    found: Queue[tuple[list[float], int]] = context.Queue()
    poller = context.Process(target=poll_health, args=(url, args.health_every, ready, stop, found))
    poller.start()
    ready.wait(120)
    runaway = [get("runaway", f"{url}/sparql", {"query": RUNAWAY}, RESULTS)]
    loop = uvloop.new_event_loop()

    async def both() -> tuple[Load, Load]:
        return await asyncio.gather(
            run_load(url, runaway, clients=args.runaways, seconds=args.timeout * 4 + 60, per_client=1),
            run_load(url, mixed_requests(url, pages), clients=clients, seconds=args.seconds, per_client=args.requests),
        )

    try:
        runaways, level.load = loop.run_until_complete(both())
    finally:
        loop.close()
        stop.set()
        level.health, level.health_failures = found.get(timeout=300)
        poller.join()
    level.runaway_statuses = [s.status for s in runaways.samples]
    level.memory_mb = resident_mb(pid)
    return level


def print_level(level: Level) -> None:
    report = level.report()
    print(
        f"clients {level.clients:>3} run {level.run}: {level.load.seconds:6.1f} s, runaways {level.runaway_statuses}, "
        f"/health p50 {report['health_p50_ms']:.0f} ms p99 {report['health_p99_ms']:.0f} ms "
        f"max {report['health_max_ms']:.0f} ms over {report['health_polls']} polls "
        f"({level.health_failures} failed), server memory {level.memory_mb:.0f} MB",
        flush=True,
    )
    kinds = report["kinds"]
    assert isinstance(kinds, dict)
    for kind, k in kinds.items():
        print(
            f"  {kind:<6} {k['requests']:>6} requests {k['per_second']:>8.1f}/s  p50 {k['p50_ms']:>8.1f} ms  "
            f"p99 {k['p99_ms']:>8.1f} ms  errors {k['errors']}  refused {k['refused']}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build the bundled corpus)")
    parser.add_argument("--corpus", type=Path, help="the corpus to build (default: the bundled corpus)")
    parser.add_argument("--scale", type=int, default=1, help="build the bundled corpus copied this many times")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="requests per client per run, at most")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds per run, at most")
    parser.add_argument("--runaways", type=int, default=2, help="runaway queries sent at the start of each run")
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's query time limit")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--health-every", type=float, default=0.05, help="seconds between two /health polls")
    parser.add_argument("--short", action="store_true", help="1, 8 and 64 clients, one run, a few requests each")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON")
    args = parser.parse_args()
    if args.short:
        args.clients, args.runs, args.requests, args.seconds, args.timeout = [1, 8, 64], 1, 8, 60.0, 3.0
    with tempfile.TemporaryDirectory() as tmp:
        store = StoreConfig(args.store or Path(tmp) / "store")
        if args.store is None:
            corpus = args.corpus or data_dir(DataDir.CORPUS)
            if args.scale > 1:
                corpus = Path(tmp) / f"corpus-x{args.scale}"
                write_corpus(corpus, args.scale)
            build(corpus, store=store, reasoning=Reasoning.RL_FAST, allow_invalid=True)
        extra = ("--timeout", str(args.timeout))
        with server(store, args.workers, extra) as (url, _, pid):
            triples = httpx.get(f"{url}/health", timeout=120).json()["triples"]
            pages = resources_of(url)
            levels = []
            for clients in args.clients:
                for run in range(1, args.runs + 1):
                    levels.append(one_level(url, pid, clients, run, args, pages))
                    if not args.json:
                        print_level(levels[-1])
    if args.json:
        print(json.dumps({"triples": triples, "levels": [level.report() for level in levels]}))
        return
    print(f"{triples:,} triples; {args.workers} workers and the fast lane; query time limit {args.timeout:g} s")


if __name__ == "__main__":
    main()
