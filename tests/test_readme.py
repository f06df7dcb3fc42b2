"""Every example of the README, run as a reader would run it: the ``adcs-kg`` commands on a built
store, the curl and SPARQLWrapper examples against a real ``adcs-kg serve``, the remote-store
recipes against real Oxigraph and Virtuoso servers. Only the quick start's install lines are not
run (they install into this machine); they are counted.

Addresses are the only thing changed: the README's ports (8000, 7878, 8890) and paths become free
ports and temporary directories.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import free_port, running, virtuoso_server
from rdflib import Graph

from graph.build import BuildSummary
from graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from graph.store import EmbeddedStore, StoreConfig

README = Path(__file__).resolve().parent.parent / "README.md"
BIN = Path(sys.executable).parent
"""Where ``adcs-kg``, ``oxigraph`` and this Python are installed."""
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    """A fenced code block of the README and the heading it is under."""

    section: str
    language: str
    text: str


def code_blocks(markdown: str) -> list[Block]:
    blocks = []
    for match in FENCE.finditer(markdown):
        headings = HEADING.findall(markdown, 0, match.start())
        blocks.append(Block(headings[-1] if headings else "", match[1], match[2]))
    return blocks


def commands(text: str) -> list[str]:
    """The shell commands of a block: comment lines dropped, continued lines and quoted newlines joined."""
    found, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line + "\n"
        if current.rstrip().endswith("\\"):
            continue
        try:
            shlex.split(current, comments=True)
        except ValueError:  # a quoted string goes on to the next line
            continue
        found.append(current.strip())
        current = ""
    assert not current, f"unterminated command in the README: {current!r}"
    return found


BLOCKS = code_blocks(README.read_text(encoding="utf-8"))


def blocks_where(test: str) -> list[Block]:
    """The blocks one test runs (see :func:`kind`)."""
    return [block for block in BLOCKS if kind(block) == test]


def kind(block: Block) -> str:
    """Which test runs a block; every block must have one."""
    if block.section == "Quick start":
        return "install"
    if block.language == "console":
        return "serve"
    if block.language == "python":
        return "client"
    if "oxigraph serve" in block.text:
        return "oxigraph"
    if "ADCS_KG_PASSWORD" in block.text:
        return "virtuoso"
    if "curl " in block.text:
        return "curl"
    if "adcs-kg add " in block.text:
        return "incremental"
    if all(shlex.split(c, comments=True)[0] == "adcs-kg" for c in commands(block.text)):
        return "cli"
    return "unknown"


def shell_env(**extra: str) -> dict[str, str]:
    """This environment with the project's commands first on the PATH and no store or credentials set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADCS_KG_")}
    return {**env, "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", **extra}


def run(command: str, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """``command`` run by bash, as typed; it must exit 0 with no traceback."""
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=dict(env), capture_output=True, text=True,
                          timeout=900)
    shown = f"{command}\nexit {done.returncode}\nstdout: {done.stdout[-1500:]}\nstderr: {done.stderr[-1500:]}"
    assert done.returncode == 0, shown
    assert "Traceback" not in done.stdout + done.stderr, shown
    return done


@contextlib.contextmanager
def serving(command: str, cwd: Path, env: Mapping[str, str], url: str) -> Iterator[Path]:
    """A server started by ``command`` in the background until it answers ``url``; yields its log."""
    log = cwd / f"server-{free_port()}.log"
    with running(["bash", "-c", f"exec {command}"], url, cwd, env=env, log=log):
        yield log
    assert "Traceback" not in log.read_text(errors="replace")


def copy_of(store: StoreConfig, where: Path) -> Path:
    """A copy of a built embedded store (its ``current`` link is relative, so the copy stands alone)."""
    shutil.copytree(Path(store.location), where, symlinks=True)
    return where


def test_every_code_block_is_run_by_a_test() -> None:
    assert BLOCKS, "no code blocks found in the README"
    assert [block.text for block in BLOCKS if kind(block) == "unknown"] == []


def test_the_quick_start_is_two_commands_of_one_line_each() -> None:
    install = blocks_where("install")
    lines = [line for block in install for line in block.text.splitlines() if line.strip()]
    assert len(lines) == 2 and all(len(commands(block.text)) == 1 for block in install), lines


# -- the commands on a built store --------------------------------------------------------------


def plausible_table(command: str, output: str) -> None:
    """A named query's answer: CSV with a header and a row, or a table of at least one row."""
    if "--format csv" in command:
        table = list(csv.reader(io.StringIO(output)))
        assert len(table) >= 2 and all(len(row) == len(table[0]) for row in table), output
    else:
        assert len([line for line in output.splitlines() if line.strip()]) >= 2, output


