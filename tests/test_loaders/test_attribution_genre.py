"""Who a figure comes from, on pages of the genre written for these tests (invented people and bodies)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK
from loaders import extract_document

DATA = Path(__file__).resolve().parents[1] / "data"
GENRE, FINDINGS = DATA / "genre", DATA / "findings"


def _sources(path: Path) -> dict[str, tuple[str, str]]:
    """For each finding's number as written in ``path``: its source's name or title and its class."""
    graph = extract_document(path).graph()
    text = path.read_text(encoding="utf-8")
    found = {}
    for node in graph.subjects(RDF.type, AK.Finding):
        start, end = (int(x) for x in str(node).rsplit("/", 2)[-2:])
        source = graph.value(node, AK.source)
        assert isinstance(source, URIRef), text[start:end]
        label = graph.value(source, AK.name) or graph.value(source, AK.title)
        kinds = {str(t).split("#")[-1] for t in graph.objects(source, RDF.type)} & {"Report", "Organisation", "Person"}
        found[text[start:end]] = (str(label), "/".join(sorted(kinds)))
    return found


# --------------------------------------------------------------------------- one construction a sentence


@pytest.mark.parametrize(
    ("number", "source", "kind"),
    [
        ("84,300", "Department for Education", "Organisation"),
        ("£1.4 billion", "Local Government Association", "Organisation"),
        ("41%", "Northmoor Review of Placements", "Report"),
        ("12%", "Local Government Association", "Organisation"),
        ("300", "Mara Quillfeather", "Person"),
    ],
)
def test_a_figure_belongs_to_the_body_it_is_cited_from_else_to_its_speaker(number: str, source: str, kind: str) -> None:
    assert _sources(FINDINGS / "attribution_news.txt")[number] == (source, kind)


def test_figures_of_an_item_reporting_one_bodys_analysis_are_that_bodys() -> None:
    found = _sources(FINDINGS / "one_analysis.txt")
    assert len(found) == 5
    assert {source for source, _ in found.values()} == {"Local Government Association"}


def test_figures_after_a_sentence_citing_a_body_are_that_bodys_until_another_is_cited() -> None:
    found = _sources(FINDINGS / "carried_source.txt")
    assert {number: source for number, (source, _) in found.items()} == {
        "£2.4bn": "Department for Education",
        "£4.1bn": "Department for Education",
        "£3.9bn": "Department for Education",
    }


def test_a_report_qualified_before_its_verb_is_cited_and_its_figures_carried() -> None:
    # The body named in the sentence of the figures asked for them; the report gives them.
    found = _sources(FINDINGS / "qualified_report.txt")
    assert {number: source for number, (source, _) in found.items()} == {
        "61": "Northfield Family Support Review",
        "80": "Northfield Family Support Review",
    }


# --------------------------------------------------------------------------- a news story citing several sources


@pytest.fixture(scope="module")
def story() -> dict[str, tuple[str, str]]:
    return _sources(GENRE / "council_figures_story.txt")


@pytest.mark.parametrize(
    ("number", "source", "construction"),
    [
        ("a fifth", "Western Councils Association", "figures published by X show"),
        ("71", "Western Councils Association", "the figures also showed: the source cited before"),
        ("£9.2bn", "Department for Education", "the next sentence points back: the figures, compiled by X, ..."),
        ("38%", "Kinship Care Survey 2031", "X, which ..., found"),
        ("1,400", "Kinship Care Survey 2031", "the survey also found: the report named last"),
        ("54", "Western Councils Association", "according to the association: the body named last"),
        ("£600m", "Western Councils Association", "it added: the source cited last"),
        # "rose by 6% on the Kinship Care Survey 2030 and by 21% since the Kinship Care Survey 2027"
        ("6%", "Kinship Care Survey 2031", "a report a change is measured against is not its source"),
        ("21%", "Kinship Care Survey 2031", "a report a change is measured since is not its source"),
    ],
)
def test_a_figure_belongs_to_the_report_or_body_it_is_cited_from(
    story: dict[str, tuple[str, str]], number: str, source: str, construction: str
) -> None:
    assert story[number][0] == source, construction


@pytest.mark.parametrize(
    ("number", "person", "construction"),
    [
        ("12", "Greta Holroyd", "X, the association's finance lead, said that"),
        ("£310m", "Greta Holroyd", "she said"),
        ("140", "Ivor Pendleton", "the former chair of a body – ... – said that: the person named last"),
    ],
)
def test_a_figure_in_reported_speech_belongs_to_the_person_saying_it(
    story: dict[str, tuple[str, str]], number: str, person: str, construction: str
) -> None:
    assert story[number] == (person, "Person"), construction


# --------------------------------------------------------------------------- a story about one council


@pytest.mark.parametrize(
    ("number", "source", "construction"),
    [
        ("£148,000", "Eastmoor County Council", "no citation: the body the story is about, named first"),
        ("around 9,000", "Eastmoor County Council", "no citation, several bodies named: the one named first"),
        ("412", "Eastmoor County Council", "the county council, not cited: the body named first"),
        ("£2.4 billion", "Western Councils Association", "a speaker's 'our estimation': the body of their post"),
    ],
)
def test_a_figure_no_one_is_cited_for_belongs_to_the_body_its_story_is_about(
    number: str, source: str, construction: str
) -> None:
    assert _sources(GENRE / "council_appointment.txt")[number] == (source, "Organisation"), construction


def test_she_after_a_full_name_stands_for_the_person_of_the_full_name_not_for_their_surname() -> None:
    assert _sources(FINDINGS / "pronoun_after_full_name.txt") == {"a quarter": ("Orla Penhallow", "Person")}


def test_a_magazine_the_author_of_a_column_writes_of_is_no_source_of_its_figures() -> None:
    graph = extract_document(FINDINGS / "column_naming_a_magazine.txt").graph()
    magazines = {o for o in graph.subjects(AK.kind, AK.Media)}
    findings = set(graph.subjects(RDF.type, AK.Finding))
    assert magazines and len(findings) == 3
    assert not {graph.value(f, AK.source) for f in findings} & magazines
