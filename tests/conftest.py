"""Shared fixtures: a network guard, temporary stores, and one build of the bundled corpus."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.build import BuildSummary, build
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
