"""The people side of the genre (item dates, posts, terms, speakers, coreference), each construction
on a document written for these tests (invented people, councils and bodies), through the whole
pipeline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from test_loader_constructions import build

from graph.namespaces import AK
from loaders.statements import NARRATIVE


def items(graph: Graph) -> list[tuple[str | None, date | None]]:
    """(title, stated date) of every item, in the order of the page."""
    found = []
    for item in graph.subjects(RDF.type, AK.Item):
        title, day = graph.value(item, AK.title), graph.value(item, AK.date)
        inferred = graph.value(item, AK.dateInferred)
        stated = day.toPython() if day is not None and not inferred.toPython() else None  # type: ignore[union-attr]
        found.append((int(graph.value(item, AK.position)), None if title is None else str(title), stated))  # type: ignore[arg-type]
    return [f[1:] for f in sorted(found)]


def _name(graph: Graph, node: object) -> str:
    assert isinstance(node, URIRef)
    return str(graph.value(node, AK.name))


def statements(graph: Graph, text: str) -> list[tuple[str, str, str | None]]:
    """(speaker, first words quoted, post name) of every statement the queries show, in text order."""
    found = []
    for statement in graph.subjects(RDF.type, AK.Statement):
        if graph.value(statement, AK.confidence).toPython() < Decimal("0.5"):  # type: ignore[union-attr]
            continue
        span = graph.value(statement, AK.span)
        start, end = int(graph.value(span, AK.start)), int(graph.value(span, AK.end))  # type: ignore[arg-type]
        post = graph.value(statement, AK.inRole)
        found.append((start, _name(graph, graph.value(statement, AK.speaker)), text[start:end][:30],
                      _name(graph, post) if post is not None else None))  # fmt: skip
    return [f[1:] for f in sorted(found)]


def positions(graph: Graph) -> set[tuple[str, str, str | None, str | None, str | None]]:
    """(person, post, term, start, end) of every holding the positions query would show: stated
    ones, and derived ones that are no other's evidence."""
    evidence = set(graph.objects(None, AK.evidence))
    result = set()
    for holding in graph.subjects(RDF.type, AK.Holding):
        if holding in evidence or graph.value(holding, AK.confidence).toPython() < Decimal("0.5"):  # type: ignore[union-attr]
            continue
        interval = graph.value(holding, AK.during)
        start, end = (graph.value(interval, p) if interval is not None else None for p in (AK.startDate, AK.endDate))
        term = graph.value(holding, AK.termLabel)
        result.add((_name(graph, graph.value(holding, AK.holder)), _name(graph, graph.value(holding, AK.post)),
                    None if term is None else str(term), None if start is None else str(start)[:7],
                    None if end is None else str(end)[:7]))  # fmt: skip
    return result


# --- item dates -------------------------------------------------------------------------------


def test_a_reporters_name_over_the_dateline_is_a_byline_not_a_headline() -> None:
    graph, _ = build("byline_over_dateline.txt")
    assert items(graph) == [("Wexmoor directors warn of rising placement costs", date(2031, 3, 4))]


def test_a_label_of_minutes_is_furniture_and_the_meetings_heading_dates_it() -> None:
    graph, _ = build("minutes_agenda.txt")
    assert items(graph) == [("Wexmoor Families Board", date(2031, 10, 9))]


def test_entries_of_a_listing_whose_headings_end_in_their_date_and_time() -> None:
    graph, _ = build("related_listing.txt")
    assert [day for _, day in items(graph)] == [date(2031, 5, 14), date(2031, 5, 13), date(2031, 5, 12)]
    assert [title for title, _ in items(graph)][1:] == [
        "Press notice: Wexmoor Children's Champion warns of a shortage of foster homes",
        "Champion welcomes new family hubs in Brookvale",
    ]


# --- coreference ------------------------------------------------------------------------------


def test_a_post_in_the_lead_for_the_one_speaker_beside_the_post_written_at_the_name() -> None:
    graph, text = build("byline_over_dateline.txt")
    assert [(who, post) for who, _, post in statements(graph, text)] == [
        ("Ruth Calloway", None),
        ("Ruth Calloway", "Director of Children's Services, Wexmoor County Council"),  # "Calloway, who is ..."
    ]
    held = {(who, post) for who, post, *_ in positions(graph)}
    assert held == {
        ("Ruth Calloway", "ADCS President"),  # "the president of the ADCS has warned", in the lead
        ("Ruth Calloway", "Director of Children's Services, Wexmoor County Council"),
    }


