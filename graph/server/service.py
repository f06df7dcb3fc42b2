"""What the routes share (:class:`Service`): configuration, query engine, writer, metrics, templates.

Routes reach it through the FastAPI dependency :data:`ServiceDep` (the application holds one
service in ``app.state``). It runs queries within the server's limits, binds named queries,
checks the token for writes and renders errors for browsers, API clients and the rest.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import concurrent.futures
import functools
import hmac
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from ..errors import ProtocolError, StoreError
from ..query import NamedQuery, named_queries, run_named
from ..resources import DataDir
from ..results import Answer, Cell, rdflib_cell
from ..sparql import absolute_iri, check_limits, keywords, row_limit, single_pattern
from ..store import EmbeddedStore, RemoteStore, Store, open_store
from .config import ENV_TOKEN, ServerConfig
from .describe import Census
from .metrics import Metrics
from .negotiation import Wanted, written_answer, written_response
from .templates import CSP, page_templates
from .workers import Job, Jobs, QueryEngine, StoreEngine, WorkerPool, Writing, evaluate
from .writer import GraphWriter

_T = TypeVar("_T")


@functools.cache
def page_query(name: str) -> NamedQuery:
    """One of the queries the pages run (``queries/pages/NAME.rq``)."""
    return named_queries(DataDir.PAGE_QUERIES)[name]


def _presented_token(request: Request) -> str:
    """The token a request presents: a bearer token, or the password of HTTP Basic (any user name); else ""."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


_GRACE = 1.0
"""Seconds a remote store's HTTP request may run past a time limit: the server answers 503 at the limit,
and the request, ended by its own timeout soon after, frees its slot."""


def _remote(config: ServerConfig, limit: float) -> RemoteStore:
    """The remote store, queried without retries, its requests timing out just after ``limit``."""
    return RemoteStore(config.store, timeout=limit + _GRACE, retries=0)


def _engine(config: ServerConfig) -> QueryEngine:
    if config.store.is_remote:
        return StoreEngine(
            _remote(config, config.timeout),
            timeout=config.timeout,
            size=config.workers,
            fast_lane=config.fast_lane,
            admission_wait=config.admission_wait,
            fast_store=_remote(config, min(config.fast_lane, config.timeout)),
        )
    return WorkerPool(
        config.store,
        size=config.workers,
        timeout=config.timeout,
        fast_lane=config.fast_lane,
        admission_wait=config.admission_wait,
    )


