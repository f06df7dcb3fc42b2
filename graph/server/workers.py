"""Where queries and pictures run: worker processes for an embedded store, or a remote store.

Queries and pictures of an embedded store never run in the server process: pyoxigraph cannot stop
a query once it runs, so a small pool of worker processes opens the store read-only
(:class:`WorkerPool`), and a query that overruns its time limit has its worker killed and
replaced, and is answered 503, while the other workers keep serving. The common case pays little
for that isolation: the server talks to each worker over a socket of the event loop (no thread
per query), and a worker writes a client's answer itself, in the format the client asked for, with
pyoxigraph's writers (:class:`Writing`), so the server process passes the bytes on and never
reads the rows.

Admission (:class:`Lanes`) is the same for both engines: ``size`` slots take queries with the
full time limit; while all of them are busy, one more, the *fast lane*, takes queries with a
short limit (a runaway there is stopped within it); a query that finds no slot free within the
admission wait is refused at once (503 with ``Retry-After``) rather than queued behind runaways.
A remote store is queried through the :class:`~graph.store.Store` protocol from threads of the
server, one per slot (:class:`StoreEngine`); a slot is free again when its request to the remote
server ends, which its HTTP timeout bounds. Both give a :class:`~graph.results.Answer`, a
:class:`~graph.results.Written` answer, or a :class:`Picture`.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import functools
import pickle
import socket
import struct
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing.connection import Connection
from typing import Any, Generic, Protocol, TypeVar

from ..errors import (
    ProtocolError,
    QueryParameterError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    UnknownQueryError,
)
from ..results import Answer, Cell, Written, answer_from_rdflib, rdflib_term
from ..sparql import syntax_error
from ..store import EmbeddedStore, Store, StoreConfig
from .negotiation import Wanted, written, written_answer

_T = TypeVar("_T")
_O = TypeVar("_O")
_Slot = TypeVar("_Slot")


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
    limit: int | None = None
    """The query's own LIMIT (:func:`~graph.sparql.row_limit`), if it has one."""
    one_pattern: bool = False
    """Whether the query is one triple pattern (:func:`~graph.sparql.single_pattern`): its rows bound its work."""


@dataclass(frozen=True)
class Jobs:
    """Queries answered together: admitted once, run in one slot, within one time limit (a page's sections)."""

    jobs: tuple[Job, ...]


@dataclass(frozen=True)
class Answers:
    """The answers of :class:`Jobs`, in their order."""

    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Writing:
    """A query whose answer is written for a client, as ``wanted`` asks, where it runs."""

    job: Job
    wanted: Wanted


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


Work = Job | Jobs | Writing | Drawing
Outcome = Answer | Answers | Written | Picture


class FailureKind(StrEnum):
    """Why a worker could not answer."""

    SYNTAX = "syntax"
    PARAMETER = "parameter"
    UNKNOWN_QUERY = "unknown_query"
    PROTOCOL = "protocol"
    STORE = "store"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Failure:
    """Why a worker could not answer: a syntax error (with position), a parameter, a refusal, the store, or a bug."""

    kind: FailureKind
    message: str
    line: int | None = None
    column: int | None = None
    status: int = 500
    """The HTTP status of a refusal (PROTOCOL), such as 406 when no format asked for fits the answer."""
    trace: str = ""
    """Where a bug (INTERNAL) happened in the worker, for the server's log."""


