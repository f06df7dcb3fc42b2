"""A small HTTP/1.1 load generator for the endpoint benchmarks: keep-alive connections, requests sent
as prepared bytes, responses read by Content-Length or chunks, each latency recorded with its kind.

It does as little per request as it can (no HTTP library; run it on uvloop's event loop), so that
on a small machine it takes little of the CPU the servers it measures need: ``endpoint_load.py``
measures Oxigraph's own server with it, as the baseline, in the same run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Request:
    """A request of some kind (what the figures are grouped by), as the bytes sent on a kept-alive connection."""

    kind: str
    data: bytes


def get(kind: str, url: str, params: dict[str, str] | None = None, accept: str = "*/*") -> Request:
    """A GET request of ``kind``."""
    parts = urlsplit(url)
    target = parts.path + ("?" + urlencode(params) if params else "")
    head = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: {accept}\r\n\r\n"
    return Request(kind, head.encode("ascii"))


@dataclass(frozen=True)
class Sample:
    kind: str
    seconds: float
    status: int
    """The HTTP status; 0 when no response came (the connection closed or broke)."""
    retry: bool = False
    """Whether the response said when to come back (``Retry-After``): a refusal, not a failure."""


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else 0.0


@dataclass
class Load:
    """What one load run measured."""

    seconds: float = 0.0
    samples: list[Sample] = field(default_factory=list)

    def of(self, kind: str | None = None) -> list[Sample]:
        return [s for s in self.samples if kind is None or s.kind == kind]

    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.samples})

    def per_second(self, kind: str | None = None) -> float:
        return len(self.of(kind)) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float, kind: str | None = None) -> float:
        return percentile([s.seconds for s in self.of(kind)], fraction)

    def refused(self, kind: str | None = None) -> int:
        """Responses 503 with ``Retry-After``: the server saying it is busy, when to come back."""
        return sum(s.status == 503 and s.retry for s in self.of(kind))

    def errors(self, kind: str | None = None) -> int:
        """Everything but a 200 or a refusal."""
        return sum(s.status != 200 and not (s.status == 503 and s.retry) for s in self.of(kind))


async def _response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response: its status, and whether it holds ``Retry-After``."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    fields = {k.strip().lower(): v.strip().lower() for k, _, v in (line.partition(b":") for line in lines[1:] if line)}
    if fields.get(b"transfer-encoding") == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            await reader.readexactly(size + 2)
    else:
        await reader.readexactly(int(fields.get(b"content-length", b"0")))
    return status, b"retry-after" in fields


async def _client(
    url: str, requests: Sequence[Request], first: int, count: int | None, deadline: float, load: Load
) -> None:
    parts = urlsplit(url)

    async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(parts.hostname, parts.port, limit=2**20)

    reader, writer = await connect()
    try:
        index = first
        while time.perf_counter() < deadline and (count is None or index < first + count):
            request = requests[index % len(requests)]
            index += 1
            begun = time.perf_counter()
            writer.write(request.data)
            try:
                status, retry = await _response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                load.samples.append(Sample(request.kind, time.perf_counter() - begun, 0))
                writer.close()
                reader, writer = await connect()
                continue
            load.samples.append(Sample(request.kind, time.perf_counter() - begun, status, retry))
    finally:
        writer.close()


async def run_load(
    url: str, requests: Sequence[Request], *, clients: int, seconds: float, per_client: int | None = None
) -> Load:
    """``clients`` connections sending ``requests`` in turn, each starting elsewhere in the list, for
    ``seconds`` at most (and ``per_client`` requests each at most, when given)."""
    load = Load()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_client(url, requests, n * 7, per_client, deadline, load) for n in range(clients)))
    load.seconds = time.perf_counter() - started
    return load
