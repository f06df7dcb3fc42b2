"""The command line's errors: one clear line on stderr and exit 2, never a traceback, never a banner first."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, fixture_corpus: Path) -> Path:
    store = tmp_path_factory.mktemp("cli-errors") / "store"
    command = ["build", "--corpus", str(fixture_corpus), "--store", str(store), "--reasoning", "none", "--jobs", "1"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    return store


def adcs_kg(*arguments: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, as a user runs it (``python -m graph``), or run by ``code``."""
    start = ["-c", code] if code else ["-m", "graph"]
    return subprocess.run(
        [sys.executable, *start, *arguments], capture_output=True, text=True, timeout=120, check=False
    )


def assert_one_line_error(run: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0]
    assert "serving" not in run.stdout


# -- item: no traceback ever reaches a user -------------------------------------------------


def test_an_error_no_command_foresaw_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    broken = "import graph.cli as cli; cli.open_store = lambda config: {}.missing; cli.main()"
    run = adcs_kg("stats", "--store", str(tmp_path / "store"), code=broken)
    assert_one_line_error(run, "AttributeError")


def test_an_output_file_that_cannot_be_written_is_one_line(built: Path, tmp_path: Path) -> None:
    run = adcs_kg("viz", "officers", "--store", str(built), "--out", str(tmp_path / "no" / "such" / "officers.svg"))
    assert_one_line_error(run, "cannot write", "officers.svg")


# -- sparql: missing files, updates, formats that do not apply ------------------------------


def test_sparql_with_a_missing_file_says_the_file_does_not_exist(built: Path, tmp_path: Path) -> None:
    run = adcs_kg("sparql", str(tmp_path / "missing.rq"), "--store", str(built))
    assert_one_line_error(run, "missing.rq", "does not exist")


def test_sparql_given_an_update_says_how_updates_are_run(built: Path) -> None:
    update = 'INSERT DATA { <https://example.org/s> <https://example.org/p> "o" }'
    run = adcs_kg("sparql", update, "--store", str(built))
    assert_one_line_error(run, "SPARQL Update", "adcs-kg serve")
    assert runner.invoke(app, ["sparql", "ASK { <https://example.org/s> ?p ?o }", "--store", str(built)]).output == (
        "false\n"
    )


def test_a_syntax_error_that_is_no_update_is_still_a_syntax_error(built: Path) -> None:
    run = adcs_kg("sparql", "SELECT ?x WHERE { ?x ?y }", "--store", str(built))
    assert_one_line_error(run, "line 1")
    assert "Update" not in run.stderr


@pytest.mark.parametrize("result_format", ["csv", "tsv"])
def test_a_table_format_on_a_construct_names_the_formats_that_apply(built: Path, result_format: str) -> None:
    query = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 1"
    run = adcs_kg("sparql", query, "--format", result_format, "--store", str(built))
    assert_one_line_error(run, f"--format {result_format}", "table", "json")
    assert run.stdout == ""


# -- serve: options refused before the banner -------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--port", "-1", "--port must be between 1 and 65535"),
        ("--port", "0", "--port must be between 1 and 65535"),
        ("--port", "70000", "--port must be between 1 and 65535"),
        ("--timeout", "0", "--timeout must be more than 0"),
        ("--workers", "0", "--workers must be at least 1"),
    ],
)
def test_serve_refuses_options_it_cannot_run_with(tmp_path: Path, option: str, value: str, expected: str) -> None:
    run = adcs_kg("serve", "--store", str(tmp_path / "store"), option, value)
    assert_one_line_error(run, expected)


def test_serve_on_a_port_in_use_exits_2_before_saying_it_serves(built: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = adcs_kg("serve", "--store", str(built), "--port", str(port), "--workers", "1")
    assert_one_line_error(run, f"127.0.0.1:{port}", "already in use")