def test_a_former_post_written_as_the_subject_is_the_speakers_and_the_pronoun_after_it() -> None:
    graph, text = build("described_subject.txt")
    assert positions(graph) == {
        ("Hilda Marsh", "Chair, Wexmoor Care Commission", None, None, None),  # former: no interval
        ("Ravi Sethi", "Leader, Brookvale Borough Council", None, None, None),
    }
    assert [(who, words[:12]) for who, words, _ in statements(graph, text)] == [
        ("Hilda Marsh", "The people w"),  # "she said"
        ("Ravi Sethi", "We want insp"),
    ]


def test_a_pronoun_is_the_person_named_last_before_it() -> None:
    graph, text = build("pronoun_after_a_new_name.txt")
    assert [(who, post) for who, _, post in statements(graph, text)] == [
        ("Marta Quill", "ADCS President"),
        ("Osman Tully", "Chief Executive, Wexmoor Fostering Trust"),  # "He said", after his name
    ]


def test_speakers_named_before_by_pronoun_title_family_or_given_name_and_woven_or_titled_quotes() -> None:
    graph, text = build("speakers_named_before.txt")
    assert [(who, words[:12]) for who, words, _ in statements(graph, text)] == [
        ("Ines Harrow", "I am proud t"),  # "She said", after "Mrs Harrow's", not the departed Tomas Vell
        ("Pavel Ostrander", "Families hav"),  # "Ostrander, cabinet member ..., said"
        ("Pavel Ostrander", "We will find"),  # "Pavel said"
        ("Ines Harrow", "We will not "),  # "Ms Harrow went on"
    ]  # not: "(pictured) said the plan was “long overdue ...” and", nor the title the council launched
    assert ("Pavel Ostrander", "Cabinet Member for children, Brookvale Borough Council", None, None, None) in positions(
        graph
    )


def test_speakers_by_a_title_alone_a_peers_name_according_to_with_a_colon_and_a_clause_to_a_colon() -> None:
    graph, text = build("speakers_by_title_and_colon.txt")
    assert [(who, words[:12]) for who, words, _ in statements(graph, text)] == [
        ("Quennell of Dunmere", "Too many chi"),  # "Baroness Quennell of Dunmere, chair of ..., said:"
        ("Osric Penhallow", "We will stud"),  # "The councillor said", after "Cllr Osric Penhallow"
        ("Dagny Whitlow", "The evidence"),  # "According to Professor X, ROLE: “...”"
        ("Dagny Whitlow", "Every month "),  # "She urged ministers to act quickly: “...”", not Mr Bram Tolliver
        ("Quennell of Dunmere", "The committe"),  # "Baroness Quennell responded"
        ("Dagny Whitlow", "Read the rep"),  # "Professor Whitlow tweeted:"
    ]  # not: "The minister said", whom the item does not name


def test_a_speech_whose_title_names_its_speaker_is_their_statement_and_a_report_of_it_is_not() -> None:
    graph, text = build("speech_titled_by_its_speaker.txt")
    ((who, words, _),) = statements(graph, text)
    assert (who, words[:12]) == ("Hedda Lindqvist", "Good morning")
    graph, text = build("speech_reported_under_its_title.txt")  # the reporter's words about the speech
    assert statements(graph, text) == []


def test_speakers_after_the_verb_by_family_name_in_a_relative_clause_and_with_their_age() -> None:
    graph, text = build("announcement_speakers.txt")
    said = [(who, words[:10]) for who, words, _ in statements(graph, text)]
    assert said == [
        ("Tove Marchetti", "It is an h"),  # "Commenting on her election, Tove said:"
        ("Tove Marchetti", "I look for"),  # "“...,” added Ms Marchetti."
        ("Tove Marchetti", "We have a "),  # "“...,” said Marchetti, who has led ..."
        ("Tove Marchetti", "But I know"),
        ("Lorcan Feeney", "It has bee"),
        ("Saoirse Adebayo-Klein", "I am delig"),  # "The new vice president is X, who said:"
        ("Saoirse Adebayo-Klein", "We will be"),  # "Adebayo-Klein, 52, said:"
        ("Imre Vasquez", "Tove has o"),
        ("Hamish Oyelaran", "The associ"),
        ("Hamish Oyelaran", "It is the "),  # "“...,” he says, “...”"
        ("Hamish Oyelaran", "to hand on"),
    ]


