"""Where queries and pictures run: worker processes for an embedded store, or a remote store.

Queries and pictures of an embedded store never run in the server process: a small pool of worker
processes opens it read-only (:class:`WorkerPool`); a query that overruns its time limit has its
worker killed and replaced, and is answered 503, while the other workers keep serving. While
every worker is busy, a fast-lane worker answers with a short time limit, and a query that finds
no worker free within a second is refused at once (503 with ``Retry-After``).
A remote store is queried through the :class:`~graph.store.Store` protocol
(:class:`StoreEngine`). Both give a :class:`~graph.results.Answer`, or a :class:`Picture`.
"""

from __future__ import annotations

import asyncio
import contextlib
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

from ..errors import ProtocolError, QueryParameterError, QuerySyntaxError, QueryTimeoutError, StoreError
from ..results import Answer, Cell, answer_from_rdflib, rdflib_term
from ..sparql import syntax_error
from ..store import EmbeddedStore, Store, StoreConfig

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
    """Run ``job`` on an embedded store (used by the workers)."""
    return store.answer(
        job.query,
        max_rows=job.max_rows,
        bindings=job.bindings,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        base_iri=job.base_iri,
    )


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
    with contextlib.suppress(EOFError, OSError):  # the server went away: so does the worker, quietly
        connection.send(_READY)
        while True:
            work: Job | Drawing = connection.recv()
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
    """Queries of an embedded store, run in worker processes killed and replaced when they overrun.

    Admission control keeps slow queries from holding up the rest: ``size`` workers take queries
    with the full time limit; while all of them are busy, one more worker, the *fast lane*, takes
    queries with the short limit ``fast_lane`` (a runaway there is stopped within it); a query
    that finds no worker free within ``admission_wait`` is refused at once with 503 and
    ``Retry-After``, rather than queued behind the runaways.
    """

    def __init__(
        self, config: StoreConfig, *, size: int, timeout: float, fast_lane: float = 1.0, admission_wait: float = 1.0
    ) -> None:
        self._location = str(config.path)
        self._size = size
        self._timeout = timeout
        self._fast_timeout = min(fast_lane, timeout)
        self._admission_wait = admission_wait
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._fast: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._pending: set[asyncio.Task[Any]] = set()

    def _spawn(self) -> _Worker:
        worker = _Worker(self._location)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self._size + 1)))
        for worker in workers[:-1]:
            self._idle.put_nowait(worker)
        self._fast.put_nowait(workers[-1])

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

    async def _add(self, lane: asyncio.Queue[_Worker]) -> None:
        lane.put_nowait(await asyncio.to_thread(self._spawn))

    def _retire(self, worker: _Worker, lane: asyncio.Queue[_Worker]) -> None:
        """Kill ``worker`` and start its replacement in ``lane`` in the background."""
        worker.kill()
        self._all.discard(worker)
        self._track(asyncio.create_task(self._add(lane)))

    async def _use(
        self, worker: _Worker, lane: asyncio.Queue[_Worker], work: Job | Drawing
    ) -> Answer | Picture | Failure:
        """Run ``work`` on ``worker``, then give the worker back (or replace it if it overran or died)."""
        timeout = self._fast_timeout if lane is self._fast else self._timeout
        try:
            outcome = await asyncio.to_thread(worker.call, work, timeout)
        except QueryTimeoutError:
            self._retire(worker, lane)
            raise
        except (EOFError, OSError) as exc:
            self._retire(worker, lane)
            raise RuntimeError(f"a query worker died: {exc}") from exc
        lane.put_nowait(worker)
        return outcome

    async def _acquire(self) -> tuple[_Worker, asyncio.Queue[_Worker]]:
        """A free worker and its lane: a general one if any is idle, else whichever frees first."""
        with contextlib.suppress(asyncio.QueueEmpty):
            return self._idle.get_nowait(), self._idle
        waits = {asyncio.ensure_future(lane.get()): lane for lane in (self._idle, self._fast)}
        _, pending = await asyncio.wait(waits, timeout=self._admission_wait, return_when=asyncio.FIRST_COMPLETED)
        for wait in pending:
            wait.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        got = [(wait.result(), waits[wait]) for wait in waits if wait.done() and not wait.cancelled()]
        for worker, lane in got[1:]:  # both freed at once: keep one
            lane.put_nowait(worker)
        if not got:
            raise ProtocolError(
                503,
                f"all {self._size + 1} query workers are busy: try again shortly",
                {"Retry-After": str(max(1, round(self._fast_timeout)))},
            )
        return got[0]

    async def _submit(self, work: Job | Drawing) -> Answer | Picture:
        worker, lane = await self._acquire()
        # shielded: a request cancelled (client gone) still hands its worker back when the work ends
        task = asyncio.create_task(self._use(worker, lane, work))
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
