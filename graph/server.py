"""The SPARQL 1.1 endpoint and web interface of adcs-kg (``adcs-kg serve``).

One FastAPI application (:func:`create_app`) serves:

- ``/sparql``: the SPARQL 1.1 Protocol (query by GET, form POST or ``application/sparql-query``;
  content negotiation with q-values or ``format=``; ``default-graph-uri``/``named-graph-uri``),
  and, at the same URL without a query, a SPARQL Service Description with the VoID description
  of the dataset (triples per named graph, classes, properties, source documents), which
  ``/.well-known/void`` serves alone;
- SPARQL Update (on ``/sparql``) and the Graph Store Protocol (``/store``), only when the server
  was started with a token, and then only for requests bearing it;
- ``/api/queries`` (the named queries as a JSON API), ``/health`` and ``/metrics`` (Prometheus);
- the web pages: home, named-query forms, a SPARQL editor, a linked-data page for every
  resource (``/id/...`` and ``/resource?iri=...``) showing its facts and the quotes they came from,
  and the pictures of :mod:`graph.viz` (``/viz/...``: a resource's neighbourhood, embedded in its
  page; the officer timeline; a measure across reports).

Queries and pictures of an embedded store never run in the server process: a small pool of worker
processes opens it read-only (:class:`WorkerPool`); a query that overruns its time limit has its
worker killed and replaced, and is answered 503, while the other workers keep serving.
A remote store is queried through the :class:`~graph.store.Store` protocol
(:class:`StoreEngine`). Both give an :class:`Answer` that this module serialises, or a
:class:`Picture` it sends as it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import importlib.metadata
import json
import re
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qsl, quote, urlencode
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID, XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node

from .errors import AdcsKgError, QueryParameterError, QuerySyntaxError, StoreError, UnknownQueryError
from .namespaces import AK, GRAPH, ID, PREFIXES, SD, sparql_prefixes
from .query import NamedQuery, ParamType, named_queries, named_query
from .store import EmbeddedStore, Store, StoreConfig, open_store, syntax_error

_T = TypeVar("_T")

ENV_TOKEN = "ADCS_KG_SERVER_TOKEN"
"""Environment variable holding the bearer token that enables SPARQL Update and the Graph Store Protocol."""

UPDATES_GRAPH = GRAPH.updates
"""Where SPARQL Update writes triples addressed to the default graph (queries see the union)."""

WEB_DIR = Path(__file__).parent / "web"
PREFIX_IRIS: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


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
    """Query worker processes (embedded store)."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed by CORS; none by default."""


# -- answers ------------------------------------------------------------------------------


class Form(StrEnum):
    """What a query returns."""

    SELECT = "SELECT"
    ASK = "ASK"
    GRAPH = "GRAPH"  # CONSTRUCT and DESCRIBE


class TermKind(StrEnum):
    """The kinds of RDF term, named as in the SPARQL JSON results format."""

    URI = "uri"
    BNODE = "bnode"
    LITERAL = "literal"
    TRIPLE = "triple"


@dataclass(frozen=True)
class Cell:
    """One RDF term of a result, independent of the library that produced it."""

    kind: TermKind
    value: str
    datatype: str | None = None
    language: str | None = None


Row = tuple[Cell | None, ...]


@dataclass(frozen=True)
class Answer:
    """The result of a query: rows (SELECT), a boolean (ASK) or N-Triples (CONSTRUCT, DESCRIBE)."""

    form: Form
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool = False
    ntriples: bytes = b""
    truncated: bool = False

    def records(self) -> list[dict[str, Cell]]:
        """The rows as variable -> cell mappings (unbound variables left out)."""
        return [{v: c for v, c in zip(self.variables, row, strict=True) if c is not None} for row in self.rows]


