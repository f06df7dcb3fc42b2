"""Benchmark: the endpoint under mixed load, with runaway queries, at several client counts.

Starts ``adcs-kg serve`` on a free loopback port over the built bundled corpus (or ``--store``,
or the corpus copied ``--scale`` times), and at each ``--clients`` level sends a bounded mix:
cheap queries, joins, named queries (``/api/queries``) and resource pages, with ``--runaways``
cross-product queries that run until the server stops them, while ``/health`` is polled.
Each level runs ``--runs`` times; per kind it prints requests/s, p50 and p99 latency, errors,
requests refused by admission control (503 with ``Retry-After`` while the workers are busy),
the runaways' 503s, the slowest ``/health``, and the server's resident memory (with its
workers) after each run, which should stay flat across runs.

    python bench/load_suite.py --clients 1 8 64 --runs 3
    python bench/load_suite.py --short --json      # the bounded version the test suite runs

Only loopback traffic, bounded by ``--requests`` per client and ``--seconds`` per level; it
stops by itself. Run on demand; the short version is a test (no timing assertions).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from endpoint_load import resident_mb, server
from genre_corpus import write_corpus
from http_load import percentile

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
KINDS = ("cheap", "join", "named", "page")


@dataclass
class Level:
    """What one run at one client count measured."""

    clients: int
    run: int
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """Requests answered 503 with Retry-After (admission control while the workers are busy)."""
    runaway_statuses: list[int] = field(default_factory=list)
    health_max: float = 0.0
    health_failures: int = 0
    memory_mb: float = 0.0

    def report(self) -> dict[str, object]:
        kinds = {
            kind: {
                "requests": len(samples),
                "per_second": len(samples) / self.seconds if self.seconds else 0.0,
                "p50_ms": 1000 * percentile(samples, 0.5) if samples else None,
                "p99_ms": 1000 * percentile(samples, 0.99) if samples else None,
                "errors": self.errors.get(kind, 0),
                "refused": self.refused.get(kind, 0),
            }
            for kind, samples in sorted(self.latencies.items())
        }
        return {
            "clients": self.clients,
            "run": self.run,
            "seconds": self.seconds,
            "runaway_statuses": self.runaway_statuses,
            "health_max_ms": 1000 * self.health_max,
            "health_failures": self.health_failures,
            "memory_mb": self.memory_mb,
            "kinds": kinds,
        }


async def resources_of(http: httpx.AsyncClient, url: str) -> list[str]:
    """Some resource IRIs of the graph, for the page requests."""
    query = "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) } LIMIT 20"
    response = await http.get(f"{url}/sparql", params={"query": query, "format": "json"})
    response.raise_for_status()
    return [row["s"]["value"] for row in response.json()["results"]["bindings"]]


async def one_level(url: str, pid: int, clients: int, run: int, args: argparse.Namespace) -> Level:
    level = Level(clients, run)
    limits = httpx.Limits(max_connections=clients + args.runaways + 2)
    async with httpx.AsyncClient(limits=limits, timeout=args.timeout * 4 + 30) as http:
        pages = await resources_of(http, url)
        requests = {
            "cheap": lambda i: http.get(f"{url}/sparql", params={"query": CHEAP, "format": "json"}),
            "join": lambda i: http.get(f"{url}/sparql", params={"query": JOIN, "format": "json"}),
            "named": lambda i: http.get(f"{url}/api/queries/{NAMED[i % len(NAMED)]}"),
            "page": lambda i: http.get(f"{url}/resource", params={"iri": pages[i % len(pages)]}),
        }
        deadline = time.monotonic() + args.seconds
        done = asyncio.Event()

        async def client(number: int) -> None:
            for i in range(args.requests):
                if time.monotonic() > deadline:
                    return
                kind = KINDS[(number + i) % len(KINDS)]
                begun = time.perf_counter()
                try:
                    response = await requests[kind](i)
                    status, retry = response.status_code, "Retry-After" in response.headers
                except httpx.HTTPError:
                    status, retry = 0, False
                level.latencies[kind].append(time.perf_counter() - begun)
                if status == 503 and retry:
                    level.refused[kind] += 1
                elif status != 200:
                    level.errors[kind] += 1

        async def runaway() -> None:
            try:
                response = await http.get(f"{url}/sparql", params={"query": RUNAWAY})
                level.runaway_statuses.append(response.status_code)
            except httpx.HTTPError:
                level.runaway_statuses.append(0)

        async def health() -> None:
            while not done.is_set():
                begun = time.perf_counter()
                try:
                    ok = (await http.get(f"{url}/health")).status_code == 200
                except httpx.HTTPError:
                    ok = False
                level.health_max = max(level.health_max, time.perf_counter() - begun)
                level.health_failures += not ok
                await asyncio.sleep(0.25)

        started = time.perf_counter()
        poller = asyncio.create_task(health())
        await asyncio.gather(*(runaway() for _ in range(args.runaways)), *(client(n) for n in range(clients)))
        level.seconds = time.perf_counter() - started
        done.set()
        await poller
    level.memory_mb = resident_mb(pid)
    return level


def print_level(level: Level) -> None:
    report = level.report()
    print(
        f"clients {level.clients:>3} run {level.run}: {level.seconds:6.1f} s, runaways {level.runaway_statuses}, "
        f"slowest /health {1000 * level.health_max:.0f} ms ({level.health_failures} failed), "
        f"server memory {level.memory_mb:.0f} MB"
    )
    kinds = report["kinds"]
    assert isinstance(kinds, dict)
    for kind, k in kinds.items():
        print(
            f"  {kind:<6} {k['requests']:>6} requests {k['per_second']:>8.1f}/s  p50 {k['p50_ms'] or 0:>8.1f} ms  "
            f"p99 {k['p99_ms'] or 0:>8.1f} ms  errors {k['errors']}  refused {k['refused']}"
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
    parser.add_argument("--short", action="store_true", help="1 and 8 clients, one run, 20 requests each")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON")
    args = parser.parse_args()
    if args.short:
        args.clients, args.runs, args.requests, args.seconds, args.timeout = [1, 8], 1, 20, 60.0, 3.0
    with tempfile.TemporaryDirectory() as tmp:
        store = StoreConfig(args.store or Path(tmp) / "store")
        if args.store is None:
            corpus = args.corpus or data_dir(DataDir.CORPUS)
            if args.scale > 1:
                corpus = Path(tmp) / f"corpus-x{args.scale}"
                write_corpus(corpus, args.scale)
            build(corpus, store=store, reasoning=Reasoning.RL_FAST, allow_invalid=True)
        extra = ("--timeout", str(args.timeout))
        with server(store, args.workers, extra) as (url, _, pid), httpx.Client() as http:
            triples = http.get(f"{url}/health", timeout=60).json()["triples"]
            levels = [
                asyncio.run(one_level(url, pid, clients, run, args))
                for clients in args.clients
                for run in range(1, args.runs + 1)
            ]
    if args.json:
        print(json.dumps({"triples": triples, "levels": [level.report() for level in levels]}))
        return
    print(f"{triples:,} triples; {args.workers} workers and the fast lane; query time limit {args.timeout:g} s")
    for level in levels:
        print_level(level)


if __name__ == "__main__":
    main()
