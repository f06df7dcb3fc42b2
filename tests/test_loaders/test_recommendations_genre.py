"""Recommendations as the genre writes them, on a page written for these tests (invented bodies)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK
from loaders import extract_document

DATA = Path(__file__).resolve().parents[1] / "data" / "recommendations"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return extract_document(DATA / "calls_in_prose.txt").graph()


def _rows(g: Graph) -> dict[str, tuple[str | None, str | None, bool]]:
    """The first 40 characters of each recommendation's text -> (number, addressee name, flagged)."""
    out = {}
    for rec in g.subjects(RDF.type, AK.Recommendation):
        assert isinstance(rec, URIRef)
        quote = str(g.value(g.value(rec, AK.span), AK.quote))
        number = g.value(rec, AK.number)
        addressee = g.value(rec, AK.addressee)
        name = None if addressee is None else str(g.value(addressee, AK.name))
        flagged = (rec, AK.addresseeUnstated, Literal(True)) in g
        assert flagged == (addressee is None), quote
        out[quote[:40]] = (None if number is None else str(number), name, flagged)
    return out


def test_a_numbered_list_of_ambitions_is_read_with_no_addressee(graph: Graph) -> None:
    rows = _rows(graph)
    numbered = sorted((v[0], k) for k, v in rows.items() if v[0] is not None)
    assert [n for n, _ in numbered] == ["1", "2", "3"]
    assert all(rows[k] == (n, None, True) for n, k in numbered)
    assert numbered[0][1].startswith("For every child to have a stable home")


@pytest.mark.parametrize(
    ("opening", "addressee"),
    [
        ("calls on the Government to publish a ten", "government"),
        ("calls for a national register of childre", None),
        ("urged councils to pool their commissioni", "local authorities"),
        ("previous calls for a fair funding formul", None),
        ("As the report recommends, inspection sho", None),
        ("a recommendation made in the Northmoor R", None),
        ("the Department for Education should publ", "Department for Education"),
        ("It should also set out its targets for r", "Department for Education"),  # goes on from the one before
    ],
)
def test_calls_reported_in_prose(graph: Graph, opening: str, addressee: str | None) -> None:
    rows = _rows(graph)
    assert opening in rows, sorted(rows)
    assert rows[opening][1] == addressee


def test_only_calls_of_the_genre_are_read(graph: Graph) -> None:
    # not "the library calls for quiet", nor "improvements called for by inspectors"
    assert len(_rows(graph)) == 11


def test_a_speakers_own_campaigning_is_no_recommendation(graph: Graph) -> None:
    assert not [opening for opening in _rows(graph) if "family hubs" in opening]
