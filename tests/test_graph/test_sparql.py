"""What the server reads from a query's text before running it."""

from __future__ import annotations

from graph.sparql import row_limit


def test_the_row_limit_is_the_query_s_own_not_a_subquery_s() -> None:
    assert row_limit("SELECT * WHERE { ?s ?p ?o } LIMIT 50") == 50
    assert row_limit("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s limit 7 OFFSET 3") == 7
    assert row_limit("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } }") is None
    assert row_limit("SELECT * WHERE { ?s ?p 'LIMIT 5' } # LIMIT 5") is None
    assert row_limit("SELECT * WHERE { ?s ?p ?o }") is None