@dataclass(frozen=True)
class Job:
    """A query to run, with its dataset, bound parameters and row limit."""

    query: str
    max_rows: int
    bindings: tuple[tuple[str, Cell], ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class View(StrEnum):
    """The pictures the server draws (with :mod:`graph.viz`)."""

    NEIGHBOURHOOD = "neighbourhood"
    """The network around one resource (subject: its IRI), as an HTML page."""
    OFFICERS = "officers"
    """The timeline of ADCS officers, as SVG."""
    MEASURE = "measure"
    """One measure across reports and periods (subject: its name), as SVG."""


@dataclass(frozen=True)
class Drawing:
    """A picture to draw from the graph."""

    view: View
    subject: str = ""


@dataclass(frozen=True)
class Picture:
    """A drawn picture: a complete document of ``media_type``."""

    media_type: str
    body: bytes


class FailureKind(StrEnum):
    """Why a worker could not answer."""

    SYNTAX = "syntax"
    PARAMETER = "parameter"
    STORE = "store"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Failure:
    """Why a worker could not answer: a syntax error (with position), a parameter, the store, or a bug."""

    kind: FailureKind
    message: str
    line: int | None = None
    column: int | None = None


_STRING_TYPES = {str(XSD.string), str(RDF.langString)}


def _ox_cell(term: object) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(TermKind.URI, term.value)
    if isinstance(term, ox.BlankNode):
        return Cell(TermKind.BNODE, term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return Cell(TermKind.LITERAL, term.value, None if datatype in _STRING_TYPES else datatype, term.language)
    return Cell(TermKind.TRIPLE, str(term))


def _rdflib_cell(term: Node) -> Cell:
    if isinstance(term, URIRef):
        return Cell(TermKind.URI, str(term))
    if isinstance(term, BNode):
        return Cell(TermKind.BNODE, str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return Cell(TermKind.LITERAL, str(term), None if datatype in _STRING_TYPES else datatype, term.language)
    return Cell(TermKind.TRIPLE, str(term))


def _ox_term(cell: Cell) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if cell.kind == TermKind.URI:
        return ox.NamedNode(cell.value)
    if cell.kind == TermKind.BNODE:
        return ox.BlankNode(cell.value)
    if cell.language:
        return ox.Literal(cell.value, language=cell.language)
    return ox.Literal(cell.value, datatype=ox.NamedNode(cell.datatype) if cell.datatype else None)


def _rdflib_term(cell: Cell) -> Identifier:
    if cell.kind == TermKind.URI:
        return URIRef(cell.value)
    if cell.kind == TermKind.BNODE:
        return BNode(cell.value)
    return Literal(cell.value, lang=cell.language, datatype=URIRef(cell.datatype) if cell.datatype else None)


def _answer_from_ox(results: object, max_rows: int) -> Answer:
    if isinstance(results, ox.QueryBoolean):
        return Answer(Form.ASK, boolean=bool(results))
    if isinstance(results, ox.QuerySolutions):
        variables = tuple(v.value for v in results.variables)
        rows: list[Row] = []
        for solution in results:
            if len(rows) == max_rows:
                return Answer(Form.SELECT, variables, tuple(rows), truncated=True)
            rows.append(tuple(None if solution[v] is None else _ox_cell(solution[v]) for v in variables))
        return Answer(Form.SELECT, variables, tuple(rows))
    assert isinstance(results, ox.QueryTriples)
    triples: list[ox.Triple] = []
    for triple in results:
        if len(triples) == max_rows:
            break
        triples.append(triple)
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Answer(Form.GRAPH, ntriples=ntriples, truncated=len(triples) == max_rows and next(results, None) is not None)


def _answer_from_rdflib(result: Result, max_rows: int) -> Answer:
    if result.type == "ASK":
        return Answer(Form.ASK, boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        variables = tuple(str(v) for v in result.vars or [])
        rows = tuple(
            tuple(None if row.get(v) is None else _rdflib_cell(row[v]) for v in result.vars or [])
            for row in result.bindings[:max_rows]
        )
        return Answer(Form.SELECT, variables, rows, truncated=len(result.bindings) > max_rows)
    graph = result.graph
    assert graph is not None
    triples = list(graph)
    kept = Graph()
    for triple in triples[:max_rows]:
        kept.add(triple)
    return Answer(Form.GRAPH, ntriples=kept.serialize(format="nt", encoding="utf-8"), truncated=len(triples) > max_rows)


# -- running queries ----------------------------------------------------------------------


class QueryTimeoutError(AdcsKgError):
    """A query ran longer than the server allows, or no worker became free in that time."""


class ProtocolError(AdcsKgError):
    """A request the protocol refuses, with the HTTP status that says why."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = dict(headers or {})


class QueryEngine(Protocol):
    """Runs queries for the server; started and stopped with the application."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def run(self, job: Job) -> Answer: ...

    async def draw(self, drawing: Drawing) -> Picture: ...


def draw(store: Store, drawing: Drawing) -> Picture:
    """Draw ``drawing`` from ``store`` with :mod:`graph.viz`, linking to this server's pages."""
    from . import viz  # imported on first use: it brings networkx, pyvis and matplotlib

    if drawing.view is View.NEIGHBOURHOOD:
        page = viz.neighbourhood_html(store, drawing.subject, link_base="")
        return Picture("text/html", page.encode())
    if drawing.view is View.OFFICERS:
        chart = viz.officers_chart(store, viz.ChartFormat.SVG, link_base="")
    else:
        chart = viz.measure_chart(store, drawing.subject, viz.ChartFormat.SVG, link_base="")
    return Picture("image/svg+xml", chart.data)


def _captured(work: Callable[[], Answer | Picture]) -> Answer | Picture | Failure:
    """The outcome of ``work`` in a worker, its errors turned into a :class:`Failure` to send back."""
    try:
        return work()
    except (SyntaxError, QuerySyntaxError) as exc:
        error = syntax_error(exc) if isinstance(exc, SyntaxError) else exc
        return Failure(FailureKind.SYNTAX, error.message, error.line, error.column)
    except QueryParameterError as exc:
        return Failure(FailureKind.PARAMETER, str(exc))
    except (StoreError, OSError) as exc:
        return Failure(FailureKind.STORE, str(exc))
    except Exception as exc:  # reported to the client as a 500: the server's fault, not the query's
        return Failure(FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}")


def evaluate(store: EmbeddedStore, job: Job) -> Answer:
    """Run ``job`` on an embedded store, the project's prefixes predeclared (used by the workers)."""
    dataset: dict[str, Any] = {"use_default_graph_as_union": True}
    if job.default_graphs or job.named_graphs:
        dataset = {
            "default_graph": [ox.NamedNode(g) for g in job.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs],
        }
    results = store.raw().query(
        job.query,
        prefixes=PREFIX_IRIS,
        substitutions={ox.Variable(name): _ox_term(cell) for name, cell in job.bindings},
        **dataset,
    )
    return _answer_from_ox(results, job.max_rows)


_READY = "ready"


def worker_main(descriptor: int, location: str) -> None:
    """A query worker process: answers the jobs and drawings sent over the socket ``descriptor`` until it closes."""
    connection = Connection(descriptor)
    store = EmbeddedStore(StoreConfig(location))
    connection.send(_READY)
    while True:
        try:
            work: Job | Drawing = connection.recv()
        except (EOFError, OSError):
            return
        if isinstance(work, Job):
            connection.send(_captured(functools.partial(evaluate, store, work)))
        else:
            connection.send(_captured(functools.partial(draw, store, work)))


_WORKER_COMMAND = "import sys; from graph.server import worker_main; worker_main(int(sys.argv[1]), sys.argv[2])"


class _Worker:
    """One worker process (a fresh interpreter) and the socket it listens on."""

    def __init__(self, location: str) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_COMMAND, str(theirs.fileno()), location],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        self.connection = Connection(ours.detach())
        if self.connection.recv() != _READY:
            raise RuntimeError("a query worker did not start")

    def call(self, work: Job | Drawing, timeout: float) -> Answer | Picture | Failure:
        """Send ``work`` and wait for the outcome; :class:`QueryTimeoutError` if it takes longer than ``timeout``."""
        self.connection.send(work)
        if not self.connection.poll(timeout):
            what = "query" if isinstance(work, Job) else "drawing"
            raise QueryTimeoutError(f"the {what} ran longer than the server's limit of {timeout:g} s and was stopped")
        outcome: Answer | Picture | Failure = self.connection.recv()
        return outcome

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.connection.close()


class WorkerPool:
    """Queries of an embedded store, run in worker processes killed and replaced when they overrun."""

    def __init__(self, config: StoreConfig, *, size: int, timeout: float) -> None:
        self._location = str(config.path)
        self._size = size
        self._timeout = timeout
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._pending: set[asyncio.Task[Any]] = set()

    def _spawn(self) -> _Worker:
        worker = _Worker(self._location)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self._size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def stop(self) -> None:
        for task in list(self._pending):
            task.cancel()
        for worker in list(self._all):
            worker.kill()
        self._all.clear()

    def _track(self, task: asyncio.Task[Any]) -> None:
        """Keep ``task`` alive until done, and retrieve its outcome even if nobody awaits it any more."""
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        task.add_done_callback(lambda done: done.cancelled() or done.exception())

    async def _add(self) -> None:
        self._idle.put_nowait(await asyncio.to_thread(self._spawn))

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` and start its replacement in the background."""
        worker.kill()
        self._all.discard(worker)
        self._track(asyncio.create_task(self._add()))

    async def _use(self, worker: _Worker, work: Job | Drawing) -> Answer | Picture | Failure:
        """Run ``work`` on ``worker``, then give the worker back (or replace it if it overran or died)."""
        try:
            outcome = await asyncio.to_thread(worker.call, work, self._timeout)
        except QueryTimeoutError:
            self._retire(worker)
            raise
        except (EOFError, OSError) as exc:
            self._retire(worker)
            raise RuntimeError(f"a query worker died: {exc}") from exc
        self._idle.put_nowait(worker)
        return outcome

    async def _submit(self, work: Job | Drawing) -> Answer | Picture:
        try:
            worker = await asyncio.wait_for(self._idle.get(), self._timeout)
        except TimeoutError as exc:
            raise QueryTimeoutError(f"all {self._size} query workers stayed busy for {self._timeout:g} s") from exc
        # shielded: a request cancelled (client gone) still hands its worker back when the work ends
        task = asyncio.create_task(self._use(worker, work))
        self._track(task)
        return _unwrap(await asyncio.shield(task))

    async def run(self, job: Job) -> Answer:
        answer = await self._submit(job)
        assert isinstance(answer, Answer)
        return answer

    async def draw(self, drawing: Drawing) -> Picture:
        picture = await self._submit(drawing)
        assert isinstance(picture, Picture)
        return picture


def _unwrap(outcome: Answer | Picture | Failure) -> Answer | Picture:
    if not isinstance(outcome, Failure):
        return outcome
    if outcome.kind == FailureKind.SYNTAX:
        raise QuerySyntaxError(outcome.message, line=outcome.line, column=outcome.column)
    if outcome.kind == FailureKind.PARAMETER:
        raise QueryParameterError(outcome.message)
    if outcome.kind == FailureKind.STORE:
        raise StoreError(outcome.message)
    raise RuntimeError(outcome.message)


class StoreEngine:
    """Queries forwarded to any :class:`~graph.store.Store` (a remote endpoint), bounded by the time limit."""

    def __init__(self, store: Store, *, timeout: float) -> None:
        self._store = store
        self._timeout = timeout

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def run(self, job: Job) -> Answer:
        if job.default_graphs or job.named_graphs:
            raise ProtocolError(501, "default-graph-uri and named-graph-uri are not forwarded to a remote store")
        return await self._within_limit(self._answer, job)

    async def draw(self, drawing: Drawing) -> Picture:
        return await self._within_limit(draw, self._store, drawing)

    async def _within_limit(self, work: Callable[..., _T], *args: Any) -> _T:
        try:
            return await asyncio.wait_for(asyncio.to_thread(work, *args), self._timeout)
        except TimeoutError as exc:
            message = f"the store did not answer within the server's limit of {self._timeout:g} s"
            raise QueryTimeoutError(message) from exc

    def _answer(self, job: Job) -> Answer:
        """Query and read the whole result in one thread (pyoxigraph results cannot change threads)."""
        bindings = {name: _rdflib_term(cell) for name, cell in job.bindings}
        return _answer_from_rdflib(self._store.query(job.query, bindings=bindings), job.max_rows)


# -- formats and content negotiation --------------------------------------------------------


@dataclass(frozen=True)
class MediaFormat:
    media_type: str
    names: tuple[str, ...]
    graph: bool  # an RDF graph format (CONSTRUCT, DESCRIBE) rather than a results format
    label: str


RESULT_FORMATS = (
    MediaFormat("application/sparql-results+json", ("json", "srj", "application/json"), False, "JSON"),
    MediaFormat("application/sparql-results+xml", ("xml", "srx"), False, "XML"),
    MediaFormat("text/csv", ("csv",), False, "CSV"),
    MediaFormat("text/tab-separated-values", ("tsv",), False, "TSV"),
)
GRAPH_FORMATS = (
    MediaFormat("text/turtle", ("turtle", "ttl"), True, "Turtle"),
    MediaFormat("application/n-triples", ("nt", "ntriples", "n-triples"), True, "N-Triples"),
    MediaFormat("application/ld+json", ("jsonld", "json-ld", "json", "application/json"), True, "JSON-LD"),
    MediaFormat("application/rdf+xml", ("rdfxml", "rdf", "xml"), True, "RDF/XML"),
)
_OX_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _accept_ranges(accept: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) of an Accept header."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((pieces[0].lower(), q, position))
    return ranges


def _quality(media_type: str, ranges: Sequence[tuple[str, float, int]]) -> float:
    """The q of the most specific range matching ``media_type`` (0 when none does)."""
    kind = media_type.split("/")[0]
    for candidates in ([media_type], [f"{kind}/*"], ["*/*"]):
        matched = [q for r, q, _ in ranges if r in candidates]
        if matched:
            return max(matched)
    return 0.0


def negotiate(formats: Sequence[MediaFormat], accept: str | None, requested: str | None) -> MediaFormat:
    """The format to answer in: ``format=`` if given, else the best by Accept (q-values); 406 when none fits."""
    offered = ", ".join(f.media_type for f in formats)
    if requested:
        wanted = requested.strip().lower()
        for candidate in formats:
            if wanted == candidate.media_type or wanted in candidate.names:
                return candidate
        raise ProtocolError(406, f"format {requested!r} is not available for this result; available: {offered}")
    if not accept:
        return formats[0]
    ranges = _accept_ranges(accept)
    # aliases clients send for JSON results and JSON-LD
    ranges += [(f.media_type, q, p) for r, q, p in ranges for f in formats if r in f.names and "/" in r]
    best = max(formats, key=lambda f: (_quality(f.media_type, ranges), -formats.index(f)))
    if _quality(best.media_type, ranges) <= 0:
        raise ProtocolError(406, f"none of the accepted media types ({accept}) is available; available: {offered}")
    return best


def _json_term(cell: Cell) -> dict[str, str]:
    if cell.kind == TermKind.LITERAL:
        term = {"type": "literal", "value": cell.value}
        if cell.language:
            term["xml:lang"] = cell.language
        elif cell.datatype:
            term["datatype"] = cell.datatype
        return term
    return {"type": cell.kind, "value": cell.value}


def _xml_term(cell: Cell) -> str:
    if cell.kind == TermKind.LITERAL:
        if cell.language:
            return f"<literal xml:lang={quoteattr(cell.language)}>{escape(cell.value)}</literal>"
        if cell.datatype:
            return f"<literal datatype={quoteattr(cell.datatype)}>{escape(cell.value)}</literal>"
        return f"<literal>{escape(cell.value)}</literal>"
    return f"<{cell.kind}>{escape(cell.value)}</{cell.kind}>"


def _nt_term(cell: Cell) -> str:
    """A term in N-Triples syntax (the TSV results format)."""
    if cell.kind == TermKind.TRIPLE:
        return cell.value
    return str(_ox_term(cell))


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def serialize_results(answer: Answer, media: MediaFormat) -> bytes:
    """A SELECT or ASK answer in one of :data:`RESULT_FORMATS`."""
    if media.media_type == "application/sparql-results+json":
        if answer.form is Form.ASK:
            return json.dumps({"head": {}, "boolean": answer.boolean}).encode()
        bindings = [{v: _json_term(c) for v, c in record.items()} for record in answer.records()]
        document = {"head": {"vars": list(answer.variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False).encode()
    if media.media_type == "application/sparql-results+xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in answer.variables)
        if answer.form is Form.ASK:
            body = f"<boolean>{str(answer.boolean).lower()}</boolean>"
        else:
            results = "".join(
                "<result>"
                + "".join(f"<binding name={quoteattr(v)}>{_xml_term(c)}</binding>" for v, c in record.items())
                + "</result>"
                for record in answer.records()
            )
            body = f"<results>{results}</results>"
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head>{body}</sparql>\n"
        ).encode()
    if answer.form is Form.ASK:
        return f"{str(answer.boolean).lower()}\n".encode()
    if media.media_type == "text/csv":
        lines = [",".join(_csv_field(v) for v in answer.variables)]
        lines += [",".join("" if c is None else _csv_field(c.value) for c in row) for row in answer.rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if c is None else _nt_term(c) for c in row) for row in answer.rows]
    return ("\n".join(lines) + "\n").encode()


def _used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    iris = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    return {p: ns for p, ns in PREFIX_IRIS.items() if any(iri.startswith(ns) for iri in iris)}


def serialize_graph(ntriples: bytes, media: MediaFormat) -> bytes:
    """N-Triples re-serialised in one of :data:`GRAPH_FORMATS`: sorted by subject, with the prefixes it uses."""
    triples = sorted((quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)), key=str)
    prefixes = _used_prefixes(triples) if media.media_type in {"text/turtle", "application/rdf+xml"} else None
    return ox.serialize(triples, format=_OX_FORMATS[media.media_type], prefixes=prefixes) or b""


def answer_response(answer: Answer, media: MediaFormat, *, max_rows: int) -> Response:
    body = serialize_graph(answer.ntriples, media) if answer.form is Form.GRAPH else serialize_results(answer, media)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-SPARQL-MaxRows"] = str(max_rows)
    return Response(body, media_type=media.media_type, headers=headers)


# -- keyword checks -------------------------------------------------------------------------

_NOT_KEYWORDS = re.compile(
    r'#[^\n]*|<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_WORD = re.compile(r"(?<![\w:?$])([A-Za-z]+)(?![\w:])")


def keywords(sparql: str) -> set[str]:
    """The bare words of a SPARQL text (upper-cased), outside comments, strings, IRIs and prefixed names."""
    return {word.upper() for word in _WORD.findall(_NOT_KEYWORDS.sub(" ", sparql))}


# -- metrics --------------------------------------------------------------------------------

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass
class Metrics:
    """Counters exposed at ``/metrics`` in the Prometheus text format."""

    requests: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    latency_buckets: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * len(_BUCKETS)))
    latency_sum: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    latency_count: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    timeouts: int = 0

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[(method, route, status)] += 1
        buckets = self.latency_buckets[route]
        for index, bound in enumerate(_BUCKETS):
            if seconds <= bound:
                buckets[index] += 1
        self.latency_sum[route] += seconds
        self.latency_count[route] += 1

    def render(self) -> str:
        lines = [
            "# HELP adcs_kg_requests_total HTTP requests by method, route and status.",
            "# TYPE adcs_kg_requests_total counter",
        ]
        for (method, route, status), n in sorted(self.requests.items()):
            lines.append(f'adcs_kg_requests_total{{method="{method}",route="{route}",status="{status}"}} {n}')
        lines += [
            "# HELP adcs_kg_request_seconds Request latency by route.",
            "# TYPE adcs_kg_request_seconds histogram",
        ]
        for route, buckets in sorted(self.latency_buckets.items()):
            for bound, n in zip(_BUCKETS, buckets, strict=True):
                lines.append(f'adcs_kg_request_seconds_bucket{{route="{route}",le="{bound}"}} {n}')
            lines.append(f'adcs_kg_request_seconds_bucket{{route="{route}",le="+Inf"}} {self.latency_count[route]}')
            lines.append(f'adcs_kg_request_seconds_sum{{route="{route}"}} {self.latency_sum[route]:.6f}')
            lines.append(f'adcs_kg_request_seconds_count{{route="{route}"}} {self.latency_count[route]}')
        lines += [
            "# HELP adcs_kg_query_errors_total Queries that failed, by reason.",
            "# TYPE adcs_kg_query_errors_total counter",
        ]
        lines += [f'adcs_kg_query_errors_total{{reason="{k}"}} {n}' for k, n in sorted(self.errors.items())]
        lines += [
            "# HELP adcs_kg_query_timeouts_total Queries stopped for running over the time limit.",
            "# TYPE adcs_kg_query_timeouts_total counter",
            f"adcs_kg_query_timeouts_total {self.timeouts}",
        ]
        return "\n".join(lines) + "\n"


# -- updates and the Graph Store Protocol (embedded store) ----------------------------------


class GraphWriter:
    """Applies changes to an embedded store: on a copy in memory, then stored as a new generation.

    In the copy, the default graph holds :data:`UPDATES_GRAPH`, so an update that names no graph
    writes there; queries keep seeing the union of all named graphs.
    """

    def __init__(self, config: StoreConfig) -> None:
        self._store = EmbeddedStore(config)
        self._lock = asyncio.Lock()

    def _load(self) -> ox.Store:
        memory = ox.Store()
        if self._store.exists():
            dump = self._store.raw().dump(format=ox.RdfFormat.N_QUADS)
            memory.bulk_load(dump, format=ox.RdfFormat.N_QUADS)
            updates = ox.NamedNode(str(UPDATES_GRAPH))
            for quad in list(memory.quads_for_pattern(None, None, None, updates)):
                memory.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
            memory.remove_graph(updates)
        return memory

    def _save(self, memory: ox.Store) -> None:
        graphs: dict[URIRef, Graph] = {}
        names: list[tuple[URIRef, ox.NamedNode | ox.DefaultGraph]] = [
            (URIRef(g.value), g) for g in memory.named_graphs() if isinstance(g, ox.NamedNode)
        ]
        for name, node in [*names, (UPDATES_GRAPH, ox.DefaultGraph())]:
            graph = graphs.setdefault(name, Graph())
            data = memory.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)
            if data:
                graph.parse(data=data, format="nt")
        self._store.replace({name: g for name, g in graphs.items() if len(g) or name != UPDATES_GRAPH})

    def _apply(self, change: Callable[[ox.Store], None]) -> None:
        memory = self._load()
        change(memory)
        self._save(memory)

    async def apply(self, change: Callable[[ox.Store], None]) -> None:
        """Run ``change`` on a copy of the graph and store the result atomically."""
        async with self._lock:
            await asyncio.to_thread(self._apply, change)


def _run_update(update: str) -> Callable[[ox.Store], None]:
    def change(memory: ox.Store) -> None:
        try:
            memory.update(update, prefixes=PREFIX_IRIS)
        except SyntaxError as exc:
            error = syntax_error(exc)
            raise QuerySyntaxError(error.message, line=error.line, column=error.column, source="update") from exc
        except OSError as exc:  # what LOAD (when allowed) could not fetch or read
            raise ProtocolError(502, f"the update could not load its data: {exc}") from exc

    return change


def _put_graph(name: str, data: bytes, rdf_format: ox.RdfFormat, *, replace: bool) -> Callable[[ox.Store], None]:
    def change(memory: ox.Store) -> None:
        graph = ox.NamedNode(name)
        try:
            quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in ox.parse(data, format=rdf_format)]
        except SyntaxError as exc:
            raise ProtocolError(400, f"the request body does not parse as {rdf_format.name}: {exc.msg}") from exc
        if replace and memory.contains_named_graph(graph):
            memory.remove_graph(graph)
        memory.extend(quads)

    return change


def _delete_graph(name: str) -> Callable[[ox.Store], None]:
    def change(memory: ox.Store) -> None:
        graph = ox.NamedNode(name)
        if not memory.contains_named_graph(graph):
            raise ProtocolError(404, f"there is no graph {name}")
        memory.remove_graph(graph)

    return change


# -- descriptions -------------------------------------------------------------------------

_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}

_COUNTS = {
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "classes": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
    "properties": "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s ?c ?o } GROUP BY ?c ORDER BY ?c",
}
MEASURES = """SELECT ?measure (COUNT(DISTINCT ?finding) AS ?findings) WHERE {
  ?finding a ak:Finding ; ak:measure/ak:name ?measure
} GROUP BY ?measure ORDER BY DESC(?findings) ?measure"""
_DOCUMENTS = """SELECT ?doc ?file ?sha256 ?chars WHERE {
  ?doc a ak:SourceDocument ; ak:fileName ?file .
  OPTIONAL { ?doc ak:sha256 ?sha256 } OPTIONAL { ?doc ak:charCount ?chars }
} ORDER BY ?file"""


@dataclass(frozen=True)
class Census:
    """What the graph holds: triples per named graph, instances per class, triples per property, documents."""

    graphs: tuple[tuple[str, int], ...]
    classes: tuple[tuple[str, int], ...]
    properties: tuple[tuple[str, int], ...]
    documents: tuple[dict[str, Cell], ...]

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def _void(base: str, census: Census) -> Graph:
    """The VoID description of the dataset, with the source documents it was derived from."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    dataset = URIRef(base + ".well-known/void#dataset")
    dcterms, prov = PREFIXES["dcterms"], PREFIXES["prov"]
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, dcterms.title, Literal("adcs-kg: English children's-services policy")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(str(ID))))
    graph.add((dataset, VOID.vocabulary, URIRef(str(AK))))
    graph.add((dataset, VOID.triples, Literal(census.triples)))
    graph.add((dataset, VOID.classes, Literal(len(census.classes))))
    graph.add((dataset, VOID.properties, Literal(len(census.properties))))
    for name, count in census.graphs:
        graph.add((dataset, VOID.subset, URIRef(name)))
        graph.add((URIRef(name), RDF.type, VOID.Dataset))
        graph.add((URIRef(name), VOID.triples, Literal(count)))
    for kind, (partition, key, value) in {
        "classes": (VOID.classPartition, VOID["class"], VOID.entities),
        "properties": (VOID.propertyPartition, VOID.property, VOID.triples),
    }.items():
        for iri, count in getattr(census, kind):
            node = BNode()
            graph.add((dataset, partition, node))
            graph.add((node, key, URIRef(iri)))
            graph.add((node, value, Literal(count)))
    for document in census.documents:
        source = URIRef(document["doc"].value)
        graph.add((dataset, prov.wasDerivedFrom, source))
        graph.add((source, RDF.type, AK.SourceDocument))
        for variable, predicate in (("file", AK.fileName), ("sha256", AK.sha256), ("chars", AK.charCount)):
            if variable in document:
                graph.add((source, predicate, _rdflib_term(document[variable])))
    return graph


def _service_description(base: str, census: Census, config: ServerConfig) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    endpoint = URIRef(base + "sparql")
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    if config.token:
        graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    if config.allow_service:
        graph.add((endpoint, SD.feature, SD.BasicFederatedQuery))
    for name in _FORMAT_IRIS.values():
        graph.add((endpoint, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/" + name)))
    dataset, default = BNode(), BNode()
    graph.add((endpoint, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, VOID.subset, URIRef(base + ".well-known/void#dataset")))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(census.triples)))
    for name, count in census.graphs:
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(count)))
    return graph


# -- web helpers ----------------------------------------------------------------------------


def href(iri: str) -> str:
    """The local page of a graph resource: ``/id/...`` for ``id:`` IRIs, else ``/resource?iri=...``."""
    if iri.startswith(str(ID)) and "#" not in iri:
        return "/id/" + quote(iri[len(str(ID)) :], safe="/:@!$&'()*+,;=-._~")
    return "/resource?" + urlencode({"iri": iri})


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in the prefix table, else the IRI."""
    for prefix, namespace in PREFIX_IRIS.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and re.fullmatch(r"[\w./-]*[\w-]", local):
            return f"{prefix}:{local}"
    return iri


def figure(value: str) -> str:
    """A decimal as a reader writes it (3100000000 as 3,100,000,000; 12.50 as 12.5); other text as it is."""
    try:
        return f"{Decimal(value).normalize():,f}"
    except InvalidOperation:
        return value


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    templates.env.globals.update(href=href, compact=compact, figure=figure, urlencode=urlencode)
    return templates


_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; form-action 'self'; connect-src 'self'; base-uri 'none'"
)


def _prefers_html(request: Request, offered: Iterable[MediaFormat]) -> bool:
    accept = request.headers.get("accept", "")
    if not accept or request.query_params.get("format"):
        return False
    ranges = _accept_ranges(accept)
    html_q = max((q for r, q, _ in ranges if r == "text/html"), default=0.0)
    return html_q > 0 and html_q >= max(_quality(f.media_type, [x for x in ranges if x[0] != "*/*"]) for f in offered)


INCOMING_SHOWN = 500
"""Resources referring to a resource that its page lists at most."""

RESOURCE_QUERIES = {
    "summary": """SELECT ?this ?label ?type WHERE {
  OPTIONAL { ?this ak:name|ak:title|rdfs:label ?label }
  OPTIONAL { ?this a ?type FILTER(STRSTARTS(STR(?type), STR(ak:))) }
} ORDER BY ?type""",
    "facts": """SELECT ?this ?p ?o ?g (SAMPLE(?l) AS ?label) WHERE {
  GRAPH ?g { ?this ?p ?o }
  OPTIONAL { ?o ak:name|ak:title|rdfs:label ?l }
} GROUP BY ?this ?p ?o ?g ORDER BY ?p ?o ?g""",
    "sources": """SELECT ?this ?how ?span ?doc ?file ?start ?end ?quote ?before ?after WHERE {
  VALUES ?how { ak:span ak:mention ak:dateSpan }
  ?this ?how ?span . ?span ak:document ?doc ; ak:start ?start ; ak:end ?end ; ak:quote ?quote .
  OPTIONAL { ?doc ak:fileName ?file }
  OPTIONAL { ?doc ak:text ?text }
  BIND (IF(?start > 80, ?start - 80, 0) AS ?from)
  BIND (SUBSTR(?text, ?from + 1, ?start - ?from) AS ?before)
  BIND (SUBSTR(?text, ?end + 1, 80) AS ?after)
} ORDER BY ?how ?file ?start ?end""",
    "holdings": """SELECT ?this ?holding ?post ?postName ?start ?end ?term ?inferred ?quote ?doc ?file ?from ?to
WHERE {
  ?holding ak:holder ?this ; ak:post ?post .
  OPTIONAL { ?post ak:name ?postName }
  OPTIONAL { ?holding ak:during ?interval .
             OPTIONAL { ?interval ak:startDate ?start } OPTIONAL { ?interval ak:endDate ?end } }
  OPTIONAL { ?holding ak:termLabel ?term }
  OPTIONAL { ?holding ak:inferred ?inferred }
  OPTIONAL { ?holding ak:span ?span . ?span ak:quote ?quote ; ak:document ?doc ; ak:start ?from ; ak:end ?to
             OPTIONAL { ?doc ak:fileName ?file } }
} ORDER BY ?start ?end ?postName ?holding""",
    "holders": """SELECT ?this ?holding ?holder ?name ?start ?end ?term ?inferred WHERE {
  ?holding ak:post ?this ; ak:holder ?holder .
  OPTIONAL { ?holder ak:name ?name }
  OPTIONAL { ?holding ak:during ?interval .
             OPTIONAL { ?interval ak:startDate ?start } OPTIONAL { ?interval ak:endDate ?end } }
  OPTIONAL { ?holding ak:termLabel ?term }
  OPTIONAL { ?holding ak:inferred ?inferred }
} ORDER BY ?start ?end ?name ?holding""",
    "statements": """SELECT ?this ?claim ?quote ?doc ?file ?start ?end ?date ?item ?title ?post ?postName WHERE {
  ?claim ak:speaker ?this ; ak:span ?span .
  ?span ak:quote ?quote ; ak:start ?start ; ak:end ?end ; ak:document ?doc .
  OPTIONAL { ?doc ak:fileName ?file }
  OPTIONAL { ?claim ak:date ?stated }
  OPTIONAL { ?claim ak:inItem ?item OPTIONAL { ?item ak:title ?title } OPTIONAL { ?item ak:date ?published } }
  OPTIONAL { ?claim ak:inRole ?post OPTIONAL { ?post ak:name ?postName } }
  BIND (COALESCE(?stated, ?published) AS ?date)
} ORDER BY (!BOUND(?date)) ?date ?file ?start ?claim""",
    "claims": """SELECT ?this ?claim ?type ?quote ?doc ?file ?start ?end ?number ?measure ?value ?unit ?direction
  ?period WHERE {
  VALUES ?type { ak:Finding ak:Recommendation }
  ?claim ak:source ?this ; a ?type ; ak:span ?span .
  ?span ak:quote ?quote ; ak:start ?start ; ak:end ?end ; ak:document ?doc .
  OPTIONAL { ?doc ak:fileName ?file }
  OPTIONAL { ?claim ak:number ?number }
  OPTIONAL { ?claim ak:measure/ak:name ?measure }
  OPTIONAL { ?claim ak:value ?value }
  OPTIONAL { ?claim ak:unit ?unitIri BIND (STRAFTER(STR(?unitIri), STR(ak:)) AS ?unit) }
  OPTIONAL { ?claim ak:direction ?directionIri BIND (STRAFTER(STR(?directionIri), STR(ak:)) AS ?direction) }
  OPTIONAL { ?claim ak:periodLabel ?period }
} ORDER BY ?type ?file ?start ?claim""",
    # the resources that refer to this one, named ones first, at most INCOMING_SHOWN
    "incoming": """SELECT ?this ?s ?p (SAMPLE(?l) AS ?label) WHERE {
  ?s ?p ?this
  OPTIONAL { ?s ak:name|ak:title|rdfs:label ?name }
  OPTIONAL { ?s ak:span/ak:quote ?quote }
  BIND (COALESCE(?name, IF(STRLEN(?quote) > 90, CONCAT(SUBSTR(?quote, 1, 90), "…"), ?quote)) AS ?l)
} GROUP BY ?this ?s ?p ORDER BY (!BOUND(?label)) ?p ?s LIMIT """
    + str(INCOMING_SHOWN),
}
RESOURCE_GRAPH = """CONSTRUCT { ?this ?p ?o . ?span ?sp ?so } WHERE {
  { ?this ?p ?o } UNION { ?this ak:span|ak:mention|ak:dateSpan ?span . ?span ?sp ?so }
}"""

EXAMPLES = {
    "Instances per class": "SELECT ?class (COUNT(?s) AS ?instances)\nWHERE { ?s a ?class }\n"
    "GROUP BY ?class\nORDER BY DESC(?instances)",
    "Statements with the quote they came from": "SELECT ?speaker ?quote ?document ?start ?end\nWHERE {\n"
    "  ?statement a ak:Statement ; ak:speaker/ak:name ?speaker ; ak:span ?span .\n"
    "  ?span ak:quote ?quote ; ak:start ?start ; ak:end ?end ; ak:document/ak:fileName ?document .\n}\n"
    "ORDER BY ?document ?start\nLIMIT 100",
    "Who held which post, when": "SELECT ?person ?post ?start ?end\nWHERE {\n"
    "  ?holding ak:holder/ak:name ?person ; ak:post/ak:name ?post .\n"
    "  OPTIONAL { ?holding ak:during ?i OPTIONAL { ?i ak:startDate ?start } OPTIONAL { ?i ak:endDate ?end } }\n}\n"
    "ORDER BY ?post ?start",
    "Triples per named graph": "SELECT ?graph (COUNT(*) AS ?triples)\nWHERE { GRAPH ?graph { ?s ?p ?o } }\n"
    "GROUP BY ?graph",
}


# -- the application ------------------------------------------------------------------------


def _engine(config: ServerConfig) -> QueryEngine:
    if config.store.is_remote:
        return StoreEngine(open_store(config.store), timeout=config.timeout)
    return WorkerPool(config.store, size=config.workers, timeout=config.timeout)


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body; 413 when it is (or declares to be) longer than ``limit`` bytes."""
    too_large = ProtocolError(413, f"the request body is larger than the server's limit of {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _charset_text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the request body is not UTF-8 (byte {exc.start})") from exc


@dataclass(frozen=True)
class ProtocolRequest:
    """The operation of a SPARQL Protocol request and its parameters."""

    query: str | None
    update: str | None
    params: tuple[tuple[str, str], ...]

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.params if k == name]


async def _protocol_request(request: Request, max_body: int) -> ProtocolRequest:
    params = list(request.query_params.multi_items())
    if request.method == "POST":
        body = await _read_body(request, max_body)
        media = _media_type(request)
        if media == "application/x-www-form-urlencoded":
            params += parse_qsl(_charset_text(body), keep_blank_values=True)
        elif media == "application/sparql-query":
            params.append(("query", _charset_text(body)))
        elif media == "application/sparql-update":
            params.append(("update", _charset_text(body)))
        else:
            raise ProtocolError(
                415,
                f"unsupported media type {media or '(none)'!r}: send application/sparql-query, "
                "application/sparql-update or application/x-www-form-urlencoded",
            )
    queries = [v for k, v in params if k == "query"]
    updates = [v for k, v in params if k == "update"]
    if len(queries) > 1 or len(updates) > 1:
        raise ProtocolError(400, "give exactly one 'query' (or 'update') parameter, not several")
    if queries and updates:
        raise ProtocolError(400, "a request holds either a query or an update, not both")
    if request.method == "GET" and updates:
        raise ProtocolError(400, "an update must be sent with POST")
    return ProtocolRequest(queries[0] if queries else None, updates[0] if updates else None, tuple(params))


class Service:
    """What the routes share: the configuration, the query engine, the writer, metrics and templates."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.engine = _engine(config)
        self.writer = None if config.store.is_remote else GraphWriter(config.store)
        self.metrics = Metrics()
        self.templates = _templates()

    async def run(
        self,
        query: str,
        *,
        bindings: Mapping[str, Cell] | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> Answer:
        """Run a query through the engine, within the server's limits; SERVICE only when allowed."""
        if not self.config.allow_service and "SERVICE" in keywords(query):
            raise ProtocolError(403, "SERVICE (federated query) is disabled on this server")
        for graph in (*default_graphs, *named_graphs):
            try:
                ox.NamedNode(graph)
            except ValueError as exc:
                raise ProtocolError(400, f"default-graph-uri and named-graph-uri take IRIs, not {graph!r}") from exc
        bound = tuple((bindings or {}).items())
        job = Job(query, self.config.max_rows, bound, tuple(default_graphs), tuple(named_graphs))
        return await self.engine.run(job)

    async def run_named(self, query: NamedQuery, values: Mapping[str, str]) -> Answer:
        """A named query with its parameters bound; the rows hold its declared columns."""
        bindings = {name: _rdflib_cell(term) for name, term in query.bindings(values).items()}
        answer = await self.run(query.text, bindings=bindings)
        if answer.form is not Form.SELECT:
            return answer
        keep = [answer.variables.index(c) for c in query.contract_columns(answer.variables)]
        return Answer(
            Form.SELECT,
            tuple(answer.variables[i] for i in keep),
            tuple(tuple(row[i] for i in keep) for row in answer.rows),
            truncated=answer.truncated,
        )

    async def census(self) -> Census:
        answers = {key: await self.run(text) for key, text in _COUNTS.items()}
        counted = {
            key: tuple((r["c" if "c" in r else "g"].value, int(r["n"].value)) for r in answer.records())
            for key, answer in answers.items()
        }
        documents = (await self.run(_DOCUMENTS)).records()
        return Census(counted["graphs"], counted["classes"], counted["properties"], tuple(documents))

    async def measures(self) -> list[tuple[str, int]]:
        """The measures that findings are on, with how many, most first."""
        return [(r["measure"].value, int(r["findings"].value)) for r in (await self.run(MEASURES)).records()]

    def answer(self, request: Request, answer: Answer, given_format: str | None = None) -> Response:
        """An answer in the format the request asks for (``format=``, else Accept)."""
        formats = GRAPH_FORMATS if answer.form is Form.GRAPH else RESULT_FORMATS
        requested = given_format or request.query_params.get("format")
        media = negotiate(formats, request.headers.get("accept"), requested)
        return answer_response(answer, media, max_rows=self.config.max_rows)

    def authorise(self, request: Request) -> None:
        """Refuse (403) on a read-only server, or (401) a request without the bearer token."""
        token = self.config.token
        if not token:
            raise ProtocolError(
                403,
                "this server is read-only: SPARQL Update and the Graph Store Protocol are enabled only "
                f"when it is started with a token (${ENV_TOKEN})",
            )
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(credentials.encode(), token.encode()):
            challenge = {"WWW-Authenticate": 'Bearer realm="adcs-kg"'}
            raise ProtocolError(401, "this operation needs the server's bearer token", challenge)

    async def change(self, request: Request, edit: Callable[[ox.Store], None]) -> None:
        self.authorise(request)
        if self.writer is None:
            raise ProtocolError(501, "updates are not forwarded to a remote store: use its own update endpoint")
        await self.writer.apply(edit)

    def page(
        self, request: Request, template: str, context: dict[str, Any], *, status: int = 200, csp: str = _CSP
    ) -> Response:
        response = self.templates.TemplateResponse(request, template, context, status_code=status)
        response.headers["Content-Security-Policy"] = csp
        return response

    def error(self, request: Request, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
        """An error as a page for browsers on the web pages, JSON on the API, else plain text."""
        path = request.url.path
        machine = path.startswith(("/sparql", "/api/", "/store", "/health", "/metrics", "/.well-known"))
        if not machine and "text/html" in request.headers.get("accept", ""):
            return self.page(request, "error.html", {"status": status, "message": message}, status=status)
        if path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=status, headers=dict(headers or {}))
        return PlainTextResponse(message + "\n", status_code=status, headers=dict(headers or {}))


def _described(request: Request, graph: Graph) -> Response:
    media = negotiate(GRAPH_FORMATS, request.headers.get("accept"), request.query_params.get("format"))
    body = serialize_graph(graph.serialize(format="nt", encoding="utf-8"), media)
    return Response(body, media_type=media.media_type, headers={"Vary": "Accept"})


def _add_error_handlers(app: FastAPI, service: Service) -> None:
    """Our errors as HTTP statuses; anything else stays a 500 (a server bug is never a 400)."""
    statuses: dict[type[Exception], tuple[int, str, str, dict[str, str]]] = {
        QuerySyntaxError: (400, "syntax", "malformed ", {}),
        QueryParameterError: (400, "parameter", "", {}),
        UnknownQueryError: (404, "unknown_query", "", {}),
        QueryTimeoutError: (503, "timeout", "timeout: ", {"Retry-After": "10"}),
        StoreError: (503, "store", "the store is unavailable: ", {"Retry-After": "10"}),
    }

    async def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, ProtocolError):
            service.metrics.errors[f"http_{exc.status}"] += 1
            return service.error(request, exc.status, str(exc), exc.headers)
        status, reason, prefix, headers = next(v for k, v in statuses.items() if isinstance(exc, k))
        service.metrics.errors[reason] += 1
        if isinstance(exc, QueryTimeoutError):
            service.metrics.timeouts += 1
        return service.error(request, status, f"{prefix}{exc}", headers)

    kinds: list[type[Exception]] = [ProtocolError, *statuses]
    for kind in kinds:
        app.add_exception_handler(kind, handle)


def _add_protocol(app: FastAPI, service: Service) -> None:
    """``/sparql`` (SPARQL 1.1 Protocol, query and update, service description) and ``/.well-known/void``."""
    config = service.config

    async def update(request: Request, text: str) -> Response:
        service.authorise(request)
        words = keywords(text)
        if not config.allow_load and "LOAD" in words:
            raise ProtocolError(403, "LOAD is disabled on this server")
        if not config.allow_service and "SERVICE" in words:
            raise ProtocolError(403, "SERVICE (federated query) is disabled on this server")
        await service.change(request, _run_update(text))
        return Response(status_code=204)

    async def sparql(request: Request) -> Response:
        operation = await _protocol_request(request, config.max_body)
        if operation.update is not None:
            return await update(request, operation.update)
        if operation.query is None:
            if request.method == "POST":
                raise ProtocolError(400, "missing 'query' (or 'update') parameter")
            if _prefers_html(request, GRAPH_FORMATS):
                return RedirectResponse("/editor", status_code=303)
            base, census = str(request.base_url), await service.census()
            return _described(request, _service_description(base, census, config) + _void(base, census))
        if request.method == "GET" and _prefers_html(request, RESULT_FORMATS + GRAPH_FORMATS):
            return RedirectResponse("/editor?" + urlencode({"query": operation.query}), status_code=303)
        answer = await service.run(
            operation.query,
            default_graphs=operation.values("default-graph-uri"),
            named_graphs=operation.values("named-graph-uri"),
        )
        given = operation.values("format")
        return service.answer(request, answer, given[0] if given else None)

    app.add_api_route(
        "/sparql",
        sparql,
        methods=["GET", "POST"],
        summary="SPARQL 1.1 Protocol: query (and update, with the token); without a query, the service description",
        response_class=Response,
    )

    @app.get("/.well-known/void", summary="VoID description of the dataset", response_class=Response)
    async def void(request: Request) -> Response:
        return _described(request, _void(str(request.base_url), await service.census()))


def _target_graph(request: Request) -> str | None:
    """The graph a Graph Store Protocol request names (None for ``?default``)."""
    graph = request.query_params.get("graph")
    if graph is None and "default" not in request.query_params:
        raise ProtocolError(400, "name the graph: ?graph=IRI, or ?default")
    if graph is not None and not re.fullmatch(r"[a-zA-Z][\w+.-]*:[^\s<>\"{}|\\^`]+", graph):
        raise ProtocolError(400, f"graph must be an absolute IRI, not {graph!r}")
    return graph


def _add_graph_store(app: FastAPI, service: Service) -> None:
    """``/store``: the SPARQL 1.1 Graph Store HTTP Protocol, every method behind the token."""

    @app.get("/store", summary="Graph Store Protocol: read a graph (token required)", response_class=Response)
    async def store_get(request: Request) -> Response:
        service.authorise(request)
        graph = _target_graph(request)
        if graph is None:
            answer = await service.run("CONSTRUCT WHERE { ?s ?p ?o }")
        else:
            construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
            answer = await service.run(construct, bindings={"g": Cell(TermKind.URI, graph)})
        return service.answer(request, answer)

    async def store_write(request: Request, *, replace: bool) -> Response:
        service.authorise(request)
        graph = _target_graph(request)
        if graph is None:
            raise ProtocolError(405, "the default graph is the union of the named graphs: write to a named graph")
        media = _media_type(request)
        formats = {f.media_type: _OX_FORMATS[f.media_type] for f in GRAPH_FORMATS}
        if media not in formats:
            raise ProtocolError(415, f"send the graph as one of: {', '.join(formats)}")
        body = await _read_body(request, service.config.max_body)
        await service.change(request, _put_graph(graph, body, formats[media], replace=replace))
        return Response(status_code=204)

    @app.put("/store", summary="Graph Store Protocol: replace a named graph (token required)")
    async def store_put(request: Request) -> Response:
        return await store_write(request, replace=True)

    @app.post("/store", summary="Graph Store Protocol: add triples to a named graph (token required)")
    async def store_post(request: Request) -> Response:
        return await store_write(request, replace=False)

    @app.delete("/store", summary="Graph Store Protocol: drop a named graph (token required)")
    async def store_delete(request: Request) -> Response:
        graph = _target_graph(request)
        if graph is None:
            raise ProtocolError(405, "the default graph is the union of the named graphs: drop named graphs")
        await service.change(request, _delete_graph(graph))
        return Response(status_code=204)


def _add_operations(app: FastAPI, service: Service) -> None:
    """``/health`` and ``/metrics``."""

    @app.get("/health", summary="Whether the store is reachable, and its triple count")
    async def health() -> JSONResponse:
        try:
            answer = await service.run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        except (StoreError, QueryTimeoutError) as exc:
            return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
        triples = int(answer.records()[0]["n"].value)
        return JSONResponse({"status": "ok", "store": str(service.config.store), "triples": triples})

    @app.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    async def prometheus() -> PlainTextResponse:
        return PlainTextResponse(service.metrics.render(), media_type="text/plain; version=0.0.4")


def _describe_query(query: NamedQuery) -> dict[str, Any]:
    params = [{"name": p.name, "type": p.type.value, "example": p.example, "meaning": p.meaning} for p in query.params]
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "params": params,
        "url": f"/api/queries/{query.name}",
    }


_OPENAPI_TYPES = {
    ParamType.STRING: {"type": "string"},
    ParamType.DATE: {"type": "string", "format": "date"},
    ParamType.IRI: {"type": "string", "format": "uri"},
    ParamType.INTEGER: {"type": "integer"},
    ParamType.DECIMAL: {"type": "number"},
    ParamType.BOOLEAN: {"type": "boolean"},
}


def _openapi_with_named_queries(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The OpenAPI document, with a path of its own for each named query and its parameters."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            generic = schema["paths"]["/api/queries/{name}"]["get"]
            output = {
                "name": "format",
                "in": "query",
                "required": False,
                "description": "csv, tsv, json or xml (instead of an Accept header)",
                "schema": {"type": "string", "enum": ["csv", "tsv", "json", "xml"]},
            }
            for query in named_queries().values():
                parameters = [
                    {
                        "name": p.name,
                        "in": "query",
                        "required": p.default is None,
                        "description": p.meaning,
                        "schema": {**_OPENAPI_TYPES[p.type], "example": p.example},
                    }
                    for p in query.params
                ]
                operation = {
                    "summary": query.summary,
                    "description": query.description,
                    "operationId": f"named_query_{query.name}",
                    "tags": ["named queries"],
                    "parameters": [*parameters, output],
                    "responses": {k: v for k, v in generic["responses"].items() if k != "422"},
                }
                schema["paths"][f"/api/queries/{query.name}"] = {"get": operation}
            app.openapi_schema = schema
        return app.openapi_schema

    return document


def _add_api(app: FastAPI, service: Service) -> None:
    """``/api/queries``: the named queries as a JSON API."""

    @app.get("/api/queries", summary="The named queries and their parameters")
    async def api_queries() -> list[dict[str, Any]]:
        return [_describe_query(q) for q in named_queries().values()]

    @app.get(
        "/api/queries/{name}",
        summary="Run a named query; its parameters are query-string parameters (see /api/queries)",
        response_class=Response,
        responses={200: {"content": {f.media_type: {} for f in RESULT_FORMATS}}},
    )
    async def api_query(request: Request, name: str) -> Response:
        values = {k: v for k, v in request.query_params.items() if k != "format"}
        return service.answer(request, await service.run_named(named_query(name), values))


def _add_pages(app: FastAPI, service: Service) -> None:
    """The home page, the named-query forms and the SPARQL editor."""

    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        census = await service.census()
        context = {
            "census": census,
            "classes": [(c, n) for c, n in census.classes if c.startswith(str(AK))],
            "queries": list(named_queries().values()),
            "writable": bool(service.config.token),
            "measures": await service.measures(),
        }
        return service.page(request, "home.html", context)

    @app.get("/queries/{name}", include_in_schema=False)
    async def named_page(request: Request, name: str) -> Response:
        query = named_query(name)
        values = {p.name: request.query_params[p.name] for p in query.params if request.query_params.get(p.name)}
        context: dict[str, Any] = {"query": query, "values": values, "answer": None, "error": None}
        status = 200
        if query.runnable(values):
            try:
                context["answer"] = await service.run_named(query, values)
            except QueryParameterError as exc:
                context["error"], status = str(exc), 400
        context["download"] = "/api/queries/" + quote(name) + "?" + urlencode(values)
        return service.page(request, "named.html", context, status=status)

    @app.get("/editor", include_in_schema=False)
    async def editor(request: Request) -> Response:
        text = request.query_params.get("query")
        context: dict[str, Any] = {
            "text": text or EXAMPLES["Instances per class"],
            "examples": EXAMPLES,
            "named": [q for q in named_queries().values() if not q.params],
            "prefixes": sparql_prefixes(),
        }
        status = 200
        if text:
            context["permalink"] = "/editor?" + urlencode({"query": text})
            try:
                context.update(_editor_results(text, await service.run(text)))
            except QuerySyntaxError as exc:
                context["error"], status = f"malformed {exc}", 400
            except ProtocolError as exc:
                context["error"], status = str(exc), exc.status
        return service.page(request, "editor.html", context, status=status)


def _editor_results(text: str, answer: Answer) -> dict[str, Any]:
    """What the editor shows of an answer: the rows (or Turtle) and download links in every format."""
    formats = GRAPH_FORMATS if answer.form is Form.GRAPH else RESULT_FORMATS
    links = [(f.label, "/sparql?" + urlencode({"query": text, "format": f.media_type})) for f in formats]
    shown: dict[str, Any] = {"answer": answer, "formats": links}
    if answer.form is Form.GRAPH:
        shown["turtle"] = serialize_graph(answer.ntriples, GRAPH_FORMATS[0]).decode()
    return shown


@dataclass(frozen=True)
class Group:
    """Records that share some columns (a sentence, an item), in their order; ``first`` holds the shared ones."""

    first: dict[str, Cell]
    members: tuple[dict[str, Cell], ...]


def grouped(records: Iterable[dict[str, Cell]], *columns: str) -> list[Group]:
    """``records`` grouped by the values of ``columns``, groups in the order they first appear."""
    groups: dict[tuple[str, ...], list[dict[str, Cell]]] = {}
    for record in records:
        groups.setdefault(tuple(record[c].value if c in record else "" for c in columns), []).append(record)
    return [Group(members[0], tuple(members)) for members in groups.values()]


def _add_resources(app: FastAPI, service: Service) -> None:
    """Linked-data pages: every IRI of the graph as HTML (facts, quotes, posts, claims) or RDF by Accept."""

    async def resource(request: Request, iri: str) -> Response:
        try:
            this = {"this": Cell(TermKind.URI, ox.NamedNode(iri).value)}
        except ValueError as exc:
            raise ProtocolError(400, f"not an IRI: {iri!r}") from exc
        if not _prefers_html(request, GRAPH_FORMATS):
            answer = await service.run(RESOURCE_GRAPH, bindings=this)
            if not answer.ntriples.strip():
                raise ProtocolError(404, f"the graph says nothing about {iri}")
            return service.answer(request, answer)
        sections = {key: (await service.run(text, bindings=this)).records() for key, text in RESOURCE_QUERIES.items()}
        if not sections["facts"] and not sections["incoming"]:
            raise ProtocolError(404, f"the graph says nothing about {iri}")
        claims = sections.pop("claims")
        labels = [r["label"].value for r in sections["summary"] if "label" in r]
        page = href(iri) + ("&" if "?" in href(iri) else "?")
        context = {
            "iri": iri,
            "label": labels[0] if labels else compact(iri),
            "types": sorted({r["type"].value for r in sections["summary"] if "type" in r}),
            "neighbourhood": "/viz/neighbourhood?" + urlencode({"iri": iri}),
            "incoming_shown": INCOMING_SHOWN,
            "downloads": [(f.label, page + urlencode({"format": f.media_type})) for f in GRAPH_FORMATS],
            **sections,
            # a sentence often gives several figures; an item often quotes its speaker several times
            "findings": grouped((r for r in claims if r["type"].value == str(AK.Finding)), "doc", "start", "end"),
            "recommendations": grouped(
                (r for r in claims if r["type"].value == str(AK.Recommendation)), "doc", "start", "end"
            ),
            "statements": grouped(sections["statements"], "item", "date", "post"),
        }
        page_response = service.page(request, "resource.html", context)
        page_response.headers["Vary"] = "Accept"  # the same URL gives RDF to other clients
        return page_response

    @app.get("/id/{path:path}", summary="A graph resource (id: IRI): HTML, or RDF by Accept", response_class=Response)
    async def identified(request: Request, path: str) -> Response:
        return await resource(request, str(ID) + path)

    @app.get("/resource", summary="Any IRI of the graph: HTML, or RDF by Accept", response_class=Response)
    async def any_resource(request: Request, iri: str) -> Response:
        return await resource(request, iri)


_CHART_STYLES = "style-src 'self' 'unsafe-inline'"
_PICTURE_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
"""The pictures are self-contained documents (inline script and style, nothing fetched)."""


def _add_pictures(app: FastAPI, service: Service) -> None:
    """The pictures of :mod:`graph.viz`: a resource's neighbourhood, the officer timeline, a measure's chart."""

    async def picture(drawing: Drawing) -> Response:
        drawn = await service.engine.draw(drawing)
        return Response(drawn.body, media_type=drawn.media_type, headers={"Content-Security-Policy": _PICTURE_CSP})

    @app.get("/viz/neighbourhood", include_in_schema=False)
    async def neighbourhood(iri: str) -> Response:
        return await picture(Drawing(View.NEIGHBOURHOOD, iri))

    @app.get("/viz/officers.svg", include_in_schema=False)
    async def officers_svg() -> Response:
        return await picture(Drawing(View.OFFICERS))

    @app.get("/viz/measure.svg", include_in_schema=False)
    async def measure_svg(measure: str) -> Response:
        return await picture(Drawing(View.MEASURE, measure))

    async def chart_page(request: Request, drawing: Drawing, context: dict[str, Any]) -> Response:
        svg = (await service.engine.draw(drawing)).body.decode()
        context["svg"] = svg[svg.index("<svg") :]  # inline, so that its links open in the page
        # matplotlib styles the SVG with style elements and attributes
        return service.page(request, "chart.html", context, csp=_CSP.replace("style-src 'self'", _CHART_STYLES))

    @app.get("/viz/officers", include_in_schema=False)
    async def officers_page(request: Request) -> Response:
        context = {"title": "ADCS officers by year", "download": "/viz/officers.svg", "measures": None}
        return await chart_page(request, Drawing(View.OFFICERS), context)

    @app.get("/viz/measure", include_in_schema=False)
    async def measure_page(request: Request, measure: str = "") -> Response:
        measures = await service.measures()
        chosen = measure or (measures[0][0] if measures else "")
        context = {
            "title": f"{chosen} across reports" if chosen else "Measures across reports",
            "download": "/viz/measure.svg?" + urlencode({"measure": chosen}),
            "measures": measures,
            "measure": chosen,
        }
        return await chart_page(request, Drawing(View.MEASURE, chosen), context)


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

    app.openapi = _openapi_with_named_queries(app)  # type: ignore[method-assign]
    for add in (
        _add_error_handlers,
        _add_protocol,
        _add_graph_store,
        _add_operations,
        _add_api,
        _add_pages,
        _add_resources,
        _add_pictures,
    ):
        add(app, service)
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
