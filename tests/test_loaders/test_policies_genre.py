"""Policies as the genre writes them, on a comment written for these tests (invented places)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from graph.namespaces import AK, resource
from loaders import policies
from loaders.document import read_document
from loaders.extraction import Extraction, ItemRecord

DATA = Path(__file__).resolve().parents[1] / "data" / "policies"
QUERY = Path(__file__).resolve().parents[2] / "queries" / "policies.rq"


def _extract(*, dated: bool) -> Extraction:
    ext = Extraction(read_document(DATA / "budget_comment.txt"))
    when = date(2030, 11, 6) if dated else None
    ext.items.append(ItemRecord(resource("item", "budget", 0), 0, len(ext.text), "comment", AK.Comment, when, 0))
    policies.extract(ext)
    return ext


@pytest.fixture(scope="module")
def comment() -> Extraction:
    return _extract(dated=True)


def _names(ext: Extraction) -> dict[str, str]:
    """Canonical name -> kind local name of every policy."""
    return {
        str(ext.graph.value(p, AK.name)): str(ext.graph.value(p, AK.kind)).split("#")[1]
        for p in ext.graph.subjects(RDF.type, AK.Policy)
    }


def test_plural_acts_are_one_act_per_year(comment: Extraction) -> None:
    names = _names(comment)
    acts = ("Education Act 1996", "Education Act 2002", "Children Act 1989", "Children Act 2004", "Children Act 2014")
    for act in acts:
        assert names[act] == "Act"
    assert "Education Acts 1996" not in names


def test_the_surface_form_as_written_is_an_alt_name(comment: Extraction) -> None:
    act = resource("policy", "education-act-2002")
    assert Literal("Education Acts 1996 and 2002") in set(comment.graph.objects(act, AK.altName))


def test_fiscal_events_of_different_years_are_different_policies(comment: Extraction) -> None:
    names = _names(comment)
    assert names["Spending Review 2029"] == names["Spending Review 2031"] == "FiscalEvent"
    assert names["Local Government Finance Settlement 2031/32"] == "FiscalEvent"
    assert "Spending Review" in names  # the one written without a year stays apart, undated
    mentions = list(comment.graph.objects(resource("policy", "spending-review-2029"), AK.mention))
    assert len(mentions) == 2


def test_an_event_pointing_at_the_items_time_takes_its_year(comment: Extraction) -> None:
    assert _names(comment)["Budget 2030"] == "FiscalEvent"
    budget = resource("policy", "budget-2030")
    assert len(list(comment.graph.objects(budget, AK.mention))) == 2
    assert Literal("Budget") in set(comment.graph.objects(budget, AK.altName))


def test_without_a_dated_item_the_event_stays_undated() -> None:
    names = _names(_extract(dated=False))
    assert "Budget" in names
    assert not any(n.startswith("Budget ") for n in names)


def test_a_budget_that_is_not_the_budget_is_not_a_policy(comment: Extraction) -> None:
    line = comment.text.index("Budget pressures")
    line_end = comment.text.index("\n", line)
    assert not [m for m in comment.mentions if line <= m.start < line_end]


def test_policies_query_shows_the_alt_names(comment: Extraction) -> None:
    rows = {str(r[0]): str(r[1]) for r in comment.graph.query(QUERY.read_text(encoding="utf-8"))}
    assert rows["Education Act 1996"] == "Education Acts 1996 and 2002"
    assert rows["Spending Review 2029"] == ""


def test_frameworks_owned_programmes_and_the_settlement(comment: Extraction) -> None:
    names = _names(comment)
    assert names["Unified Practice Inspection Framework"] == "OtherPolicy"
    assert names["Kestrel Programme"] == "Programme"
    assert names["Local Government Settlement"] == "FiscalEvent"


# --------------------------------------------------------------------------- a round-up of the genre's policies

GENRE = Path(__file__).resolve().parents[1] / "data" / "genre"


@pytest.fixture(scope="module")
def roundup() -> dict[str, tuple[str, set[str]]]:
    """Canonical name -> (kind local name, surface forms written otherwise) of every policy."""
    from loaders import extract_document

    g = extract_document(GENRE / "policy_roundup.txt").graph()
    return {
        str(g.value(p, AK.name)): (str(g.value(p, AK.kind)).split("#")[1], {str(a) for a in g.objects(p, AK.altName)})
        for p in g.subjects(RDF.type, AK.Policy)
    }


@pytest.mark.parametrize(
    ("name", "kind", "written", "construction"),
    [
        ("Brighter Futures Strategy", "Strategy", "Brighter Futures strategy", "a name, then its date written onto it"),
        ("Autumn Statement", "FiscalEvent", "autumn statement", "a fiscal event in lower case after 'the'"),
        (
            "Local Government Funding Settlement 2031/32",
            "FiscalEvent",
            "draft local government funding settlement for 2031/32",
            "the draft funding settlement for a year",
        ),
        ("Spending Review 2030", "FiscalEvent", "Spending Review", "an event without its year, one edition named"),
        ("Northern Convention on the Rights of Young Carers", "OtherPolicy", "NCRYC", "a head noun, then its topic"),
        ("Young Carers Act 1998", "Act", "1998 Young Carers Act", "an act with its year before it"),
        ("Families, Homes and Schools Bill", "Bill", None, "a name listing its parts"),
        (
            "Kin and Belonging",
            "Strategy",
            "Kin and Belonging: implementation strategy and consultation: Kinship Care Reform 2031",
            "a quoted title in apposition to a strategy, named by its main title",
        ),
        ("Care Leaver Covenant", "OtherPolicy", None, "a covenant"),
        ("Kinship Allowance", "OtherPolicy", None, "an allowance"),
    ],
)
def test_policies_as_the_genre_names_them(
    roundup: dict[str, tuple[str, set[str]]], name: str, kind: str, written: str | None, construction: str
) -> None:
    assert name in roundup, construction
    assert roundup[name][0] == kind, construction
    assert written is None or written in roundup[name][1], construction


def test_a_name_inside_a_quoted_title_is_no_policy_of_its_own(roundup: dict[str, tuple[str, set[str]]]) -> None:
    assert "Kinship Care Reform" not in roundup and "Kinship Care Reform 2031" not in roundup
    assert len(roundup) == 10


@pytest.mark.parametrize(
    ("name", "kind", "written", "construction"),
    [
        ("Regional Fostering Cooperatives", "Programme", "RFCs", "lower-case words, then the acronym they spell"),
        ("Schools Allocation Formula", "OtherPolicy", "SAF", "a lower-case formula defined by its acronym"),
        ("Care Leaver Tax Exemption", "OtherPolicy", None, "an exemption"),
        ("Kinship Carer Relief", "OtherPolicy", None, "a relief"),
        ("Young Carer Bursary", "Grant", None, "a bursary"),
        ("Young Carers Council Tax Precept", "OtherPolicy", "Young Carers council tax precept", "a precept"),
    ],
)
def test_reforms_defined_by_an_acronym_and_reliefs(
    name: str, kind: str, written: str | None, construction: str
) -> None:
    from loaders import extract_document

    g = extract_document(DATA / "defined_reforms.txt").graph()
    found = {str(g.value(p, AK.name)): p for p in g.subjects(RDF.type, AK.Policy)}
    assert name in found, construction
    assert str(g.value(found[name], AK.kind)).split("#")[1] == kind, construction
    assert written is None or Literal(written) in set(g.objects(found[name], AK.altName)), construction


def test_a_plan_or_a_partnership_defined_by_its_acronym_is_no_policy() -> None:
    from loaders import extract_document

    g = extract_document(DATA / "defined_reforms.txt").graph()
    names = {str(g.value(p, AK.name)) for p in g.subjects(RDF.type, AK.Policy)}
    assert not any("Plans" in n or "Partnerships" in n for n in names)
