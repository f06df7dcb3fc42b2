"""The named-query library: headers, typed parameters bound as terms, result formats."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import QueryParameterError, UnknownQueryError
from graph.query import ParamType, named_queries, named_query, parse_named_query, run_named
from graph.results import ResultFormat, write_result
from graph.store import EmbeddedStore, StoreConfig

EX = "https://example.org/"

SAID = """#+ summary: What a person said
#+ description: Every quotation of the person,
#+ description: newest first.
#+ params: name (string, Jane Doe) - the speaker's name; since (date, 2020-01-01) - earliest day
#+ columns: quote, day
PREFIX ex: <https://example.org/>
SELECT ?quote ?day ?name ?since WHERE {
  ?s ex:speaker ?name ; ex:quote ?quote ; ex:day ?day .
  FILTER(?day >= ?since)
} ORDER BY DESC(?day)
"""


@pytest.fixture
def said_store(store: StoreConfig) -> EmbeddedStore:
    g = Graph()
    for i, (name, quote, day) in enumerate(
        [
            ("Jane Doe", "We need funding.", "2021-05-01"),
            ("Jane Doe", 'Say "no" to cuts.', "2022-02-01"),
            ("John Roe", "Not now.", "2022-03-01"),
            ('"} ; DROP ALL ; {"', "Injected?", "2022-04-01"),
        ]
    ):
        s = URIRef(f"{EX}s{i}")
        g.add((s, URIRef(EX + "speaker"), Literal(name)))
        g.add((s, URIRef(EX + "quote"), Literal(quote)))
        g.add((s, URIRef(EX + "day"), Literal(day, datatype=XSD.date)))
    db = EmbeddedStore(store)
    db.replace({URIRef(EX + "g"): g})
    return db


def test_header_is_parsed() -> None:
    query = parse_named_query("said", SAID)
    assert query.summary == "What a person said"
    assert query.description == "Every quotation of the person, newest first."
    assert [(p.name, p.type, p.example, p.meaning) for p in query.params] == [
        ("name", ParamType.STRING, "Jane Doe", "the speaker's name"),
        ("since", ParamType.DATE, "2020-01-01", "earliest day"),
    ]
    assert query.columns == ("quote", "day")


def test_query_without_summary_or_columns_is_refused() -> None:
    with pytest.raises(UnknownQueryError, match="summary"):
        parse_named_query("bare", "#+ columns: s\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(UnknownQueryError, match="columns"):
        parse_named_query("bare", "#+ summary: x\nSELECT * WHERE { ?s ?p ?o }")


def test_bad_parameter_declaration_is_refused() -> None:
    with pytest.raises(UnknownQueryError, match="cannot read parameter"):
        parse_named_query("bad", "#+ summary: x\n#+ params: name (colour, red)\n#+ columns: s\nSELECT * {}")


def test_parameters_are_bound_and_only_the_declared_columns_kept(said_store: EmbeddedStore) -> None:
    query = parse_named_query("said", SAID)
    result = run_named(said_store, query, {"name": "Jane Doe", "since": "2021-06-01"})
    assert list(result.variables) == ["quote", "day"]
    assert [(r["quote"].value, r["day"].value) for r in result.records()] == [('Say "no" to cuts.', "2022-02-01")]
    echoed = parse_named_query("said", SAID.replace("#+ columns: quote, day", "#+ columns: name, quote"))
    result = run_named(said_store, echoed, {"name": "Jane Doe", "since": "2022-01-01"})
    assert [[r["name"].value, r["quote"].value] for r in result.records()] == [["Jane Doe", 'Say "no" to cuts.']]


def test_a_declared_column_the_query_does_not_project_is_an_error(said_store: EmbeddedStore) -> None:
    query = parse_named_query("said", SAID.replace("#+ columns: quote, day", "#+ columns: quote, speaker"))
    with pytest.raises(UnknownQueryError, match="declares columns it does not project: speaker"):
        run_named(said_store, query, {"name": "Jane Doe", "since": "2021-06-01"})


def test_a_parameter_holding_sparql_is_a_plain_literal(said_store: EmbeddedStore) -> None:
    query = parse_named_query("said", SAID)
    result = run_named(said_store, query, {"name": '"} ; DROP ALL ; {"', "since": "2000-01-01"})
    assert [r["quote"].value for r in result.records()] == ["Injected?"]
    assert sum(said_store.triple_counts().values()) == 12  # nothing dropped


def test_missing_and_unknown_parameters_are_errors_not_empty_results(said_store: EmbeddedStore) -> None:
    query = parse_named_query("said", SAID)
    with pytest.raises(QueryParameterError, match=r"needs parameter\(s\): since \(date"):
        run_named(said_store, query, {"name": "Jane Doe"})
    with pytest.raises(QueryParameterError, match="no parameter 'colour'"):
        run_named(said_store, query, {"name": "x", "since": "2020-01-01", "colour": "red"})


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (ParamType.DATE, "2021-04-01", Literal("2021-04-01", datatype=XSD.date)),
        (ParamType.INTEGER, "42", Literal(42)),
        (ParamType.BOOLEAN, "TRUE", Literal(True)),
        (ParamType.IRI, "https://w3id.org/adcs-kg/id/person/jane-doe", URIRef("https://w3id.org/adcs-kg/id/person/jane-doe")),
    ],
)
def test_parameter_values_become_typed_terms(kind: ParamType, value: str, expected: Literal) -> None:
    query = parse_named_query("q", f"#+ summary: x\n#+ params: v ({kind.value}, ex)\n#+ columns: v\nSELECT ?v {{}}")
    assert query.bindings({"v": value})["v"] == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [(ParamType.DATE, "1 April 2021"), (ParamType.INTEGER, "4.5"), (ParamType.IRI, "not an iri"),
     (ParamType.IRI, "https://x/> } DROP ALL {"), (ParamType.BOOLEAN, "yes")],
)
def test_malformed_parameter_values_are_refused(kind: ParamType, value: str) -> None:
    query = parse_named_query("q", f"#+ summary: x\n#+ params: v ({kind.value}, ex)\n#+ columns: v\nSELECT ?v {{}}")
    with pytest.raises(QueryParameterError, match=f"must be a {kind.value}"):
        query.bindings({"v": value})


def test_csv_tsv_and_json_output(said_store: EmbeddedStore) -> None:
    query = parse_named_query("said", SAID)
    result = run_named(said_store, query, {"name": "Jane Doe", "since": "2020-01-01"})
    table = list(csv.reader(io.StringIO(write_result(result, ResultFormat.CSV))))
    assert table == [["quote", "day"], ['Say "no" to cuts.', "2022-02-01"], ["We need funding.", "2021-05-01"]]
    tsv = write_result(result, ResultFormat.TSV).splitlines()
    assert tsv[0] == "?quote\t?day"  # SPARQL 1.1 TSV: variables and N-Triples terms, as the endpoint writes
    assert tsv[1] == '"Say \\"no\\" to cuts."\t"2022-02-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    document = json.loads(write_result(result, ResultFormat.JSON))
    assert document["head"]["vars"] == ["quote", "day"]
    assert document["results"]["bindings"][1]["quote"]["value"] == "We need funding."


def test_unknown_named_query() -> None:
    with pytest.raises(UnknownQueryError, match="no named query 'nope'"):
        named_query("nope")


def test_every_named_query_has_a_full_header_and_projects_its_parameters_and_columns() -> None:
    queries = named_queries()
    assert queries, "the library holds no named query"
    for query in queries.values():
        assert query.summary and query.description and query.columns, query.name
        assert "#+ params:" in query.text, f"{query.name} must declare its parameters (or 'none')"
        for param in query.params:
            assert param.example and param.meaning, f"{query.name}: ?{param.name} needs an example and a meaning"
            param.term(param.example)  # the example is a valid value of the declared type
        select = re.search(r"SELECT\s+(DISTINCT\s+)?(.*?)\s+WHERE", query.text, re.S | re.I)
        assert select, f"{query.name} is not a SELECT"
        projected = set(re.findall(r"\?(\w+)(?![^()]*\bAS\b)", select.group(2)))
        projected |= set(re.findall(r"AS\s+\?(\w+)", select.group(2)))
        for name in [p.name for p in query.params] + list(query.columns):
            assert name in projected, f"{query.name} must project ?{name}"
