"""The adcs-kg command line: exit codes, formats and messages, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.resources import DataDir, data_dir
from graph.store import EmbeddedStore, StoreConfig

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, fixture_corpus: Path) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(app, ["build", "--corpus", str(fixture_corpus), "--store", str(store), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return store


def test_build_prints_a_summary(built: Path, fixture_corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--corpus", str(fixture_corpus), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    for label in ("documents", "items", "triples asserted", "triples inferred", "seconds reason", "skipped"):
        assert label in result.output


def test_build_of_a_bad_corpus_exits_2_and_names_the_file(built: Path, tmp_path: Path) -> None:
    before = EmbeddedStore(StoreConfig(built)).triple_counts()
    (tmp_path / "bad.txt").write_bytes(b"ok\n\xc3")
    result = runner.invoke(app, ["build", "--corpus", str(tmp_path), "--store", str(built)])
    assert result.exit_code == 2
    assert "bad.txt" in result.output
    assert "truncated" in result.output
    assert EmbeddedStore(StoreConfig(built)).triple_counts() == before


def test_validate_exit_codes_and_formats(built: Path, tmp_path: Path) -> None:
    human = runner.invoke(app, ["validate", "--store", str(built)])
    assert human.exit_code == 0, human.output
    assert "conforms" in human.output
    as_json = runner.invoke(app, ["validate", "--store", str(built), "--format", "json"])
    assert json.loads(as_json.output) == {"conforms": True, "results": []}
    turtle = runner.invoke(app, ["validate", "--store", str(built), "--format", "turtle"])
    assert "sh:conforms true" in turtle.output
    missing = runner.invoke(app, ["validate", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 2
    assert "no graph has been built" in missing.output


def test_stats_counts_graphs_and_classes(built: Path) -> None:
    result = runner.invoke(app, ["stats", "--store", str(built)])
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/adcs-kg/graph/asserted" in result.output
    assert "SourceDocument" in result.output


def test_store_comes_from_the_environment(built: Path) -> None:
    result = runner.invoke(app, ["stats"], env={"ADCS_KG_STORE": str(built)})
    assert result.exit_code == 0, result.output


def test_sparql_runs_any_query_with_the_project_prefixes(built: Path) -> None:
    result = runner.invoke(
        app,
        ["sparql", "SELECT (COUNT(*) AS ?n) { ?d a ak:SourceDocument }", "--store", str(built), "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.output))) == [["n"], ["2"]]


def test_sparql_reads_a_query_file(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?d a ak:SourceDocument }")
    result = runner.invoke(app, ["sparql", str(path), "--store", str(built)])
    assert result.output.strip() == "true"


def test_sparql_syntax_error_gives_line_and_column(built: Path) -> None:
    result = runner.invoke(app, ["sparql", "SELECT * WHERE {\n ?s ?p }", "--store", str(built)])
    assert result.exit_code == 2
    assert "line 2, column" in result.output


def test_query_list_and_help() -> None:
    listing = runner.invoke(app, ["query", "--list"])
    assert listing.exit_code == 0
    names = [line.split(":")[0] for line in listing.output.splitlines() if line and not line.startswith(" ")]
    assert names == sorted(path.stem for path in data_dir(DataDir.QUERIES).glob("*.rq"))
    assert "  --param person=VALUE   string, e.g. 'Charlotte Ramsden'  the speaker's name, any case" in listing.output
    one = runner.invoke(app, ["query", "who_held", "--help"])
    assert one.exit_code == 0
    lines = one.output.splitlines()
    assert lines[0] == "who_held: Who held a post on a given date"
    assert "  --param post=VALUE   string, e.g. 'ADCS President'  the post's name, matched case-insensitively" in lines
    assert "  --param date=VALUE   date, e.g. '2021-06-01'  the day asked about" in lines
    assert lines[-1] == "  columns: person, post, organisation, start, end"
    assert "  (no parameters)" in runner.invoke(app, ["query", "people", "--help"]).output.splitlines()
    general = runner.invoke(app, ["query", "--help"])
    assert "--param" in general.output and "--list" in general.output
    unknown = runner.invoke(app, ["query", "nope", "--help"])
    assert unknown.exit_code == 2 and "no named query 'nope'" in unknown.output


def test_query_parameters_missing_or_unknown_are_errors(built: Path) -> None:
    missing = runner.invoke(app, ["query", "who_held", "-p", "post=ADCS President", "--store", str(built)])
    assert missing.exit_code == 2
    assert "needs parameter(s): date (date, e.g. '2021-06-01')" in " ".join(missing.output.split())
    unknown = runner.invoke(app, ["query", "people", "-p", "colour=red", "--store", str(built)])
    assert unknown.exit_code == 2
    assert "has no parameter 'colour'" in unknown.output


def test_unknown_query_and_bad_parameter_are_errors(built: Path) -> None:
    unknown = runner.invoke(app, ["query", "no-such-query", "--store", str(built)])
    assert unknown.exit_code == 2
    assert "no named query 'no-such-query'" in unknown.output
    malformed = runner.invoke(app, ["query", "items", "--param", "oops", "--store", str(built)])
    assert malformed.exit_code == 2
    assert "key=value" in malformed.output


def _build_process(corpus: Path, store: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "graph", "build", "--corpus", str(corpus), "--store", str(store)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())


def test_killing_a_build_at_any_point_leaves_a_whole_graph(tmp_path: Path, fixture_corpus: Path) -> None:
    """SIGKILL a rebuild at spread-out moments of its life: readers see the old graph or the new one."""
    store = tmp_path / "store"
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    (smaller / "commentary.txt").write_bytes((fixture_corpus / "commentary.txt").read_bytes())
    assert _build_process(fixture_corpus, store).wait() == 0
    old = EmbeddedStore(StoreConfig(store)).triple_counts()
    started = time.monotonic()
    assert _build_process(smaller, tmp_path / "reference").wait() == 0
    lifetime = time.monotonic() - started
    new = EmbeddedStore(StoreConfig(tmp_path / "reference")).triple_counts()
    assert new != old
    seen = set()
    for fraction in (0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97, 1.05):
        process = _build_process(smaller, store)
        time.sleep(lifetime * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = EmbeddedStore(StoreConfig(store)).triple_counts()
        assert after in (old, new), f"killed at {fraction:.0%} of a build: a partial graph is visible"
        seen.add("old" if after == old else "new")
    assert "old" in seen
    assert runner.invoke(app, ["validate", "--store", str(store)]).exit_code == 0
