"""Tests of the items loader: segmentation, titles, kinds, dates and the items query."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from conftest import without_links
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graph.namespaces import AK, resource
from graph.query import named_query
from loaders import items
from loaders.document import Document, read_document
from loaders.extraction import Extraction

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
QUERY = Path(__file__).resolve().parents[2] / "queries" / "items.rq"


def _extraction(text: str, name: str = "sample") -> Extraction:
    document = Document(id=name, path=Path(f"{name}.txt"), text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    ext = Extraction(document)
    items.extract(ext)
    return ext


def _corpus(prefix: str) -> Extraction:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    ext = Extraction(read_document(path))
    items.extract(ext)
    return ext


def _quote(ext: Extraction, node: URIRef, prop: URIRef = AK.span) -> str:
    span = ext.graph.value(node, prop)
    return str(ext.graph.value(span, AK.quote))


def _reasons(ext: Extraction) -> list[str]:
    return [s.reason for s in ext.skipped]


ARCHIVE = """Local pay award for foster carers

Commenting on the new allowances, Sam Patel, ADCS Vice President, said:

"Foster carers deserve this."

ENDS


Tags assigned to this article:
There are no tags assigned to this article!

Related Articles

ADCS response to the fostering call for evidence

Our submission to the call for evidence on fostering.

View response


Tags assigned to this article:
Related Articles

Winter planning for...

Leaders met to plan for winter.

ENDS

Notes to editors:

The association represents directors.


Tags assigned to this article:
There are no tags assigned to this article!

