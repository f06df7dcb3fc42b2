"""Shared fixtures: a network guard, temporary stores, and one build of the bundled corpus."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from rdflib.query import Result
from rdflib.term import Node

from graph.build import BuildSummary, build
from graph.query import named_query
from graph.reason import Reasoning
from graph.resources import DataDir, data_dir
from graph.store import StoreConfig


@pytest.fixture(scope="session")
def fixture_corpus() -> Path:
    """Two short documents of the genre, written for the tests."""
    return Path(__file__).parent / "data" / "corpus"


def _is_local(address: object) -> bool:
    if isinstance(address, str | bytes):  # AF_UNIX path
        return True
    host = str(address[0]) if isinstance(address, tuple) else ""
    return host in {"localhost", "::1"} or host.startswith("127.")


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    """No test may reach beyond this machine: connections go to loopback or local sockets only."""
    original = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        if not _is_local(address):
            raise RuntimeError(f"test tried to connect to {address!r}; only loopback is allowed")
        original(self, address)  # type: ignore[arg-type]

    socket.socket.connect = guarded  # type: ignore[method-assign]
    yield
    socket.socket.connect = original  # type: ignore[method-assign]


@pytest.fixture
def store(tmp_path: Path) -> StoreConfig:
    """An empty embedded store in a temporary directory."""
    return StoreConfig(tmp_path / "store")


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[StoreConfig, BuildSummary]:
    """The bundled corpus built once, with the reference reasoner, for tests that read it."""
    config = StoreConfig(tmp_path_factory.mktemp("corpus") / "store")
    summary = build(data_dir(DataDir.CORPUS), store=config, reasoning=Reasoning.OWL_RL)
    return config, summary


# -- real SPARQL servers, started on free loopback ports for the remote-store tests ----------


@dataclass(frozen=True)
class SparqlServer:
    """A running SPARQL 1.1 server: its endpoints and the credentials its updates need."""

    name: str
    query_url: str
    update_url: str
    gsp_url: str
    credentials: dict[str, str] = field(default_factory=dict)

    def config(self, *, gsp: bool = False) -> StoreConfig:
        return StoreConfig(self.query_url, update_url=self.update_url, gsp_url=self.gsp_url if gsp else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 120) -> None:
    """Poll ``url`` until it answers; fail with the server's log if it exits or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")[-2000:]
            pytest.fail(f"{process.args!r} exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"{url} did not come up in {seconds} s:\n{log.read_text(errors='replace')[-2000:]}")


@contextlib.contextmanager
def running(
    command: list[str], url: str, directory: Path, *, env: Mapping[str, str] | None = None, log: Path | None = None
) -> Iterator[None]:
    """``command`` run in ``directory`` until ``url`` answers, then stopped; its output goes to ``log``."""
    log = log or directory / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(command, cwd=directory, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_up(url, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def oxigraph_server(directory: Path) -> Iterator[SparqlServer]:
    """Oxigraph's server (PyPI ``oxigraph``), persistent in ``directory``."""
    # The server is a script of the test extras: beside this Python, whether or not its
    # environment is activated (the README's test line runs .venv/bin/pytest as it is).
    beside = Path(sys.executable).with_name("oxigraph")
    executable = str(beside) if beside.exists() else shutil.which("oxigraph")
    if executable is None:
        pytest.fail("the Oxigraph server is not installed: pip install oxigraph")
    base = f"http://127.0.0.1:{free_port()}"
    command = [executable, "serve", "--location", str(directory / "data"), "--bind", base.removeprefix("http://")]
    with running(command, f"{base}/query", directory):
        yield SparqlServer("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")


VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
[HTTPServer]
ServerPort = {http_port}
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
"""


@contextlib.contextmanager
def virtuoso_server(directory: Path) -> Iterator[SparqlServer]:
    """Virtuoso open source (Debian ``virtuoso-opensource``) with a fresh database in ``directory``.

    Queries go to the public ``/sparql``; updates and the Graph Store Protocol to the
    authenticated ``/sparql-auth`` and ``/sparql-graph-crud-auth`` (HTTP digest, as ``dba``,
    whose password in a new database is ``dba``), so no grant is changed.
    """
    executable = shutil.which("virtuoso-t")
    if executable is None:
        pytest.fail(
            "Virtuoso is not installed (virtuoso-t not found): apt-get install -y virtuoso-opensource"
        )
    base = f"http://127.0.0.1:{free_port()}"
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(sql_port=free_port(), http_port=base.rsplit(":", 1)[1]))
    with running([executable, "+foreground", "+configfile", str(ini)], f"{base}/sparql", directory):
        yield SparqlServer(
            "virtuoso", f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
            credentials={"ADCS_KG_USER": "dba", "ADCS_KG_PASSWORD": "dba"},
        )


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """One Oxigraph server for the session."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """One Virtuoso server for the session."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(params=["oxigraph", "virtuoso"])
def sparql_server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> SparqlServer:
    """Each real server in turn, with its credentials in the environment."""
    server: SparqlServer = request.getfixturevalue(request.param)
    for variable in ("ADCS_KG_USER", "ADCS_KG_PASSWORD", "ADCS_KG_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in server.credentials.items():
        monkeypatch.setenv(variable, value)
    return server


@pytest.fixture
def fresh_oxigraph(tmp_path: Path) -> Iterator[SparqlServer]:
    """An Oxigraph server of its own, empty, for one test."""
    with oxigraph_server(tmp_path) as server:
        yield server


@pytest.fixture(params=["embedded", "oxigraph", "virtuoso"])
def every_store(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StoreConfig:
    """An embedded store, then each real SPARQL server in turn (credentials in the environment)."""
    if request.param == "embedded":
        return StoreConfig(tmp_path / "store")
    server: SparqlServer = request.getfixturevalue(request.param)
    for variable, value in server.credentials.items():
        monkeypatch.setenv(variable, value)
    return server.config()


@pytest.fixture
def down_url() -> str:
    """A loopback SPARQL endpoint URL on which nothing listens."""
    return f"http://127.0.0.1:{free_port()}/query"


def without_links(result: Result, query: str) -> list[tuple[Node | None, ...]]:
    """The rows of a named query run as it is, without the variables its ``#+ links:`` header names
    (the pages' links to resources, which are not columns)."""
    links = {variable for _, variable in named_query(query).links}
    kept = [v for v in result.vars or [] if str(v) not in links]
    return [tuple(row[v] for v in kept) for row in result]  # type: ignore[index]
