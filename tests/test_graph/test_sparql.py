"""What the server reads from a query's text before running it: its own LIMIT, and whether it is one triple pattern."""

from __future__ import annotations

import pytest

from graph.sparql import row_limit, single_pattern

ONE_PATTERN = [
    "SELECT ?p ?o WHERE { <https://w3id.org/adcs-kg/id/person/sam-carter> ?p ?o }",
    "PREFIX ak: <https://w3id.org/adcs-kg/ontology#>\nSELECT * { ?s a ak:Person . } LIMIT 5",
    "BASE <http://example.org/> SELECT REDUCED $s WHERE { ?s <name> 'Sam'@en-GB }",
    'ASK { ?s ak:start "2020-04-01"^^xsd:date }',
    "ask where { ?s ak:count 12 }",
    "SELECT ?s # FILTER and OPTIONAL in a comment change nothing\nWHERE { ?s ak:inferred true }",
    'SELECT ?s WHERE { ?s ak:quote "a { brace, a FILTER and a . in a string" }',
]

NOT_ONE_PATTERN = [
    "SELECT * WHERE { ?s ?p ?o . ?o ?q ?r }",  # a join
    "SELECT * WHERE { ?s ?p ?o FILTER(?o > 1) }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } }",
    "SELECT * WHERE { ?s ak:speaker/ak:name ?o }",  # a path
    "SELECT * WHERE { ?s ak:part* ?o }",
    "SELECT * WHERE { ?s ?p ?s }",  # a repeated variable: most of a scan may match nothing
    "SELECT * WHERE { ?s ?p ?o } OFFSET 100000",
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://example.org/a> }",
    "SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o BIND(1 AS ?x) }",
    "SELECT * WHERE { [] ?p ?o }",
    "SELECT * WHERE { _:b ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE ?s WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o ; ?q ?r }",  # two patterns sharing a subject
    "SELECT * WHERE { ?s ?p ?o, ?r }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT",
    "SELECT * WHERE { ?s ?p }",
]


@pytest.mark.parametrize("query", ONE_PATTERN)
def test_one_triple_pattern_is_recognised_in_its_forms(query: str) -> None:
    assert single_pattern(query)


@pytest.mark.parametrize("query", NOT_ONE_PATTERN)
def test_anything_more_than_one_plain_pattern_is_not(query: str) -> None:
    assert not single_pattern(query)


def test_the_row_limit_is_the_query_s_own_not_a_subquery_s() -> None:
    assert row_limit("SELECT * WHERE { ?s ?p ?o } LIMIT 50") == 50
    assert row_limit("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s limit 7 OFFSET 3") == 7
    assert row_limit("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } }") is None
    assert row_limit("SELECT * WHERE { ?s ?p 'LIMIT 5' } # LIMIT 5") is None
    assert row_limit("SELECT * WHERE { ?s ?p ?o }") is None
