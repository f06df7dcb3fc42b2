"""Tests of loaders.reports: each title pattern, surface-form resolution, responses, the query."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK, resource
from graph.query import named_query
from loaders import items, organisations, reports
from loaders.document import read_document
from loaders.extraction import Extraction, ItemRecord
from loaders.reports import report_iri, series_iri

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def _extraction(tmp_path: Path, text: str, item_list: list[ItemRecord] | None = None) -> Extraction:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    ext = Extraction(read_document(path))
    ext.items.extend(item_list or [])
    organisations.extract(ext)
    reports.extract(ext)
    return ext


def _item(text: str, heading: str, *, day: date | None = None) -> ItemRecord:
    start = text.index(heading)
    return ItemRecord(resource("item", "doc", start), start, len(text), heading, AK.Comment, day, 0)


def _reports(ext: Extraction) -> dict[str, tuple[str | None, str | None, int | None]]:
    """title -> (kind local name, publisher name, year) of every report."""
    g = ext.graph
    found: dict[str, tuple[str | None, str | None, int | None]] = {}
    for report in g.subjects(RDF.type, AK.Report):
        publisher = g.value(report, AK.publisher)
        year = g.value(report, AK.year)
        kind = g.value(report, AK.kind)
        found[str(g.value(report, AK.title))] = (
            str(kind).split("#")[1] if kind else None,
            str(g.value(publisher, AK.name)) if publisher else None,
            int(str(year)) if year is not None else None,
        )
    return found


def _mentions(ext: Extraction, node: URIRef) -> list[str]:
    return [ext.text[m.start : m.end] for m in sorted(ext.mentions, key=lambda m: m.start) if m.node == node]


def test_gazetteer_surface_forms_are_one_report(tmp_path: Path) -> None:
    text = "The Care Review reported in May. We welcome the independent review of children's social care."
    ext = _extraction(tmp_path, text)
    care = report_iri("Independent Review of Children’s Social Care")
    assert _reports(ext) == {"Independent Review of Children’s Social Care": ("Review", None, None)}
    assert _mentions(ext, care) == ["Care Review", "independent review of children's social care"]


def test_safeguarding_pressures_phases_are_one_series(tmp_path: Path) -> None:
    text = (
        "ADCS Safeguarding Pressures research has run for years. Safeguarding Pressures Phase 6 was "
        "followed by the Interim Safeguarding Pressures Phase 8 report. Phase 6 found more referrals, as "
        "the sixth phase of this study showed."
    )
    ext = _extraction(tmp_path, text)
    g = ext.graph
    adcs = resource("org", "association-of-directors-of-childrens-services")
    six = report_iri("Safeguarding Pressures Phase 6")
    interim = report_iri("Interim Safeguarding Pressures Phase 8")
    assert _reports(ext) == {
        "Safeguarding Pressures Phase 6": ("ResearchReport", "Association of Directors of Children's Services", None),
        "Interim Safeguarding Pressures Phase 8": (
            "ResearchReport",
            "Association of Directors of Children's Services",
            None,
        ),
    }
    assert g.value(six, AK.publisher) == adcs
    assert g.value(six, AK.series) == g.value(interim, AK.series) == series_iri("Safeguarding Pressures")
    assert g.value(six, AK.seriesNumber) == Literal(6, datatype=XSD.integer)
    assert g.value(interim, AK.seriesNumber) == Literal(8, datatype=XSD.integer)
    assert _mentions(ext, six) == ["Safeguarding Pressures Phase 6", "Phase 6", "sixth phase of this study"]
    assert (series_iri("Safeguarding Pressures"), RDF.type, AK.ReportSeries) in g
    assert _mentions(ext, series_iri("Safeguarding Pressures")) == ["Safeguarding Pressures"] * 3


def test_quoted_title_next_to_a_kind_word(tmp_path: Path) -> None:
    text = "We read Ofsted’s ‘Learning from serious cases’ report and the DfE consultation “Fair Funding Now”."
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {
        "Learning from serious cases": ("ResearchReport", "Ofsted", None),
        "Fair Funding Now": ("Consultation", "Department for Education", None),
    }


def test_italic_title_with_its_publisher(tmp_path: Path) -> None:
    text = "This builds on the work of the NSPCC in its publication *Growing Up Safe: a guide* (due 2019)."
    ext = _extraction(tmp_path, text)
    publisher = "National Society for the Prevention of Cruelty to Children"
    assert _reports(ext) == {"Growing Up Safe: a guide": ("OtherReport", publisher, None)}


def test_title_in_apposition_ends_before_the_speaker(tmp_path: Path) -> None:
    text = "Commenting on the new NSPCC report, Safe at Home, Mary Jones, ADCS President, said: “Good.”"
    ext = _extraction(tmp_path, text)
    publisher = "National Society for the Prevention of Cruelty to Children"
    assert _reports(ext) == {"Safe at Home": ("ResearchReport", publisher, None)}


def test_title_after_published_takes_its_publisher(tmp_path: Path) -> None:
    text = "Today the Nuffield Family Justice Observatory published Left Behind: Babies in Court. It is long."
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {
        "Left Behind: Babies in Court": ("ResearchReport", "Nuffield Family Justice Observatory", None)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eastmoor Council has launched Care Leavers Connect, a new service for young adults.", {}),
        ("The trust launched Moving On Together, an online campaign. It runs all year.", {}),
        (
            "The trust launched Moving On Together, a short report on care leavers.",
            {"Moving On Together": ("ResearchReport", None, None)},
        ),
    ],
)
def test_name_launched_and_described_as_no_report_is_no_report(
    tmp_path: Path, text: str, expected: dict[str, tuple[str, None, None]]
) -> None:
    assert _reports(_extraction(tmp_path, text)) == expected


def test_capitalised_name_before_a_kind_word(tmp_path: Path) -> None:
    text = (
        "The Childcare White Paper and the Hartley Report agree. The Barton review of fostering is due, "
        "but the Spending Review and the Child Safeguarding Practice Review Panel are not reports."
    )
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {
        "Childcare White Paper": ("WhitePaper", None, None),
        "Hartley Report": ("ResearchReport", None, None),
        "Barton review of fostering": ("Review", None, None),
    }


def test_capitalised_kind_word_takes_a_capitalised_topic(tmp_path: Path) -> None:
    text = "The Barrow Review of School Exclusion made 30 recommendations."
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {"Barrow Review of School Exclusion": ("Review", None, None)}


def test_title_written_before_a_reporting_verb_ends_there(tmp_path: Path) -> None:
    text = "We note that the NSPCC’s 2019 report Pressures on Families found that spending rose."
    ext = _extraction(tmp_path, text)
    publisher = "National Society for the Prevention of Cruelty to Children"
    assert _reports(ext) == {"Pressures on Families": ("ResearchReport", publisher, 2019)}


def test_publisher_as_subject_of_published_a(tmp_path: Path) -> None:
    text = "In May ADCS published a short discussion paper called Growing Together: next steps. It was read."
    ext = _extraction(tmp_path, text)
    adcs = "Association of Directors of Children's Services"
    assert _reports(ext) == {"Growing Together: next steps": ("OtherReport", adcs, None)}


def test_run_stops_at_a_policy_and_takes_a_leading_publisher(tmp_path: Path) -> None:
    text = (
        "The Family Hubs Programme and the Foster Care Allowances Review differ. "
        "The LGA Children’s Services Funding Report is stark."
    )
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {
        "Foster Care Allowances Review": ("Review", None, None),
        "LGA Children’s Services Funding Report": ("ResearchReport", "Local Government Association", None),
    }


def test_citation_gives_publisher_and_year(tmp_path: Path) -> None:
    text = "As set out in Better Together (DfE, March 2019) and Stronger Still (Smith, 2018), change is needed."
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {"Better Together": ("OtherReport", "Department for Education", 2019)}


def test_publisher_and_description(tmp_path: Path) -> None:
    text = "Ofsted’s annual report 2023/24 is out, as are MoJ family court statistics 2021 and the LGA report."
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {
        "Ofsted’s annual report 2023/24": ("ResearchReport", "Ofsted", None),
        "MoJ family court statistics 2021": ("Statistics", "Ministry of Justice", 2021),
    }
    assert any(s.reason.startswith("report named without a title") for s in ext.skipped)


def test_a_report_named_only_by_a_description_is_no_report(tmp_path: Path) -> None:
    text = "The Local Government Association report on kinship care found that most carers are grandparents."
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {}
    assert any(s.reason.startswith("report named only by a description") for s in ext.skipped)


def test_summaries_of_waves_are_reports_of_their_series_apart_from_each_wave(tmp_path: Path) -> None:
    text = (
        "The Family Support Survey Summary of returns Waves 1 to 12 was published in November. The Family "
        "Support Survey waves 1-10 summary came out in July. Headline figures for Wave 12 of the Family "
        "Support Survey follow."
    )
    ext = _extraction(tmp_path, text)
    g = ext.graph
    numbered = {
        str(g.value(r, AK.title)): (str(g.value(g.value(r, AK.series), AK.name)), int(g.value(r, AK.seriesNumber)))
        for r in g.subjects(RDF.type, AK.Report)
    }
    assert numbered == {
        "Family Support Survey Waves 1 to 12 Summary": ("Family Support Survey", 12),
        "Family Support Survey Waves 1 to 10 Summary": ("Family Support Survey", 10),
        "Family Support Survey Wave 12": ("Family Support Survey", 12),
    }


def test_title_as_subject_of_a_finding_verb(tmp_path: Path) -> None:
    text = "The inquiry published its report today.\n\nHard Choices Ahead has found that demand is rising."
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {"Hard Choices Ahead": ("ResearchReport", None, None)}


def test_untitled_mention_resolves_to_the_items_report(tmp_path: Path) -> None:
    text = "LGA response\n\nThe LGA publishes a report, Counting the Cost, today. The LGA’s report shows gaps."
    ext = _extraction(tmp_path, text, [_item(text, "LGA response")])
    node = report_iri("Counting the Cost")
    assert _reports(ext) == {"Counting the Cost": ("ResearchReport", "Local Government Association", None)}
    assert _mentions(ext, node) == ["LGA publishes a report", "Counting the Cost", "LGA’s report"]


def test_truncated_headline_and_main_title_resolve_to_the_full_title(tmp_path: Path) -> None:
    text = (
        "Comment on Ofsted consultation on foster care...\n\nOfsted consultation on foster care standards "
        "opened. Earlier the DfE published Home Truths: Care in England. Home Truths was widely read."
    )
    ext = _extraction(tmp_path, text)
    assert set(_reports(ext)) == {
        "Ofsted consultation on foster care standards",
        "Home Truths: Care in England",
    }
    node = report_iri("Ofsted consultation on foster care standards")
    assert _mentions(ext, node) == [
        "Ofsted consultation on foster care",
        "Ofsted consultation on foster care standards",
    ]
    assert _mentions(ext, report_iri("Home Truths: Care in England")) == ["Home Truths: Care in England", "Home Truths"]


def test_acronym_of_a_title_resolves_to_it(tmp_path: Path) -> None:
    text = "The Youth Offending Services Annual Survey is late; the YOS Annual Survey usually comes in May."
    ext = _extraction(tmp_path, text)
    node = report_iri("Youth Offending Services Annual Survey")
    assert set(_reports(ext)) == {"Youth Offending Services Annual Survey"}
    assert _mentions(ext, node) == ["Youth Offending Services Annual Survey", "YOS Annual Survey"]


def test_consultation_named_by_its_topic(tmp_path: Path) -> None:
    text = (
        "Comment: Government consultation on the Kinship Allowance Scheme\n\nWe will respond to the "
        "consultation on the Kinship Allowance Scheme in due course."
    )
    ext = _extraction(tmp_path, text)
    node = report_iri("consultation on the Kinship Allowance Scheme")
    assert _reports(ext) == {"consultation on the Kinship Allowance Scheme": ("Consultation", None, None)}
    assert len(_mentions(ext, node)) == 2


def test_consultation_topic_does_not_end_on_a_conjunction(tmp_path: Path) -> None:
    text = "Councils answered the consultation on special school transport and will press for more."
    assert list(_reports(extraction := _extraction(tmp_path, text))) == ["consultation on special school transport"]
    assert _mentions(extraction, report_iri("consultation on special school transport")) == [
        "consultation on special school transport"
    ]


def test_consultation_on_changes_to_a_scheme_is_the_consultation_on_it(tmp_path: Path) -> None:
    text = (
        "We welcome the consultation on changes to the Kinship Allowance Scheme. Our answer to the "
        "consultation on the Kinship Allowance Scheme follows."
    )
    ext = _extraction(tmp_path, text)
    assert len(_reports(ext)) == 1


def test_year_of_a_date_before_published(tmp_path: Path) -> None:
    text = "Today, 3 October 2023, the Nuffield Family Justice Observatory published Left Behind: Fathers in Care."
    ext = _extraction(tmp_path, text)
    assert [year for _, _, year in _reports(ext).values()] == [2023]


def test_year_of_this_year_before_published_is_the_items(tmp_path: Path) -> None:
    text = "Blog: after the pandemic\n\nIn May this year ADCS published a paper called Rebuilding Early Help for all."
    ext = _extraction(tmp_path, text, [_item(text, "Blog:", day=date(2024, 9, 2))])
    assert [year for _, _, year in _reports(ext).values()] == [2024]


def test_phase_published_by_adcs_today_takes_its_publisher(tmp_path: Path) -> None:
    text = "The Association of Directors of Children’s Services (ADCS) today publishes Safeguarding Pressures Phase 9."
    ext = _extraction(tmp_path, text)
    assert _reports(ext)["Safeguarding Pressures Phase 9"][1] == "Association of Directors of Children's Services"


def test_title_with_a_comma_after_its_owner(tmp_path: Path) -> None:
    text = "Councils replied to Ofsted’s Fair Play, Fair Inspection Review last week."
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {"Fair Play, Fair Inspection Review": ("Review", "Ofsted", None)}


def test_commentary_published_as_a_paper_is_a_report(tmp_path: Path) -> None:
    text = (
        "Messages for commissioners:\nan ADCS commentary on residential care\n\nThis commentary draws on "
        "new evidence.\n\nMessages for commissioners:\nan ADCS commentary on residential care\n"
    )
    title = "Messages for commissioners: an ADCS commentary on residential care"
    item = ItemRecord(resource("item", "doc", 0), 0, len(text), title, AK.ReportCommentary, None, 0)
    ext = _extraction(tmp_path, text, [item])
    assert _reports(ext) == {title: ("OtherReport", "Association of Directors of Children's Services", None)}
    assert len(_mentions(ext, report_iri(title))) == 2


def test_comment_on_a_report_is_not_a_report_of_its_own(tmp_path: Path) -> None:
    text = "Comment: commentary on the Hartley study\n\nThe President welcomed it."
    item = ItemRecord(resource("item", "doc", 0), 0, len(text), text.split("\n")[0], AK.ReportCommentary, None, 0)
    ext = _extraction(tmp_path, text, [item])
    assert "Comment: commentary on the Hartley study" not in _reports(ext)


def test_untitled_mention_in_another_item_resolves_by_publisher(tmp_path: Path) -> None:
    text = "First item\n\nOfsted’s annual report 2024 is out.\n\nSecond item\n\nOfsted’s report was frank."
    first = ItemRecord(resource("item", "doc", 0), 0, text.index("Second"), "First item", AK.Comment, None, 0)
    second = _item(text, "Second item")
    ext = _extraction(tmp_path, text, [first, second])
    node = report_iri("Ofsted’s annual report 2024")
    assert _reports(ext) == {"Ofsted’s annual report 2024": ("ResearchReport", "Ofsted", 2024)}
    assert _mentions(ext, node) == ["Ofsted’s annual report 2024", "Ofsted’s report"]


def test_white_paper_anaphora_within_an_item(tmp_path: Path) -> None:
    text = "ADCS response: Housing White Paper\n\nThe White Paper is welcome."
    ext = _extraction(tmp_path, text, [_item(text, "ADCS response")])
    assert _mentions(ext, report_iri("Housing White Paper")) == ["Housing White Paper", "White Paper"]


def test_item_responding_to_a_report(tmp_path: Path) -> None:
    text = (
        "Comment: Ofsted report ‘Caring Well’\n\nCommenting on Ofsted’s ‘Caring Well’ report, the "
        "President said the Schools White Paper matters."
    )
    item = _item(text, "Comment:")
    ext = _extraction(tmp_path, text, [item])
    assert list(ext.graph.objects(item.iri, AK.respondsTo)) == [report_iri("Caring Well")]


def test_year_published_in_and_published_today(tmp_path: Path) -> None:
    text = (
        "Press release: Hidden Costs Review\n\nADCS today publishes its latest work. The Hartley "
        "report (published in May 2012) came first."
    )
    ext = _extraction(tmp_path, text, [_item(text, "Press release", day=date(2021, 3, 4))])
    assert _reports(ext) == {
        "Hidden Costs Review": ("Review", None, 2021),
        "Hartley report": ("ResearchReport", None, 2012),
    }
    assert ext.graph.value(report_iri("Hidden Costs Review"), AK.year) == Literal("2021", datatype=XSD.gYear)


def test_year_in_brackets_after_a_title(tmp_path: Path) -> None:
    text = "Related research\n\nSafeguarding Pressures Phase 6 (2018)\n"
    ext = _extraction(tmp_path, text)
    assert _reports(ext)["Safeguarding Pressures Phase 6"][2] == 2018


def test_report_summary_page_publishes_the_report_in_its_title(tmp_path: Path) -> None:
    text = "Safeguarding Pressures Phase 6\n\nPublished: 3 December 2018\n\nThis phase covers two years."
    summary = ItemRecord(resource("item", "doc", 0), 0, len(text), text.split("\n")[0], AK.ReportSummary,
                         date(2018, 12, 3), 0)  # fmt: skip
    commented = replace(summary, kind=AK.Comment)
    assert _reports(_extraction(tmp_path, text, [summary]))["Safeguarding Pressures Phase 6"][2] == 2018
    assert _reports(_extraction(tmp_path, text, [commented]))["Safeguarding Pressures Phase 6"][2] is None


def test_title_in_apposition_to_a_report_published_today(tmp_path: Path) -> None:
    text = (
        "MPs urge reform\n\nThe Education Committee has called for change, in a report published today.\n\n"
        "The report, Fostering: The Next Decade, finds that carers are leaving."
    )
    ext = _extraction(tmp_path, text, [_item(text, "MPs urge reform", day=date(2023, 11, 21))])
    _, publisher, year = _reports(ext)["Fostering: The Next Decade"]
    assert (publisher, year) == ("Education Select Committee", 2023)


def test_publisher_in_the_body_does_not_attach_to_another_report(tmp_path: Path) -> None:
    text = (
        "Comment on demand\n\nSteve Brown said the data is clear.\n\nThe Ofsted report and our "
        "Safeguarding Pressures Phase 8 research show rising demand."
    )
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {"Safeguarding Pressures Phase 8": ("ResearchReport", None, None)}


def test_policies_organisations_and_pronouns_are_not_reports(tmp_path: Path) -> None:
    text = (
        "The Homes for Ukraine scheme continues. This report is welcome and the report shows it. "
        "The Child Safeguarding Practice Review Panel met. We call for a national review of mental health. "
        "The Annual Report and the Final Report say little."
    )
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {}


def test_odd_input_does_not_break_the_loader(tmp_path: Path) -> None:
    text = "The report ‘Unclosed title\nand the “ Survey and (DfE, 20 and *stray star report"
    ext = _extraction(tmp_path, text)
    assert _reports(ext) == {}


def _corpus(name: str) -> Extraction:
    ext = Extraction(read_document(next(CORPUS.glob(f"{name}_*.txt"))))
    items.extract(ext)
    organisations.extract(ext)
    reports.extract(ext)
    return ext


def test_corpus_safeguarding_pressures_summary() -> None:
    found = _reports(_corpus("000"))
    adcs = "Association of Directors of Children's Services"
    assert found == {
        "Safeguarding Pressures Phase 5": ("ResearchReport", adcs, None),
        "Pillars and Foundations": ("OtherReport", adcs, 2016),
        "Putting Children First": ("OtherReport", "Department for Education", 2016),
    }


def test_corpus_appg_report() -> None:
    ext = _corpus("003")
    assert _reports(ext) == {"No Good Options": ("ResearchReport", "All-Party Parliamentary Group for Children", None)}


def test_corpus_archive_responses() -> None:
    ext = _corpus("001")
    g = ext.graph
    responded = {
        str(g.value(item, AK.title)): str(g.value(report, AK.title))
        for item, report in g.subject_objects(AK.respondsTo)
    }
    assert responded["Comment on Ofsted report ‘Matching in foster care’"] == "Matching in foster care"
    assert responded["Comment: The Safety Net is Gone report"] == "The Safety Net is Gone"
    found = _reports(ext)
    assert found["The Safety Net is Gone"] == ("ResearchReport", "Child Poverty Action Group", None)
    assert found["SEND and Alternative Provision Green Paper"] == ("GreenPaper", None, None)
    assert "Homes for Ukraine scheme" not in found


def test_reports_query_on_a_hand_written_graph() -> None:
    g = Graph()
    org, series = URIRef("https://example.org/adcs"), URIRef("https://example.org/sp")
    first, second = URIRef("https://example.org/r1"), URIRef("https://example.org/r2")
    g.add((org, AK.name, Literal("ADCS")))
    g.add((series, AK.name, Literal("Safeguarding Pressures")))
    for report, title in ((first, "Safeguarding Pressures Phase 5"), (second, "No Good Options")):
        g.add((report, RDF.type, AK.Report))
        g.add((report, AK.title, Literal(title)))
    g.add((first, AK.publisher, org))
    g.add((first, AK.year, Literal("2016", datatype=XSD.gYear)))
    g.add((first, AK.series, series))
    query = (ROOT / "queries" / "reports.rq").read_text(encoding="utf-8")
    columns = named_query("reports").columns  # the rows as the CLI and the API give them
    rows = [tuple(None if row[c] is None else str(row[c]) for c in columns) for row in g.query(query)]  # type: ignore[index]
    assert rows == [
        ("No Good Options", None, None, None),
        ("Safeguarding Pressures Phase 5", "ADCS", "2016", "Safeguarding Pressures"),
    ]
