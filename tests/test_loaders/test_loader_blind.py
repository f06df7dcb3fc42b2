"""The whole pipeline on pages of the genre written apart from the loaders, before they were
read: a news archive with no boundaries between its entries, a Safeguarding Pressures phase
summary and a consultation response with recommendations under addressee headings. Each test
asserts the facts a reader of the page would take from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK
from loaders import extract_document, link_corpus

BLIND = Path(__file__).resolve().parents[1] / "data" / "blind"


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    found = {}
    for path in sorted(BLIND.glob("*.txt")):
        g = extract_document(path).graph()
        assert not [s for s in link_corpus(g) if "loader failed" in s.reason]
        found[path.stem] = g
    return found


def _name(g: Graph, node: object) -> str:
    assert isinstance(node, URIRef)
    return str(g.value(node, AK.name) or g.value(node, AK.title))


def _people(g: Graph) -> set[str]:
    return {_name(g, p) for p in g.subjects(RDF.type, AK.Person)}


def _items(g: Graph) -> list[tuple[str | None, date | None]]:
    rows = []
    for item in g.subjects(RDF.type, AK.Item):
        title, day = g.value(item, AK.title), g.value(item, AK.date)
        rows.append((int(str(g.value(item, AK.position))), None if title is None else str(title),
                     None if day is None else day.toPython()))  # fmt: skip
    return [row[1:] for row in sorted(rows)]


def _speakers(g: Graph) -> dict[str, set[str]]:
    """item title -> names of the people quoted in it."""
    found: dict[str, set[str]] = {}
    for statement in g.subjects(RDF.type, AK.Statement):
        title = str(g.value(g.value(statement, AK.inItem), AK.title))
        found.setdefault(title, set()).add(_name(g, g.value(statement, AK.speaker)))
    return found


def _holdings(g: Graph) -> set[tuple[str, str, str, str | None]]:
    """(person, post, organisation, association year "2023/24" when the holding spans one)."""
    rows = set()
    for holding in g.subjects(RDF.type, AK.Holding):
        post = g.value(holding, AK.post)
        interval = g.value(holding, AK.during)
        start = g.value(interval, AK.startDate) if interval is not None else None
        end = g.value(interval, AK.endDate) if interval is not None else None
        year = None
        if start is not None and end is not None:
            first, last = start.toPython(), end.toPython()
            if (first.month, first.day, last.month, last.day) == (4, 1, 3, 31) and last.year == first.year + 1:
                year = f"{first.year}/{str(last.year)[2:]}"
        rows.add((_name(g, g.value(holding, AK.holder)), _name(g, post), _name(g, g.value(post, AK.postIn)), year))
    return rows


def _findings(g: Graph) -> list[tuple[Decimal, str, str, str]]:
    """(value, unit, direction, measure) in text order."""
    rows = []
    for finding in g.subjects(RDF.type, AK.Finding):
        span = g.value(finding, AK.span)
        rows.append((int(str(g.value(span, AK.start))), int(str(finding).split("/")[-2]), (
            Decimal(str(g.value(finding, AK.value))),
            str(g.value(finding, AK.unit)).split("#")[1],
            str(g.value(finding, AK.direction)).split("#")[1],
            _name(g, g.value(finding, AK.measure)),
        )))  # fmt: skip
    return [row[2] for row in sorted(rows)]


def test_news_archive_entries_titles_and_dates(graphs: dict[str, Graph]) -> None:
    assert _items(graphs["news_archive"]) == [
        ("ADCS comment on the Spending Review", date(2024, 3, 12)),
        ("Comment: Ofsted annual report 2022/23", date(2024, 2, 27)),
        ("ADCS responds to the DfE consultation on the children’s social care national framework", date(2024, 2, 8)),
        ("Comment on school attendance figures", date(2024, 1, 18)),
        ("ADCS President’s new year message", date(2024, 1, 3)),
        ("Comment on the Autumn Statement", date(2023, 11, 23)),
        ("ADCS response to the Education Committee report on SEND", date(2023, 10, 9)),
        ("Comment on unaccompanied asylum seeking children", date(2023, 9, 14)),
        ("New ADCS President takes office", date(2023, 4, 3)),
    ]


def test_news_archive_people_and_speakers(graphs: dict[str, Graph]) -> None:
    g = graphs["news_archive"]
    assert _people(g) == {
        "Helen Marsh", "Daniel Okafor", "Priya Natarajan", "Tom Bradley", "Sarah Whitfield", "Mark Pennington",
    }  # fmt: skip
    assert _speakers(g) == {
        "ADCS comment on the Spending Review": {"Helen Marsh"},
        "Comment: Ofsted annual report 2022/23": {"Daniel Okafor"},
        "ADCS responds to the DfE consultation on the children’s social care national framework": {"Priya Natarajan"},
        "Comment on school attendance figures": {"Tom Bradley"},
        "ADCS President’s new year message": {"Helen Marsh"},
        "Comment on the Autumn Statement": {"Daniel Okafor"},
        "ADCS response to the Education Committee report on SEND": {"Helen Marsh"},
        "Comment on unaccompanied asylum seeking children": {"Sarah Whitfield"},
    }
    quotes = {
        str(g.value(g.value(s, AK.span), AK.quote)).split()[0]
        for s in g.subjects(RDF.type, AK.Statement)
        if _name(g, g.value(s, AK.speaker)) == "Sarah Whitfield"
    }
    assert quotes == {"Local", "The"}  # "... said:" and "Whitfield concluded:"


def test_news_archive_posts_and_the_presidents_term(graphs: dict[str, Graph]) -> None:
    held = _holdings(graphs["news_archive"])
    adcs = "Association of Directors of Children's Services"
    assert ("Helen Marsh", "ADCS President", adcs, "2023/24") in held
    assert {(person, post, org) for person, post, org, _ in held} >= {
        ("Daniel Okafor", "ADCS Vice President", adcs),
        ("Helen Marsh", "Director of Children's Services, Northmoor County Council", "Northmoor County Council"),
        ("Mark Pennington", "Director of Children's Services, Eastbridge City Council", "Eastbridge City Council"),
        ("Tom Bradley", "Chair of the ADCS Educational Achievement Policy Committee",
         "ADCS Educational Achievement Policy Committee"),
        ("Sarah Whitfield", "Chair of the ADCS Resources and Sustainability Policy Committee",
         "ADCS Resources and Sustainability Policy Committee"),
    }  # fmt: skip


def test_phase_summary_findings(graphs: dict[str, Graph]) -> None:
    g = graphs["safeguarding_pressures_phase8"]
    (item,) = g.subjects(RDF.type, AK.Item)
    assert g.value(item, AK.date).toPython() == date(2022, 12, 14)
    rows = [(value, unit, direction) for value, unit, direction, _ in _findings(g)]
    for expected in [
        (Decimal(9), "Percent", "Increase"),
        (Decimal(2600000), "Count", "NoChange"),
        (Decimal(3), "Percent", "Increase"),
        (Decimal(17), "Percent", "Increase"),
        (Decimal(2), "Percent", "Decrease"),
        (Decimal(6), "Percent", "Decrease"),
        (Decimal(6), "Percent", "Increase"),
        (Decimal(82170), "Count", "NoChange"),
        (Decimal(183), "Percent", "Increase"),
        (Decimal(2), "Ratio", "Increase"),
        (Decimal("0.2"), "Ratio", "NoChange"),
        (Decimal(71), "Percent", "NoChange"),
    ]:
        assert expected in rows
    measures = {(value, unit, measure) for value, unit, _, measure in _findings(g)}
    assert {
        (Decimal(17), "Percent", "section 47 enquiry"),
        (Decimal(183), "Percent", "section 47 enquiry"),
        (Decimal(2600000), "Count", "initial contact"),
        (Decimal(82170), "Count", "children looked after"),
    } <= measures


def test_phase_summary_reports_and_years(graphs: dict[str, Graph]) -> None:
    g = graphs["safeguarding_pressures_phase8"]
    years = {str(g.value(r, AK.title)): str(g.value(r, AK.year)) for r in g.subjects(RDF.type, AK.Report)}
    assert years == {"Safeguarding Pressures Phase 8": "2022", "Safeguarding Pressures Phase 7": "2021"}


def test_consultation_response_recommendations_and_signatory(graphs: dict[str, Graph]) -> None:
    g = graphs["consultation_response"]
    rows = []
    for rec in g.subjects(RDF.type, AK.Recommendation):
        start = int(str(g.value(g.value(rec, AK.span), AK.start)))
        rows.append((start, str(g.value(rec, AK.number)), _name(g, g.value(rec, AK.addressee))))
    dfe = "Department for Education"
    assert [row[1:] for row in sorted(rows)] == [
        ("1", dfe), ("2", dfe), ("2(a)", dfe), ("2(b)", dfe), ("3", dfe),
        ("1", "local authorities"), ("2", "local authorities"), ("1", "Ofsted"),
    ]  # fmt: skip
    (statement,) = g.subjects(RDF.type, AK.Statement)
    assert _name(g, g.value(statement, AK.speaker)) == "Helen Marsh"
    assert str(g.value(g.value(statement, AK.span), AK.quote)).startswith("1. The Association of Directors")
    (item,) = g.subjects(RDF.type, AK.Item)
    assert g.value(item, AK.date).toPython() == date(2023, 5, 9)
