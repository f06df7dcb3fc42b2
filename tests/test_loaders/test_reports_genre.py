"""Reports as the genre writes them, on pages written for these tests (invented bodies)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from graph.namespaces import AK
from loaders import extract_document

DATA = Path(__file__).resolve().parents[1] / "data" / "reports"


def _reports(g: Graph) -> dict[str, int | None]:
    """Title -> year of every report."""
    out = {}
    for report in g.subjects(RDF.type, AK.Report):
        year = g.value(report, AK.year)
        out[str(g.value(report, AK.title))] = None if year is None else int(str(year))
    return out


def test_a_survey_whose_name_holds_budget_is_a_report_and_an_edition_keeps_its_year() -> None:
    reports = _reports(extract_document(DATA / "survey_editions.txt").graph())
    assert reports == {"ADCN Budget Survey": None, "Eastfield Spring Survey 2031": 2031}


def test_a_request_for_data_and_a_clause_after_a_kind_word_and_comma_are_not_reports() -> None:
    reports = _reports(extract_document(DATA / "not_titles.txt").graph())
    assert reports == {"Eastmoor Placements Review": None}


def test_a_name_described_next_as_a_survey_is_a_report_and_a_body_or_a_figure_so_described_is_not() -> None:
    reports = _reports(extract_document(DATA / "described_after.txt").graph())
    assert reports == {"Northfield Voices": None}


def test_a_quoted_title_keeps_its_apostrophes_and_a_cited_title_drops_according_to() -> None:
    reports = _reports(extract_document(DATA / "quoted_and_cited.txt").graph())
    assert reports == {
        "The Children’s Promise: Homes for Everyone": None,
        "A reply to the Carer's Support Plan": None,
        "Brackley Workforce Survey 2031": 2031,
    }


def test_a_title_after_its_owner_and_acronym_and_titles_ending_before_a_time_or_a_verb() -> None:
    g = extract_document(DATA / "owners_and_times.txt").graph()
    reports = {str(g.value(r, AK.title)): g.value(r, AK.publisher) for r in g.subjects(RDF.type, AK.Report)}
    assert set(reports) == {
        "Placement Costs Survey",
        "Nobody's Child: care leavers and housing",
        "Hallam review of school exclusion",
    }
    assert str(g.value(reports["Placement Costs Survey"], AK.name)) == "Brackley Carers Association"


def test_a_heading_ending_in_published_names_no_title_on_the_next_line() -> None:
    assert _reports(extract_document(DATA / "published_heading.txt").graph()) == {}


def test_a_title_in_apposition_after_the_body_the_report_is_from_or_with_commas_of_its_own() -> None:
    g = extract_document(DATA / "report_from_a_body.txt").graph()
    reports = {str(g.value(r, AK.title)): g.value(r, AK.publisher) for r in g.subjects(RDF.type, AK.Report)}
    assert set(reports) == {"Keeping Children Close", "Too little, too late: early help in crisis"}
    assert str(g.value(reports["Keeping Children Close"], AK.name)) == "Kestrel Trust"


# --------------------------------------------------------------------------- a publication page

GENRE = Path(__file__).resolve().parents[1] / "data" / "genre"


@pytest.fixture(scope="module")
def publications() -> dict[str, tuple[str, str | None, str | None, int | None]]:
    """Title -> (kind, publisher, series, number in the series) of every report of the page."""
    g = extract_document(GENRE / "publication_page.txt").graph()
    out = {}
    for report in g.subjects(RDF.type, AK.Report):
        publisher, series, number = (g.value(report, p) for p in (AK.publisher, AK.series, AK.seriesNumber))
        out[str(g.value(report, AK.title))] = (
            str(g.value(report, AK.kind)).split("#")[-1],
            None if publisher is None else str(g.value(publisher, AK.name)),
            None if series is None else str(g.value(series, AK.name)),
            None if number is None else int(number),
        )
    return out


@pytest.mark.parametrize(
    ("title", "kind", "publisher", "construction"),
    [
        (
            "Know your duties: A councillor's guide to corporate parenting",
            "Guidance",
            None,
            "a heading, then 'This guide'",
        ),
        ("Making every placement count", "ResearchReport", None, "a link line '<title> – report'"),
        (
            "A fair start: family help in every town",
            "OtherReport",
            "Western Councils Association",
            "X launched “title”",
        ),
        ("Annual Review of the Year", "Review", None, "a capitalised kind word and a named topic"),
    ],
)
def test_titles_written_as_the_genre_writes_them(
    publications: dict[str, tuple[str, str | None, str | None, int | None]],
    title: str,
    kind: str,
    publisher: str | None,
    construction: str,
) -> None:
    assert title in publications, construction
    assert publications[title][:2] == (kind, publisher), construction


def test_editions_of_a_series_in_every_form_are_reports_of_one_series(
    publications: dict[str, tuple[str, str | None, str | None, int | None]],
) -> None:
    series = {title: found[2:] for title, found in publications.items() if found[2] is not None}
    assert series == {
        "Northmoor Demand Study Phase 3": ("Northmoor Demand Study", 3),
        "Northmoor Demand Study Phase 2": ("Northmoor Demand Study", 2),  # "Phase 2" alone, the one series named
        "Interim Northmoor Demand Study Phase 3": ("Northmoor Demand Study", 3),  # related, not merged
        "Northmoor Demand Study Phase 3 – Executive Summary": ("Northmoor Demand Study", 3),  # a download of its own
    }


def test_download_notes_forms_press_releases_bodies_and_descriptions_are_no_titles(
    publications: dict[str, tuple[str, str | None, str | None, int | None]],
) -> None:
    titles = " | ".join(publications)
    for part in ("pdf", "Press Release", "Collection Form", "Main Report", "Penhale", "Scrutiny Committee"):
        assert part not in titles
    assert len(publications) == 8


def test_titles_of_a_trade_press_story_and_the_descriptions_that_are_none() -> None:
    g = extract_document(GENRE / "trade_press_reports.txt").graph()
    titles = {
        str(g.value(r, AK.title)): str(g.value(r, AK.kind)).split("#")[-1] for r in g.subjects(RDF.type, AK.Report)
    }
    assert titles == {
        "Northern Care Weekly's 2031 Report": "ResearchReport",  # not "Writing for ..."
        "Our Homes, Our Care, Our Future": "WhitePaper",  # the White Paper's capitalised words
        "The Kinship Plan: A Home for Every Child": "ResearchReport",  # "a new report, ‘...’"
        "Keeping Families Together in Eastfield": "ResearchReport",  # "a report by ... published today; ‘...’"
        "Too Little, Too Late": "ResearchReport",  # "our report ‘...’" inside a quotation
        "Kinship Matters": "OtherReport",  # "the new paper – Title – is ..."
        "What Is Care": "OtherReport",  # "its position statement Title, which ..."
    }
    # not "a Westfield Post survey", "an independent review into children's social care" (the gazetteer's
    # review, written in lower case after "an"), nor "Ravi Norwood’s report on his review into kinship care"
