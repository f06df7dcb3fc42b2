"""The FastAPI application (:func:`create_app`): the routers, error handlers, metrics middleware, static files.

Each route family is an ``APIRouter`` of :mod:`graph.server.routes`; they share one
:class:`~graph.server.service.Service`, held in ``app.state`` and given to routes as a dependency.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from ..errors import (
    ProtocolError,
    QueryParameterError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    UnknownQueryError,
)
from .config import ServerConfig
from .routes import api, graph_store, pages, pictures, protocol, resources
from .service import Service, current_service
from .templates import WEB_DIR

_STATUSES: dict[type[Exception], tuple[int, str, str, dict[str, str]]] = {
    QuerySyntaxError: (400, "syntax", "malformed ", {}),
    QueryParameterError: (400, "parameter", "", {}),
    UnknownQueryError: (404, "unknown_query", "", {}),
    QueryTimeoutError: (503, "timeout", "timeout: ", {"Retry-After": "10"}),
    StoreError: (503, "store", "the store is unavailable: ", {"Retry-After": "10"}),
}
"""Our errors as HTTP statuses (with the metrics reason, a message prefix and headers); others stay 500."""


async def _handle(request: Request, exc: Exception) -> Response:
    service = current_service(request)
    if isinstance(exc, ProtocolError):
        service.metrics.errors[f"http_{exc.status}"] += 1
        return service.error(request, exc.status, str(exc), exc.headers)
    status, reason, prefix, headers = next(v for k, v in _STATUSES.items() if isinstance(exc, k))
    service.metrics.errors[reason] += 1
    if isinstance(exc, QueryTimeoutError):
        service.metrics.timeouts += 1
    return service.error(request, status, f"{prefix}{exc}", headers)


def create_app(config: ServerConfig) -> FastAPI:
    """The endpoint and web interface for the store ``config.store``."""
    service = Service(config)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await service.engine.start()
        try:
            yield
        finally:
            await service.engine.stop()

    app = FastAPI(
        title="adcs-kg",
        version=importlib.metadata.version("adcs-kg"),
        summary="SPARQL 1.1 endpoint and named queries over a knowledge graph of English children's-services policy",
        docs_url=None,  # the interactive docs load scripts from a CDN; /openapi.json is served
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
        )
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    @app.middleware("http")
    async def measure(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        service.metrics.observe(request.method, route, response.status_code, time.perf_counter() - started)
        return response

    app.openapi = api.openapi_with_named_queries(app)  # type: ignore[method-assign]
    kinds: list[type[Exception]] = [ProtocolError, *_STATUSES]
    for kind in kinds:
        app.add_exception_handler(kind, _handle)
    for module in (protocol, graph_store, api, pages, resources, pictures):
        app.include_router(module.router)
    return app


def serve(
    config: ServerConfig,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Run the server until interrupted."""
    import uvicorn

    app = create_app(config)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