Related Articles
"""


def test_archive_is_split_at_tag_boxes_and_related_articles() -> None:
    ext = _extraction(ARCHIVE)
    assert [r.title for r in ext.items] == [
        "Local pay award for foster carers",
        "ADCS response to the fostering call for evidence",
        "Winter planning for...",
    ]
    assert [r.position for r in ext.items] == [0, 1, 2]
    assert ext.text[ext.items[0].start : ext.items[0].end] == (
        "Local pay award for foster carers\n\nCommenting on the new allowances, Sam Patel, ADCS Vice "
        'President, said:\n\n"Foster carers deserve this."'
    )
    # the link button, "ENDS" and the notes to editors are furniture, not part of an item
    assert ext.text[ext.items[1].start : ext.items[1].end].endswith("call for evidence on fostering.")
    assert ext.text[ext.items[2].start : ext.items[2].end].endswith("Leaders met to plan for winter.")


def test_archive_list_entries_end_at_read_more_links() -> None:
    ext = _extraction(
        "News\n\n3 March 2025\n\nFirst story of the week\n\nThe first story.\n\nRead more »\n\n"
        "1 March 2025\n\nSecond story of the week\n\nThe second story.\n\nContinue reading\n"
    )
    assert [(r.title, r.date) for r in ext.items] == [
        ("First story of the week", date(2025, 3, 3)),
        ("Second story of the week", date(2025, 3, 1)),
    ]


def test_item_extent_and_title_offsets_are_exact() -> None:
    ext = _extraction(ARCHIVE)
    for record in ext.items:
        assert _quote(ext, record.iri) == ext.text[record.start : record.end]
        assert record.title is not None
        assert ext.text[record.start : record.start + len(record.title)] == record.title
        assert ext.graph.value(record.iri, AK.title) == Literal(record.title)


def test_item_triples() -> None:
    ext = _extraction(ARCHIVE, name="archive")
    first = ext.items[0]
    assert first.iri == resource("item", "archive", 0)
    g = ext.graph
    assert (first.iri, RDF.type, AK.Item) in g
    assert (first.iri, AK.inDocument, ext.document.iri) in g
    assert g.value(ext.items[2].iri, AK.position) == Literal(2, datatype=XSD.integer)
    assert len(list(g.objects(first.iri, AK.span))) == 1
    assert ext.item_at(first.start + 5) == first


def test_single_article_without_separators_is_one_item() -> None:
    text = "Councils face a winter of pressure\n\nA survey of councils shows rising demand.\n\nMore follows."
    ext = _extraction(text)
    assert len(ext.items) == 1
    assert (ext.items[0].start, ext.items[0].end) == (0, len(text))
    assert ext.items[0].title == "Councils face a winter of pressure"


def test_furniture_before_and_after_an_article_is_left_out() -> None:
    text = (
        "Next Upcoming Event\n\nThu, 09 Mar 23 09:30\n\n"
        "Acme LawBright HousingCare Training\n\n"
        "Short breaks for disabled children\n\n"
        "Rosa Grey, Chair of the ADCS Health Policy Committee, said:\n\n"
        "\u201cShort breaks are a lifeline.\u201d\n\n"
        "COMMENTS can be added here.\n\n"
        "You are commenting using your Twitter account. Log Out /  Change )\n\n"
        "This site uses Akismet to reduce spam."
    )
    ext = _extraction(text)
    (record,) = ext.items
    assert ext.text[record.start : record.end] == (
        "Short breaks for disabled children\n\n"
        "Rosa Grey, Chair of the ADCS Health Policy Committee, said:\n\n"
        "\u201cShort breaks are a lifeline.\u201d"
    )
    assert record.date is None  # the widget's date is the event's, not the item's
    assert "date 'Thu, 09 Mar 23 09:30' belongs to an events widget, not to an item" in _reasons(ext)


def test_text_after_ends_is_furniture_even_without_a_boundary() -> None:
    text = "Kinship care week\n\nFamilies were thanked.\n\n- ENDS -\n\nMedia enquiries: press office."
    ext = _extraction(text)
    (record,) = ext.items
    assert ext.text[record.start : record.end] == "Kinship care week\n\nFamilies were thanked."


def test_blog_sharing_furniture_ends_the_item() -> None:
    text = "Why play matters\n\nPlay builds resilience.\n\nShare this:\n\nTwitter\n\nLike this:\n\nLike Loading..."
    ext = _extraction(text)
    (record,) = ext.items
    assert ext.text[record.start : record.end] == "Why play matters\n\nPlay builds resilience."


def test_section_label_above_the_title_is_furniture_that_gives_the_kind() -> None:
    ext = _extraction("Blog\n\nA day on the front line\n\nI started at eight.")
    (record,) = ext.items
    assert record.title == "A day on the front line"
    assert record.kind == AK.Blog
    assert record.start == ext.text.index("A day")


def test_news_page_with_navigation_byline_and_dateline_in_one_block() -> None:
    text = (
        "Home > News > Social care\n\nNews\n\n"
        "Councils report rising care costs\nby Sam Hill\nTuesday, June 13, 2023\n\n"
        "Care costs rose again, according to new figures from the Office for National Statistics.\n\n"
        "Related\n\nOther story"
    )
    ext = _extraction(text)
    first = ext.items[0]
    assert first.title == "Councils report rising care costs"
    assert first.date == date(2023, 6, 13)
    assert first.kind == AK.NewsArticle
    assert _quote(ext, first.iri, AK.dateSpan) == "Tuesday, June 13, 2023"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # no boundaries between entries: each heading over a dateline opens one
            "Skip to main content\nHome | About us | Policy | News\nSearch this site\n\nNews archive\n\n"
            "Comment on youth services funding\n2 May 2025\n\n"
            "Lee Marsh, ADCS Vice President, said: \u201cYouth work changes lives.\u201d\n\n"
            "Read the full statement (PDF)\n\n"
            "Statement on early years places\n\n30 April 2025\n\n"
            "Kit Olsen, Chair of the ADCS Early Years Policy Committee, said: \u201cPlaces are short.\u201d\n\n"
            "Page 1 of 4   \u00ab Previous | Next \u00bb\n\u00a9 ADCS Ltd 2025 | Privacy | Cookies",
            [("Comment on youth services funding", date(2025, 5, 2), "Youth work changes lives.\u201d"),
             ("Statement on early years places", date(2025, 4, 30), "Places are short.\u201d")],
        ),
        (  # datelines over titles, under a long site name, a menu and a "Press" label
            "Northern Association of Directors of Children’s Services Ltd\nAbout | Members | Press | Contact\n\n"
            "Press\n\nTuesday 14 January 2025\nComment on the schools bill\n\n"
            "Lee Marsh said: \u201cWe welcome the Bill.\u201d\n\nRead more\n\n"
            "Friday 6 December 2024\nComment on the annual report\n\n"
            "Lee Marsh said: \u201cThe report is right.\u201d\n\nRelated: Other news from the region",
            [("Comment on the schools bill", date(2025, 1, 14), "We welcome the Bill.\u201d"),
             ("Comment on the annual report", date(2024, 12, 6), "The report is right.\u201d")],
        ),
    ],
)  # fmt: skip
def test_archive_entries_between_page_furniture(text: str, expected: list[tuple[str, date, str]]) -> None:
    ext = _extraction(text)
    assert [(r.title, r.date) for r in ext.items] == [(title, day) for title, day, _ in expected]
    assert all(ext.text[r.start : r.end].endswith(end) for r, (_, _, end) in zip(ext.items, expected, strict=True))


@pytest.mark.parametrize(
    ("text", "ending"),
    [
        (  # sub-headings over plain sentences do not split an article
            "Councils warn of a gap in SEND funding\n6 June 2024\n\nCouncils set out their plans.\n\n"
            "Key findings\n\nMost councils expect costs to rise.\n\nNext steps\n\nA review follows.",
            "A review follows.",
        ),
        (  # a site name over a menu, and a section label under the title, are furniture
            "Northern Councils Network\nHome   News   Parliament   About us\nYou are here: Home > News\n\n"
            "Councils warn of a gap in SEND funding\n\nPress release\n6 June 2024\n\n"
            "Councils face a gap in funding, the network warns today.\n\n"
            "Share this page   Follow us on X   Sign up to our newsletter",
            "the network warns today.",
        ),
        (  # a magazine's name over a breadcrumb trail is furniture, not an item
            "Care Sector Weekly\nNews \u203a Education\n\nCouncils warn of a gap in SEND funding\n\n"
            "By Jo Reed\nThursday 6 June 2024\n\nCouncils face a gap in funding, a survey finds.",
            "a survey finds.",
        ),
        (  # a site name printed just over a section label is furniture
            "Northern Councils Network\nBriefing\n\nCouncils warn of a gap in SEND funding\n\n"
            "Published 6 June 2024\n\nCouncils face a gap in funding.",
            "Councils face a gap in funding.",
        ),
    ],
)
def test_one_article_between_page_furniture(text: str, ending: str) -> None:
    ext = _extraction(text)
    (record,) = ext.items
    assert record.title == "Councils warn of a gap in SEND funding"
    assert record.date == date(2024, 6, 6)
    assert ext.text[record.start : record.end].endswith(ending)


def test_press_release_of_a_peer_organisation() -> None:
    text = (
        "Skip to main content\n\nLGA responds to new fostering figures\n\n16 Nov 2023\n\n"
        "Responding to the figures, Cllr Ann Bell, Chair of the LGA Children and Young People Board, said:\n\n"
        "\u201cCouncils need support.\u201d\n\nENDS\n\nNotes to editors\n\nThe LGA is the national voice."
    )
    ext = _extraction(text)
    (record,) = ext.items
    assert (record.title, record.kind, record.date) == (
        "LGA responds to new fostering figures",
        AK.Response,
        date(2023, 11, 16),
    )
    assert ext.text[record.start : record.end].endswith("said:\n\n\u201cCouncils need support.\u201d")


def test_teaser_title_cut_with_dots_is_kept_as_written() -> None:
    ext = _extraction("A national plan for kinship carers and their...\n\nKinship carers need support.")
    assert ext.items[0].title == "A national plan for kinship carers and their..."


def test_two_line_title_is_kept_as_written() -> None:
    ext = _extraction("Priorities for the new government:\nwhat directors ask for\n\nDirectors set out five asks.")
    assert ext.items[0].title == "Priorities for the new government:\nwhat directors ask for"


def test_item_without_title_gets_no_title_and_a_skip() -> None:
    ext = _extraction("Directors warned today that budgets are stretched. Councils need help.\n\nMore text here.")
    (record,) = ext.items
    assert record.title is None
    assert ext.graph.value(record.iri, AK.title) is None
    assert any(r.startswith("item has no title") for r in _reasons(ext))


def test_document_with_only_furniture_has_no_item() -> None:
    ext = _extraction(
        "Related Articles\n\nTags assigned to this article:\nThere are no tags assigned to this article!\n"
    )
    assert ext.items == []
    assert not list(ext.graph.subjects(RDF.type, AK.Item))
    assert "no item found: the document holds only page furniture" in _reasons(ext)


def test_iris_are_stable_across_runs() -> None:
    first, second = _extraction(ARCHIVE), _extraction(ARCHIVE)
    assert [r.iri for r in first.items] == [r.iri for r in second.items]
    assert set(first.graph) == set(second.graph)


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Comment: youth services funding\n\nThe cuts are deep.", AK.Comment),
        ("Comment on the school funding formula\n\nThe formula is unfair.", AK.Comment),
        (
            "School funding\n\nCommenting on the formula, Ann Lee, ADCS President, said:\n\n\u201cIt is unfair.\u201d",
            AK.Comment,
        ),
        ("School funding\n\nAnn Lee, ADCS President, said:\n\n\u201cIt is unfair.\u201d", AK.Comment),
        ("ADCS response: Budget 2024\n\nThe budget does little for children.", AK.Response),
        ("Youth justice plans\n\nResponding to the plans, Ann Lee said:\n\n\u201cWe agree.\u201d", AK.Response),
        ("ADCS response to the consultation on adoption\n\nOur views on adoption.", AK.ConsultationResponse),
        ("Care leavers\n\nOur response to the call for evidence on care leavers.", AK.ConsultationResponse),
        ("Press release: new survey of directors\n\nDirectors report rising costs.", AK.PressRelease),
        ("PR - Autumn statement\n\nThe statement disappoints.", AK.PressRelease),
        ("Presidential Address 2024\n\nThe President spoke about reform.", AK.Speech),
        ("Looking ahead\n\nThe President made her keynote speech to the conference in Leeds.", AK.Speech),
        ("Blog: a week in the life of a director\n\nMonday starts early.", AK.Blog),
        ("Housing and children\n\nHomes matter.\n\nThis column first appeared in a weekly magazine", AK.Blog),
        ("Why place matters\n\nI have seen the difference.\n\nRuth Amos, Director of Children's Services", AK.Blog),
        ("Costs of care: an ADCS commentary\n\nCosts have risen sharply.", AK.ReportCommentary),
        ("Recommendations for policy-makers\n\nWe make ten recommendations.", AK.ReportCommentary),
        ("Workforce research: key findings\n\nVacancy rates rose.", AK.ReportSummary),
        ("Pressures on care\n\nThe Care Trust publishes report into placements across England.", AK.NewsArticle),
        ("Pressures on care\n\nADCS today publishes its report into placements across England.", AK.ReportSummary),
        ("Care numbers rise\n\nMore children are in care, according to new figures from the DfE.", AK.NewsArticle),
        ("Annual dinner\n\nThe dinner is on Friday evening.", AK.OtherItem),
    ],
)
def test_kind_cues(body: str, kind: URIRef) -> None:
    ext = _extraction(body)
    assert ext.items[0].kind == kind
    assert ext.graph.value(ext.items[0].iri, AK.kind) == kind


def test_notes_to_editors_mark_a_press_release() -> None:
    ext = _extraction("A new chapter for youth work\n\nThe sector met today.\n\nENDS\n\nNotes to editors:\n\nContacts.")
    assert ext.items[0].kind == AK.PressRelease


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("7 July 2022", date(2022, 7, 7)),
        ("7th July 2022", date(2022, 7, 7)),
        ("Thursday 7 July 2022", date(2022, 7, 7)),
        ("07/07/2022", date(2022, 7, 7)),
        ("3/11/2021", date(2021, 11, 3)),
        ("July 7, 2022", date(2022, 7, 7)),
        ("Tuesday, June 13, 2023", date(2023, 6, 13)),
        ("2022-07-07", date(2022, 7, 7)),
        ("Wed, 02 Nov 22 10:00", date(2022, 11, 2)),
        ("9 Sept 2020", date(2020, 9, 9)),
        ("Wed, 09 Apr 2031 21:42:10 +0000", date(2031, 4, 9)),
        ("March 3, 2031 at 10:15 am", date(2031, 3, 3)),
        ("14.03.2031", date(2031, 3, 14)),
        ("25 / 07 / 2031", date(2031, 7, 25)),
        ("2031-03-14T10:00:00+00:00", date(2031, 3, 14)),
    ],
)
def test_date_forms(written: str, value: date) -> None:
    text = f"seen on {written} here"
    (found,) = items.find_dates(text)
    assert found.value == value
    assert text[found.start : found.end] == written


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("July 2022", "names a month, not a day"),
        ("31/02/2022", "is not a valid date"),
        ("Monday 7 July 2022", "weekday does not agree"),
    ],
)
def test_not_dates(written: str, problem: str) -> None:
    (found,) = items.find_dates(written)
    assert found.value is None
    assert found.problem is not None and problem in found.problem


def test_day_and_month_without_year_is_partial() -> None:
    (found,) = items.find_dates("today, Tuesday 14 May, we publish")
    assert (found.partial, found.day, found.month, found.year, found.weekday) == (True, 14, 5, None, 1)


def test_two_digit_number_after_month_is_not_a_year() -> None:
    (found,) = items.find_dates("by 3 March 40 councils had replied")
    assert found.year is None and found.value is None


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        (
            "New guidance on fostering\n\nPublished 3 March 2021\n\nThe guidance is out.",
            date(2021, 3, 3),
            "3 March 2021",
        ),
        ("14/06/2023\n\nNew guidance on fostering\n\nThe guidance is out.", date(2023, 6, 14), "14/06/2023"),
        ("New guidance\n\nADCS today, Monday 5 June 2023, publishes guidance.", date(2023, 6, 5), "Monday 5 June 2023"),
        (
            "President's speech 2023\n\nThe President gave her speech to members on 6 July 2023.",
            date(2023, 7, 6),
            "6 July 2023",
        ),
        (
            "Children first\n\nWe must act.\n\nThis column first appeared on a news website on 2 May 2022",
            date(2022, 5, 2),
            "2 May 2022",
        ),
        ("Care costs climb\n\nBy Jo Reed, 14 June 2031\n\nCosts rose again.", date(2031, 6, 14), "14 June 2031"),
        ("Care costs climb\n\nPosted by Jo Reed on 3rd June, 2031\n\nCosts rose.", date(2031, 6, 3), "3rd June, 2031"),
        ("Care costs climb\n\nDate published: 3 June 2031\n\nCosts rose.", date(2031, 6, 3), "3 June 2031"),
        ("Care costs climb\n\n27 Aug 31\n\nCosts rose.", date(2031, 8, 27), "27 Aug 31"),  # a dateline's short year
        ("Care costs\n\nWexmoor, 3 June 2031 – The council publishes costs.", date(2031, 6, 3), "3 June 2031"),
        ("Care costs (3 June 2031)\n\nThe council has published its costs.", date(2031, 6, 3), "3 June 2031"),
        (  # the weekday falls on 24 September in 2031, not in 2030
            "Comment: our bid to the 2031 review\n\nADCS today, Wednesday 24 September, publishes its bid, "
            "which builds on the 2030 settlement.",
            date(2031, 9, 24),
            "Wednesday 24 September",
        ),
    ],
)
def test_stated_item_dates(text: str, value: date, written: str) -> None:
    ext = _extraction(text)
    (record,) = ext.items
    assert record.date == value
    g = ext.graph
    assert g.value(record.iri, AK.date) == Literal(value, datatype=XSD.date)
    assert g.value(record.iri, AK.dateInferred) == Literal(False)
    assert _quote(ext, record.iri, AK.dateSpan) == written
    assert g.value(record.iri, AK.evidence) is None


@pytest.mark.parametrize(
    "text",
    [
        "Comment: care data\n\nThe care data 2022 show a rise since 2014.",
        "Comment: care data\n\nAs at 31 March 2020 there were 80,000 children in care.",
        "Comment: the minister's speech\n\nThe minister made a speech on 4 May 2022 about care.",
        "New figures\n\nPublished July 2022\n\nThe figures are out.",
        "Comment: our bid\n\nADCS today, Wednesday 24 September, publishes its bid for 2030 and 2032.",
    ],
)
def test_dates_that_are_not_the_item_date(text: str) -> None:
    ext = _extraction(text)
    assert ext.items[0].date is None
    assert ext.graph.value(ext.items[0].iri, AK.dateInferred) is None


def test_dateline_after_a_byline_is_the_item_date() -> None:
    ext = _extraction("Care costs climb again\n\nBy Jo Reed\n\n14 June 2023\n\nCosts rose for a fifth year.")
    assert ext.items[0].date == date(2023, 6, 14)
    assert ext.items[0].title == "Care costs climb again"


def test_day_and_month_agreeing_with_a_full_date_is_not_a_conflict() -> None:
    ext = _extraction("New guidance\n\nPublished 5 June 2023\n\nADCS today, Monday 5 June, publishes guidance.")
    assert ext.items[0].date == date(2023, 6, 5)
    assert _quote(ext, ext.items[0].iri, AK.dateSpan) == "5 June 2023"


def test_a_publication_the_item_reports_near_its_end_does_not_date_the_item() -> None:
    ext = _extraction(
        "Care numbers rise\n\nBy Jo Reed\n\nFriday 9 June 2023\n\nCosts rose again.\n\n"
        "Statistics published by the department in May counted 80,000 children on 31 March 2022."
    )
    assert ext.items[0].date == date(2023, 6, 9)
    assert not any("states several dates" in r for r in _reasons(ext))


def test_conflicting_stated_dates_are_left_out() -> None:
    ext = _extraction("New guidance\n\nPublished 3 March 2021\n\nADCS today, 4 March 2021, publishes it.")
    assert ext.items[0].date is None
    assert any("states several dates" in r for r in _reasons(ext))


def _archive(*entries: str) -> str:
    separator = "\n\nTags assigned to this article:\n\nRelated Articles\n\n"
    return separator.join(entries) + separator


def test_undated_item_between_two_items_of_the_same_date_takes_that_date() -> None:
    ext = _extraction(
        _archive(
            "First story\n\nPublished 5 May 2021\n\nText one.",
            "Second story\n\nText two.",
            "Third story\n\nPublished 5 May 2021\n\nText three.",
        )
    )
    first, second, third = ext.items
    assert second.date == date(2021, 5, 5)
    g = ext.graph
    assert g.value(second.iri, AK.dateInferred) == Literal(True)
    assert set(g.objects(second.iri, AK.evidence)) == {first.iri, third.iri}
    assert g.value(second.iri, AK.dateSpan) is None


def test_undated_item_between_different_dates_is_not_given_one() -> None:
    ext = _extraction(
        _archive(
            "First story\n\nPublished 9 May 2021\n\nText one.",
            "Second story\n\nText two.",
            "Third story\n\nPublished 5 May 2021\n\nText three.",
        )
    )
    assert ext.items[1].date is None
    assert ext.graph.value(ext.items[1].iri, AK.date) is None
    assert (
        "item states no date; it lies on or before 2021-05-09 (the item at position 0) and on or after "
        "2021-05-05 (the item at position 2)"
    ) in _reasons(ext)


def test_year_of_a_day_and_month_is_derived_from_the_items_around_it() -> None:
    ext = _extraction(
        _archive(
            "First story\n\nPublished 9 May 2021\n\nText one.",
            "Second story\n\nToday, Thursday 6 May, the report came out.",
            "Third story\n\nPublished 5 April 2021\n\nText three.",
        )
    )
    first, second, third = ext.items
    assert second.date == date(2021, 5, 6)
    assert ext.graph.value(second.iri, AK.dateInferred) == Literal(True)
    assert _quote(ext, second.iri, AK.dateSpan) == "Thursday 6 May"
    assert set(ext.graph.objects(second.iri, AK.evidence)) == {first.iri, third.iri}


def test_year_is_not_derived_in_a_single_article() -> None:
    ext = _extraction("Second story\n\nToday, Thursday 6 May, the report came out.")
    assert ext.items[0].date is None
    assert any(r.startswith("year of 'Thursday 6 May' not derived") for r in _reasons(ext))


def test_unresolved_day_and_month_is_not_overridden_by_neighbours() -> None:
    ext = _extraction(
        _archive(
            "First story\n\nPublished 9 May 2021\n\nText one.",
            "Second story\n\nToday, Monday 6 May, the report came out.",
            "Third story\n\nPublished 9 May 2021\n\nText three.",
        )
    )
    assert ext.items[1].date is None  # 6 May 2021 was a Thursday: no year fits
    assert any(r.startswith("year of 'Monday 6 May' not derived") for r in _reasons(ext))


def test_no_derivation_when_the_archive_is_not_newest_first() -> None:
    ext = _extraction(
        _archive(
            "First story\n\nPublished 5 May 2021\n\nText one.",
            "Second story\n\nText two.",
            "Third story\n\nPublished 9 May 2021\n\nText three.",
            "Fourth story\n\nText four.",
            "Fifth story\n\nPublished 9 May 2021\n\nText five.",
        )
    )
    assert [r.date for r in ext.items] == [date(2021, 5, 5), None, date(2021, 5, 9), None, date(2021, 5, 9)]
    assert "dates of items not derived: the dated items are not newest first" in _reasons(ext)


def _query_rows(graph: Graph) -> list[tuple[str | None, ...]]:
    result = graph.query(QUERY.read_text(encoding="utf-8"))
    links = {variable for _, variable in named_query("items").links}
    assert [str(v) for v in result.vars or [] if str(v) not in links] == ["title", "kind", "date", "document"]
    return [tuple(None if v is None else str(v) for v in row) for row in without_links(result, "items")]


def test_items_query_lists_title_kind_date_and_document() -> None:
    graph = Graph()
    for name, text in (("b_doc", ARCHIVE), ("a_doc", "Comment: a single one\n\nPublished 1 June 2022\n\nText.")):
        graph += _extraction(text, name=name).graph
    assert _query_rows(graph) == [
        ("Comment: a single one", "Comment", "2022-06-01", "a_doc.txt"),
        ("Local pay award for foster carers", "Comment", None, "b_doc.txt"),
        ("ADCS response to the fostering call for evidence", "ConsultationResponse", None, "b_doc.txt"),
        ("Winter planning for...", "PressRelease", None, "b_doc.txt"),
    ]


def test_items_query_orders_by_position_and_prefers_the_kind_label() -> None:
    graph = _extraction(_archive(*(f"Story {n}\n\nText of story {n}." for n in range(12)))).graph
    graph.add((AK.OtherItem, RDFS.label, Literal("other item", lang="en")))
    rows = _query_rows(graph)
    assert [row[0] for row in rows] == [f"Story {n}" for n in range(12)]
    assert {row[1] for row in rows} == {"other item"}


# Real corpus ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "count"), [("000", 1), ("001", 100), ("002", 1), ("003", 1), ("004", 1)])
def test_corpus_item_counts(prefix: str, count: int) -> None:
    assert len(_corpus(prefix).items) == count


def test_corpus_archive_first_titles_and_dates() -> None:
    ext = _corpus("001")
    assert [r.title for r in ext.items[:3]] == [
        "Cabinet Office consultation on reforming ethnicity facts and...",
        "LPS Public Consultation - Joint ADASS, ADCS and LGA Response",
        "Comment: Ofsted children\u2019s social care dataset",
    ]
    assert ext.items[4].date == date(2022, 7, 7)
    assert ext.items[0].date is None  # the events widget date above it is not the item's
    for record in ext.items:
        assert _quote(ext, record.iri) == ext.text[record.start : record.end]


@pytest.mark.parametrize(
    ("prefix", "position", "kind"),
    [
        ("000", 0, AK.ReportSummary),
        ("001", 2, AK.Comment),
        ("002", 0, AK.ReportCommentary),
        ("003", 0, AK.NewsArticle),
        ("004", 0, AK.Response),
    ],
)
def test_corpus_kinds(prefix: str, position: int, kind: URIRef) -> None:
    assert _corpus(prefix).items[position].kind == kind
