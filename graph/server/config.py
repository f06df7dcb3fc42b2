"""What a server serves and its limits (:class:`ServerConfig`), and where its token comes from."""

from __future__ import annotations

from dataclasses import dataclass

from ..store import StoreConfig

ENV_TOKEN = "ADCS_KG_SERVER_TOKEN"
"""Environment variable holding the bearer token that enables SPARQL Update and the Graph Store Protocol."""


@dataclass(frozen=True)
class ServerConfig:
    """What the server serves and its limits; every limit is configurable."""

    store: StoreConfig
    token: str | None = None
    """Bearer token enabling SPARQL Update and the Graph Store Protocol; read-only when None."""
    allow_service: bool = False
    """Whether queries may use SERVICE (federated queries reach other machines)."""
    allow_load: bool = False
    """Whether updates may use LOAD (fetches a URL)."""
    timeout: float = 30.0
    """Seconds a query may run before its worker is killed and the request answered 503."""
    max_rows: int = 10_000
    """Rows (or triples) returned at most; longer results are cut and say so in ``X-SPARQL-MaxRows``."""
    max_body: int = 1_000_000
    """Bytes a request body may hold (413 beyond)."""
    workers: int = 2
    """Query worker processes (embedded store), or queries sent at once (remote store), besides the fast lane."""
    fast_lane: float = 1.0
    """Seconds a query may run on the fast-lane worker, which takes queries only while every other worker is busy."""
    admission_wait: float = 1.0
    """Seconds a query waits for a free worker before it is refused (503 with ``Retry-After``)."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed by CORS; none by default."""