class QueryEngine(Protocol):
    """Runs queries for the server; started and stopped with the application."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def run(self, job: Job) -> Answer: ...

    async def run_all(self, jobs: Jobs) -> Answers: ...

    async def write(self, writing: Writing) -> Written: ...

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


def _captured(work: Callable[[], Outcome]) -> Outcome | Failure:
    """The outcome of ``work`` in a worker, its errors turned into a :class:`Failure` to send back."""
    try:
        return work()
    except (SyntaxError, QuerySyntaxError) as exc:
        error = syntax_error(exc) if isinstance(exc, SyntaxError) else exc
        return Failure(FailureKind.SYNTAX, error.message, error.line, error.column)
    except QueryParameterError as exc:
        return Failure(FailureKind.PARAMETER, str(exc))
    except UnknownQueryError as exc:
        return Failure(FailureKind.UNKNOWN_QUERY, str(exc))
    except ProtocolError as exc:
        return Failure(FailureKind.PROTOCOL, str(exc), status=exc.status)
    except (StoreError, OSError) as exc:
        return Failure(FailureKind.STORE, str(exc))
    except Exception as exc:  # the server's fault, not the query's: a 500, its traceback logged by the server
        return Failure(FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())


def evaluate(store: EmbeddedStore, job: Job) -> Answer:
    """Run ``job`` on an embedded store into an answer."""
    return store.answer(
        job.query,
        max_rows=job.max_rows,
        bindings=job.bindings,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        base_iri=job.base_iri,
    )


def write(store: EmbeddedStore, writing: Writing) -> Written:
    """Run a query on an embedded store and write its results for the client, never reading them into an answer."""
    job = writing.job
    run = functools.partial(
        store.results,
        job.query,
        bindings=job.bindings,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        base_iri=job.base_iri,
    )
    return written(run, writing.wanted, limit=job.limit, max_rows=job.max_rows)


def _perform(store: EmbeddedStore, work: Work) -> Outcome:
    if isinstance(work, Job):
        return evaluate(store, work)
    if isinstance(work, Jobs):
        return Answers(tuple(evaluate(store, job) for job in work.jobs))
    if isinstance(work, Writing):
        return write(store, work)
    return draw(store, work)


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
    """A query worker process: answers the work sent over the socket ``descriptor`` until it closes."""
    connection = Connection(descriptor)
    store = EmbeddedStore(StoreConfig(location))
    _warm_up()
    with contextlib.suppress(EOFError, OSError):  # the server went away: so does the worker, quietly
        connection.send(_READY)
        while True:
            work: Work = connection.recv()
            connection.send(_captured(functools.partial(_perform, store, work)))


_WORKER_COMMAND = "import sys; from graph.server.workers import worker_main; worker_main(int(sys.argv[1]), sys.argv[2])"
_SIZE = struct.Struct("!i")
"""The length before each message, as :class:`multiprocessing.connection.Connection` frames them (the worker's end)."""
_LONG_SIZE = struct.Struct("!Q")
"""The length of a message of 2 GiB or more, after a length of -1."""


class _Worker:
    """One worker process (a fresh interpreter) and the server's end of its socket, read by the event loop."""

    def __init__(self, process: subprocess.Popen[bytes], reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.process = process
        self._reader = reader
        self._writer = writer

    @classmethod
    async def start(cls, location: str) -> _Worker:
        ours, theirs = socket.socketpair()
        with theirs:
            process = await asyncio.to_thread(
                subprocess.Popen,
                [sys.executable, "-c", _WORKER_COMMAND, str(theirs.fileno()), location],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        reader, writer = await asyncio.open_unix_connection(sock=ours)
        worker = cls(process, reader, writer)
        try:
            ready = await worker._receive()
        except (asyncio.IncompleteReadError, OSError) as exc:
            worker.kill()
            await worker.reaped()
            raise RuntimeError("a query worker did not start") from exc
        if ready != _READY:
            worker.kill()
            await worker.reaped()
            raise RuntimeError("a query worker did not start")
        return worker

    async def _receive(self) -> object:
        (size,) = _SIZE.unpack(await self._reader.readexactly(_SIZE.size))
        if size == -1:
            (size,) = _LONG_SIZE.unpack(await self._reader.readexactly(_LONG_SIZE.size))
        return pickle.loads(await self._reader.readexactly(size))

    async def call(self, work: Work, timeout: float) -> Outcome | Failure:
        """Send ``work`` and wait for the outcome; :class:`QueryTimeoutError` if it takes longer than ``timeout``."""
        message = pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL)
        self._writer.write(_SIZE.pack(len(message)) + message)
        try:
            async with asyncio.timeout(timeout):
                await self._writer.drain()
                outcome = await self._receive()
        except TimeoutError:
            what = "drawing" if isinstance(work, Drawing) else "query"
            raise QueryTimeoutError(
                f"the {what} ran longer than the server's limit of {timeout:g} s and was stopped"
            ) from None
        assert isinstance(outcome, Answer | Answers | Written | Picture | Failure)
        return outcome

    def kill(self) -> None:
        """Kill the process (at once) and close its socket; :meth:`reaped` waits for the process to end."""
        self.process.kill()
        self._writer.close()

    async def reaped(self) -> None:
        """The killed process has ended: waited for in a thread, as a large process can take a while to
        tear down, during which the event loop must go on."""
        await asyncio.to_thread(self.process.wait)


class Lanes(Generic[_Slot]):
    """Admission to ``size`` general slots and one fast-lane slot, first come, first served.

    A query takes a free general slot, else the fast lane when it is free (with the short time
    limit), else waits for whichever frees first; one that waits longer than ``admission_wait``
    is refused with 503 and ``Retry-After``.
    """

    def __init__(self, *, size: int, admission_wait: float, retry_after: float) -> None:
        self._size = size
        self._admission_wait = admission_wait
        self._retry_after = str(max(1, round(retry_after)))
        self._idle: collections.deque[tuple[_Slot, bool]] = collections.deque()
        self._waiting: collections.deque[asyncio.Future[tuple[_Slot, bool]]] = collections.deque()

    def release(self, slot: _Slot, *, fast: bool) -> None:
        """Give ``slot`` (of the fast lane when ``fast``) to the longest waiting query, or keep it free."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result((slot, fast))
                return
        if fast:
            self._idle.append((slot, fast))
        else:
            self._idle.appendleft((slot, fast))  # general slots are taken before the fast lane

    async def acquire(self) -> tuple[_Slot, bool]:
        """A free slot, and whether it is the fast lane's; 503 when none frees within the admission wait."""
        if self._idle:
            return self._idle.popleft()
        waiter: asyncio.Future[tuple[_Slot, bool]] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            async with asyncio.timeout(self._admission_wait):
                return await waiter
        except TimeoutError:
            if waiter.done() and not waiter.cancelled():  # freed just as the wait ended
                return waiter.result()
            waiter.cancel()
            raise ProtocolError(
                503,
                f"all {self._size + 1} query workers are busy: try again shortly",
                {"Retry-After": self._retry_after},
            ) from None
        except asyncio.CancelledError:  # the request itself was cancelled: a slot handed to it goes back
            if waiter.done() and not waiter.cancelled():
                slot, fast = waiter.result()
                self.release(slot, fast=fast)
            raise


class _Background:
    """Tasks that must run to their end although nobody awaits them (an abandoned request's query)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Future[Any]] = set()

    def keep(self, task: asyncio.Future[_T]) -> asyncio.Future[_T]:
        """Keep ``task`` alive until done, and retrieve its outcome even if nobody awaits it any more."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda done: done.cancelled() or done.exception())
        return task

    def cancel(self) -> None:
        for task in list(self._tasks):
            task.cancel()


class WorkerPool:
    """Queries of an embedded store, run in worker processes killed and replaced when they overrun.

    ``size`` workers take queries with the full time limit, the fast-lane worker with the short
    limit ``fast_lane`` while they are all busy; see :class:`Lanes`. A client's query that is one
    triple pattern (``Job.one_pattern``), whose work grows only with the rows it returns, is
    answered in this process: it cannot run away, and the hop to a worker would cost it more than
    its answer.
    """

    def __init__(
        self, config: StoreConfig, *, size: int, timeout: float, fast_lane: float = 1.0, admission_wait: float = 1.0
    ) -> None:
        self._location = str(config.path)
        self._size = size
        self._timeout = timeout
        self._fast_timeout = min(fast_lane, timeout)
        self._lanes: Lanes[_Worker] = Lanes(size=size, admission_wait=admission_wait, retry_after=self._fast_timeout)
        self._all: set[_Worker] = set()
        self._background = _Background()
        self._reader = EmbeddedStore(config)
        """The store as this process reads it, for the queries whose work their text bounds..."""
        self._scans = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="adcs-kg-scan")
        """...run in threads beside the event loop, which goes on while pyoxigraph parses and plans (it lets go
        of the GIL there; writing the rows holds it)."""

    async def _add(self, *, fast: bool) -> None:
        worker = await _Worker.start(self._location)
        self._all.add(worker)
        self._lanes.release(worker, fast=fast)

    async def start(self) -> None:
        await asyncio.gather(*(self._add(fast=False) for _ in range(self._size)), self._add(fast=True))

    async def stop(self) -> None:
        self._background.cancel()
        workers = list(self._all)
        self._all.clear()
        for worker in workers:
            worker.kill()
        await asyncio.gather(*(worker.reaped() for worker in workers))

    def _retire(self, worker: _Worker, *, fast: bool) -> None:
        """Kill ``worker`` and start its replacement, both awaited in the background."""
        worker.kill()
        self._all.discard(worker)
        self._background.keep(asyncio.ensure_future(worker.reaped()))
        self._background.keep(asyncio.ensure_future(self._add(fast=fast)))

    async def _use(self, worker: _Worker, fast: bool, work: Work) -> Outcome | Failure:
        """Run ``work`` on ``worker``, then give the worker back (or replace it if it overran or died)."""
        try:
            outcome = await worker.call(work, self._fast_timeout if fast else self._timeout)
        except QueryTimeoutError:
            self._retire(worker, fast=fast)
            raise
        except (asyncio.IncompleteReadError, OSError) as exc:
            self._retire(worker, fast=fast)
            raise RuntimeError(f"a query worker died: {exc}") from exc
        self._lanes.release(worker, fast=fast)
        return outcome

    async def _submit(self, work: Work) -> Outcome:
        worker, fast = await self._lanes.acquire()
        # shielded: a request cancelled (client gone) still hands its worker back when the work ends
        task = self._background.keep(asyncio.ensure_future(self._use(worker, fast, work)))
        return _unwrap(await asyncio.shield(task))

    async def run(self, job: Job) -> Answer:
        answer = await self._submit(job)
        assert isinstance(answer, Answer)
        return answer

    async def run_all(self, jobs: Jobs) -> Answers:
        answers = await self._submit(jobs)
        assert isinstance(answers, Answers)
        return answers

    async def write(self, writing: Writing) -> Written:
        """Write a query's answer for a client: in this process when its text bounds its work, else in a worker."""
        if writing.job.one_pattern:
            work = functools.partial(_captured, functools.partial(write, self._reader, writing))
            answer = _unwrap(await asyncio.get_running_loop().run_in_executor(self._scans, work))
        else:
            answer = await self._submit(writing)
        assert isinstance(answer, Written)
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


def _unwrap(outcome: Outcome | Failure) -> Outcome:
    if not isinstance(outcome, Failure):
        return outcome
    if outcome.kind == FailureKind.SYNTAX:
        raise QuerySyntaxError(outcome.message, line=outcome.line, column=outcome.column)
    if outcome.kind == FailureKind.PARAMETER:
        raise QueryParameterError(outcome.message)
    if outcome.kind == FailureKind.UNKNOWN_QUERY:
        raise UnknownQueryError(outcome.message)
    if outcome.kind == FailureKind.PROTOCOL:
        raise ProtocolError(outcome.status, outcome.message)
    if outcome.kind == FailureKind.STORE:
        raise StoreError(outcome.message)
    raise WorkerError(outcome.message, outcome.trace)


class StoreEngine:
    """Queries forwarded to any :class:`~graph.store.Store` (a remote endpoint), with the admission of :class:`Lanes`.

    Each of the ``size`` slots, and the fast lane's, is a thread of the engine's own; a query
    over its time limit is answered 503 at the limit, and its slot is free again when its
    request to the store ends: ``store`` and ``fast_store`` (the fast lane's) should time out
    soon after the limits, so that a runaway holds a slot no longer.
    """

    def __init__(
        self,
        store: Store,
        *,
        timeout: float,
        size: int = 2,
        fast_lane: float = 1.0,
        admission_wait: float = 1.0,
        fast_store: Store | None = None,
    ) -> None:
        self._timeout = timeout
        self._fast_timeout = min(fast_lane, timeout)
        self._lanes: Lanes[Store] = Lanes(size=size, admission_wait=admission_wait, retry_after=self._fast_timeout)
        for _ in range(size):
            self._lanes.release(store, fast=False)
        self._lanes.release(fast_store or store, fast=True)
        self._threads = concurrent.futures.ThreadPoolExecutor(size + 1, thread_name_prefix="adcs-kg-store")

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def run(self, job: Job) -> Answer:
        _forwardable(job)
        return await self._within_limit(_answer, job)

    async def run_all(self, jobs: Jobs) -> Answers:
        for job in jobs.jobs:
            _forwardable(job)
        return await self._within_limit(_answers, jobs)

    async def write(self, writing: Writing) -> Written:
        return written_answer(await self.run(writing.job), writing.wanted)

    async def draw(self, drawing: Drawing) -> Picture:
        return await self._within_limit(draw, drawing)

    async def _within_limit(self, work: Callable[[Store, _T], _O], item: _T) -> _O:
        store, fast = await self._lanes.acquire()
        limit = self._fast_timeout if fast else self._timeout
        running = asyncio.get_running_loop().run_in_executor(self._threads, work, store, item)

        def free(done: asyncio.Future[_O]) -> None:  # the slot is free when the request has ended
            self._lanes.release(store, fast=fast)
            _ = done.cancelled() or done.exception()

        running.add_done_callback(free)
        try:
            return await asyncio.wait_for(asyncio.shield(running), limit)
        except TimeoutError as exc:
            message = f"the store did not answer within the server's limit of {limit:g} s"
            raise QueryTimeoutError(message) from exc


def _forwardable(job: Job) -> None:
    if job.default_graphs or job.named_graphs:
        raise ProtocolError(501, "default-graph-uri and named-graph-uri are not forwarded to a remote store")


def _answers(store: Store, jobs: Jobs) -> Answers:
    return Answers(tuple(_answer(store, job) for job in jobs.jobs))


def _answer(store: Store, job: Job) -> Answer:
    """Query and read the whole result in one thread (pyoxigraph results cannot change threads)."""
    bindings = {name: rdflib_term(cell) for name, cell in job.bindings}
    if job.base_iri is None:
        return answer_from_rdflib(store.query(job.query, bindings=bindings), job.max_rows)
    # the store has no base IRI of its own: one on the query's first line, its errors' lines counted without it
    try:
        result = store.query(f"BASE <{job.base_iri}>\n{job.query}", bindings=bindings)
    except QuerySyntaxError as exc:
        line = None if exc.line is None else max(exc.line - 1, 1)
        raise QuerySyntaxError(exc.message, line=line, column=exc.column, source=exc.source) from exc
    return answer_from_rdflib(result, job.max_rows)
