"""Reports as the genre writes them, on a page written for these tests (invented bodies)."""

from __future__ import annotations

from pathlib import Path

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