def test_a_quotation_with_only_its_closing_mark_signed_on_the_next_line_is_the_signatorys() -> None:
    graph, text = build("signed_quotation_cut_off.txt")
    board = "Chair, Wexmoor Children's Services Board"
    ((who, words, post),) = statements(graph, text)  # the guide's own paragraphs are no one's
    assert (who, words[:15], post) == ("Marit Okafor", "Keeping childre", board)
    assert ("Marit Okafor", board, None, None, None) in positions(graph)


def test_words_after_said_and_a_colon_without_quote_marks_are_a_statement() -> None:
    graph, text = build("said_without_quote_marks.txt")
    assert [who for who, _, _ in statements(graph, text)] == ["Ilse Romanov", "Ilse Romanov"]
    spans = [graph.value(statement, AK.span) for statement in graph.subjects(RDF.type, AK.Statement)]
    quoted = sorted(text[int(graph.value(s, AK.start)) : int(graph.value(s, AK.end))] for s in spans)  # type: ignore[arg-type]
    assert quoted[1].startswith("We cannot keep") and quoted[1].endswith("loudly and often.")  # both in her voice
    assert "treasurer" not in quoted[1]  # the reporter's paragraph after them is not
    assert quoted[0] == "Councils need a settlement that lasts more than a year."  # "told the meeting: Councils ..."


def test_an_interviews_answers_are_statements_of_who_answers_and_its_questions_are_not() -> None:
    for document in ("interview_with_named_answers.txt", "interview_with_answers.txt"):  # "Castellan:", "A:"
        graph, text = build(document)
        said = [(who, words[:12]) for who, words, _ in statements(graph, text)]
        assert said == [("Yuna Castellan", "The strength"), ("Yuna Castellan", "Recruitment.")], document


def test_single_quotes_attributed_after_their_closing_mark() -> None:
    graph, text = build("single_quotes_attributed_after.txt")
    said = [(who, words[:12]) for who, words, _ in statements(graph, text)]
    assert said == [
        ("Hollis Ferrante", "We have been"),  # over two paragraphs
        ("Hollis Ferrante", "It is simply"),  # "‘...,’ added Ferrante"
        ("Wren Oyelowo", "We will lobb"),
        ("Wren Oyelowo", "This cannot "),  # "'...,' she said"
    ]  # not: the scare-quoted 'invest to save', nor the phrase woven into the last sentence
    shown = [float(graph.value(s, AK.confidence)) for s in graph.subjects(RDF.type, AK.Statement)]  # type: ignore[arg-type]
    assert all(c > NARRATIVE.confidence for c in shown if c >= 0.5)  # read from attributions, not as narrative


# --- posts and terms in the narrative ---------------------------------------------------------


def test_posts_taken_up_held_left_and_handed_on_in_the_narrative() -> None:
    graph, _ = build("officers_in_narrative.txt")
    assert positions(graph) == {
        # "will take over as president of the association in April 2032": a start, no end
        ("Priya Nandi", "ADCS President", None, "2032-04", None),
        # "Nandi is director of ...": a family name alone, at the item's date
        ("Priya Nandi", "Director of Children's Services, Brookvale Borough Council", None, "2031-05", "2031-05"),
        ("Leon Achebe", "ADCS President", "2031/32", "2031-04", "2032-03"),
        ("Carys Holt", "ADCS President", None, None, None),  # "Achebe replaces Carys Holt as president"
        ("Carys Holt", "ADCS Vice President", None, "2029-04", None),  # "Holt became vice president in ..."
        ("Tom Beale", "Chief Executive, Wexmoor Fostering Trust", None, "2031-05", "2031-05"),
        ("Tom Beale", "Chair, Brookvale Schools Forum", None, None, "2032-03"),  # "He will stand down as ..."
    }
    people = {str(graph.value(p, AK.name)) for p in graph.subjects(RDF.type, AK.Person)}
    assert "Bright Start" not in people  # a subject whose clause states no post is no person


