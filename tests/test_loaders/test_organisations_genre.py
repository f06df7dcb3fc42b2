"""Organisations as the genre names them, on documents written for these tests (invented bodies and places)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from graph.namespaces import AK, resource
from loaders.organisations import OrganisationMention, find_organisations

DATA = Path(__file__).resolve().parents[1] / "data" / "organisations"


def _read(name: str) -> tuple[str, list[OrganisationMention]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return text, find_organisations(text)


@pytest.fixture(scope="module")
def round_up() -> tuple[str, list[OrganisationMention]]:
    return _read("group_leaders_round_up.txt")


def _found(doc: tuple[str, list[OrganisationMention]]) -> dict[str, tuple[str, URIRef]]:
    """Surface as written -> (canonical name, kind)."""
    text, found = doc
    return {text[m.start : m.end]: (m.name, m.kind) for m in found}


def _surfaces(doc: tuple[str, list[OrganisationMention]]) -> list[str]:
    text, found = doc
    return [text[m.start : m.end] for m in found]


def test_parties_are_organisations_by_any_of_their_names(round_up: tuple[str, list[OrganisationMention]]) -> None:
    found = _found(round_up)
    assert found["Liberal Democrats"] == found["Lib Dems"] == ("Liberal Democrats", AK.OtherOrganisation)
    assert found["Conservatives"] == ("Conservative Party", AK.OtherOrganisation)
    assert found["Labour"] == ("Labour Party", AK.OtherOrganisation)
    assert found["Plaid Cymru"] == ("Plaid Cymru", AK.OtherOrganisation)


def test_a_party_group_is_an_organisation_not_a_committee(round_up: tuple[str, list[OrganisationMention]]) -> None:
    text, found = round_up
    groups = {text[m.start : m.end]: m for m in found if m.name.endswith("Group")}
    assert set(groups) == {"LGA Labour Group", "Independent group"}
    assert {m.kind for m in groups.values()} == {AK.OtherOrganisation}
    assert groups["LGA Labour Group"].unit_of == resource("org", "local-government-association")
    assert groups["Independent group"].name == "Independent Group"


def test_boards_are_committees(round_up: tuple[str, list[OrganisationMention]]) -> None:
    found = _found(round_up)
    assert found["Rural Transport Board"] == ("Rural Transport Board", AK.Committee)
    assert found["Wellbeing and Leisure Board"] == ("Wellbeing and Leisure Board", AK.Committee)
    assert found["LGA Fairer Places Board"] == ("LGA Fairer Places Board", AK.Committee)


def test_a_unit_named_after_its_head_noun(round_up: tuple[str, list[OrganisationMention]]) -> None:
    text, found = round_up
    unit = next(m for m in found if text[m.start : m.end] == "ADCS Council of Elders")
    assert (unit.name, unit.kind) == ("ADCS Council of Elders", AK.Committee)
    assert unit.unit_of == resource("org", "association-of-directors-of-childrens-services")


def test_councils_by_place_in_any_case_and_joined_places(round_up: tuple[str, list[OrganisationMention]]) -> None:
    text, found = round_up
    councils = [(text[m.start : m.end], m.name) for m in found if m.kind == AK.LocalAuthority]
    assert councils == [
        ("Wexmoor council", "Wexmoor Council"),
        ("Callow and Brent council", "Callow and Brent Council"),
        ("Eastmere & Lyde Council", "Eastmere & Lyde Council"),
        ("Wexmoor Council", "Wexmoor Council"),
    ]


def test_a_described_council_and_council_tax_are_no_council(round_up: tuple[str, list[OrganisationMention]]) -> None:
    surfaces = _surfaces(round_up)
    assert "Labour" in surfaces  # "A Labour council": the party, not a council
    assert not [s for s in surfaces if s.lower().endswith("council") and s.split()[0] in {"English", "North-East"}]
    assert not [s for s in surfaces if "Tax" in s]


def test_former_is_no_part_of_a_name_and_at_joins_no_names(round_up: tuple[str, list[OrganisationMention]]) -> None:
    surfaces = _surfaces(round_up)
    assert "Association of Directors of Social Services" in surfaces
    assert not [s for s in surfaces if s.startswith("Former") or " at " in s]


def test_a_commission_for_inspection_is_a_regulator(round_up: tuple[str, list[OrganisationMention]]) -> None:
    found = _found(round_up)
    assert found["Commission for Youth Care Inspection"] == ("Commission for Youth Care Inspection", AK.Regulator)


def test_a_parliamentary_committee_named_after_its_house_and_later_without_it(
    round_up: tuple[str, list[OrganisationMention]],
) -> None:
    text, found = round_up
    committees = [(text[m.start : m.end], m.name, m.kind) for m in found if m.name.endswith("Citizens Committee")]
    full = "House of Commons Young Citizens Committee"
    assert committees == [(full, full, AK.ParliamentaryBody), ("Young Citizens Committee", full, AK.ParliamentaryBody)]


def test_names_joined_by_and_the_are_two_names(round_up: tuple[str, list[OrganisationMention]]) -> None:
    surfaces = _surfaces(round_up)
    assert surfaces[surfaces.index("Centre for Rural Families") + 1] == "Kinship Carers' Alliance"


def test_a_board_named_by_a_list_of_its_remits(round_up: tuple[str, list[OrganisationMention]]) -> None:
    surfaces = _surfaces(round_up)
    assert "Rivers, Parks and Heritage Board" in surfaces
    listed = surfaces.index("DfE")
    assert surfaces[listed : listed + 3] == ["DfE", "Ofsted", "Youth Justice Board"]  # known bodies stay a list


def test_a_word_opening_a_sentence_before_council_names_no_place(
    round_up: tuple[str, list[OrganisationMention]],
) -> None:
    assert not [s for s in _surfaces(round_up) if s.startswith(("Net", "Overall"))]


@pytest.fixture(scope="module")
def partners() -> tuple[str, list[OrganisationMention]]:
    return _read("improvement_partners.txt")


def test_a_consultancy_named_after_what_it_is_in_any_case(partners: tuple[str, list[OrganisationMention]]) -> None:
    found = _found(partners)
    assert found["bRIGHTWAY"] == ("bRIGHTWAY", AK.OtherOrganisation)
    assert found["Amber Lattice"] == ("Amber Lattice", AK.OtherOrganisation)


def test_a_body_named_before_what_it_is(partners: tuple[str, list[OrganisationMention]]) -> None:
    assert _found(partners)["w12"] == ("w12", AK.OtherOrganisation)


def test_bodies_listed_after_what_they_are(partners: tuple[str, list[OrganisationMention]]) -> None:
    found = _found(partners)
    assert [found[name] for name in ("ConfAny", "SAEO", "AADC")] == [
        ("ConfAny", AK.Association),
        ("SAEO", AK.Association),
        ("AADC", AK.Association),
    ]
    assert found["Open Doors Trust"] == ("Open Doors Trust", AK.Charity)
    assert found["Kinship First"] == ("Kinship First", AK.Charity)


def test_a_place_before_what_a_body_is_names_no_body(partners: tuple[str, list[OrganisationMention]]) -> None:
    assert "Anyshire" not in _found(partners)


def test_a_newspaper_named_after_the_or_your(partners: tuple[str, list[OrganisationMention]]) -> None:
    found = _found(partners)
    assert found["Wexmoor Echo"] == ("Wexmoor Echo", AK.Media)
    assert not [s for s in found if "News" in s]  # "the Latest News" describes news, names no paper


def test_an_acronym_after_the_post_heading_the_body(partners: tuple[str, list[OrganisationMention]]) -> None:
    found = _found(partners)
    assert found["WRSP"] == ("WRSP", AK.OtherOrganisation)
    assert "HR" not in found  # a director's remit is no body


def test_a_parliament_s_term_is_not_the_institution(round_up: tuple[str, list[OrganisationMention]]) -> None:
    text, found = round_up
    line = text.index("Our priorities")
    assert [text[m.start - 3 : m.end] for m in found if m.start > line] == ["to Parliament"]