class Service:
    """What the routes share: the configuration, the query engine, the writer, metrics and templates."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.engine = _engine(config)
        # a remote store's graphs are generations that updates naming the project's graphs would miss
        self.writer = None if config.store.is_remote else GraphWriter(open_store(config.store))
        self.metrics = Metrics()
        self.templates = page_templates()
        self._reader: Store = _remote(config, config.timeout) if config.store.is_remote else EmbeddedStore(config.store)
        self._pages = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="adcs-kg-pages")
        self._fixed: dict[tuple[Path, str], asyncio.Future[Answer]] = {}

    def _job(
        self,
        query: str,
        bindings: Mapping[str, Cell] | None,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        base_iri: str | None,
    ) -> Job:
        """A query as a job, checked against the server's limits; SERVICE only when allowed."""
        read = check_limits(query)
        if not self.config.allow_service and "SERVICE" in keywords(read):
            raise ProtocolError(403, "SERVICE (federated query) is disabled on this server")
        for graph in (*default_graphs, *named_graphs):
            absolute_iri(graph, "default-graph-uri and named-graph-uri")
        return Job(
            query,
            self.config.max_rows,
            tuple((bindings or {}).items()),
            tuple(default_graphs),
            tuple(named_graphs),
            base_iri,
            limit=row_limit(read),
            one_pattern=single_pattern(read),
        )

    async def run(
        self,
        query: str,
        *,
        bindings: Mapping[str, Cell] | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> Answer:
        """Run a query through the engine, within the server's limits, into an answer the server reads.

        Relative IRIs in the query resolve against ``base_iri`` (the endpoint's URL for protocol requests).
        """
        return await self.engine.run(self._job(query, bindings, default_graphs, named_graphs, base_iri))

    async def run_all(
        self, queries: Sequence[str], *, bindings: Mapping[str, Cell] | None = None
    ) -> tuple[Answer, ...]:
        """Run ``queries`` together, with the same ``bindings``: admitted once, in one slot, within one time limit.

        A page made of several queries then waits for admission once, not once per query.
        """
        jobs = Jobs(tuple(self._job(query, bindings, (), (), None) for query in queries))
        return (await self.engine.run_all(jobs)).answers

    async def respond(
        self,
        request: Request,
        query: str,
        *,
        given_format: str | None = None,
        named: NamedQuery | None = None,
        bindings: Mapping[str, Cell] | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> Response:
        """Run a query for a client and answer in the format it asks for (``format=``, else Accept).

        The answer is written where the query ran (:class:`~.workers.Writing`): the server process
        passes its bytes on. A named query's answer holds its declared columns.
        """
        job = self._job(query, bindings, default_graphs, named_graphs, base_iri)
        written = await self.engine.write(Writing(job, Wanted.of(request, given_format, named)))
        return written_response(written, max_rows=self.config.max_rows)

    async def _run_bound(self, query: NamedQuery, values: Mapping[str, str]) -> Answer:
        return await self.run(query.text, bindings=self.bound(query, values))

    @staticmethod
    def bound(query: NamedQuery, values: Mapping[str, str]) -> dict[str, Cell]:
        """The parameters of a named query, checked and bound as terms."""
        return {name: rdflib_cell(term) for name, term in query.bindings(values).items()}

    async def run_named_linked(
        self, query: NamedQuery, values: Mapping[str, str]
    ) -> tuple[Answer, tuple[tuple[str | None, ...], ...]]:
        """A named query with its parameters bound, its rows holding its declared columns, with the IRI of
        the resource each cell names (see ``NamedQuery.resource_links``)."""
        answer = await self._run_bound(query, values)
        return query.answer(answer), query.resource_links(answer)

    async def fixed(self, name: str) -> Answer:
        """A page query without parameters, answered apart from the query engine.

        It runs in a thread of this process on a store handle of its own, so the home page, the
        descriptions and ``/health`` never wait behind the queries of clients (the page queries are
        the server's own: no text of a client runs there). On an embedded store each is run once
        per generation and kept until a build or an update switches it; a remote store is asked
        each time.
        """
        query = page_query(name)
        generation = self._reader.current_generation() if isinstance(self._reader, EmbeddedStore) else None
        if generation is None:
            return await self._evaluated(query)
        key = (generation, name)
        if key not in self._fixed or (self._fixed[key].done() and self._fixed[key].exception() is not None):
            self._fixed = {k: v for k, v in self._fixed.items() if k[0] == generation}
            self._fixed[key] = asyncio.ensure_future(self._evaluated(query))
        return await asyncio.shield(self._fixed[key])

    async def _evaluated(self, query: NamedQuery) -> Answer:
        work = asyncio.get_running_loop().run_in_executor(self._pages, self._evaluate, query)
        return await asyncio.wait_for(work, self.config.timeout)

    def _evaluate(self, query: NamedQuery) -> Answer:
        try:
            if isinstance(self._reader, EmbeddedStore):
                return query.answer(evaluate(self._reader, Job(query.text, self.config.max_rows)))
            return run_named(self._reader, query, {})
        except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB found the files corrupted
            raise StoreError(f"query failed on the store at {self.config.store}: {exc}") from exc

    async def census(self) -> Census:
        """What the graph holds, counted by the page queries."""
        counted: dict[str, tuple[tuple[str, int], ...]] = {}
        for key in ("graphs", "classes", "properties"):
            answer = await self.fixed(key)
            counted[key] = tuple((r["c" if "c" in r else "g"].value, int(r["n"].value)) for r in answer.records())
        documents = (await self.fixed("documents")).records()
        return Census(counted["graphs"], counted["classes"], counted["properties"], tuple(documents))

    async def measures(self) -> list[tuple[str, int]]:
        """The measures that findings are on, with how many, most first."""
        answer = await self.fixed("measures")
        return [(r["measure"].value, int(r["findings"].value)) for r in answer.records()]

    def answer(self, request: Request, answer: Answer) -> Response:
        """An answer the server holds, in the format the request asks for (``format=``, else Accept)."""
        return written_response(written_answer(answer, Wanted.of(request)), max_rows=self.config.max_rows)

    def authorise(self, request: Request) -> None:
        """Refuse (403) on a read-only server, or (401) a request without the bearer token."""
        token = self.config.token
        if not token:
            raise ProtocolError(
                403,
                "this server is read-only: SPARQL Update and the Graph Store Protocol are enabled only "
                f"when it is started with a token (${ENV_TOKEN})",
            )
        if not hmac.compare_digest(_presented_token(request).encode(), token.encode()):
            challenge = {"WWW-Authenticate": 'Bearer realm="adcs-kg", Basic realm="adcs-kg", charset="UTF-8"'}
            raise ProtocolError(
                401,
                "this operation needs the server's token: as a bearer token, or as the password of HTTP Basic",
                challenge,
            )

    def writable(self, request: Request) -> GraphWriter:
        """The writer, for a request bearing the token; 501 on a remote store."""
        self.authorise(request)
        if self.writer is None:
            raise ProtocolError(501, "updates are not forwarded to a remote store: use its own update endpoint")
        return self.writer

    def page(
        self, request: Request, template: str, context: dict[str, Any], *, status: int = 200, csp: str = CSP
    ) -> Response:
        """A web page from ``template``, with the pages' Content-Security-Policy."""
        response = self.templates.TemplateResponse(request, template, context, status_code=status)
        response.headers["Content-Security-Policy"] = csp
        return response

    def error(self, request: Request, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
        """An error as a page for browsers on the web pages, JSON on the API, else plain text."""
        path = request.url.path
        machine = path.startswith(("/sparql", "/api/", "/store", "/health", "/metrics", "/.well-known"))
        if not machine and "text/html" in request.headers.get("accept", ""):
            context = {"status": status, "reason": HTTPStatus(status).phrase, "message": message}
            page = self.page(request, "error.html", context, status=status)
            page.headers.update(headers or {})  # a busy server's page says when to come back, as its API does
            return page
        if path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=status, headers=dict(headers or {}))
        return PlainTextResponse(message + "\n", status_code=status, headers=dict(headers or {}))


def current_service(request: Request) -> Service:
    """The service of the application serving ``request``."""
    service: Service = request.app.state.service
    return service


async def _service_of(request: Request) -> Service:
    """:func:`current_service` as a dependency: a coroutine, which FastAPI runs in place (a plain function
    it would hand to a thread, for every request)."""
    return current_service(request)


ServiceDep = Annotated[Service, Depends(_service_of)]
"""A route parameter receiving the shared :class:`Service`."""