# --- councils' appointments -------------------------------------------------------------------


def test_a_councils_appointment_lower_case_posts_with_their_remits_and_the_council_of_the_page() -> None:
    graph, text = build("council_appointment.txt")
    assert positions(graph) == {
        # "Brookvale Borough Council has appointed a new director ..." and the next sentence's name
        ("Nadia Ferrow", "Director of Children's Services, Brookvale Borough Council", None, "2031-06", "2031-06"),
        # "has stepped up from her role as assistant director for early help": held before, in the council
        # the page's heading names
        ("Nadia Ferrow", "Assistant Director for early help, Brookvale Borough Council", None, None, None),
        # "welcomed by cabinet member for children, young people and learning, Cllr Owen Tarrant"
        ("Owen Tarrant", "Cabinet Member for children, young people and learning, Brookvale Borough Council",
         None, "2031-06", "2031-06"),
        ("Ruth Penhale", "Lead Member for schools, Brookvale Borough Council", None, "2031-06", "2031-06"),
    }  # fmt: skip
    assert [(who, words[:12]) for who, words, _ in statements(graph, text)] == [
        ("Owen Tarrant", "Nadia knows "),  # "He said", after "..., Cllr Owen Tarrant, who said ..."
        ("Ruth Penhale", "We look forw"),  # "..., lead member for schools said:"
        ("Nadia Ferrow", "I am proud t"),  # "Ms Ferrow, who ... in Little Harwick ..., said:": not the place
    ]
    posts = {str(graph.value(p, AK.name)) for p in graph.subjects(RDF.type, AK.Post)}
    assert not any("Association of Directors" in post for post in posts)  # "Directors" is no misspelt "Director"


def test_a_council_appointing_a_named_person_to_its_post_and_a_post_at_the_council() -> None:
    graph, _ = build("council_named_appointee.txt")
    assert positions(graph) == {
        # "Wexmoor County Council has appointed Imran Satter as its interim director ..."
        ("Imran Satter", "Interim Director of Children's Services, Wexmoor County Council", None, "2032-02",
         "2032-02"),
        # "Lena Oduya, who ..., took up her post as director of ... at the council"
        ("Lena Oduya", "Director of learning and children's services, Wexmoor County Council", None, "2032-02",
         "2032-02"),
    }  # fmt: skip


def test_a_chair_standing_down_another_nominated_and_a_post_served_in_since_a_year() -> None:
    graph, text = build("chair_nominated.txt")
    assert positions(graph) == {
        ("Dana Whitlock", "Chair, Wexmoor Councils Network", None, None, None),  # "has stood down as": undated item
        ("Hari Mensah", "Chair, Wexmoor Councils Network", None, None, None),  # "has unanimously nominated ... as"
        ("Hari Mensah", "Leader, Brookvale Borough Council", None, "2027-01", None),  # "has served as ... since 2027"
    }
    assert [who for who, _, _ in statements(graph, text)] == ["Hari Mensah"]  # "Cllr Mensah said": the one named


def test_a_qualified_post_is_a_post_of_its_own_and_a_compass_point_may_be_a_family_name() -> None:
    graph, _ = build("interim_post_and_compass_surname.txt")
    assert positions(graph) == {
        # "... has appointed Dana West as its interim director of children's services"
        ("Dana West", "Interim Director of Children's Services, Wexmoor Borough Council", None, "2031-05", "2031-05"),
        # "Ollie Marsh, acting chief executive of the council, said"
        ("Ollie Marsh", "Acting Chief Executive, Wexmoor Borough Council", None, "2031-05", "2031-05"),
    }


