"""Where queries and pictures run: worker processes for an embedded store, or a remote store.

Queries and pictures of an embedded store never run in the server process: a small pool of worker
processes opens it read-only (:class:`WorkerPool`); a query that overruns its time limit has its
worker killed and replaced, and is answered 503, while the other workers keep serving.
A remote store is queried through the :class:`~graph.store.Store` protocol
(:class:`StoreEngine`). Both give a :class:`~graph.results.Answer`, or a :class:`Picture`.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection
from typing import Any, Protocol, TypeVar

import pyoxigraph as ox

from ..errors import ProtocolError, QueryParameterError, QuerySyntaxError, QueryTimeoutError, StoreError
from ..results import PREFIX_IRIS, Answer, Cell, answer_from_ox, answer_from_rdflib, ox_term, rdflib_term
from ..store import EmbeddedStore, Store, StoreConfig, syntax_error

_T = TypeVar("_T")


@dataclass(frozen=True)
class Job:
    """A query to run, with its dataset, bound parameters and row limit."""

    query: str
    max_rows: int
    bindings: tuple[tuple[str, Cell], ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    """What relative IRIs in the query resolve against (the endpoint's URL)."""


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
    trace: str = ""
    """Where a bug (INTERNAL) happened in the worker, for the server's log."""


class QueryEngine(Protocol):
    """Runs queries for the server; started and stopped with the application."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def run(self, job: Job) -> Answer: ...

    async def draw(self, drawing: Drawing) -> Picture: ...


def draw(store: Store, drawing: Drawing) -> Picture:
    """Draw ``drawing`` from ``store`` with :mod:`graph.viz`, linking to this server's pages."""
    from .. import viz  # imported on first use: it brings networkx, pyvis and matplotlib

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
    except Exception as exc:  # the server's fault, not the query's: a 500, its traceback logged by the server
        return Failure(FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())


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
        base_iri=job.base_iri,
        prefixes=PREFIX_IRIS,
        substitutions={ox.Variable(name): ox_term(cell) for name, cell in job.bindings},
        **dataset,
    )
    return answer_from_ox(results, job.max_rows)


_READY = "ready"


def _warm_up() -> None:
    """Import what drawing needs before the worker says it is ready.

    A picture's time limit is then spent drawing, not importing networkx and matplotlib and
    setting up matplotlib's SVG output (seconds on a busy machine, for the first picture).
    """
    import matplotlib
    import matplotlib.backends.backend_svg
    import matplotlib.figure

    from .. import viz  # noqa: F401

    matplotlib.use("Agg")


def worker_main(descriptor: int, location: str) -> None:
    """A query worker process: answers the jobs and drawings sent over the socket ``descriptor`` until it closes."""
    connection = Connection(descriptor)
    store = EmbeddedStore(StoreConfig(location))
    _warm_up()
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


_WORKER_COMMAND = "import sys; from graph.server.workers import worker_main; worker_main(int(sys.argv[1]), sys.argv[2])"


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


class WorkerError(RuntimeError):
    """A bug met in a query worker: its message, and its traceback there (for the server's log only)."""

    def __init__(self, message: str, worker_traceback: str) -> None:
        super().__init__(message)
        self.worker_traceback = worker_traceback


def _unwrap(outcome: Answer | Picture | Failure) -> Answer | Picture:
    if not isinstance(outcome, Failure):
        return outcome
    if outcome.kind == FailureKind.SYNTAX:
        raise QuerySyntaxError(outcome.message, line=outcome.line, column=outcome.column)
    if outcome.kind == FailureKind.PARAMETER:
        raise QueryParameterError(outcome.message)
    if outcome.kind == FailureKind.STORE:
        raise StoreError(outcome.message)
    raise WorkerError(outcome.message, outcome.trace)


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
        bindings = {name: rdflib_term(cell) for name, cell in job.bindings}
        if job.base_iri is None:
            return answer_from_rdflib(self._store.query(job.query, bindings=bindings), job.max_rows)
        # the store has no base IRI of its own: one on the query's first line, its errors' lines counted without it
        try:
            result = self._store.query(f"BASE <{job.base_iri}>\n{job.query}", bindings=bindings)
        except QuerySyntaxError as exc:
            line = None if exc.line is None else max(exc.line - 1, 1)
            raise QuerySyntaxError(exc.message, line=line, column=exc.column, source=exc.source) from exc
        return answer_from_rdflib(result, job.max_rows)
