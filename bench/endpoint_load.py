"""Benchmark: what the SPARQL endpoint costs over querying the store directly.

Builds the bundled corpus (or uses ``--store``), starts ``adcs-kg serve`` on a free loopback
port, and runs a few parameterless named queries ``--requests`` times each: directly on the
embedded store (one process, sequential), then through the endpoint with ``--concurrency``
clients. Prints requests per second and latency percentiles of both, and their ratios.

    python bench/endpoint_load.py --requests 200 --concurrency 4

Only loopback traffic, bounded by ``--requests``. Run on demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from graph.build import build
from graph.query import named_queries, run_named
from graph.resources import DataDir, data_dir
from graph.store import EmbeddedStore, StoreConfig

QUERIES = ("items", "organisations", "people", "reports")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: list[float], wall: float) -> tuple[float, float, float, float]:
    """(requests/s, p50 ms, p95 ms, p99 ms)."""
    return len(samples) / wall, *(1000 * percentile(samples, f) for f in (0.5, 0.95, 0.99))


def direct(store: StoreConfig, name: str, requests: int) -> tuple[float, float, float, float]:
    """The named query on the store in this process, sequentially, results read in full."""
    db = EmbeddedStore(store)
    query = named_queries()[name]
    samples = []
    started = time.perf_counter()
    for _ in range(requests):
        begun = time.perf_counter()
        run_named(db, query, {})  # an answer holds its rows in full
        samples.append(time.perf_counter() - begun)
    return summary(samples, time.perf_counter() - started)


async def through_endpoint(url: str, name: str, requests: int, concurrency: int) -> tuple[float, float, float, float]:
    """The named query through ``/api/queries/NAME`` (SPARQL JSON), ``concurrency`` requests at a time."""
    samples: list[float] = []
    remaining = iter(range(requests))

    async def client(http: httpx.AsyncClient) -> None:
        for _ in remaining:
            begun = time.perf_counter()
            response = await http.get(f"{url}/api/queries/{name}")
            response.raise_for_status()
            samples.append(time.perf_counter() - begun)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        return summary(samples, time.perf_counter() - started)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(store: StoreConfig, workers: int, extra: tuple[str, ...] = ()) -> Iterator[tuple[str, float, int]]:
    """A running server (with ``extra`` options): its URL, the seconds it took to answer /health, its pid."""
    port = free_port()
    command = [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", str(port), *extra]
    started = time.perf_counter()
    process = subprocess.Popen([*command, "--workers", str(workers)], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(url + "/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url, time.perf_counter() - started, process.pid
    finally:
        process.terminate()
        process.wait()


def row(label: str, numbers: tuple[float, float, float, float]) -> str:
    return f"{label:<24} {numbers[0]:>9.1f} {numbers[1]:>8.2f} {numbers[2]:>8.2f} {numbers[3]:>8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build the bundled corpus)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = StoreConfig(args.store or Path(tmp) / "store")
        if args.store is None:
            build(data_dir(DataDir.CORPUS), store=store, allow_invalid=True)
        with server(store, args.workers) as (url, startup, _):
            print(
                f"server ready in {startup:.2f} s; {args.requests} requests per query, "
                f"concurrency {args.concurrency}, {args.workers} workers"
            )
            print(f"{'':<24} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
            for name in QUERIES:
                on_store = direct(store, name, args.requests)
                on_http = asyncio.run(through_endpoint(url, name, args.requests, args.concurrency))
                print(row(f"{name} (store)", on_store))
                print(row(f"{name} (endpoint)", on_http))
                ratios = (on_http[0] / on_store[0], *(h / s for h, s in zip(on_http[1:], on_store[1:], strict=True)))
                print(
                    f"{'  endpoint / store':<24} {ratios[0]:>9.2f}x {ratios[1]:>7.2f}x "
                    f"{ratios[2]:>7.2f}x {ratios[3]:>7.2f}x"
                )


if __name__ == "__main__":
    main()