def test_posts_held_before_in_a_career_history() -> None:
    graph, _ = build("career_history.txt")
    assert positions(graph) == {
        ("Mara Quill", "Chair, Brookvale Forum", None, "2031-05", "2031-05"),  # "has been named as the new chair"
        ("Mara Quill", "Leader, Wexmoor Borough Council", None, "2029-01", None),  # "has served as ... since 2029"
        # "..., having previously served as Deputy Leader from 2025": the council just named, from 2025
        ("Mara Quill", "Deputy Leader, Wexmoor Borough Council", None, "2025-01", None),
        # "Sam Orly, aged 52, has been corporate director for place at ... since 2027"
        ("Sam Orly", "Corporate Director for place, Wexmoor Borough Council", None, "2027-01", None),
        # "having previously spent time at Brookvale Borough Council as assistant director, ...": held before
        ("Sam Orly", "Assistant Director, Brookvale Borough Council", None, None, None),
        # "joined Wexmoor in 2026 as a head of service": the council of the place the page names
        ("Pip Harnett", "Head of service, Wexmoor Borough Council", None, "2026-01", None),
        # "Before that, she was assistant director ...": held before, not at the item's date
        ("Pip Harnett", "Assistant Director for early help, Brookvale Borough Council", None, None, None),
        # "has been named by Brookvale Borough Council as its new director of children's services"
        ("Lou Tarran", "Director of Children's Services, Brookvale Borough Council", None, "2031-05", "2031-05"),
        ("Lou Tarran", "Director of education, Wexmoor Borough Council", None, None, None),  # "was previously"
    }


def test_a_post_written_without_its_body_on_a_page_headed_by_one_body() -> None:
    graph, _ = build("board_minutes_posts.txt")
    # a body written is the post's: "his final meeting as Chairman of the Finance Panel"
    assert positions(graph) == {("Rufus Penn", "Chair, Finance Panel", None, "2031-03", "2031-03")}
    # "Cllr Tamsin Oakes (Chair) welcomed ...", "her final meeting as Vice Chair": in the board the
    # heading names, kept below the default confidence; "she was Chair of k12 schools group": a body
    # written but not known is not the heading's
    guessed = {
        (_name(graph, graph.value(h, AK.holder)), _name(graph, graph.value(h, AK.post)))
        for h in graph.subjects(RDF.type, AK.Holding)
        if graph.value(h, AK.confidence).toPython() < Decimal("0.5")  # type: ignore[union-attr]
    }
    assert guessed == {
        ("Tamsin Oakes", "Chair, Wexmoor Families Board"),
        ("Ida Marr", "Vice Chair, Wexmoor Families Board"),
    }


def test_a_leading_former_marks_the_post_as_past_and_is_not_part_of_the_body() -> None:
    graph, _ = build("former_association_post.txt")
    # "Former Brookvale Association of Foster Carers chair Nell Rudd said": held before, no interval
    assert positions(graph) == {("Nell Rudd", "Chair, Brookvale Association of Foster Carers", None, None, None)}
    bodies = {str(graph.value(o, AK.name)) for o in graph.subjects(RDF.type, AK.Organisation)}
    assert bodies == {"Brookvale Association of Foster Carers"}


def test_a_second_post_joined_by_and_to_the_one_at_a_name() -> None:
    graph, _ = build("two_posts_joined.txt")
    assert positions(graph) == {
        # "Cllr Vera Stroud, leader of Wexmoor Borough Council and current chair of the Brookvale Forum,"
        ("Vera Stroud", "Leader, Wexmoor Borough Council", None, "2031-05", "2031-05"),
        ("Vera Stroud", "Chair, Brookvale Forum", None, "2031-05", "2031-05"),
        # "says Ned Carrow, director of children's services at ... and former president of ...": held before
        ("Ned Carrow", "Director of Children's Services, Brookvale Borough Council", None, "2031-05", "2031-05"),
        ("Ned Carrow", "President, Wexmoor Association of Foster Carers", None, None, None),
    }


