"""Every form of an embedded store's path behaves as an absolute path does: build, serve, update.

A store given as ``rel``, ``./rel``, ``$ADCS_KG_STORE=rel`` or an absolute path through a
symlink once lost its graph on the first build or update (``current`` pointed at a generation
the cleanup had just removed).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import free_port, running
from typer.testing import CliRunner

from graph.cli import app
from graph.store import EmbeddedStore, StoreConfig

TOKEN = "a-path-test-token-0123456789"
MARKER = "https://example.org/path-test/marker"
ASK_MARKER = f"ASK {{ <{MARKER}> ?p ?o }}"
PATH_FORMS = ("relative", "dot-relative", "environment", "symlink")


def _store_argument(form: str, directory: Path) -> tuple[list[str], dict[str, str]]:
    """The ``--store`` arguments and environment naming ``directory/store`` in ``form``, run from ``directory``."""
    if form == "relative":
        return ["--store", "store"], {}
    if form == "dot-relative":
        return ["--store", "./store"], {}
    if form == "environment":
        return [], {"ADCS_KG_STORE": "store"}
    (directory / "real").mkdir(exist_ok=True)
    link = directory / "linked"
    if not link.exists():
        link.symlink_to(directory / "real", target_is_directory=True)
    return ["--store", str(link / "store")], {}


def _store_directory(form: str, directory: Path) -> Path:
    return directory / "real" / "store" if form == "symlink" else directory / "store"


@pytest.fixture(params=PATH_FORMS)
def built_in_form(
    request: pytest.FixtureRequest, tmp_path: Path, fixture_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, Path]:
    """The fixture corpus built by ``adcs-kg build``, run from ``tmp_path`` with the store in one path form."""
    form: str = request.param
    arguments, environment = _store_argument(form, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ADCS_KG_STORE", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    command = ["build", "--corpus", str(fixture_corpus), "--reasoning", "none", "--jobs", "1", *arguments]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    return form, tmp_path


def test_a_build_keeps_its_graph_whatever_the_form_of_the_store_path(built_in_form: tuple[str, Path]) -> None:
    form, directory = built_in_form
    store = EmbeddedStore(StoreConfig(_store_directory(form, directory)))
    assert store.exists()
    assert store.query("ASK { ?s ?p ?o }").askAnswer
    generations = list((_store_directory(form, directory) / "generations").iterdir())
    assert store.current_generation() in generations


@contextlib.contextmanager
def _serving(form: str, directory: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """``adcs-kg serve`` with a token, run from ``directory`` with the store in ``form``; yields its URL."""
    arguments, environment = _store_argument(form, directory)
    monkeypatch.delenv("ADCS_KG_STORE", raising=False)
    for name, value in {**environment, "ADCS_KG_SERVER_TOKEN": TOKEN}.items():
        monkeypatch.setenv(name, value)
    port = free_port()
    command = [sys.executable, "-m", "graph", "serve", "--port", str(port), "--workers", "1", *arguments]
    url = f"http://127.0.0.1:{port}"
    with running(command, url + "/sparql", directory):
        yield url


def _ask(url: str, query: str) -> bool:
    accept = {"Accept": "application/sparql-results+json"}
    response = httpx.get(url + "/sparql", params={"query": query}, headers=accept)
    assert response.status_code == 200, response.text
    answer: bool = response.json()["boolean"]
    return answer


def test_serve_and_an_update_keep_the_graph_whatever_the_form_of_the_store_path(
    built_in_form: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    form, directory = built_in_form
    with _serving(form, directory, monkeypatch) as url:
        assert _ask(url, "ASK { ?s ?p ?o }")
        update = f'INSERT DATA {{ GRAPH <https://example.org/path-test> {{ <{MARKER}> <{MARKER}> "x" }} }}'
        response = httpx.post(
            url + "/sparql",
            content=update,
            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code in {200, 204}, response.text
        assert _ask(url, ASK_MARKER)
        assert _ask(url, "ASK { ?s a ?class }")  # the built graph is still there beside the update
    store = EmbeddedStore(StoreConfig(_store_directory(form, directory)))
    assert store.query(ASK_MARKER).askAnswer
