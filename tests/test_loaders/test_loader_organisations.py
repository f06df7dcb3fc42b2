"""Tests of loaders.organisations: gazetteer, patterns, acronyms, units, guards, triples, query."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK, resource
from graph.query import named_query
from loaders import organisations
from loaders.document import read_document
from loaders.extraction import Extraction, ItemRecord
from loaders.organisations import find_organisations, resolve_organisation

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def _names(text: str) -> list[tuple[str, str]]:
    """(surface, canonical name) of every organisation found, in text order."""
    return [(text[m.start : m.end], m.name) for m in find_organisations(text)]


def _extraction(tmp_path: Path, text: str) -> Extraction:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return Extraction(read_document(path))


def test_gazetteer_names_and_acronyms_resolve_to_one_organisation() -> None:
    text = "The Local Government Association and the DfE met; the LGA thanked the Department for Education."
    found = find_organisations(text)
    assert [(text[m.start : m.end], m.acronym) for m in found] == [
        ("Local Government Association", "LGA"),
        ("DfE", "DfE"),
        ("LGA", "LGA"),
        ("Department for Education", "DfE"),
    ]
    assert {m.iri for m in found} == {resource("org", "local-government-association"),
                                      resource("org", "department-for-education")}  # fmt: skip
    assert found[0].kind == AK.Association and found[1].kind == AK.GovernmentDepartment


def test_offsets_are_exact_and_possessives_are_left_out() -> None:
    text = "Ofsted’s chief and the ADCS's president wrote to NSPCC."
    found = find_organisations(text)
    assert [(m.start, m.end) for m in found] == [(0, 6), (23, 27), (49, 54)]
    assert [text[m.start : m.end] for m in found] == ["Ofsted", "ADCS", "NSPCC"]


def test_curly_apostrophes_line_breaks_and_case_in_long_names() -> None:
    text = "a letter from the Association of Directors of Children’s\nServices to the Education select committee"
    assert _names(text) == [
        ("Association of Directors of Children’s\nServices", "Association of Directors of Children's Services"),
        ("Education select committee", "Education Select Committee"),
    ]


def test_range_arguments_keep_offsets_relative_to_the_whole_text() -> None:
    text = "Ofsted and CQC. Later the Home Office spoke."
    found = find_organisations(text, 16)
    assert [(m.start, m.end, m.name) for m in found] == [(26, 37, "Home Office")]
    assert [m.name for m in find_organisations(text, 0, 15)] == ["Ofsted", "Care Quality Commission"]


def test_councils_written_as_councils() -> None:
    text = (
        "Norfolk County Council, the London Borough of Hackney, Brighton and Hove City Council "
        "and Cornwall Council all replied."
    )
    found = find_organisations(text)
    assert [m.name for m in found] == [
        "Norfolk County Council",
        "London Borough of Hackney",
        "Brighton and Hove City Council",
        "Cornwall Council",
    ]
    assert {m.kind for m in found} == {AK.LocalAuthority}


def test_places_and_other_councils_are_not_local_authorities() -> None:
    text = "Kent is a gateway authority; the Youth Council met the county council and the Local Council."
    assert find_organisations(text) == []


def test_body_named_after_what_it_is() -> None:
    text = "Ann Bell, chief executive of the charity Safe Homes Together, and the think tank Policy North spoke."
    found = find_organisations(text)
    assert [(text[m.start : m.end], m.kind) for m in found] == [
        ("Safe Homes Together", AK.Charity),
        ("Policy North", AK.OtherOrganisation),
    ]


def test_body_named_after_what_it_is_is_known_by_that_name_later() -> None:
    text = "A report from the charity Family Action Matters found gaps. Family Action Matters wants reform."
    assert _names(text) == [("Family Action Matters", "Family Action Matters")] * 2


def test_what_a_body_is_at_the_end_of_a_line_does_not_name_the_next_line() -> None:
    assert _names("Waiting lists grow, says charity\n\nPublished 3 March 2025") == []


def test_names_in_the_furniture_above_the_first_item_are_left_out(tmp_path: Path) -> None:
    text = "Northern Councils Network\nHome | Parliament | About\n\nNews\n\nOfsted reported today."
    ext = _extraction(tmp_path, text)
    start = text.index("News")
    ext.items.append(ItemRecord(resource("item", "doc", start), start, len(text), "News", AK.NewsArticle, None, 0))
    organisations.extract(ext)
    assert {str(n) for n in ext.graph.objects(None, AK.name)} == {"Ofsted"}
    assert "organisation 'Parliament' named only in the furniture above the items" in [s.reason for s in ext.skipped]


def test_names_in_a_banner_of_the_site_are_left_out(tmp_path: Path) -> None:
    text = "Ofsted reported today.\n\nGet unlimited access to Nursery World with a subscription.\n\nThe NSPCC agreed."
    ext = _extraction(tmp_path, text)
    ext.items.append(ItemRecord(resource("item", "doc", 0), 0, len(text), "News", AK.NewsArticle, None, 0))
    organisations.extract(ext)
    assert {str(n) for n in ext.graph.objects(None, AK.name)} == {
        "Ofsted",
        "National Society for the Prevention of Cruelty to Children",
    }
    assert "organisation 'Nursery World' named only in a banner of the site" in [s.reason for s in ext.skipped]


def test_acronym_defined_in_the_text_is_learned_for_later_uses() -> None:
    text = "The Institute of Child Wellbeing (ICW) published data. Later ICW's figures showed a rise."
    found = find_organisations(text)
    assert [(text[m.start : m.end], m.name, m.acronym) for m in found] == [
        ("Institute of Child Wellbeing", "Institute of Child Wellbeing", "ICW"),
        ("ICW", "Institute of Child Wellbeing", "ICW"),
        ("ICW", "Institute of Child Wellbeing", "ICW"),
    ]
    assert found[0].kind == AK.ResearchBody


def test_acronym_is_not_an_organisation_before_or_without_its_definition() -> None:
    text = "ICW said so. Then the Institute of Child Wellbeing (ICW) agreed."
    assert [text[m.start : m.end] for m in find_organisations(text)] == ["Institute of Child Wellbeing", "ICW"]
    assert find_organisations("The ICW figures and Independent Reviewing Officers (IROs).") == []


def test_head_noun_pattern_finds_other_named_bodies() -> None:
    text = "Funding from the Harbour Lights Foundation and a study by Westmoor University were cited."
    found = find_organisations(text)
    assert [(m.name, m.kind) for m in found] == [
        ("Harbour Lights Foundation", AK.Charity),
        ("Westmoor University", AK.ResearchBody),
    ]


def test_head_noun_pattern_takes_of_and_for_phrases_and_splits_at_and() -> None:
    text = (
        "The Alliance for Care Leavers in Work and the Westmoor Trust and Eastmoor College of Nursing "
        "and Midwifery wrote to the Court of Appeal in London."
    )
    assert [m.name for m in find_organisations(text)] == [
        "Alliance for Care Leavers in Work",
        "Westmoor Trust",
        "Eastmoor College of Nursing and Midwifery",
        "Court of Appeal",
    ]


def test_ampersand_and_small_typos_in_known_names() -> None:
    text = (
        "The Ministry of Housing, Communities & Local Government and the Association of Directors of "
        "Adults Social Services"
    )
    assert [m.name for m in find_organisations(text)] == [
        "Ministry of Housing, Communities and Local Government",
        "Association of Directors of Adult Social Services",
    ]


def test_generic_types_plurals_and_modifiers_are_not_organisations() -> None:
    text = (
        "Each Local Authority and its Local Safeguarding Children Board, the Regional Adoption Agency, "
        "Independent Fostering Agencies, Multi Agency Safeguarding Hubs and The National Panel said."
    )
    assert find_organisations(text) == []


def test_titles_policies_and_headings_are_not_organisations() -> None:
    text = "No Good Options\n\nSupporting Families\n\nRelated Articles\n\nThe Care Review reported."
    assert find_organisations(text) == []


def test_government_is_named_only_as_hm_government() -> None:
    assert find_organisations("The government said that the Government would act.") == []
    found = find_organisations("HM Government said so.")
    assert [(m.name, m.kind) for m in found] == [("HM Government", AK.Government)]


def test_units_of_adcs_and_lga() -> None:
    text = (
        "Chair of the ADCS Families, Communities and Young People Policy Committee, and Chair of the "
        "Local Government Association’s Children and Young People Board."
    )
    found = find_organisations(text)
    assert [(text[m.start : m.end], m.name, m.unit_of) for m in found] == [
        (
            "ADCS Families, Communities and Young People Policy Committee",
            "ADCS Families, Communities and Young People Policy Committee",
            resource("org", "association-of-directors-of-childrens-services"),
        ),
        (
            "Local Government Association’s Children and Young People Board",
            "LGA Children and Young People Board",
            resource("org", "local-government-association"),
        ),
    ]


def test_known_unit_named_without_its_parent_and_with_an_ampersand() -> None:
    bare = find_organisations("Chair of the Workforce Development Policy Committee")
    amp = find_organisations("the ADCS Health, Care & Additional Needs Policy Committee")
    assert [m.name for m in bare] == ["ADCS Workforce Development Policy Committee"]
    assert [m.name for m in amp] == ["ADCS Health, Care and Additional Needs Policy Committee"]
    assert bare[0].unit_of == amp[0].unit_of == resource("org", "association-of-directors-of-childrens-services")


def test_generic_acronym_counts_only_after_the_full_name() -> None:
    text = "The APPG for Children reported. The APPG made 12 recommendations."
    assert [text[m.start : m.end] for m in find_organisations(text)] == ["APPG for Children", "APPG"]
    assert find_organisations("The APPG on Housing met.") == []


def test_head_noun_name_spanning_a_known_body_is_split() -> None:
    text = "Ofsted and Care Quality Commission inspectors"
    assert [m.name for m in find_organisations(text)] == ["Ofsted", "Care Quality Commission"]


def test_a_name_ending_in_a_known_name_is_another_body() -> None:
    text = "The Welsh Local Government Association and the Local Government Association met."
    assert [m.name for m in find_organisations(text)] == [
        "Welsh Local Government Association",
        "Local Government Association",
    ]
    assert find_organisations(text)[0].kind == AK.Association


def test_a_known_name_written_with_words_left_out_is_that_body() -> None:
    text = (
        "The Association of Directors of Adult Social Services and the North East Association of Directors of "
        "Children's Services met the Association of Children's Services and the Association of Social Services."
    )
    adass = "Association of Directors of Adult Social Services"
    north_east = "North East Association of Directors of Children's Services"
    assert [m.name for m in find_organisations(text)] == [adass, north_east, north_east, adass]
    assert find_organisations("The Association of Children's Services met.")[0].name == (
        "Association of Children's Services"
    )


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("the LGA", "Local Government Association"),
        ("DfE", "Department for Education"),
        ("Department for Education", "Department for Education"),
        ("Ofsted's", "Ofsted"),
        ("the Children’s Commissioner", "Children's Commissioner for England"),
        ("Treasury", "HM Treasury"),
    ],
)
def test_resolve_organisation(surface: str, name: str) -> None:
    mention = resolve_organisation(surface)
    assert mention is not None
    assert (mention.name, mention.start, mention.end) == (name, 0, len(surface))


def test_resolve_organisation_refuses_non_names() -> None:
    assert resolve_organisation("the government") is None
    assert resolve_organisation("Ofsted and the LGA") is None
    assert resolve_organisation("") is None


def test_extract_writes_nodes_and_mentions(tmp_path: Path) -> None:
    text = "The Local Government Association’s Children and Young People Board and the LGA agreed."
    ext = _extraction(tmp_path, text)
    organisations.extract(ext)
    g = ext.graph
    lga = resource("org", "local-government-association")
    board = resource("org", "lga-children-and-young-people-board")
    assert (board, RDF.type, AK.OrganisationalUnit) in g
    assert (board, RDF.type, AK.Organisation) in g
    assert (board, AK.unitOf, lga) in g
    assert (board, AK.altName, Literal("Local Government Association's Children and Young People Board")) in g
    assert (lga, AK.name, Literal("Local Government Association")) in g
    assert (lga, AK.acronym, Literal("LGA")) in g
    assert (lga, AK.kind, AK.Association) in g
    quotes = sorted((text[m.start : m.end], str(m.node)) for m in ext.mentions)
    assert quotes == sorted(
        [
            ("Local Government Association’s Children and Young People Board", str(board)),
            ("Local Government Association", str(lga)),
            ("LGA", str(lga)),
        ]
    )


def test_parent_of_a_unit_is_written_and_mentioned(tmp_path: Path) -> None:
    text = "Chair of the ADCS Workforce Development Policy Committee; later the Workforce Development Policy Committee."
    ext = _extraction(tmp_path, text)
    organisations.extract(ext)
    adcs = resource("org", "association-of-directors-of-childrens-services")
    assert (adcs, AK.name, Literal("Association of Directors of Children's Services")) in ext.graph
    assert (adcs, AK.kind, AK.Association) in ext.graph
    assert sorted(text[m.start : m.end] for m in ext.mentions if m.node == adcs) == [
        "ADCS",
        "Workforce Development Policy Committee",
    ]


def test_organisations_query(tmp_path: Path) -> None:
    ext = _extraction(tmp_path, "The NSPCC, Ofsted and Salford City Council met.")
    organisations.extract(ext)
    query = (ROOT / "queries" / "organisations.rq").read_text(encoding="utf-8")
    columns = named_query("organisations").columns  # the rows as the CLI and the API give them
    rows = [tuple(None if row[c] is None else str(row[c]) for c in columns) for row in ext.graph.query(query)]
    assert rows == [
        ("National Society for the Prevention of Cruelty to Children", "NSPCC", "Charity"),
        ("Ofsted", None, "Regulator"),
        ("Salford City Council", None, "LocalAuthority"),
    ]


def _corpus_names(stem_prefix: str) -> set[str]:
    path = next(CORPUS.glob(f"{stem_prefix}_*.txt"))
    return {m.name for m in find_organisations(read_document(path).text)}


def test_corpus_news_archive() -> None:
    names = _corpus_names("001")
    assert {
        "Association of Directors of Children's Services",
        "Department for Education",
        "Local Government Association",
        "National Age Assessment Board",
        "Competition and Markets Authority",
        "Kent County Council",
        "ADCS Families, Communities and Young People Policy Committee",
        "What Works for Children's Social Care",
        "Parliamentary Taskforce on Kinship Care",
    } <= names
    assert not {"Multi Agency", "Soviet Union", "Related Articles", "Homes for Ukraine"} & names


def test_corpus_appg_story() -> None:
    names = _corpus_names("003")
    assert names == {
        "All-Party Parliamentary Group for Children",
        "Association of Directors of Children's Services",
        "Department for Communities and Local Government",
        "Department for Education",
        "LGA Children and Young People Board",
        "Local Government Association",
    }


def test_corpus_response_has_no_false_units() -> None:
    names = _corpus_names("004")
    assert names == {"Association of Directors of Children's Services", "Child Safeguarding Practice Review Panel"}


def test_mention_iri_is_stable() -> None:
    first = resolve_organisation("ADCS")
    second = resolve_organisation("Association of Directors of Childrens Services")
    assert first is not None and second is not None
    assert (
        first.iri
        == second.iri
        == URIRef("https://w3id.org/adcs-kg/id/org/association-of-directors-of-childrens-services")
    )