def test_posts_in_the_body_of_a_post_named_before_a_shared_body_and_a_mayor_of_a_place() -> None:
    graph, _ = build("shared_and_nearby_bodies.txt")
    assert positions(graph) == {
        # "... has appointed a new director of children's services." and the next sentence's name
        ("Tam Reed", "Director of Children's Services, Wexmoor Borough Council", None, "2031-05", "2031-05"),
        # "has stepped up from her role as head of safeguarding": the body of her post named before
        ("Tam Reed", "Head of safeguarding, Wexmoor Borough Council", None, None, None),
        ("Cleo Vance", "Mayor, Wexmoor Borough Council", None, "2031-05", "2031-05"),  # "Mayor of Wexmoor Cleo Vance"
        # "Abe Lorne, Founder and Chief Executive of the Brookvale Trust and Chair of the review": both posts
        # of the one body; a chair of something that is no body is no post
        ("Abe Lorne", "Founder, Brookvale Trust", None, "2031-05", "2031-05"),
        ("Abe Lorne", "Chief Executive, Brookvale Trust", None, "2031-05", "2031-05"),
    }


def test_a_post_written_before_a_name_after_any_word_when_former_or_its_body_opens_it() -> None:
    graph, _ = build("posts_before_names_in_narrative.txt")
    assert positions(graph) == {
        ("Hal Ormond", "Chair, Brookvale Forum", None, None, None),  # "the election of previous ... chair Hal Ormond"
        # "while Wexmoor Borough Council leader Ines Varga will lead ...": the body opens the post
        ("Ines Varga", "Leader, Wexmoor Borough Council", None, "2031-05", "2031-05"),
    }


def test_a_committee_written_by_its_head_noun_alone_is_the_one_the_page_names() -> None:
    graph, _ = build("committee_by_its_head_noun.txt")
    # "Committee chair Rhea Banfield (pictured) said", after "The Wexmoor Scrutiny Committee has ..."
    assert positions(graph) == {("Rhea Banfield", "Chair, Wexmoor Scrutiny Committee", None, "2031-05", "2031-05")}


def test_a_list_of_a_boards_members_with_a_term() -> None:
    graph, _ = build("board_members_with_a_term.txt")
    # "welcomed the following new members to the Board for 2031/32 meeting cycle: Cllr Oona Pell, ..."
    stated = {
        (_name(graph, graph.value(h, AK.holder)), _name(graph, graph.value(h, AK.post)),
         str(graph.value(h, AK.termLabel)))
        for h in graph.subjects(AK.inferred, Literal(False))
    }
    assert stated == {
        (person, "Member, Wexmoor Families Board", "2031/32") for person in ("Oona Pell", "Reza Kand", "Lise Farrow")
    }
    assert {(p[0], p[3], p[4]) for p in positions(graph)} == {
        (person, "2031-04", "2032-03") for person in ("Oona Pell", "Reza Kand", "Lise Farrow")
    }


def test_a_body_and_the_post_held_there_in_a_where_clause() -> None:
    graph, _ = build("body_where_post_held.txt")
    assert positions(graph) == {
        ("Tam Oduro", "Corporate Director of children and young people, Brookvale Borough Council", None, "2031-05",
         "2031-05"),
        # "joining from Wexmoor Borough Council, where he spent three years as director of ...": held before
        ("Tam Oduro", "Director of Children's Services, Wexmoor Borough Council", None, None, None),
        ("Ivy Crane", "Head of safeguarding, Anyshire County Council", None, "2031-05", "2031-05"),
        ("Ivy Crane", "Head of early help, Brookvale Borough Council", None, None, None),  # "where she was"
        ("Ned Pye", "Chair, Brookvale Forum", None, "2031-05", "2031-05"),
        ("Ned Pye", "Director of education, Anyshire County Council", None, "2031-05", "2031-05"),  # "where he is"
    }  # fmt: skip


def test_a_month_written_without_its_year_takes_the_year_from_the_items_date() -> None:
    graph, _ = build("month_without_year.txt")  # an item of 12 February 2031
    assert positions(graph) == {
        ("Gita Sole", "Chair, Brookvale Forum", None, "2031-04", None),  # "will take over ... from April"
        ("Ben Orme", "Chair, Wexmoor Schools Panel", None, None, "2031-12"),  # "will stand down ... in December"
        ("Ida Kerr", "Chair, Anyshire Care Board", None, "2031-01", None),  # "took over ... in January": the nearest
    }
    rules = {str(graph.value(h, AK.rule)) for h in graph.subjects(AK.inferred, Literal(False))}
    assert rules == {"post stated in a clause of the narrative, the year of its time from the item's date"}