def test_command_line_examples_run_on_the_built_store(
    corpus_build: tuple[StoreConfig, BuildSummary], tmp_path: Path
) -> None:
    env = shell_env(ADCS_KG_STORE=str(corpus_build[0].location))
    ran = [command for block in blocks_where("cli") for command in commands(block.text)]
    assert any(" query " in command for command in ran)
    for command in ran:
        done = run(command, tmp_path, env)
        if " query " in command:
            plausible_table(command, done.stdout)
        else:
            assert done.stdout.strip() or any(tmp_path.iterdir()), command


def test_the_incremental_example_leaves_the_graph_a_full_build_gives(fixture_corpus: Path, tmp_path: Path) -> None:
    (block,) = blocks_where("incremental")
    genre = README.parent / "tests" / "data" / "genre"
    corpus = tmp_path / "my-corpus"
    shutil.copytree(fixture_corpus, corpus)
    shutil.copy(genre / "lga_comment.txt", corpus / "old-comment.txt")
    shutil.copy(genre / "adcs_press_release.txt", tmp_path / "new-release.txt")
    env = shell_env()
    for command in commands(block.text):
        run(command, tmp_path, env)
    assert sorted(p.name for p in corpus.iterdir()) == ["commentary.txt", "new-release.txt", "news_archive.txt"]
    run(f"adcs-kg build --corpus my-corpus --store {tmp_path / 'full'}", tmp_path, env)
    stored = [StoreConfig(tmp_path / name) for name in ("my-store", "full")]
    for name in (ASSERTED_GRAPH, INFERRED_GRAPH):
        incremental, full = (EmbeddedStore(config).graph(name) for config in stored)
        assert set(incremental) == set(full)


def network_classes(page: Path) -> set[str]:
    """The classes of the nodes a network page draws."""
    data = re.search(r'<script type="application/json" id="network-config">(.*?)</script>', page.read_text(),
                     re.DOTALL)
    assert data is not None
    return {str(node["cls"]) for node in json.loads(data[1])["nodes"]}


def test_the_documented_class_filter_draws_only_those_classes(
    corpus_build: tuple[StoreConfig, BuildSummary], tmp_path: Path
) -> None:
    (filtered,) = [c for b in blocks_where("cli") for c in commands(b.text) if "--classes" in c]
    words = shlex.split(filtered)
    asked = {words[i + 1] for i, word in enumerate(words) if word == "--classes"}
    assert len(asked) >= 2  # the README shows how to ask for more than one class
    run(filtered, tmp_path, shell_env(ADCS_KG_STORE=str(corpus_build[0].location)))
    assert network_classes(tmp_path / words[words.index("--out") + 1]) == asked


# -- the endpoint ---------------------------------------------------------------------------------


def localised(text: str, port: int) -> str:
    """The README's text with its endpoint on ``port`` instead of 8000."""
    return text.replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace("--port 8000", f"--port {port}")


@dataclass(frozen=True)
class Endpoint:
    port: int
    banner: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def endpoint(
    corpus_build: tuple[StoreConfig, BuildSummary], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Endpoint]:
    """The README's own ``adcs-kg serve`` command, run where its ``build/store`` is a built store."""
    (block,) = blocks_where("serve")
    typed = [line.removeprefix("$ ") for line in block.text.splitlines() if line.startswith("$ ")]
    assert len(typed) == 1
    where = tmp_path_factory.mktemp("readme-serve")
    (where / "build").mkdir()
    copy_of(corpus_build[0], where / "build" / "store")
    port = free_port()
    with serving(localised(typed[0], port), where, shell_env(), f"http://127.0.0.1:{port}/sparql") as log:
        yield Endpoint(port, log.read_text())


def test_the_serve_example_prints_what_the_readme_shows(endpoint: Endpoint) -> None:
    (block,) = blocks_where("serve")
    shown = " ".join(line for line in block.text.splitlines() if not line.startswith("$ "))
    assert " ".join(endpoint.banner.split()).startswith(" ".join(localised(shown, endpoint.port).split()))


def checked(command: str) -> str:
    """A curl command that fails on an HTTP error (curl exits 0 on a 4xx otherwise) and writes the
    answer's media type to stderr."""
    return command.replace("curl ", "curl --fail-with-body --write-out '%{stderr}%{content_type}' ", 1)


def plausible_answer(command: str, media_type: str, output: str) -> None:
    """An answer that parses as the media type it came as, with something in it."""
    media_type = media_type.split(";")[0].strip()
    if media_type == "text/csv":
        assert len(list(csv.reader(io.StringIO(output)))) >= 2, output
    elif media_type == "text/turtle":
        assert len(Graph().parse(data=output, format="turtle")) > 0, output
    elif media_type == "application/ld+json":
        assert [node for node in json.loads(output) if "@id" in node], output
    elif media_type == "application/sparql-results+json":
        answer = json.loads(output)
        assert answer["boolean"] is True if "boolean" in answer else answer["results"]["bindings"], output
    elif media_type == "application/json":
        assert json.loads(output), output
    elif media_type == "text/plain" and "/metrics" in command:
        assert output.strip(), output
    else:
        pytest.fail(f"unexpected answer ({media_type}) to {command}: {output[:500]}")


