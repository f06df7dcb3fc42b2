"""The text layer and the mention stage, on a page written for these tests (invented people and council)."""

from __future__ import annotations

from pathlib import Path

from loaders.entities import Mentions, MentionType
from loaders.text import TextLayer, is_furniture_line

PAGE = (Path(__file__).parents[1] / "data" / "layer" / "furnished_page.txt").read_text(encoding="utf-8")


def _layer() -> TextLayer:
    return TextLayer(PAGE)


def test_furniture_lines_are_found_and_left_out_of_paragraphs() -> None:
    layer = _layer()
    furniture = [PAGE[s:e] for s, e in layer.furniture]
    assert furniture == [
        "Home > News > Press releases",
        "We use cookies to improve your experience on this website.",
        "Your browser is out of date. Please upgrade your browser.",
        "EMBARGOED until 00:01, Monday 3rd March 2031",
        "Subscribe to read the full story",
        "Share this article",
    ]
    paragraphs = [PAGE[p.start : p.end] for p in layer.paragraphs]
    assert paragraphs[0] == "Anyshire pilots a family hub for every ward"
    assert len(paragraphs) == 4
    assert not any("cookies" in p or "Subscribe" in p for p in paragraphs)
    assert layer.is_furniture(PAGE.index("Share this")) and not layer.is_furniture(PAGE.index("Anyshire pilots"))


def test_prose_is_not_furniture() -> None:
    assert not is_furniture_line("The council shares this view of the embargo on new homes.")
    assert is_furniture_line("Already a subscriber? Log in")


def test_subscription_prompts_naming_the_site_are_furniture() -> None:
    assert is_furniture_line("Get unlimited access to The Anyshire Courier with a subscription, plus a weekly copy.")
    assert is_furniture_line(
        "Thank you for visiting Sector Weekly and reading our archive of features and updates. "
        "Why not register today and enjoy the following benefits:"
    )
    assert not is_furniture_line("Thank you for visiting the Wexmoor family centre, the minister told staff.")


def test_sentences_do_not_end_after_an_abbreviation() -> None:
    layer = _layer()
    start = PAGE.index("Dr. Amira")
    sentences = [PAGE[s.start : s.end] for s in layer.sentences_in(start, len(PAGE))]
    assert sentences[0].startswith("Dr. Amira O'Hara") and sentences[0].endswith("We have opened six hubs.")
    assert sentences[1] == "Each one is run with local families."


def test_quotations_curly_straight_single_and_over_paragraphs() -> None:
    layer = _layer()
    quoted = [(PAGE[q.start : q.end], q.paragraphs, q.double, q.closed) for q in layer.quotations]
    assert quoted == [
        ("We have opened six hubs. Each one is run with local families.\n\n“The next six open in May.", 2, True, True),
        ("a lifeline", 1, False, True),
        ("It is the start,", 1, True, True),
    ]
    opening = PAGE.index("“We have")
    assert layer.quotation_opening(opening) is layer.quotations[0]
    assert layer.quotation_at(PAGE.index("next six")) is layer.quotations[0]
    assert layer.quotation_at(PAGE.index("Councillor")) is None


def test_unclosed_quotation_runs_to_its_paragraph_end() -> None:
    text = "She said: “We will not stop.\n\nThe council met on Monday."
    (quotation,) = TextLayer(text).quotations
    assert text[quotation.start : quotation.end] == "We will not stop."
    assert not quotation.closed


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "The children’s hub and the parents' forum met at O’Brien’s café."
    assert TextLayer(text).quotations == ()


def test_tokens_carry_offsets_and_keep_names_whole() -> None:
    layer = _layer()
    start = PAGE.index("Councillor")
    tokens = layer.tokens_in(start, start + 40)
    assert [t.text for t in tokens][:3] == ["Councillor", "Tom", "Smith-Jones"]
    assert all(PAGE[t.start : t.end] == t.text for t in layer.tokens)
    assert "O'Hara" in [t.text for t in layer.tokens]


def test_mentions_are_typed_once() -> None:
    mentions = Mentions(_layer())
    by_text = {m.text: m.type for m in mentions.all}
    assert by_text["Dr. Amira O'Hara"] is MentionType.PERSON
    assert by_text["Councillor Tom Smith-Jones"] is MentionType.PERSON
    assert by_text["Anyshire"] is MentionType.OTHER
    places = Mentions(TextLayer("Schools in Kent and the Spending Review and the Children Act and Vice President."))
    assert {m.text: m.type for m in places.all} == {
        "Schools": MentionType.OTHER,
        "Kent": MentionType.PLACE,
        "Spending Review": MentionType.REPORT,
        "Children Act": MentionType.POLICY,
        "Vice President": MentionType.POST,
    }


def test_organisations_are_found_once_and_shared() -> None:
    text = "The Local Government Association (LGA) and Ofsted met. The LGA said so."
    mentions = Mentions(TextLayer(text))
    lga = "Local Government Association"
    assert [o.name for o in mentions.organisations] == [lga, lga, "Ofsted", lga]
    assert [o.name for o in mentions.organisations_in(text.index("The LGA"), len(text))] == [lga]
    assert mentions.in_organisation(text.index("Ofsted"), text.index("Ofsted") + 3)
    assert all(m.type is MentionType.ORGANISATION for m in mentions.all if m.text in ("LGA", "Ofsted"))


def test_lines_keep_furniture_and_offsets() -> None:
    layer = _layer()
    lines = [line.text for line in layer.lines]
    assert "Home > News > Press releases" in lines and "Share this article" in lines
    assert all(PAGE[line.start : line.end] == line.text and line.text == line.text.strip() for line in layer.lines)
    first = layer.paragraphs[1]
    assert [line.text for line in layer.lines_in(first.start, first.end)] == PAGE[first.start : first.end].split("\n")
