"""The named-query library behaves the same on the embedded store, Oxigraph's server and Virtuoso.

Each store builds and validates the test corpus, then holds the hand-written fixture graph
(tests/data/query_fixture.ttl) on which every named query of queries/*.rq must give the rows
written out by hand in tests/data/query_expected/NAME.csv (or NAME--CASE.csv for more cases of
one query). An expected file starts with its parameters, one ``# name=value`` line each, then
the CSV the query writes (``adcs-kg query NAME --format csv``).

Answers must be identical, cell for cell, on every store: Virtuoso writes xsd:boolean values
as 1 and 0, which rdflib reads back in canonical form (true, false), as the other stores write them.
The test corpus's build must also give, on each server, the answers the embedded store gives.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from graph.build import BuildSummary, build
from graph.errors import QuerySyntaxError
from graph.namespaces import AK, ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PROJECT_GRAPHS, resource, slug
from graph.ontology import shapes_graph
from graph.query import NamedQuery, named_queries, parse_named_query, run_named
from graph.resources import DataDir, data_dir
from graph.results import ResultFormat, write_result
from graph.store import Store, StoreConfig, open_store
from graph.validate import validate

DATA = Path(__file__).parents[1] / "data"
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
    assert table[1:] == case.rows


INJECTION = '"} ; DROP ALL ; {"'
WIDENING = 'x")) || ((true'
"""Pasted into ``FILTER (LCASE(STR(?spoken)) = LCASE(STR(?person)))``, this would match every name."""


def test_a_parameter_holding_sparql_is_a_plain_literal(every_store: StoreConfig) -> None:
    fixture = Graph().parse(DATA / "query_fixture.ttl")
    fixture.add((URIRef(resource("person", "jane-doe")), AK.altName, Literal(INJECTION)))
    db = open_store(every_store)
    db.replace({ASSERTED_GRAPH: fixture})
    before = db.triple_counts()
    statements_by = library_query("statements_by")
    every = {"min_confidence": "0"}
    by_name = run_named(db, statements_by, {"person": "Jane Doe", **every})
    by_injection = run_named(db, statements_by, {"person": INJECTION, **every})
    assert len(by_name.rows) == 2
    assert by_injection.rows == by_name.rows  # matched as the literal the data holds
    assert run_named(db, statements_by, {"person": WIDENING}).rows == ()
    assert run_named(db, library_query("statements_about"), {"name": INJECTION}).rows == ()
    assert db.triple_counts() == before


def test_a_syntax_error_names_line_and_column(every_store: StoreConfig) -> None:
    db = open_store(every_store)
    db.replace({ASSERTED_GRAPH: Graph().parse(DATA / "query_fixture.ttl")})
    with pytest.raises(QuerySyntaxError) as caught:
        db.query("SELECT ?name\nWHERE {\n  ?p ak:name ?name\n  FILTER( }")
    assert (caught.value.line, caught.value.column) == (4, 12)  # just past the "}" where parsing gave up
    assert "line 4, column 12" in str(caught.value)


def test_the_test_corpus_builds_validates_and_answers_alike(
    every_store: StoreConfig, fixture_corpus: Path, fixture_corpus_embedded: StoreConfig
) -> None:
    summary = build(fixture_corpus, store=every_store, jobs=1)
    db = open_store(every_store)
    assert db.triple_counts() == {name: summary.triples[name] for name in PROJECT_GRAPHS if summary.triples[name]}
    graphs = {name: db.graph(name) for name in PROJECT_GRAPHS}
    report = validate(
        graphs[ASSERTED_GRAPH] + graphs[INFERRED_GRAPH], ontology=graphs[ONTOLOGY_GRAPH],
        shapes=shapes_graph(), store=db,
    )
    assert report.conforms, report.text
    items = run_named(db, library_query("items"), {})
    assert len(items.rows) == summary.items
    assert answers(db) == answers(open_store(fixture_corpus_embedded))


def answers(db: Store) -> dict[str, list[list[str]]]:
    """Every named query's rows (its header examples as parameters), sorted, so that stores can be compared."""
    found = {}
    for name, query in named_queries().items():
        result = run_named(db, query, {p.name: p.example for p in query.params})
        found[name] = sorted(csv.reader(io.StringIO(write_result(result, ResultFormat.CSV))))
    return found


@pytest.fixture(scope="module")
def fixture_corpus_embedded(tmp_path_factory: pytest.TempPathFactory, fixture_corpus: Path) -> StoreConfig:
    """The test corpus built once into an embedded store: the answers every server must give."""
    config = StoreConfig(tmp_path_factory.mktemp("reference") / "store")
    build(fixture_corpus, store=config, jobs=1)
    return config


def test_provenance_on_the_bundled_corpus_quotes_the_text(corpus_build: tuple[StoreConfig, BuildSummary]) -> None:
    config, _ = corpus_build
    db = open_store(config)
    adcs = resource("org", slug("Association of Directors of Children's Services"))
    found = run_named(db, library_query("provenance"), {"iri": str(adcs)}).records()
    assert len(found) > 10
    assert {row["property"].value for row in found} == {"mention"}
    texts = {
        str(row["file"]): str(row["text"])
        for row in db.query("SELECT ?file ?text WHERE { ?d ak:fileName ?file ; ak:text ?text }")
    }
    for row in found:
        start, end = int(row["start"].value), int(row["end"].value)
        assert texts[row["document"].value][start:end] == row["quote"].value
    assert {row["quote"].value for row in found} >= {"ADCS"}


CONTRACT_COLUMNS = {
    "people": "name",
    "positions": "person, post, organisation, term, start, end, inferred, document",
    "speakers": "item, speaker, post, organisation, date, document, date_earliest, date_latest",
    "items": "title, kind, date, document",
    "organisations": "name, acronym, kind",
    "who_held": "person, post, organisation, start, end",
    "reports": "title, publisher, year, series",
    "findings": "source, speaker, statement, measure, value, unit, direction, period, document, start, end, "
    "source_kind, measure_kind",
    "recommendations": "source, number, addressee, text, document, addressee_unstated",
    "policies": "name, alt_names",
    "measure_over_time": "source, period, value, unit, direction, document, measure_kind",
    "statements_by": "date, item, post, organisation, quote, document, start, end, date_earliest, date_latest",
    "statements_about": "speaker, date, quote, item, document, start, end",
    "officers": "person, post, organisation, term, start, end, inferred, document",
    "provenance": "property, document, start, end, quote",
    "network": "source, source_label, source_class, relation, target, target_label, target_class, quote, "
    "document, start, end",
}
"""The CSV header of each named query: a public contract, written out here, never renamed."""


def test_every_named_query_is_under_contract() -> None:
    assert sorted(named_queries()) == sorted(CONTRACT_COLUMNS)


@pytest.mark.parametrize("name", sorted(CONTRACT_COLUMNS))
def test_every_named_query_runs_on_the_corpus_build_and_returns_rows(
    corpus_build: tuple[StoreConfig, BuildSummary], name: str
) -> None:
    """With the examples of its header as parameters: no error, rows, and the contract's header."""
    config, _ = corpus_build
    query = library_query(name)
    result = run_named(open_store(config), query, {p.name: p.example for p in query.params})
    written = write_result(result, ResultFormat.CSV)
    header, *table = list(csv.reader(io.StringIO(written)))
    assert header == CONTRACT_COLUMNS[name].split(", ")
    assert table, f"{name} returned no rows on the corpus"
    assert all(len(row) == len(header) for row in table)