WRITE = re.compile(r"sparql-update|update=|-X (?:PUT|POST|DELETE)\b|--upload-file|-T ")
"""What makes a curl example a write (run on a server that takes the token)."""


def curl_examples(*, writes: bool) -> list[str]:
    return [c for block in blocks_where("curl") for c in commands(block.text) if bool(WRITE.search(c)) is writes]


def test_curl_examples_answer(endpoint: Endpoint, tmp_path: Path) -> None:
    examples = curl_examples(writes=False)
    assert len(examples) >= 5
    for command in examples:
        done = run(localised(checked(command), endpoint.port), tmp_path, shell_env())
        plausible_answer(command, done.stderr, done.stdout)


def test_curl_write_examples_change_the_graph_on_a_server_with_the_token(
    corpus_build: tuple[StoreConfig, BuildSummary], tmp_path: Path
) -> None:
    token = re.search(r"ADCS_KG_SERVER_TOKEN=(\w+)", "".join(block.text for block in blocks_where("curl")))
    writes = curl_examples(writes=True)
    assert token is not None and writes
    store = copy_of(corpus_build[0], tmp_path / "store")
    port = free_port()
    env = shell_env(ADCS_KG_SERVER_TOKEN=token[1])
    with serving(f"adcs-kg serve --store {store} --port {port}", tmp_path, env, f"http://127.0.0.1:{port}/sparql"):
        for write in writes:
            run(localised(checked(write), port), tmp_path, env)
            for inserted in re.findall(r"INSERT DATA \{(.*?)\}", write):
                asked = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": f"ASK {{{inserted}}}"},
                                  headers={"Accept": "application/sparql-results+json"}, timeout=30)
                assert asked.status_code == 200 and asked.json()["boolean"] is True, (write, asked.text)


def test_the_sparqlwrapper_example_prints_dated_quotes(endpoint: Endpoint, tmp_path: Path) -> None:
    (block,) = blocks_where("client")
    done = run(shlex.join([sys.executable, "-c", localised(block.text, endpoint.port)]), tmp_path, shell_env())
    lines = done.stdout.splitlines()
    assert lines and all(re.match(r"\d{4}-\d{2}-\d{2} \S", line) for line in lines), done.stdout


# -- on a SPARQL server ---------------------------------------------------------------------------


def run_recipe(text: str, cwd: Path, env: dict[str, str], replace: Mapping[str, str]) -> None:
    """A block's commands in order: ``export`` sets the environment, servers run in the background
    (``adcs-kg serve`` until it answers), the others must succeed."""
    started: contextlib.ExitStack = contextlib.ExitStack()
    with started:
        for command in commands(text):
            for old, new in replace.items():
                command = command.replace(old, new)
            words = shlex.split(command, comments=True)
            if words[0] == "export":
                env.update(word.split("=", 1) for word in words[1:])
            elif words[:2] == ["oxigraph", "serve"]:
                bind = words[words.index("--bind") + 1]
                started.enter_context(serving(command, cwd, env, f"http://{bind}/query"))
            elif words[:2] == ["adcs-kg", "serve"]:
                port = free_port()
                with serving(shlex.join([*words, "--port", str(port)]), cwd, env, f"http://127.0.0.1:{port}/sparql"):
                    assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=30).status_code == 200
            elif words[:2] == ["adcs-kg", "query"]:
                plausible_table(command, run(command, cwd, env).stdout)
            else:
                run(command, cwd, env)


def test_the_oxigraph_recipe_builds_queries_and_serves(tmp_path: Path) -> None:
    (block,) = blocks_where("oxigraph")
    location = re.search(r"--location (\S+)", block.text)
    assert location is not None and "127.0.0.1:7878" in block.text
    replace = {location[1]: str(tmp_path / "oxigraph"), "127.0.0.1:7878": f"127.0.0.1:{free_port()}"}
    run_recipe(block.text, tmp_path, shell_env(), replace)


def test_the_virtuoso_recipe_builds_and_queries(tmp_path: Path) -> None:
    (block,) = blocks_where("virtuoso")
    assert "127.0.0.1:8890" in block.text and "ADCS_KG_PASSWORD=..." in block.text
    (tmp_path / "virtuoso").mkdir()
    with virtuoso_server(tmp_path / "virtuoso") as server:
        replace = {"127.0.0.1:8890": server.query_url.split("/")[2],
                   "ADCS_KG_PASSWORD=...": f"ADCS_KG_PASSWORD={server.credentials['ADCS_KG_PASSWORD']}"}
        run_recipe(block.text, tmp_path, shell_env(), replace)
