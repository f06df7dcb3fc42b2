"""Faults, with the command line and ``adcs-kg serve`` run as black boxes in subprocesses.

Each fault (a build killed, a full disk, a locked or corrupted store, a remote server that is down,
slow or answers garbage, a build while the server answers) must leave the previous good graph
intact, and the command or server must fail cleanly: an error message, a non-zero exit or an
HTTP error status, never a traceback.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from conftest import SparqlServer, free_port

DATA = Path(__file__).parents[1] / "data"
CORPUS_A = DATA / "corpus"
CORPUS_B = DATA / "genre"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "graph", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    return done


def build_command(corpus: Path, store: str, *extra: str) -> list[str]:
    return ["build", "--corpus", str(corpus), "--store", store, "--reasoning", "rl-fast", *extra]


def build(corpus: Path, store: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli(*build_command(corpus, store, *extra))


def start_build(corpus: Path, store: str, *extra: str) -> subprocess.Popen[str]:
    """A build in a process group of its own, so that :func:`kill_build` kills it with its workers."""
    return subprocess.Popen(
        [sys.executable, "-m", "graph", *build_command(corpus, store, *extra)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def kill_build(process: subprocess.Popen[str]) -> None:
    """SIGKILL the build and its extraction workers, as a supervisor stopping it would.

    Killing the build alone would leave its workers holding its output pipes open.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)


