"""The evidence loaders (reports, findings, recommendations, policies) on documents of the genre
written for the tests, outside the corpus: what each must find, through the whole pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK
from loaders import extract_document

EVIDENCE = Path(__file__).resolve().parents[1] / "data" / "evidence"

FindingRow = tuple[str, str | None, str, str, str]
"""(value or "low-high", from value, unit, direction, measure) of one finding."""


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {path.stem: extract_document(path).graph() for path in sorted(EVIDENCE.glob("*.txt"))}


def _local(node: object) -> str:
    return str(node).split("#")[-1]


def _findings(g: Graph) -> list[FindingRow]:
    rows: list[tuple[int, int, FindingRow]] = []
    for finding in g.subjects(RDF.type, AK.Finding):
        value = g.value(finding, AK.value)
        shown = str(value) if value is not None else f"{g.value(finding, AK.minValue)}-{g.value(finding, AK.maxValue)}"
        earlier = g.value(finding, AK.fromValue)
        measure = str(g.value(g.value(finding, AK.measure), AK.name))
        row = (shown, None if earlier is None else str(earlier), _local(g.value(finding, AK.unit)),
               _local(g.value(finding, AK.direction)), measure)  # fmt: skip
        start, end = (int(x) for x in str(finding).split("/")[-2:])
        rows.append((start, end, row))
    return [row for _, _, row in sorted(rows)]


def _period(g: Graph, value: str) -> str | None:
    (finding,) = (f for f in g.subjects(RDF.type, AK.Finding) if str(g.value(f, AK.value)) == value)
    label = g.value(finding, AK.periodLabel)
    return None if label is None else str(label)


def _reports(g: Graph) -> dict[str, tuple[str | None, str | None]]:
    """title -> (publisher name, series name)."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for report in g.subjects(RDF.type, AK.Report):
        publisher, series = g.value(report, AK.publisher), g.value(report, AK.series)
        found[str(g.value(report, AK.title))] = (
            None if publisher is None else str(g.value(publisher, AK.name)),
            None if series is None else str(g.value(series, AK.name)),
        )
    return found


def _policies(g: Graph) -> set[str]:
    return {str(g.value(p, AK.name)) for p in g.subjects(RDF.type, AK.Policy)}


def _recommendations(g: Graph) -> list[tuple[str | None, str, str]]:
    """(number, addressee name, text) in text order."""
    rows = []
    for rec in g.subjects(RDF.type, AK.Recommendation):
        span = g.value(rec, AK.span)
        number = g.value(rec, AK.number)
        addressee = g.value(rec, AK.addressee)
        assert isinstance(addressee, URIRef)
        rows.append((int(str(g.value(span, AK.start))), None if number is None else str(number),
                     str(g.value(addressee, AK.name)), str(g.value(span, AK.quote))))  # fmt: skip
    return [row[1:] for row in sorted(rows)]


def test_safeguarding_pressures_phase_summary(graphs: dict[str, Graph]) -> None:
    g = graphs["safeguarding_pressures_phase6"]
    assert _reports(g) == {
        "Safeguarding Pressures Phase 6": ("Association of Directors of Children's Services", "Safeguarding Pressures")
    }
    rows = _findings(g)
    assert rows[:-1] == [
        ("136", None, "Count", "NoChange", "local authority"),
        ("90", None, "Percent", "NoChange", "local authority"),
        ("91", None, "Percent", "NoChange", "england's child population"),
        ("12", None, "Percent", "Increase", "section 47 enquiry"),
        ("7.5", None, "Percent", "Increase", "initial child protection conference"),
        ("3.8", None, "Percent", "Decrease", "children subject of child protection plan"),
        ("2.1", None, "Percent", "Decrease", "referral"),
        ("2600000", "1400000", "Count", "Increase", "initial contact"),
        ("1400000", None, "Count", "NoChange", "initial contact"),  # the level it rose from, a finding too
        ("75420", None, "Count", "Increase", "children looked after"),
        ("24", None, "Percent", "Increase", "children looked after"),
        ("0.3333", None, "Ratio", "Decrease", "spending on early help"),
        ("17.4", None, "Count", "NoChange", "caseload"),
    ]
    value, _, unit, _, measure = rows[-1]
    assert (value, unit, measure) == ("2-3", "Ratio", "request for help")
    sources = [g.value(g.value(f, AK.source), AK.title) for f in g.subjects(RDF.type, AK.Finding)]
    assert sorted(map(str, sources)).count("Safeguarding Pressures Phase 6") == len(rows) - 1
    assert _period(g, "12") == "Between 2015/16 and 2017/18"
    assert _period(g, "0.3333") == "between 2010/11 and 2017/18"
    assert _period(g, "75420") == "at 31 March 2018"


def test_press_release_on_a_funding_gap(graphs: dict[str, Graph]) -> None:
    g = graphs["lga_funding_gap"]
    assert _reports(g) == {
        "Bright Futures: investing in children’s services": ("Local Government Association", None),
        "Department for Education’s consultation on children’s social care funding reform": (
            "Department for Education",
            None,
        ),
    }
    assert _policies(g) == {"Spending Review 2025"}
    rows = _findings(g)
    values = [(value, earlier, unit) for value, earlier, unit, _, _ in rows]
    assert values == [
        ("1600000000", None, "GBP"),
        ("1600000000", None, "GBP"),
        ("800000000", "480000000", "GBP"),
        ("480000000", None, "GBP"),
        ("47", None, "Percent"),
        ("10000", None, "GBP"),
        ("900000000-1200000000", None, "GBP"),
        ("0.25", None, "Ratio"),
        ("140", None, "Percent"),
        ("20", None, "Percent"),
    ]
    assert [measure for *_, measure in rows if measure.endswith("funding gap")] == [
        "children's service funding gap",
        "funding gap",
    ]
    assert ("140", None, "Percent", "Increase", "section 47 enquiry") in rows
    assert ("20", None, "Percent", "Decrease", "vital early help service") in rows
    assert _period(g, "800000000") == "in 2021/22"


def test_response_with_recommendations_under_addressee_headings(graphs: dict[str, Graph]) -> None:
    g = graphs["response_recommendations"]
    recommendations = _recommendations(g)
    assert [(number, addressee) for number, addressee, _ in recommendations] == [
        ("1", "Department for Education"),
        ("2", "Department for Education"),
        ("2(a)", "Department for Education"),
        ("2(b)", "Department for Education"),
        ("3", "Department for Education"),
        ("4", "local authorities"),
        ("5", "local authorities"),
        ("6", "Ofsted"),
        (None, "Home Office"),
    ]
    assert recommendations[3][2] == "guidance on support for care leavers aged 21 to 25."
    assert _policies(g) == {"Staying Close", "Dedicated Schools Grant", "National Transfer Scheme"}
    assert _findings(g) == []


def test_blog_naming_programmes(graphs: dict[str, Graph]) -> None:
    g = graphs["blog_programmes"]
    assert _policies(g) == {
        "Holiday Activities and Food Programme",
        "Family Hubs",
        "Supporting Families Programme",
        "Household Support Fund",
        "Healthy Start",
        "Public Law Outline",
        "Schools Bill",
        "Children's Wellbeing Bill",
        "Kinship Care Strategy",
    }
    assert _reports(g) == {"Stable Homes, Built on Love": ("Department for Education", None)}
    assert [(value, measure) for value, _, _, _, measure in _findings(g)] == [
        ("4200", "children"),
        ("8", "hub"),
        ("1150", "family"),
    ]
    assert _period(g, "1150") == "since April 2021"
