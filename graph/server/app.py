"""The FastAPI application (:func:`create_app`): the routers, error handlers, middleware, static files.

Each route family is an ``APIRouter`` of :mod:`graph.server.routes`; they share one
:class:`~graph.server.service.Service`, held in ``app.state`` and given to routes as a dependency.

The middleware answers ``HEAD`` on every ``GET`` route (:class:`HeadAsGet`), refuses parameters
that are not UTF-8, counts requests for ``/metrics``, and turns a bug into a short 500 whose
traceback goes to the server's log (logger ``graph.server``), never to the client.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import (
    ProtocolError,
    QueryParameterError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    UnknownQueryError,
)
from .bodies import query_string_fields
from .config import ServerConfig
from .routes import api, graph_store, pages, pictures, protocol, resources
from .service import Service, current_service
from .templates import WEB_DIR
from .workers import WorkerError

log = logging.getLogger("graph.server")

INTERNAL_ERROR = "internal server error: the server could not answer this request; the error is in its log"

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


class HeadAsGet:
    """Answers ``HEAD`` as ``GET`` without the body (same status and headers), on every route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _log_internal(request: Request, exc: Exception) -> None:
    worker = f"\nin the query worker:\n{exc.worker_traceback}" if isinstance(exc, WorkerError) else ""
    log.error("internal error answering %s %s%s", request.method, request.url.path, worker, exc_info=exc)


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
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        try:
            query_string_fields(request)
            response = await call_next(request)
        except ProtocolError as exc:  # parameters that are not UTF-8
            response = await _handle(request, exc)
        except Exception as exc:  # a bug: a short 500 for the client, the traceback for the log
            _log_internal(request, exc)
            service.metrics.errors["internal"] += 1
            response = service.error(request, 500, INTERNAL_ERROR)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        service.metrics.observe(request.method, route, response.status_code, time.perf_counter() - started)
        return response

    app.openapi = api.openapi_with_named_queries(app)  # type: ignore[method-assign]
    kinds: list[type[Exception]] = [ProtocolError, *_STATUSES]
    for kind in kinds:
        app.add_exception_handler(kind, _handle)
    for module in (protocol, graph_store, api, pages, resources, pictures):
        app.include_router(module.router)
    app.add_middleware(HeadAsGet)
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
