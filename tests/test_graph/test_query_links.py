"""The ``#+ links:`` header of named queries: which variable holds the resource a column names."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.errors import UnknownQueryError
from graph.query import NamedQuery, named_queries, parse_named_query
from graph.results import PREFIX_IRIS, Answer, Cell, Form, TermKind

HEADER = "#+ summary: People\n#+ columns: person, start\n"
QUERY = "SELECT ?person ?start ?holder WHERE { ?holder ak:name ?person }"


def test_links_are_read_from_the_header() -> None:
    query = parse_named_query("people", HEADER + "#+ links: person -> holder\n" + QUERY)
    assert query.links == (("person", "holder"),)
    assert query.columns == ("person", "start")  # a link variable is not a column


@pytest.mark.parametrize("links", ["nobody -> holder", "person holder", "person -> "])
def test_a_link_of_no_declared_column_or_malformed_is_refused(links: str) -> None:
    with pytest.raises(UnknownQueryError, match="cannot read link"):
        parse_named_query("people", HEADER + f"#+ links: {links}\n" + QUERY)


def test_each_row_links_its_cells_to_the_resources_they_name() -> None:
    query = parse_named_query("people", HEADER + "#+ links: person -> holder\n" + QUERY)
    sam = Cell(TermKind.URI, "https://w3id.org/adcs-kg/id/person/sam-carter")
    answer = Answer(
        Form.SELECT,
        ("person", "start", "holder"),
        (
            (Cell(TermKind.LITERAL, "Sam Carter"), Cell(TermKind.LITERAL, "2020-04-01"), sam),
            (Cell(TermKind.LITERAL, "Nobody"), None, None),
            (Cell(TermKind.LITERAL, "Blank"), None, Cell(TermKind.BNODE, "b0")),
        ),
    )
    assert query.resource_links(answer) == ((sam.value, None), (None, None), (None, None))
    assert query.answer(answer).variables == ("person", "start")


def test_a_link_to_a_variable_the_query_does_not_project_is_an_error() -> None:
    query = parse_named_query("people", HEADER + "#+ links: person -> holder\n" + QUERY)
    with pytest.raises(UnknownQueryError, match="holder"):
        query.resource_links(Answer(Form.SELECT, ("person", "start"), ()))


@pytest.mark.parametrize("query", named_queries().values(), ids=lambda q: q.name)
def test_every_named_query_projects_its_link_variables(query: NamedQuery) -> None:
    results = ox.Store().query(query.text, prefixes=PREFIX_IRIS)
    projected = {v.value for v in results.variables}
    assert {variable for _, variable in query.links} <= projected
    assert query.links  # every named query shows resources, and links them