def triples(store: str) -> int:
    """The triples the store's readers see, through ``adcs-kg sparql``."""
    done = cli("sparql", "--format", "csv", "--store", store, COUNT)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def failed_cleanly(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode != 0
    assert done.stderr.strip(), "a failure says why"
    for word in words:
        assert word in done.stderr, done.stderr[-2000:]


@pytest.fixture(scope="module")
def graph_a(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A store holding the fixture corpus, built once, and the triples it holds."""
    store = tmp_path_factory.mktemp("graph-a") / "store"
    assert build(CORPUS_A, str(store)).returncode == 0
    return store, triples(str(store))


@pytest.fixture
def good_store(graph_a: tuple[Path, int], tmp_path: Path) -> tuple[str, int]:
    """A copy of the good store for one test to damage, and its triple count."""
    store = tmp_path / "store"
    shutil.copytree(graph_a[0], store, symlinks=True)
    return str(store), graph_a[1]


def generations(store: str) -> list[Path]:
    return sorted(p for p in (Path(store) / "generations").iterdir() if p.is_dir())


def wait_for(condition: object, seconds: float = 120, step: float = 0.005) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(step)
    return False


# -- the embedded store -------------------------------------------------------------------


def test_sigkill_while_a_build_writes_its_generation_leaves_the_previous_graph(good_store: tuple[str, int]) -> None:
    store, before = good_store
    existing = set(generations(store))
    process = start_build(CORPUS_B, store)
    try:
        writing = wait_for(lambda: process.poll() is not None or set(generations(store)) - existing)
        assert writing and process.poll() is None, "the build ended before it started writing"
        process.send_signal(signal.SIGKILL)
    finally:
        kill_build(process)
    assert process.returncode == -signal.SIGKILL
    assert triples(store) == before
    # the lock died with the process: the next build runs, and clears the killed build's generation
    assert build(CORPUS_B, store).returncode == 0
    assert triples(store) != before
    assert len(generations(store)) == 2  # the new one and the one before it, nothing left by the killed build


def test_sigkill_at_any_stage_of_a_build_leaves_the_previous_graph(good_store: tuple[str, int]) -> None:
    store, before = good_store
    killed = 0
    for delay in (0.5, 1.5, 3.0):
        process = start_build(CORPUS_B, store)
        time.sleep(delay)
        kill_build(process)
        if process.returncode == -signal.SIGKILL:
            killed += 1
            assert triples(store) == before
        else:  # on a fast machine the build may end before the later kills: its graph is then the one readers see
            assert process.returncode == 0
            before = triples(store)
    assert killed, "no build was killed while it ran"


@contextlib.contextmanager
def small_filesystem(directory: Path, size: str) -> Iterator[Path]:
    directory.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"a size-limited filesystem cannot be mounted here (needs root): {mounted.stderr.decode()}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def test_disk_full_during_a_build_fails_cleanly_and_leaves_the_previous_graph(
    graph_a: tuple[Path, int], tmp_path: Path
) -> None:
    with small_filesystem(tmp_path / "small", "16m") as small:
        store = small / "store"
        shutil.copytree(graph_a[0], store, symlinks=True)
        before = graph_a[1]
        filler = small / "filler"
        with open(filler, "wb", buffering=0) as handle, contextlib.suppress(OSError):
            while True:  # until the filesystem is full: no room for a new generation
                handle.write(b"\0" * 4096)
        done = build(CORPUS_B, str(store))
        failed_cleanly(done, str(store))
        assert triples(str(store)) == before
        filler.unlink()
        assert build(CORPUS_B, str(store)).returncode == 0
        assert triples(str(store)) != before


def test_a_build_while_another_holds_the_store_lock_is_refused(good_store: tuple[str, int]) -> None:
    store, before = good_store
    with open(Path(store) / "build.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        done = build(CORPUS_B, store)
    failed_cleanly(done, "another build is writing")
    assert triples(store) == before


_HOLD_OPEN = """
import sys, time
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
print("open", flush=True)
time.sleep(600)
"""


def test_a_generation_held_open_for_writing_by_another_process_blocks_neither_reads_nor_builds(
    good_store: tuple[str, int],
) -> None:
    store, before = good_store
    current = (Path(store) / "current").resolve()
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_OPEN, str(current)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert triples(store) == before
        assert build(CORPUS_B, store).returncode == 0
        assert triples(store) != before
    finally:
        holder.kill()
        holder.communicate()


def _corrupt_tables(generation: Path) -> None:
    for table in generation.glob("*.sst"):
        table.write_bytes(b"not a table" * 100)


def _remove_manifest_pointer(generation: Path) -> None:
    (generation / "CURRENT").unlink()


def _dangle_current(store: Path) -> None:
    shutil.rmtree((store / "current").resolve())


@pytest.mark.parametrize("damage", ["tables", "manifest", "dangling"])
def test_a_corrupted_store_fails_cleanly_and_a_build_recovers_it(good_store: tuple[str, int], damage: str) -> None:
    store, before = good_store
    current = (Path(store) / "current").resolve()
    if damage == "tables":
        _corrupt_tables(current)
    elif damage == "manifest":
        _remove_manifest_pointer(current)
    else:
        _dangle_current(Path(store))
    done = cli("sparql", "--store", store, COUNT)
    failed_cleanly(done, store)
    assert build(CORPUS_A, store).returncode == 0
    assert triples(store) == before


def test_a_query_nested_past_the_limits_is_refused_by_the_command_line(good_store: tuple[str, int]) -> None:
    store, _ = good_store
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    failed_cleanly(cli("sparql", "--store", store, deep), "nested deeper than the limit of 64 levels")


# -- the server ---------------------------------------------------------------------------


@contextlib.contextmanager
def serving(store: str, *extra: str, token: str | None = None) -> Iterator[str]:
    """``adcs-kg serve`` on a free loopback port; its combined output must hold no traceback."""
    base = f"http://127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "graph", "serve", "--store", store, "--port", base.rsplit(":", 1)[1], *extra]
    environment = {**os.environ, "ADCS_KG_SERVER_TOKEN": token} if token else None
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
    try:
        up = wait_for(lambda: _answers(f"{base}/metrics") or process.poll() is not None, 120, 0.2)
        assert up and process.poll() is None, "the server did not start"
        yield base
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    assert "Traceback" not in output, output[-3000:]


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def served_triples(base: str) -> int:
    response = httpx.get(f"{base}/sparql", params={"query": COUNT, "format": "json"}, timeout=60)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_readers_see_the_old_graph_then_the_new_never_a_mix(good_store: tuple[str, int]) -> None:
    store, before = good_store
    seen: list[int] = []
    stop = threading.Event()
    with serving(store, "--workers", "1") as base:

        def read() -> None:
            while not stop.is_set():
                seen.append(served_triples(base))

        reader = threading.Thread(target=read)
        reader.start()
        try:
            assert build(CORPUS_B, store).returncode == 0
            after = triples(store)
            assert wait_for(lambda: seen and seen[-1] == after, 60, 0.1)
        finally:
            stop.set()
            reader.join()
    assert after != before
    assert set(seen) == {before, after}
    first_new = seen.index(after)
    assert set(seen[:first_new]) == {before} and set(seen[first_new:]) == {after}


def test_a_corrupted_store_is_answered_with_errors_not_a_crash(good_store: tuple[str, int]) -> None:
    store, _ = good_store
    _corrupt_tables((Path(store) / "current").resolve())
    with serving(store, "--workers", "1") as base:
        health = httpx.get(f"{base}/health", timeout=60)
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        query = httpx.get(f"{base}/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=60)
        assert query.status_code == 503
        assert "Traceback" not in query.text
        assert httpx.get(f"{base}/metrics", timeout=10).status_code == 200


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
"""A cross product of the graph with itself five times: it runs until the server stops it."""
TOKEN = "fault-test-token"


def test_texts_nested_past_the_limits_are_400_and_the_server_lives(good_store: tuple[str, int]) -> None:
    store, before = good_store
    deep_query = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    deep_filter = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }"
    deep_update = "INSERT { ?s ?p ?o } WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    with serving(store, "--workers", "1", token=TOKEN) as base:
        for query in (deep_query, deep_filter):
            response = httpx.post(f"{base}/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
            assert response.status_code == 400
            assert "nested deeper than the limit of 64 levels" in response.text
        response = httpx.post(
            f"{base}/sparql",
            content=deep_update,
            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 400
        assert response.text.startswith("malformed update, line 1")
        assert "nested deeper than the limit of 64 levels" in response.text
        assert httpx.get(f"{base}/health", timeout=60).json()["triples"] == before
        assert served_triples(base) == before


@dataclass
class Runaways:
    """Runaway queries sent to a server at once, each from a thread of its own, and the statuses they ended with."""

    threads: list[threading.Thread] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def running(self) -> list[bool]:
        return [thread.is_alive() for thread in self.threads]


@contextlib.contextmanager
def running_away(base: str, query: str, count: int, settle: float) -> Iterator[Runaways]:
    """``count`` runaway queries, sent at once and given ``settle`` seconds to reach the workers; awaited at the end."""
    runaways = Runaways()

    def run_away() -> None:
        runaways.statuses.append(httpx.get(f"{base}/sparql", params={"query": query}, timeout=120).status_code)

    runaways.threads = [threading.Thread(target=run_away) for _ in range(count)]
    for thread in runaways.threads:
        thread.start()
    time.sleep(settle)
    try:
        yield runaways
    finally:
        for thread in runaways.threads:
            thread.join()


def test_two_runaway_queries_delay_neither_health_nor_a_cheap_query(good_store: tuple[str, int]) -> None:
    store, before = good_store
    with serving(store, "--workers", "2", "--timeout", "15") as base:
        assert served_triples(base) == before  # the workers are up
        with running_away(base, RUNAWAY, 2, settle=2) as runaways:  # both general workers held
            health = httpx.get(f"{base}/health", timeout=30)
            cheap = served_triples(base)  # answered by the fast lane
            metrics = httpx.get(f"{base}/metrics", timeout=30)
            home = httpx.get(f"{base}/", timeout=30)
            running = runaways.running()
            third = httpx.get(f"{base}/sparql", params={"query": RUNAWAY}, timeout=30)
            still = runaways.running()
    assert running == [True, True], "the runaways were still running while the rest was answered"
    assert health.status_code == 200 and health.json()["triples"] == before
    assert cheap == before
    assert metrics.status_code == 200 and home.status_code == 200
    # a third runaway gets the fast lane, is stopped at its short limit, and says when to come back
    assert still == [True, True]
    assert third.status_code == 503 and "Retry-After" in third.headers
    assert runaways.statuses == [503, 503]  # stopped at the time limit, never a 500


def test_a_saturated_server_refuses_at_once_with_retry_after(good_store: tuple[str, int]) -> None:
    store, _ = good_store
    with serving(store, "--workers", "1", "--timeout", "15", "--fast-lane", "15") as base:
        served_triples(base)
        with running_away(base, RUNAWAY, 2, settle=2) as runaways:  # the general worker and the fast lane
            refused = httpx.get(f"{base}/sparql", params={"query": COUNT}, timeout=30)
            # one triple pattern, whose work its rows bound, is answered by the server process itself
            scan = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}, timeout=30)
            iri = "https://w3id.org/adcs-kg/id/person/anyone"
            page = httpx.get(f"{base}/resource", params={"iri": iri}, headers={"Accept": "text/html"}, timeout=30)
            alive = runaways.running()
            health = httpx.get(f"{base}/health", timeout=30)
    assert alive == [True, True]
    assert refused.status_code == 503
    assert refused.headers["Retry-After"].isdigit()
    assert "busy" in refused.text
    assert scan.status_code == 200 and len(scan.json()["results"]["bindings"]) == 3
    assert page.status_code == 503 and page.headers["Retry-After"].isdigit()  # a page says when to come back too
    assert page.headers["content-type"].startswith("text/html")
    assert health.status_code == 200


# -- remote stores: a real Oxigraph server behind a proxy that fails on demand -------------


@dataclass
class Proxy:
    """A loopback HTTP proxy to ``upstream`` that, after ``after`` requests, behaves as ``fault`` says."""

    upstream: str
    fault: str = "none"  # none | slow | garbage | error | hang
    after: int = 0
    delay: float = 0.0
    hang_on: bytes = b""
    """Requests whose body holds these bytes hang, as a query running away on the remote server would."""
    requests: int = 0
    url: str = ""
    _server: http.server.ThreadingHTTPServer | None = field(default=None, repr=False)

    def handle(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        self.requests += 1
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        faulty = self.requests > self.after
        if self.delay:
            time.sleep(self.delay)
        if (faulty and self.fault == "hang") or (self.hang_on and self.hang_on in body):
            time.sleep(3600)
        if faulty and self.fault in ("garbage", "error"):
            status, content = (200, b"{ this is not json") if self.fault == "garbage" else (500, b"upstream broke")
            handler.send_response(status)
            handler.send_header("Content-Type", "application/sparql-results+json")
            handler.send_header("Content-Length", str(len(content)))
            handler.end_headers()
            handler.wfile.write(content)
            return
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "content-length")}
        response = httpx.request(
            handler.command, self.upstream + handler.path, content=body, headers=headers, timeout=60
        )
        handler.send_response(response.status_code)
        for key, value in response.headers.items():
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(response.content)))
        handler.end_headers()
        handler.wfile.write(response.content)


@contextlib.contextmanager
def proxy_to(server: SparqlServer) -> Iterator[Proxy]:
    upstream = server.query_url.rsplit("/", 1)[0]
    proxy = Proxy(upstream)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            proxy.handle(self)

        do_POST = do_GET  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            return None

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    proxy.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        httpd.shutdown()
        httpd.server_close()


def remote(base: str) -> tuple[str, str]:
    return f"{base}/query", f"{base}/update"


@pytest.fixture
def remote_a(fresh_oxigraph: SparqlServer) -> tuple[SparqlServer, int]:
    """An Oxigraph server holding the fixture corpus, and its triple count."""
    assert build(CORPUS_A, fresh_oxigraph.query_url, "--update-url", fresh_oxigraph.update_url).returncode == 0
    return fresh_oxigraph, triples(fresh_oxigraph.query_url)


def test_a_remote_server_that_is_down_fails_the_build_cleanly(tmp_path: Path) -> None:
    query, update = remote(f"http://127.0.0.1:{free_port()}")
    failed_cleanly(build(CORPUS_A, query, "--update-url", update), "could not be reached")


@pytest.mark.parametrize("fault", ["garbage", "error"])
def test_a_remote_server_answering_garbage_or_errors_mid_load_leaves_the_previous_graph(
    remote_a: tuple[SparqlServer, int], fault: str
) -> None:
    server, before = remote_a
    with proxy_to(server) as proxy:
        proxy.fault, proxy.after = fault, 2
        query, update = remote(proxy.url)
        failed_cleanly(build(CORPUS_B, query, "--update-url", update), proxy.url)
    assert triples(server.query_url) == before


def test_a_slow_remote_server_still_gets_the_whole_graph(remote_a: tuple[SparqlServer, int]) -> None:
    server, before = remote_a
    with proxy_to(server) as proxy:
        proxy.delay = 0.3
        query, update = remote(proxy.url)
        assert build(CORPUS_B, query, "--update-url", update).returncode == 0
    after = triples(server.query_url)
    assert after != before
    assert build(CORPUS_B, server.query_url, "--update-url", server.update_url).returncode == 0
    assert triples(server.query_url) == after  # the slow load stored all of it


def test_sigkill_during_a_remote_load_leaves_the_previous_graph(remote_a: tuple[SparqlServer, int]) -> None:
    server, before = remote_a
    with proxy_to(server) as proxy:
        proxy.delay = 1.0
        query, update = remote(proxy.url)
        start = proxy.requests
        process = start_build(CORPUS_B, query, "--update-url", update)
        try:
            # the build reads the pointer, then drops its generation graph, then loads batches
            assert wait_for(lambda: proxy.requests >= start + 3 or process.poll() is not None)
            assert process.poll() is None
            process.send_signal(signal.SIGKILL)
        finally:
            kill_build(process)
    assert triples(server.query_url) == before
    assert build(CORPUS_B, server.query_url, "--update-url", server.update_url).returncode == 0
    assert triples(server.query_url) != before


def test_serve_on_a_remote_store_that_goes_down_answers_503(remote_a: tuple[SparqlServer, int]) -> None:
    server, before = remote_a
    with proxy_to(server) as proxy:
        query, _ = remote(proxy.url)
        with serving(query) as base:
            assert served_triples(base) == before
            proxy.fault = "error"
            proxy.after = proxy.requests
            response = httpx.get(f"{base}/sparql", params={"query": COUNT}, timeout=120)
            assert response.status_code == 503
            assert "Traceback" not in response.text
            assert httpx.get(f"{base}/health", timeout=120).status_code == 503
            proxy.fault = "none"
            assert served_triples(base) == before


def test_runaways_on_a_remote_store_hold_their_slots_only_until_the_time_limit(
    remote_a: tuple[SparqlServer, int],
) -> None:
    server, before = remote_a
    with proxy_to(server) as proxy:
        query, _ = remote(proxy.url)
        with serving(query, "--workers", "1", "--timeout", "10", "--fast-lane", "10") as base:
            assert served_triples(base) == before
            proxy.hang_on = b"runs+away"  # the query below as its form body spells it
            runaway = "ASK { ?s ?p ?o } # runs away on the remote server"
            with running_away(base, runaway, 2, settle=1) as runaways:  # the general slot and the fast lane
                refused = httpx.get(f"{base}/sparql", params={"query": COUNT}, timeout=30)
                health = httpx.get(f"{base}/health", timeout=30)  # asked apart from the slots
                alive = runaways.running()

            def answered() -> bool:
                return httpx.get(f"{base}/sparql", params={"query": COUNT}, timeout=30).status_code == 200

            back = wait_for(answered, 60, 0.5)  # each slot is free once its request to the remote has timed out
    assert alive == [True, True]
    assert refused.status_code == 503 and refused.headers["Retry-After"].isdigit() and "busy" in refused.text
    assert health.status_code == 200 and health.json()["triples"] == before
    assert runaways.statuses == [503, 503]  # stopped at the time limit, never a 500
    assert back


@pytest.fixture(autouse=True)
def _no_leftover_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("ADCS_KG_STORE", "ADCS_KG_UPDATE_URL", "ADCS_KG_GSP_URL", "ADCS_KG_SERVER_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
