"""Tests of loaders.policies: gazetteer, head-noun patterns, merging of surface forms, guards, query."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from graph.namespaces import AK, resource
from loaders import policies
from loaders.document import read_document
from loaders.extraction import Extraction
from loaders.policies import find_policies

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def _found(text: str) -> list[tuple[str, str]]:
    """(surface, canonical name) of every policy found, in text order."""
    return [(text[m.start : m.end], m.name) for m in find_policies(text)]


def _extraction(tmp_path: Path, text: str) -> Extraction:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return Extraction(read_document(path))


def test_surface_forms_of_one_policy_merge() -> None:
    text = (
        "The Supporting Families Programme grew; the Supporting Families programme was praised and "
        "Supporting Families will continue."
    )
    found = find_policies(text)
    assert [text[m.start : m.end] for m in found] == [
        "Supporting Families Programme",
        "Supporting Families programme",
        "Supporting Families",
    ]
    assert {m.iri for m in found} == {resource("policy", "supporting-families-programme")}
    assert found[0].kind == AK.Programme


def test_acronym_and_full_name_are_one_policy() -> None:
    text = "Transfers under the NTS rose; the National Transfer Scheme is now mandatory."
    found = find_policies(text)
    assert [(text[m.start : m.end], m.name, m.acronym) for m in found] == [
        ("NTS", "National Transfer Scheme", "NTS"),
        ("National Transfer Scheme", "National Transfer Scheme", "NTS"),
    ]
    assert (found[0].start, found[0].end) == (20, 23)


def test_descriptor_after_a_known_name_is_part_of_the_mention() -> None:
    assert _found("Councils ran the Homes for Ukraine scheme.") == [("Homes for Ukraine scheme", "Homes for Ukraine")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names sharing one plural head noun are two policies
        ("Families arrived via the Sponsor Visa and the Homes for Ukraine schemes, and the Kickstart "
         "and Restart programmes.",
         [("Sponsor Visa", "Sponsor Visa Scheme"), ("Homes for Ukraine", "Homes for Ukraine"),
          ("Kickstart", "Kickstart Programme"), ("Restart", "Restart Programme")]),
        # sector policies named without a head noun
        ("Courts follow the Public Law Outline; delays beyond the PLO matter. Take-up of the free early "
         "education entitlement fell while the 30-hour offer grew.",
         [("Public Law Outline", "Public Law Outline"), ("PLO", "Public Law Outline"),
          ("free early education entitlement", "Free Early Education Entitlement"),
          ("30-hour offer", "30 Hours Free Childcare")]),
    ],
)  # fmt: skip
def test_policy_names_without_their_own_head_noun(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_shared_head_noun_gives_the_kind() -> None:
    assert find_policies("the Sponsor Visa and the Homes for Ukraine schemes")[0].kind == AK.Scheme


def test_head_noun_names_and_their_kinds() -> None:
    text = (
        "The Coastal Towns Recovery Fund, the Youth Mentoring Initiative, the Kinship Carers Bill, "
        "the Looked After Children Strategy and the Child Poverty Act 2010 were debated."
    )
    found = find_policies(text)
    assert [(m.name, m.kind) for m in found] == [
        ("Coastal Towns Recovery Fund", AK.Fund),
        ("Youth Mentoring Initiative", AK.Programme),
        ("Kinship Carers Bill", AK.Bill),
        ("Looked After Children Strategy", AK.Strategy),
        ("Child Poverty Act 2010", AK.Act),
    ]


def test_pathfinders_pilots_and_fiscal_events_are_policies() -> None:
    text = (
        "The Family Help Pathfinder and the Kinship Allowance Pilot were extended in the Autumn Statement; "
        "the Spring Statement said nothing."
    )
    found = find_policies(text)
    assert [(m.name, m.kind) for m in found] == [
        ("Family Help Pathfinder", AK.Programme),
        ("Kinship Allowance Pilot", AK.Programme),
        ("Autumn Statement", AK.FiscalEvent),
        ("Spring Statement", AK.FiscalEvent),
    ]


def test_lower_case_head_after_the_gives_a_capitalised_canonical_name() -> None:
    text = "Money from the Family Learning Pathways grant and the Family Learning Pathways Grant helped."
    found = find_policies(text)
    assert [m.name for m in found] == ["Family Learning Pathways Grant"] * 2
    assert [text[m.start : m.end] for m in found] == [
        "Family Learning Pathways grant",
        "Family Learning Pathways Grant",
    ]


def test_acronym_defined_in_the_text_is_learned() -> None:
    text = "The Rural Childcare Access Scheme (RCAS) opened. RCAS places filled quickly."
    assert _found(text) == [
        ("Rural Childcare Access Scheme", "Rural Childcare Access Scheme"),
        ("RCAS", "Rural Childcare Access Scheme"),
        ("RCAS", "Rural Childcare Access Scheme"),
    ]


def test_reports_are_not_policies() -> None:
    text = (
        "The Levelling Up White Paper and the SEND and AP Green Paper followed the Care Review; "
        "the Supporting Families Annual Report was published."
    )
    assert find_policies(text) == []


def test_organisation_names_are_not_policies_and_organisations_are_trimmed_off() -> None:
    text = "The Department for Levelling Up, Housing and Communities funds the DfE Family Mentoring Programme."
    assert _found(text) == [("Family Mentoring Programme", "Family Mentoring Programme")]


def test_capitalised_head_after_a_known_name_is_another_policy() -> None:
    text = "Levelling Up needs more than the Levelling Up Fund."
    assert _found(text) == [("Levelling Up", "Levelling Up"), ("Levelling Up Fund", "Levelling Up Fund")]


def test_name_opening_a_title_is_not_a_policy() -> None:
    assert find_policies("The Supporting Families: Investing in Practice report was published.") == []


def test_people_named_grant_or_bill_are_not_policies() -> None:
    text = "Edwina Grant, Chair of the committee, met Bill Morris MP. John Grant and Minister Alan Grant OBE."
    assert find_policies(text) == []


def test_lower_case_and_headings_are_not_policies() -> None:
    text = "Levelling up means many things. Supporting families early matters.\n\nRelated Articles\n"
    assert find_policies(text) == []


def test_extract_writes_policy_nodes_with_alt_names_and_mentions(tmp_path: Path) -> None:
    text = "The Troubled Families programme became Troubled Families in name only."
    ext = _extraction(tmp_path, text)
    policies.extract(ext)
    iri = resource("policy", "troubled-families-programme")
    g = ext.graph
    assert (iri, RDF.type, AK.Policy) in g
    assert (iri, AK.name, Literal("Troubled Families Programme")) in g
    assert (iri, AK.kind, AK.Programme) in g
    assert set(g.objects(iri, AK.altName)) == {Literal("Troubled Families programme"), Literal("Troubled Families")}
    assert [(m.start, m.end) for m in ext.mentions] == [(4, 31), (39, 56)]


def test_policies_query(tmp_path: Path) -> None:
    ext = _extraction(tmp_path, "The Pupil Premium and the Household Support Fund, and again the Pupil Premium.")
    policies.extract(ext)
    query = (ROOT / "queries" / "policies.rq").read_text(encoding="utf-8")
    assert [str(row[0]) for row in ext.graph.query(query)] == ["Household Support Fund", "Pupil Premium"]


def _corpus_names(stem_prefix: str) -> set[str]:
    path = next(CORPUS.glob(f"{stem_prefix}_*.txt"))
    return {m.name for m in find_policies(read_document(path).text)}


def test_corpus_news_archive() -> None:
    names = _corpus_names("001")
    assert {
        "National Transfer Scheme",
        "Homes for Ukraine",
        "Supporting Families Programme",
        "Troubled Families Programme",
        "Holiday Activities and Food Programme",
        "Covid Winter Grant Scheme",
        "Local Authority School Improvement Monitoring and Brokering Grant",
        "Household Support Fund",
    } <= names
    assert not {"Levelling Up White Paper", "Innovation Programme", "Edwina Grant", "SEND Review"} & names


def test_corpus_commentary_and_response() -> None:
    assert {"Pupil Premium", "Comprehensive Spending Review", "Transforming Children's Social Care Grant"} <= (
        _corpus_names("002")
    )
    assert _corpus_names("004") == {"Family Hubs", "Supporting Families Programme"}
    assert _corpus_names("003") == set()
