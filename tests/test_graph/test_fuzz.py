"""Fuzzing as tests: every loader on generated and mutated documents, and the HTTP API from its OpenAPI document.

Loaders run here one by one, without the build's safety net (which turns a loader's exception
into a skip), so any uncaught exception is a failure; every skip must name its file and an
offset inside the text. The API is fuzzed by schemathesis against ``adcs-kg serve``: no response is a 500 and
none holds a stack trace. Both are bounded (``max_examples``) to keep the suite fast.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import hypothesis.strategies as st
import pytest
import schemathesis
from conftest import free_port, running
from hypothesis import HealthCheck, given, settings

import loaders
from graph.build import build
from graph.errors import LoaderError
from graph.reason import Reasoning
from graph.store import StoreConfig
from loaders.document import read_document
from loaders.extraction import Extraction

DATA = Path(__file__).parents[1] / "data"
SEEDS = sorted((DATA / "genre").glob("*.txt")) + sorted((DATA / "corpus").glob("*.txt"))
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of the genre (invented names and places), and the characters that break naive parsers.
PIECES = [
    "Press release\n",
    "News\n",
    "Published 3 February 2025\n",
    "Published 31 Febtember 20245\n",
    "Commenting, ADCS President Jo Bloggs said:\n",
    "Sam Example, Chair of the Exampleshire Policy Committee, added:",
    '"We need funding that matches need."\n',
    "\u201cA quote opened but never closed\n",
    "Spending rose by 12.5% between 2019-20 and 2023-24.\n",
    "Around 4,200 children, up from 3,900 in 2021.\n",
    "Recommendations\n\n1. Government should act.\n2.\n",
    "ENDS\n\nNotes to editors:\n",
    "Report: Pressures Phase 99\n",
    "Director of Children's Services, Nowhere Borough Council\n",
    "\u00a3",
    "%",
    "\u2013",
    '"',
    "'",
    "\n\n\n",
    "\t",
    "\u0000",
    "\ufeff",
    "\u202e",
    "()",
    "[1]",
    "1.",
    "-",
    " ",
]


def genre_documents() -> st.SearchStrategy[str]:
    """Documents assembled from pieces of the genre and arbitrary text."""
    piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=80))
    return st.lists(piece, max_size=40).map("".join)


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    """One of the genre fixtures with slices deleted, repeated, swapped or overwritten."""
    text = draw(st.sampled_from(SEEDS)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 6))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start, min(len(text), start + 400)))
        operation = draw(st.sampled_from(["delete", "repeat", "insert", "swap", "truncate"]))
        if operation == "delete":
            text = text[:start] + text[end:]
        elif operation == "repeat":
            text = text[:end] + text[start:end] * draw(st.integers(2, 5)) + text[end:]
        elif operation == "insert":
            text = text[:start] + draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=40))) + text[start:]
        elif operation == "swap":
            text = text[start:end] + text[:start] + text[end:]
        else:
            text = text[:start]
    return text


def extract_strictly(text: str) -> Extraction | None:
    """Every document loader in turn on ``text``, any exception propagating (None: the file was refused)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzzed.txt"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            extraction = Extraction(read_document(path))
        except LoaderError as exc:  # an unusable file is refused with where, never by a crash
            assert exc.file == path
            assert exc.message
            return None
        for _, loader in loaders.DOCUMENT_LOADERS:
            loader(extraction)
    return extraction


def assert_skips_located(extraction: Extraction | None, text: str) -> None:
    if extraction is None:
        return
    for skip in extraction.skipped:
        assert skip.file == "fuzzed.txt"
        assert 0 <= skip.offset <= len(text), skip
        assert skip.reason


@FUZZ
@given(genre_documents())
def test_loaders_on_generated_documents(text: str) -> None:
    extraction = extract_strictly(text)
    assert_skips_located(extraction, text)


@FUZZ
@given(mutated_documents())
def test_loaders_on_mutated_documents(text: str) -> None:
    extraction = extract_strictly(text)
    assert_skips_located(extraction, text)
    if extraction is not None:
        loaders.link_corpus(extraction.graph)  # the corpus loaders on what was extracted


@FUZZ
@given(st.binary(max_size=2000))
def test_documents_of_arbitrary_bytes_are_read_or_refused_with_their_offset(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bytes.txt"
        path.write_bytes(data)
        try:
            result = loaders.extract_document(path)
        except LoaderError as exc:
            assert exc.file == path
            assert exc.offset is None or 0 <= exc.offset <= len(data)
            return
        assert all(skip.file == "bytes.txt" for skip in result.skipped)


# -- the HTTP API, fuzzed from its OpenAPI document ----------------------------------------


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``adcs-kg serve`` with a token (so the write routes run too) on the fixture corpus."""
    directory = tmp_path_factory.mktemp("fuzz")
    config = StoreConfig(directory / "store")
    build(DATA / "corpus", store=config, reasoning=Reasoning.RL_FAST)
    base = f"http://127.0.0.1:{free_port()}"
    command = [
        sys.executable,
        "-m",
        "graph",
        "serve",
        "--store",
        str(config),
        "--port",
        base.rsplit(":", 1)[1],
        "--timeout",
        "10",
        "--workers",
        "1",
    ]
    with running(command, f"{base}/sparql", directory):
        yield base
    assert "Traceback" not in (directory / "server.log").read_text(errors="replace")


def test_the_api_never_answers_500_nor_shows_a_stack_trace(fuzzed_server: str) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed_server}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5

    for operation in operations:

        @given(operation.as_strategy())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_cleanly(case: schemathesis.Case) -> None:
            response = case.call(timeout=60)
            assert response.status_code < 500 or response.status_code == 503, (
                case.method,
                case.formatted_path,
                response.status_code,
                response.text[:500],
            )
            assert "Traceback" not in response.text
            assert 'File "' not in response.text

        answers_cleanly()
