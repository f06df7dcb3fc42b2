"""The named-query library behaves the same on the embedded store, Oxigraph's server and Virtuoso.

Each store builds and validates the test corpus, then holds the hand-written fixture graph
(tests/data/query_fixture.ttl) on which every named query of queries/*.rq must give the rows
written out by hand in tests/data/query_expected/NAME.csv (or NAME--CASE.csv for more cases of
one query). An expected file starts with its parameters, one ``# name=value`` line each, then
the CSV the query writes (``adcs-kg query NAME --format csv``).

Cells are compared after :func:`same_value` evens out what Virtuoso writes differently: it
answers xsd:boolean values as 1 and 0 (and, storing booleans as integers, may even give a 0 or 1
of another datatype the boolean datatype), so true/1 and false/0 compare equal; and it writes
xsd:decimal values in canonical form ("1.50" as "1.5"), so decimals are compared in that form.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph

from graph.build import BuildSummary, build
from graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PROJECT_GRAPHS, resource, slug
from graph.ontology import shapes_graph
from graph.query import NamedQuery, ResultFormat, parse_named_query, run_named, write_result
from graph.resources import DataDir, data_dir
from graph.store import StoreConfig, open_store
from graph.validate import memory_store, validate

DATA = Path(__file__).parent / "data"
EXPECTED = DATA / "query_expected"
QUERIES = sorted(data_dir(DataDir.QUERIES).glob("*.rq"))


@dataclass(frozen=True)
class Case:
    query: str
    params: dict[str, str]
    columns: list[str]
    rows: list[list[str]]


def read_case(path: Path) -> Case:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    params = {}
    while lines and lines[0].startswith("#"):
        key, _, value = lines.pop(0)[1:].strip().partition("=")
        params[key.strip()] = value.strip()
    table = list(csv.reader(io.StringIO("".join(lines))))
    return Case(path.stem.split("--")[0], params, table[0], table[1:])


CASES = sorted(EXPECTED.glob("*.csv"))


def library_query(name: str) -> NamedQuery:
    """One named query, read on its own so that a bad header fails only its own cases."""
    return parse_named_query(name, (data_dir(DataDir.QUERIES) / f"{name}.rq").read_text(encoding="utf-8"))


def same_value(cell: str) -> str:
    """A cell with booleans as 1/0 and decimals in canonical form (no trailing zeros), as Virtuoso writes them."""
    if cell in {"true", "false"}:
        return "1" if cell == "true" else "0"
    if re.fullmatch(r"-?\d+\.\d+", cell):
        normal = Decimal(cell).normalize()
        return f"{normal:f}"
    return cell


def test_every_named_query_has_an_expected_answer() -> None:
    covered = {read_case(path).query for path in CASES}
    missing = [path.stem for path in QUERIES if path.stem not in covered]
    assert not missing, f"write tests/data/query_expected/NAME.csv for: {', '.join(missing)}"
    assert covered <= {path.stem for path in QUERIES}


@pytest.mark.parametrize("expected", CASES, ids=[path.stem for path in CASES])
def test_named_query_gives_the_expected_rows(every_store: StoreConfig, expected: Path) -> None:
    case = read_case(expected)
    db = open_store(every_store)
    db.replace({ASSERTED_GRAPH: Graph().parse(DATA / "query_fixture.ttl")})
    written = write_result(run_named(db, library_query(case.query), case.params), ResultFormat.CSV)
    table = list(csv.reader(io.StringIO(written)))
    assert table[0] == case.columns
    assert [[same_value(c) for c in row] for row in table[1:]] == [[same_value(c) for c in row] for row in case.rows]


def test_the_test_corpus_builds_and_validates(every_store: StoreConfig, fixture_corpus: Path) -> None:
    summary = build(fixture_corpus, store=every_store, jobs=1)
    db = open_store(every_store)
    assert db.triple_counts() == {name: summary.triples[name] for name in PROJECT_GRAPHS if summary.triples[name]}
    graphs = {name: db.graph(name) for name in PROJECT_GRAPHS}
    report = validate(
        graphs[ASSERTED_GRAPH] + graphs[INFERRED_GRAPH], ontology=graphs[ONTOLOGY_GRAPH],
        shapes=shapes_graph(), store=memory_store(graphs),
    )
    assert report.conforms, report.text
    items = run_named(db, library_query("items"), {})
    assert len(items.bindings) == summary.items


def test_provenance_on_the_bundled_corpus_quotes_the_text(corpus_build: tuple[StoreConfig, BuildSummary]) -> None:
    config, _ = corpus_build
    db = open_store(config)
    adcs = resource("org", slug("Association of Directors of Children's Services"))
    found = list(run_named(db, library_query("provenance"), {"iri": str(adcs)}))
    assert len(found) > 10
    assert {str(row["property"]) for row in found} == {"mention"}
    texts = {
        str(row["file"]): str(row["text"])
        for row in db.query("SELECT ?file ?text WHERE { ?d ak:fileName ?file ; ak:text ?text }")
    }
    for row in found:
        start, end = int(row["start"]), int(row["end"])
        assert texts[str(row["document"])][start:end] == str(row["quote"])
    assert {str(row["quote"]) for row in found} >= {"ADCS"}
