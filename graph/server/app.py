"""The FastAPI application (:func:`create_app`): the routers, error handlers, middleware, static files.

Each route family is an ``APIRouter`` of :mod:`graph.server.routes`; they share one
:class:`~graph.server.service.Service`, held in ``app.state`` and given to routes as a dependency.

The middleware answers ``HEAD`` on every ``GET`` route (:class:`HeadAsGet`); :class:`Guard` refuses
parameters that are not UTF-8, counts requests for ``/metrics``, turns a bug into a short 500
whose traceback goes to the server's log (logger ``graph.server``), never to the client, and sends
the security headers (:data:`~.templates.SECURITY_HEADERS`, and the pages' CSP) with every response.
The framework's own errors (no such route or method, a missing parameter) are answered like ours.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import time
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
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
from .templates import CSP, SECURITY_HEADERS, WEB_DIR
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
_ANSWERED: tuple[type[Exception], ...] = (ProtocolError, *_STATUSES)
"""The errors :func:`_handle` answers."""


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


async def _handle_routing(request: Request, exc: Exception) -> Response:
    """The framework's own errors (no such route, a method it does not answer) in the words of the site."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        message = f"there is nothing at {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.url.path} answers {headers.get('Allow', 'other methods')}, not {request.method}"
    else:
        message = str(exc.detail)
    current_service(request).metrics.errors[f"http_{exc.status_code}"] += 1
    return current_service(request).error(request, exc.status_code, message, headers)


async def _handle_parameters(request: Request, exc: Exception) -> Response:
    """A missing or malformed parameter is a 400 that names it, not the framework's 422 dump."""
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error.get("loc", ())[1:]) or "the request"
        problems.append(f"missing parameter {name!r}" if error.get("type") == "missing" else f"{name}: {error['msg']}")
    current_service(request).metrics.errors["parameter"] += 1
    return current_service(request).error(request, 400, "; ".join(problems) or "malformed request")


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


class Guard:
    """Around every request: parameters that are not UTF-8 refused, a bug turned into a short 500 (its
    traceback logged), the request counted for ``/metrics``, the security headers sent.

    Plain ASGI, so that it costs a request no task or stream of its own.
    """

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def secured(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        request = Request(scope)
        try:
            query_string_fields(request)
            await self.app(scope, receive, secured)
        except ProtocolError as exc:  # parameters that are not UTF-8
            await (await _handle(request, exc))(scope, receive, secured)
        except Exception as exc:  # a bug: a short 500 for the client, the traceback for the log
            _log_internal(request, exc)
            self.service.metrics.errors["internal"] += 1
            if status:  # the response had begun: the connection is cut
                raise
            await self.service.error(request, 500, INTERNAL_ERROR)(scope, receive, secured)
        route = getattr(scope.get("route"), "path", "unmatched")
        self.service.metrics.observe(scope["method"], route, status, time.perf_counter() - started)


class QueryFront:
    """``GET /sparql`` straight to its endpoint function (:func:`~.routes.protocol.sparql`), past FastAPI's
    routing and dependency machinery, which cost a short query more than its answer; errors are
    answered by the same handlers. The route stays in the application, which describes it in
    ``/openapi.json``; every other request goes on to the application."""

    def __init__(self, app: ASGIApp, service: Service, route: object) -> None:
        self.app = app
        self.service = service
        self.route = route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/sparql":
            await self.app(scope, receive, send)
            return
        scope["route"] = self.route  # what /metrics counts the request under
        request = Request(scope, receive)
        try:
            response = await protocol.sparql(request, self.service)
        except _ANSWERED as exc:
            response = await _handle(request, exc)
        await response(scope, receive, send)


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
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    app.openapi = api.openapi_with_named_queries(app)  # type: ignore[method-assign]
    for kind in _ANSWERED:
        app.add_exception_handler(kind, _handle)
    app.add_exception_handler(HTTPException, _handle_routing)
    app.add_exception_handler(RequestValidationError, _handle_parameters)
    for module in (protocol, graph_store, api, pages, resources, pictures):
        app.include_router(module.router)
    gets = [r for r in protocol.router.routes if isinstance(r, APIRoute) and "GET" in (r.methods or ())]
    app.add_middleware(QueryFront, service=service, route=next(r for r in gets if r.path == "/sparql"))
    if config.cors_origins:  # outside the query front: a query answered there is answered with CORS too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
        )
    app.add_middleware(Guard, service=service)
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
    # uvloop's event loop and httptools' parser: a request costs the server process far less than
    # with asyncio's loop and the pure-Python h11
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, loop="uvloop", http="httptools")
