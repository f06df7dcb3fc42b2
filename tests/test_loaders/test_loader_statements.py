"""Statements: attribution patterns, signed pieces, speakers' posts and stated holdings.

Every text here is written for the test, in the style of ADCS press comments and speeches.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK, ID, resource
from graph.query import named_query
from loaders import items, organisations, statements
from loaders.document import Document, read_document
from loaders.extraction import Extraction, ItemRecord

CORPUS = Path(__file__).parents[2] / "corpus"
QUERIES = Path(__file__).parents[2] / "queries"
ADCS = "association-of-directors-of-childrens-services"
PRESIDENT = resource("post", ADCS, "president")
VICE_PRESIDENT = resource("post", ADCS, "vice-president")


def run(*items: tuple[str | None, str, date | None], kind: URIRef = AK.Comment) -> Extraction:
    """Extract from a document made of items (title, body, date) of one kind, one after another."""
    text = ""
    records = []
    for position, (title, body, day) in enumerate(items):
        start = len(text)
        text += (title + "\n\n" if title else "") + body + "\n\n"
        iri = resource("item", "t", start)
        records.append(ItemRecord(iri, start, len(text), title, kind, day, position))
    ext = Extraction(Document(id="t", path=Path("t.txt"), text=text, sha256="0" * 64))
    ext.items.extend(records)
    organisations.extract(ext)
    statements.extract(ext)
    return ext


def said(ext: Extraction) -> list[tuple[str, str, URIRef | None]]:
    """(speaker's name, quoted text, post) of every statement, in text order."""
    g = ext.graph
    return [
        (str(g.value(s.speaker, AK.name)), ext.text[s.start : s.end], s.post)
        for s in sorted(ext.statements, key=lambda s: s.start)
    ]


def test_name_role_said_with_a_quotation_over_paragraphs_is_one_statement() -> None:
    ext = run(
        (
            "Comment: foster care",
            "Harriet Vane, ADCS President, said:\n\n“Carers do vital work.\n\n“We need more of them.”\n\nENDS",
            date(2023, 5, 2),
        )
    )
    assert said(ext) == [("Harriet Vane", "Carers do vital work.\n\n“We need more of them.", PRESIDENT)]
    statement = ext.statements[0].iri
    assert statement == resource("statement", "t", ext.statements[0].start, ext.statements[0].end)
    assert ext.graph.value(statement, AK.date) == Literal(date(2023, 5, 2), datatype=XSD.date)
    assert ext.graph.value(statement, AK.inItem) == ext.items[0].iri
    assert ext.graph.value(statement, AK.speaker) == resource("person", "harriet-vane")


def test_commenting_lead_in_then_role_then_name() -> None:
    ext = run(
        (
            "Comment: school places",
            "Commenting on the new figures, ADCS Vice President Peter Wimsey said:\n\n“Places are short.”",
            None,
        )
    )
    assert said(ext) == [("Peter Wimsey", "Places are short.", VICE_PRESIDENT)]


def test_commenting_lead_in_without_comma_before_the_name() -> None:
    ext = run(
        (
            "Comment: care data",
            "Commenting on the annual data 2023 Peter Wimsey, Chair of the ADCS Workforce Development Policy "
            "Committee, said:\n\n“Social workers are stretched.”",
            None,
        )
    )
    unit_post = resource("post", ADCS, "chair", "adcs-workforce-development-policy-committee")
    assert said(ext) == [("Peter Wimsey", "Social workers are stretched.", unit_post)]
    assert ext.graph.value(unit_post, AK.postIn) == resource("org", "adcs-workforce-development-policy-committee")


@pytest.mark.parametrize(
    "attribution",
    [
        "ADCS President Peter Wimsey said:",
        "Responding to the report Late Help in England Peter Wimsey, ADCS President, said:",
        "Responding to the report Late Help In Every Region Peter Wimsey, ADCS President, said:",
    ],
)
def test_the_name_is_found_inside_a_run_of_capitalised_words(attribution: str) -> None:
    ext = run(("Comment", attribution + "\n\n“Help must come early.”", None))
    assert said(ext) == [("Peter Wimsey", "Help must come early.", PRESIDENT)]


def test_two_roles_at_an_attribution_give_two_posts_and_the_first_is_the_speakers() -> None:
    ext = run(
        (
            "Comment",
            "Peter Wimsey, ADCS Vice President and Director of Children’s Services at Kent County Council, "
            "said:\n\n“Two hats.”",
            date(2023, 6, 1),
        )
    )
    assert said(ext) == [("Peter Wimsey", "Two hats.", VICE_PRESIDENT)]
    dcs = resource("post", "kent-county-council", "director-of-childrens-services")
    assert (dcs, RDF.type, AK.Post) in ext.graph
    assert ext.graph.value(predicate=AK.post, object=dcs) is not None


def test_office_named_by_its_organisation() -> None:
    ext = run(("Comment", "The Children’s Commissioner, Dame Rachel de Souza, said:\n\n“Listen to children.”", None))
    post = resource("post", "childrens-commissioner-for-england", "commissioner")
    assert said(ext) == [("Rachel de Souza", "Listen to children.", post)]
    assert ext.graph.value(post, AK.name) == Literal("Children's Commissioner for England")
    assert ext.graph.value(resource("person", "rachel-de-souza"), AK.familyName) == Literal("de Souza")


def test_quotation_after_a_sub_heading() -> None:
    ext = run(
        (
            "Comment",
            "Harriet Vane, ADCS President, said:\n\nOn school funding\n\n“Schools need more.”\n\n"
            "On transport\n\n“Buses are late too.”",
            None,
        )
    )
    assert [words for _, words, _ in said(ext)] == ["Schools need more.", "Buses are late too."]


def test_pronoun_names_the_only_person_of_the_item() -> None:
    ext = run(
        (
            "Press release",
            "ADCS President Harriet Vane has written to the Secretary of State.\n\nShe said: “Act now.”",
            None,
        )
    )
    assert said(ext) == [("Harriet Vane", "Act now.", PRESIDENT)]


def test_quotation_before_the_attribution_in_a_speech_report() -> None:
    ext = run(
        (
            "Conference speech",
            "“Every child deserves a fair start in life”, the President of the Association of Directors of "
            "Children’s Services, Harriet Vane, said in a speech today.",
            None,
        )
    )
    assert said(ext) == [("Harriet Vane", "Every child deserves a fair start in life", PRESIDENT)]


def test_pronoun_and_family_name_continue_the_speaker() -> None:
    ext = run(
        (
            "Press release: budgets",
            "Harriet Vane, ADCS President, said: “Budgets are tight.”\n\n"
            "She went on to say: “Councils cannot cope.”\n\n"
            "Vane concluded: “Government must act.”",
            None,
        )
    )
    assert [(who, words) for who, words, _ in said(ext)] == [
        ("Harriet Vane", "Budgets are tight."),
        ("Harriet Vane", "Councils cannot cope."),
        ("Harriet Vane", "Government must act."),
    ]
    assert {post for _, _, post in said(ext)} == {PRESIDENT}


def test_narrative_quotations_after_an_attribution_are_the_speakers() -> None:
    ext = run(
        (
            "Press release: presidential address",
            "Harriet Vane, ADCS President, said: “We begin a new year.”\n\n"
            "She called for a “long-term plan for every child in England” and warned of “cliff edges”.",
            None,
        )
    )
    assert [words for _, words, _ in said(ext)] == ["We begin a new year.", "long-term plan for every child in England"]
    assert any("cliff edges" in s.reason for s in ext.skipped)


def test_anonymous_spokesperson_gives_no_person() -> None:
    ext = run(("Comment: data", "Commenting on the data an ADCS spokesperson said:\n\n“Referrals rose.”", None))
    assert ext.statements == []
    assert not list(ext.graph.subjects(RDF.type, AK.Person))
    assert any("anonymous" in s.reason for s in ext.skipped)


@pytest.mark.parametrize(
    "attribution",
    [
        "“Budgets are stretched,” said Ann Bell, ADCS President.",
        "“Budgets are stretched”, says ADCS President Ann Bell.",
    ],
)
def test_speaker_named_after_the_verb_of_a_closed_quotation(attribution: str) -> None:
    ext = run(
        ("Comment: budgets", "Tom Hood, ADCS Vice President, said:\n\n“Demand is rising.”\n\n" + attribution, None)
    )
    assert said(ext) == [
        ("Tom Hood", "Demand is rising.", VICE_PRESIDENT),
        ("Ann Bell", "Budgets are stretched," if "said" in attribution else "Budgets are stretched", PRESIDENT),
    ]


WORKFORCE = resource("post", ADCS, "chair", "adcs-workforce-development-policy-committee")


@pytest.mark.parametrize(
    ("attribution", "words", "post"),
    [
        pytest.param(
            "Cllr Ann Bell, the LGA's children and young people spokesperson, said:\n\n“Youth services matter.”",
            "Youth services matter.",
            resource("post", "local-government-association", "spokesperson-for-children-and-young-people"),
            id="spokesperson-with-a-remit",
        ),
        pytest.param(
            "Cllr Ann Bell, the council's spokesperson for young people, said:\n\n“Youth services matter.”",
            "Youth services matter.",
            None,
            id="spokesperson-of-no-named-body",
        ),
        pytest.param(
            "Commenting on it, Professor Ann Bell, an expert on adoption, said it was “a welcome step for children”.",
            "a welcome step for children",
            None,
            id="described-without-a-post",
        ),
        pytest.param(
            "Ann Bell, who chairs the ADCS Workforce Development Policy Committee, said:\n\n“Staff need support.”",
            "Staff need support.",
            WORKFORCE,
            id="relative-clause-chairs",
        ),
        pytest.param(
            "Ann Bell, who is also ADCS Vice President, said:\n\n“Staff need support.”",
            "Staff need support.",
            VICE_PRESIDENT,
            id="relative-clause-is",
        ),
        pytest.param(
            "Ann Bell, who led the review of youth services, said:\n\n“Staff need support.”",
            "Staff need support.",
            None,
            id="relative-clause-without-a-post",
        ),
        pytest.param(
            "Chair of the ADCS Workforce Development Policy Committee Ann Bell said the plan was “long overdue and "
            "very welcome”.",
            "long overdue and very welcome",
            WORKFORCE,
            id="committee-name-before-the-speaker-is-no-person",
        ),
        pytest.param(
            "According to Ann Bell, ADCS Vice President, “membership has never been higher”.",
            "membership has never been higher",
            VICE_PRESIDENT,
            id="according-to",
        ),
        pytest.param(
            "Ann Bell, ADCS President, said:\n\n“Funding is short.”\n\nA council leader said:\n\n“We struggle.”",
            "Funding is short.",
            PRESIDENT,
            id="quotation-introduced-by-someone-not-named-is-not-hers",
        ),
    ],
)
def test_attribution_patterns_name_the_speaker_and_post(attribution: str, words: str, post: URIRef | None) -> None:
    assert said(run(("Comment", attribution, None))) == [("Ann Bell", words, post)]


def test_place_as_a_family_name_is_not_the_place_alone() -> None:
    ext = run(("Comment: arrivals", "Rosa Kent, ADCS President, said:\n\n“Children are arriving in Kent alone.”", None))
    assert said(ext) == [("Rosa Kent", "Children are arriving in Kent alone.", PRESIDENT)]
    kent = resource("person", "rosa-kent")
    assert [ext.text[m.start : m.end] for m in ext.mentions if m.node == kent] == ["Rosa Kent"]


def test_speaker_with_a_role_not_understood_speaks_in_no_post_with_a_note() -> None:
    ext = run(
        (
            "Comment: reform",
            "Ann Bell, ADCS President, said:\n\n“Reform is overdue.”\n\n"
            "Tom Hood, Schools Secretary, said:\n\n“We will respond.”\n\n"
            "Jo Wren, former Chief Executive of the Guild, said:\n\n“Act now.”",
            None,
        )
    )
    assert said(ext) == [
        ("Ann Bell", "Reform is overdue.", PRESIDENT),
        ("Tom Hood", "We will respond.", None),
        ("Jo Wren", "Act now.", None),
    ]
    assert any("'Schools Secretary' not understood" in s.reason for s in ext.skipped)


def test_quoted_title_of_a_work_is_not_a_statement() -> None:
    ext = run(
        (
            "Comment: sentencing",
            "Responding to the White Paper “A Fairer Approach to Youth Justice”, Ann Bell, ADCS President, said:"
            "\n\n“We welcome it.”\n\nShe said the review “makes clear how much is at stake”.",
            None,
        )
    )
    assert [words for _, words, _ in said(ext)] == ["We welcome it.", "makes clear how much is at stake"]
    assert any("title of a work" in s.reason for s in ext.skipped)


def test_people_named_by_a_cue_in_titles_and_text() -> None:
    ext = run(
        (
            "Comment following the death of Lily Hood",
            "Ann Bell, ADCS President, said:\n\n“As Minister Gray MP and Tom Wren’s review both said, we must act.”",
            None,
        )
    )
    names = {str(ext.graph.value(p, AK.name)) for p in ext.graph.subjects(RDF.type, AK.Person)}
    assert names == {"Ann Bell", "Lily Hood", "Gray", "Tom Wren"}
    assert [who for who, _, _ in said(ext)] == ["Ann Bell"]


def test_unclosed_quotation_is_taken_to_the_end_of_its_paragraph_with_a_note() -> None:
    ext = run(("Comment: funding", "Harriet Vane, ADCS President, said:\n\n“Funding is short.\n\nENDS", None))
    assert said(ext) == [("Harriet Vane", "Funding is short.", PRESIDENT)]
    assert any("no closing quote" in s.reason for s in ext.skipped)


def test_paragraph_continuing_a_quotation_without_reopening_it() -> None:
    ext = run(
        (
            "Comment: courts",
            "Harriet Vane, ADCS President, said:\n\n“Courts are slow.\n\nDelays harm children.”\n\nENDS",
            None,
        )
    )
    assert [words for _, words, _ in said(ext)] == ["Courts are slow.\n\nDelays harm children."]


def test_name_split_over_lines() -> None:
    ext = run(("Comment: youth", "Harriet\nVane, ADCS President, said:\n\n“Youth services matter.”", None))
    assert said(ext) == [("Harriet Vane", "Youth services matter.", PRESIDENT)]


def test_role_with_a_typo_is_still_read() -> None:
    ext = run(("Comment: youth", "Harriet Vane, ADCS Presdient, said:\n\n“Youth services matter.”", None))
    assert said(ext) == [("Harriet Vane", "Youth services matter.", PRESIDENT)]


def test_vice_president_without_organisation_in_an_adcs_document() -> None:
    ext = run(
        ("Comment: one", "Harriet Vane, ADCS President, said:\n\n“One.”", None),
        ("Comment: two", "Peter Wimsey, Vice President, said:\n\n“Two.”", None),
    )
    assert said(ext)[1] == ("Peter Wimsey", "Two.", VICE_PRESIDENT)


def test_signed_column_is_one_statement_with_a_stated_term() -> None:
    body = (
        "Councils have faced a decade of rising demand and falling budgets for children's services.\n\n"
        "We must invest early, before families reach crisis point, or the costs will only grow."
    )
    ext = run(
        (
            "Investing early",
            body + "\n\nHarriet Vane, ADCS President 2023/24\n\nThis column first appeared in the MJ",
            None,
        )
    )
    assert said(ext) == [("Harriet Vane", body, PRESIDENT)]
    holding = resource("holding", "harriet-vane", ADCS + "/president", "2023-24")
    g = ext.graph
    assert g.value(holding, AK.inferred) == Literal(False)
    assert g.value(holding, AK.termLabel) == Literal("2023/24")
    interval = g.value(holding, AK.during)
    assert g.value(interval, AK.startDate) == Literal(date(2023, 4, 1), datatype=XSD.date)
    assert g.value(interval, AK.endDate) == Literal(date(2024, 3, 31), datatype=XSD.date)
    span = g.value(holding, AK.span)
    assert str(g.value(span, AK.quote)) == "ADCS President 2023/24"


def test_foreword_signed_by_name_over_role_line() -> None:
    body = "This report shows the pressures on services for the most vulnerable children in the country."
    ext = run(("Foreword", body + "\n\nHarriet Vane\n\nPresident ADCS\n\nSummary of recommendations", None))
    assert said(ext) == [("Harriet Vane", body, PRESIDENT)]


def test_response_signed_by_name_and_role_on_consecutive_lines() -> None:
    body = "We welcome the chance to respond to this consultation on the future of family help."
    ext = run(("ADCS response to the consultation", body + "\n\nHarriet Vane\nADCS President\n\nContact: policy", None))
    assert said(ext) == [("Harriet Vane", body, PRESIDENT)]


def test_signed_response_runs_back_across_its_sub_headings() -> None:
    opening = "We welcome the chance to respond to this consultation on the future of family help."
    closing = "Local authorities should be funded to recruit and keep the social workers they need."
    body = opening + "\n\nRecommendations\n\nFor the Department for Education\n\n" + closing
    ext = run(("ADCS response", "Download PDF\n\n" + body + "\n\nHarriet Vane\nADCS President", None))
    assert said(ext) == [("Harriet Vane", body, PRESIDENT)]


def test_speech_introduced_by_its_speaker_is_one_statement() -> None:
    speech = (
        "Good morning, and welcome to the conference; it is good to see so many of you here.\n\n"
        "This has been a hard year for every council, and for the families we work with."
    )
    ext = run(
        (
            "Annual conference: President’s address",
            "Harriet Vane, ADCS President, delivered the following speech to the conference.\n\n" + speech,
            date(2023, 7, 6),
        )
    )
    assert said(ext) == [("Harriet Vane", speech, PRESIDENT)]


def test_reporter_named_in_a_news_article_byline_says_nothing() -> None:
    body = (
        "The committee has called for reform of children's social care funding in a report out today.\n\n"
        "It finds that councils spent more on placements than ever before in the last financial year."
    )
    ext = run(("MPs call for reform", "By Ann Bell\n\n" + body, None), kind=AK.NewsArticle)
    assert ext.statements == []
    assert "Ann Bell reports the news article: no statement" in [s.reason for s in ext.skipped]


def test_signature_with_two_roles_gives_two_holdings() -> None:
    body = "Poverty is the single biggest driver of demand for children's social care in this country."
    ext = run(
        (
            "Poverty",
            body + "\n\nHarriet Vane is ADCS President and Director of Children’s Services at Kent County Council.",
            date(2023, 6, 1),
        )
    )
    assert said(ext) == [("Harriet Vane", body, PRESIDENT)]
    dcs = resource("post", "kent-county-council", "director-of-childrens-services")
    holders = {(h, p) for h in ext.graph.subjects(RDF.type, AK.Holding) for p in ext.graph.objects(h, AK.post)}
    assert {p for _, p in holders} == {PRESIDENT, dcs}


def test_author_introduced_before_a_piece() -> None:
    body = "The report shows clearly the impact that poverty has on families in our region every day."
    ext = run(
        (
            "A regional view",
            "Here, Peter Wimsey, Chair of the North East Association of Directors of Children’s Services, "
            "responds to the findings.\n\n" + body,
            None,
        )
    )
    post = resource("post", "north-east-association-of-directors-of-childrens-services", "chair")
    assert said(ext) == [("Peter Wimsey", body, post)]


@pytest.mark.parametrize(
    "byline",
    ["By Ann Bell, ADCS President 2024/2025", "Delivered by Ann Bell, ADCS President for 2024-25, at the conference."],
)
def test_piece_under_a_byline_is_one_statement_of_its_author(byline: str) -> None:
    body = (
        "It has been a privilege to serve as President this year and to meet directors in every region.\n\n"
        "The challenges ahead are large, but so is the commitment of everyone working with children."
    )
    ext = run(("Reflections on the year", byline + "\n\nThursday 6 March 2025\n\n" + body, None))
    assert said(ext) == [("Ann Bell", body, PRESIDENT)]
    holding = resource("holding", "ann-bell", ADCS + "/president", "2024-25")
    assert ext.graph.value(holding, AK.inferred) == Literal(False)


def test_a_work_by_someone_named_in_the_body_is_no_byline() -> None:
    body = (
        "Councils have faced a decade of rising demand for help with children's services budgets.\n\n"
        "Last year a review by Tom Hood found the same, and set out twelve recommendations for government.\n\n"
        "Those recommendations still stand, and the government should act on every one of them now."
    )
    ext = run(("Demand keeps rising", body, None))
    assert ext.statements == []


def test_speaker_described_with_a_post_in_a_named_charity_and_a_quotation_in_the_sentence() -> None:
    ext = run(
        (
            "Report published",
            "Ann Bell, chief executive of the charity Safe Homes Together, said the report was "
            "“a welcome wake-up call for everyone”.",
            date(2023, 11, 21),
        )
    )
    post = resource("post", "safe-homes-together", "chief-executive")
    assert said(ext) == [("Ann Bell", "a welcome wake-up call for everyone", post)]
    people = {str(o) for o in ext.graph.objects(None, AK.name)}
    assert "Homes Together" not in people and "Safe Homes Together" in people


def test_council_role_in_apposition_without_statement() -> None:
    ext = run(
        (
            "New President",
            "ADCS published the address of its new President for 2024/25, Harriet Vane, Strategic Director for "
            "People, Salford City Council.",
            date(2024, 4, 20),
        )
    )
    assert ext.statements == []
    posts = set(ext.graph.subjects(RDF.type, AK.Post))
    assert posts == {PRESIDENT, resource("post", "salford-city-council", "strategic-director-for-people")}
    holding = resource("holding", "harriet-vane", ADCS + "/president", "2024-25")
    assert ext.graph.value(holding, AK.termLabel) == Literal("2024/25")


def test_former_holder_is_not_given_the_post() -> None:
    ext = run(
        ("Honours", "Harriet Vane, ADCS President, said:\n\n“Former ADCS President Peter Wimsey is honoured.”", None)
    )
    assert not list(ext.graph.subjects(AK.holder, resource("person", "peter-wimsey")))


def test_stated_holding_at_the_items_date() -> None:
    ext = run(("Comment", "Harriet Vane, ADCS President, said:\n\n“Yes.”", date(2023, 9, 1)))
    holding = resource("holding", "harriet-vane", ADCS + "/president", "2023-09-01_2023-09-01")
    assert ext.graph.value(holding, AK.inferred) == Literal(False)
    assert ext.graph.value(ext.graph.value(holding, AK.span), AK.quote) == Literal("ADCS President")


def test_people_are_not_read_from_titles_or_organisation_names() -> None:
    ext = run(
        ("Harriet Vane receives award", "The Nuffield Foundation and Kent County Council welcomed the news.", None)
    )
    assert not list(ext.graph.subjects(RDF.type, AK.Person))


def test_honorific_name_is_a_person_and_later_mentions_are_recorded() -> None:
    ext = run(
        (
            "Comment",
            "Harriet Vane, ADCS President, said:\n\n“Sir Peter Wimsey’s review matters. Wimsey is right.”",
            None,
        )
    )
    wimsey = resource("person", "peter-wimsey")
    assert ext.graph.value(wimsey, AK.honorificPrefix) == Literal("Sir")
    vane_mentions = [ext.text[m.start : m.end] for m in ext.mentions if m.node == resource("person", "harriet-vane")]
    assert vane_mentions == ["Harriet Vane"]
    assert {ext.text[m.start : m.end] for m in ext.mentions if m.node == wimsey} == {"Sir Peter Wimsey", "Wimsey"}


def test_item_without_title_and_text_without_items_do_not_crash() -> None:
    ext = run((None, "Harriet Vane, ADCS President, said: “Untitled.”", None))
    assert said(ext) == [("Harriet Vane", "Untitled.", PRESIDENT)]
    bare = Extraction(Document(id="b", path=Path("b.txt"), text="Harriet Vane, ADCS President, said: “x”", sha256="0"))
    organisations.extract(bare)
    statements.extract(bare)
    assert bare.statements == []
    assert any("outside any item" in s.reason for s in bare.skipped)


@pytest.mark.parametrize("text", ["“", "said:", "”, she said", "Harriet Vane, ADCS President, said: “"])
def test_fragments_never_crash(text: str) -> None:
    ext = run(("T", text, None))
    assert all(s.end <= len(ext.text) for s in ext.statements)


# --- the corpus --------------------------------------------------------------------------------


def corpus_extraction(stem: str) -> Extraction:
    path = next(CORPUS.glob(stem + "_*.txt"))
    ext = Extraction(read_document(path))
    items.extract(ext)
    organisations.extract(ext)
    statements.extract(ext)
    return ext


def test_corpus_response_quotes_the_president() -> None:
    ext = corpus_extraction("004")
    assert [(who, post) for who, _, post in said(ext)] == [("Steve Crocker", PRESIDENT)]
    assert said(ext)[0][1].startswith("It has been difficult to read")
    assert said(ext)[0][1].endswith("re-set the system.")


def test_corpus_appg_story_quotes_the_lga_board_chair() -> None:
    ext = corpus_extraction("003")
    post = resource("post", "local-government-association", "chair", "lga-children-and-young-people-board")
    assert [(who, p) for who, _, p in said(ext)] == [("Richard Watts", post)]
    assert ext.graph.value(resource("person", "richard-watts"), AK.honorificPrefix) == Literal("Cllr")


def test_corpus_archive_speakers() -> None:
    ext = corpus_extraction("001")
    speakers = {who for who, _, _ in said(ext)}
    assert {"Jenny Coles", "Charlotte Ramsden", "Steve Crocker", "John Pearce", "Sara Tough", "Clive Jones"} <= speakers
    assert not any("spokesperson" in who for who in speakers)
    assert len(ext.statements) >= 90


# --- query -------------------------------------------------------------------------------------


def test_speakers_query_rows() -> None:
    g = Graph()
    doc, item, person, post, org = (ID["doc/d"], ID["item/d/0"], ID["person/a"], ID["post/o/president"], ID["org/o"])
    g.add((doc, AK.fileName, Literal("d.txt")))
    g.add((item, AK.inDocument, doc))
    g.add((item, AK.position, Literal(0)))
    g.add((item, AK.title, Literal("Comment: budgets")))
    g.add((item, AK.date, Literal(date(2023, 5, 2), datatype=XSD.date)))
    g.add((person, AK.name, Literal("Ann Bell")))
    g.add((post, AK.name, Literal("OA President")))
    g.add((post, AK.postIn, org))
    g.add((org, AK.name, Literal("Org Association")))
    for n in (1, 2):
        statement = ID[f"statement/d/{n}/{n + 5}"]
        g.add((statement, RDF.type, AK.Statement))
        g.add((statement, AK.speaker, person))
        g.add((statement, AK.inItem, item))
        g.add((statement, AK.inRole, post))
    columns = named_query("speakers").columns  # the rows as the CLI and the API give them
    rows = [tuple(str(row[c]) for c in columns) for row in g.query((QUERIES / "speakers.rq").read_text())]  # type: ignore[index]
    dated = ("2023-05-02", "d.txt", "2023-05-02", "2023-05-02")  # a dated item is its own earliest and latest date
    assert rows == [("Comment: budgets", "Ann Bell", "OA President", "Org Association", *dated)]


# --- documents of the genre, written for these tests -------------------------------------------

GENRE = Path(__file__).parents[1] / "data" / "genre"
LGA = "local-government-association"


def genre_extraction(name: str) -> Extraction:
    ext = Extraction(read_document(GENRE / name))
    items.extract(ext)
    organisations.extract(ext)
    statements.extract(ext)
    return ext


def speakers_by_item(ext: Extraction) -> list[tuple[str | None, date | None, set[tuple[str, URIRef | None]]]]:
    """(title, date, {(speaker, post)}) of every item, in order."""
    g = ext.graph
    return [
        (
            item.title,
            item.date,
            {(str(g.value(s.speaker, AK.name)), s.post) for s in ext.statements if s.item == item.iri},
        )
        for item in ext.items
    ]


def test_genre_press_release_with_a_president_and_a_committee_chair() -> None:
    ext = genre_extraction("adcs_press_release.txt")
    committee = resource("post", ADCS, "chair", "adcs-health-care-and-additional-needs-policy-committee")
    assert speakers_by_item(ext) == [
        (
            "ADCS calls for a fully funded plan for children's mental health",
            date(2024, 3, 14),
            {("Alun Smeaton", PRESIDENT), ("Rhiannon Dalgleish", committee)},
        )
    ]
    assert [words for who, words, _ in said(ext) if who == "Alun Smeaton"][-1] == (
        "This is not a problem that any single agency can solve."
    )


def test_genre_lga_comment_by_a_board_chair_and_the_associations_chair() -> None:
    ext = genre_extraction("lga_comment.txt")
    board = resource("post", LGA, "chair", "lga-children-and-young-people-board")
    assert speakers_by_item(ext) == [
        (
            "LGA responds to children's social care funding figures",
            date(2023, 1, 12),
            {("Lorna Gathercole", board), ("Stuart Dunmore", resource("post", LGA, "chair"))},
        )
    ]
    assert ext.graph.value(resource("person", "lorna-gathercole"), AK.honorificPrefix) == Literal("Cllr")


def test_genre_news_archive_items_dates_and_speakers() -> None:
    ext = genre_extraction("news_archive.txt")
    inspection = resource("post", ADCS, "chair", "adcs-standards-performance-and-inspection-policy-committee")
    assert speakers_by_item(ext) == [
        ("Comment: school attendance figures", date(2023, 11, 7), {("Helen Marsh", PRESIDENT)}),
        ("ADCS response: Ofsted consultation on inspection changes", None, {("Sarah Parker", inspection)}),
        ("Comment: placements for children in care", date(2023, 9, 26), {("Lydia Bramhall", VICE_PRESIDENT)}),
        ("Comment: new guidance for virtual school heads", None, {("Alison Grey", None)}),
    ]
    grey = resource("person", "alison-grey")
    assert set(ext.graph.objects(grey, AK.honorificPrefix)) == {Literal("Professor"), Literal("Dame")}


def test_genre_column_signed_by_a_director_of_childrens_services() -> None:
    ext = genre_extraction("signed_column.txt")
    post = resource("post", "cheshire-west-and-chester-council", "director-of-childrens-services")
    assert speakers_by_item(ext) == [("Why early help must come first", date(2023, 5, 3), {("Nigel Hill", post)})]
    people = {str(ext.graph.value(p, AK.name)) for p in ext.graph.subjects(RDF.type, AK.Person)}
    assert people == {"Nigel Hill", "Alec Woodbridge"}


def test_genre_sector_story_quoting_directors_and_other_bodies() -> None:
    ext = genre_extraction("sector_story.txt")
    london = resource("post", "association-of-london-directors-of-childrens-services", "chair")
    kent = resource("post", "kent-county-council", "director-of-childrens-services")
    assert speakers_by_item(ext) == [
        (
            "Regional directors warn of pressure on placements",
            date(2023, 11, 2),
            {("Sam Reed", london), ("Kim Lowe", kent), ("Carol Price", None), ("Peter Lane", None)},
        )
    ]
    hackney = resource("post", "london-borough-of-hackney", "director-of-childrens-services")
    ofsted = resource("post", "ofsted", "national-director-for-social-care")
    assert set(ext.graph.objects(None, AK.post)) == {london, hackney, kent, ofsted}
    people = {str(ext.graph.value(p, AK.name)) for p in ext.graph.subjects(RDF.type, AK.Person)}
    assert people == {"Sam Reed", "Kim Lowe", "Martin Cole", "Carol Price", "Peter Lane"}


def test_councillors_office_without_a_council_is_held_in_the_one_council_the_item_names() -> None:
    ext = run(
        (
            "Adoption week",
            "Eastmoor Borough Council is looking for adopters.\n\n"
            "Cllr Ann Bell, Cabinet Member for Children and Education, said:\n\n“Every child needs a home.”",
            None,
        )
    )
    [(name, words, post)] = said(ext)
    assert (name, words) == ("Ann Bell", "Every child needs a home.")
    assert post is not None
    assert str(ext.graph.value(post, AK.name)) == "Cabinet Member for Children and Education, Eastmoor Borough Council"


def test_councillors_office_speaks_in_no_post_when_the_item_names_two_councils() -> None:
    ext = run(
        (
            "Joint adoption service",
            "Eastmoor Borough Council and Westfield County Council share a service.\n\n"
            "Cllr Ann Bell, Lead Member for Children, said:\n\n“Every child needs a home.”",
            None,
        )
    )
    assert said(ext) == [("Ann Bell", "Every child needs a home.", None)]
