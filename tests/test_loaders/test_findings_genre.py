"""Findings as the genre writes them, on a briefing written for these tests (invented bodies)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK, resource
from loaders import findings
from loaders.document import Document, read_document
from loaders.extraction import Extraction
from loaders.quantities import Comparator, Quantity, Rejection, Unit, scan

DATA = Path(__file__).resolve().parents[1] / "data" / "findings"
GENRE = Path(__file__).resolve().parents[1] / "data" / "genre"


def _read(path: Path) -> Extraction:
    ext = Extraction(read_document(path))
    findings.extract(ext)
    return ext


@pytest.fixture(scope="module")
def briefing() -> Extraction:
    return _read(DATA / "pressures_briefing.txt")


def _finding(ext: Extraction, expression: str, after: str = "") -> URIRef:
    start = ext.text.index(expression, ext.text.index(after) if after else 0)
    node = resource("finding", ext.document.id, start, start + len(expression))
    assert (node, RDF.type, AK.Finding) in ext.graph, expression
    return node


def _local(ext: Extraction, node: URIRef, prop: URIRef) -> str | None:
    value = ext.graph.value(node, prop)
    return None if value is None else str(value).split("#")[-1]


def _measure(ext: Extraction, node: URIRef) -> str:
    return str(ext.graph.value(ext.graph.value(node, AK.measure), AK.name))


def _value(ext: Extraction, node: URIRef, prop: URIRef = AK.value) -> Decimal:
    return Decimal(str(ext.graph.value(node, prop)))


def test_a_change_and_the_level_it_reached_are_two_related_findings(briefing: Extraction) -> None:
    change, level = _finding(briefing, "a fifth"), _finding(briefing, "61,250")
    assert (_value(briefing, change), _local(briefing, change, AK.unit)) == (Decimal("0.2"), "Ratio")
    assert (_local(briefing, change, AK.kind), _local(briefing, change, AK.direction)) == ("Change", "Increase")
    assert (_value(briefing, level), _local(briefing, level, AK.kind)) == (Decimal(61250), "Level")
    assert _measure(briefing, change) == _measure(briefing, level) == "referral"
    assert briefing.graph.value(change, AK.levelReached) == level


def test_from_x_to_y_without_a_unit_is_a_level_of_the_subject(briefing: Extraction) -> None:
    found = _finding(briefing, "212,400 to 246,900")
    assert (_value(briefing, found, AK.fromValue), _value(briefing, found)) == (Decimal(212400), Decimal(246900))
    assert (_local(briefing, found, AK.kind), _local(briefing, found, AK.direction)) == ("Level", "Increase")
    assert _measure(briefing, found) == "initial contact"


def test_a_share_in_brackets_counts_what_the_figure_before_it_counts(briefing: Extraction) -> None:
    count, share = _finding(briefing, "up to 120"), _finding(briefing, "80%")
    assert _local(briefing, count, AK.comparator) == "AtMost"
    assert _measure(briefing, count) == _measure(briefing, share) == "local authority"
    pupils, pupil_share = _finding(briefing, "Some 8.4 million"), _finding(briefing, "91%")
    assert _value(briefing, pupils) == Decimal(8400000)
    assert _measure(briefing, pupils) == _measure(briefing, pupil_share) == "pupil"


@pytest.mark.parametrize(
    ("expression", "value", "unit", "measure"),
    [
        ("Around two million", "2000000", "Count", "children"),
        ("Seven", "7", "Count", "council"),
        ("a quarter", "0.25", "Ratio", "council"),
        ("two thirds", "0.6667", "Ratio", "respondent"),
        ("some 17,000", "17000", "Count", "children waiting for assessment"),
        ("£3.2 billion", "3200000000", "GBP", "funding gap"),
    ],
)
def test_numbers_in_words_and_with_comparators(
    briefing: Extraction, expression: str, value: str, unit: str, measure: str
) -> None:
    found = _finding(briefing, expression)
    assert (_value(briefing, found), _local(briefing, found, AK.unit)) == (Decimal(value), unit)
    assert _measure(briefing, found) == measure
    assert _local(briefing, found, AK.kind) == "Level"


def test_a_rate_per_population_is_of_kind_rate(briefing: Extraction) -> None:
    found = _finding(briefing, "52 per 10,000")
    assert (_value(briefing, found), _local(briefing, found, AK.kind)) == (Decimal(52), "Rate")


def test_a_count_more_than_before_is_a_change(briefing: Extraction) -> None:
    found = _finding(briefing, "1,200")
    assert (_local(briefing, found, AK.kind), _local(briefing, found, AK.direction)) == ("Change", "Increase")
    assert _measure(briefing, found) == "children looked after"


def test_clock_times_furniture_counts_and_vague_durations_are_not_findings(briefing: Extraction) -> None:
    tail = briefing.text.index("The briefing event")
    late = [
        f
        for f in briefing.graph.subjects(RDF.type, AK.Finding)
        if int(str(f).rsplit("/", 2)[-2]) >= tail and isinstance(f, URIRef)
    ]
    assert late == []


def test_every_finding_has_one_measure_kind(briefing: Extraction) -> None:
    nodes = list(briefing.graph.subjects(RDF.type, AK.Finding))
    assert len(nodes) >= 14
    for node in nodes:
        assert len(list(briefing.graph.objects(node, AK.kind))) == 1


# --------------------------------------------------------------------------- the scanner alone


def _quantities(text: str) -> list[Quantity]:
    return [q for q in scan(text) if isinstance(q, Quantity)]


@pytest.mark.parametrize("space", ["\u00a0", "  ", "\u202f", "\u2009"])
def test_odd_spacing_inside_money(space: str) -> None:
    (found,) = _quantities(f"The gap reached £3.2{space}billion.")
    assert (found.value, found.unit) == (Decimal(3200000000), Unit.GBP)


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_odd_spacing_before_a_percent_sign(space: str) -> None:
    (found,) = _quantities(f"Absence rose by 12{space}% last term.")
    assert (found.value, found.unit) == (Decimal(12), Unit.PERCENT)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Doors open at 09.30 for registration.", "a time of day"),
        ("The session runs from 14:00 until 16.30.", "a time of day"),
        ("Join 4,500 followers online.", "a count of page furniture"),
        ("Expect delays of two to three years.", "a vague duration, not a measured one"),
        ("The impact will show for another one, two or three years.", "a vague duration, not a measured one"),
        ("She boasts 20 years' experience in social care.", "the length of a career, not a measured duration"),
        ("He spent three years as director of children's services.", "the length of a career, not a measured duration"),
        ("He spent 15 years at Kingsbridge City Council.", "the length of a career, not a measured duration"),
        ("Venue: Ground Floor, 18 Market Square, Eastmoor", "a street number (an address)"),
        ("Tags:\nFUNDING 99 DEMAND 46", "a count in a list of tags (page furniture)"),
        ("Join an archive of 60,000 expert features.", "a count of page furniture"),
        ("It teaches children aged between three and 18.", "an age"),
    ],
)
def test_rejected_with_a_reason(text: str, reason: str) -> None:
    found = scan(text)
    assert not [q for q in found if isinstance(q, Quantity)], found
    assert reason in {r.reason for r in found if isinstance(r, Rejection)}


def test_a_currency_sign_before_a_count_is_read_as_a_count_and_noted() -> None:
    found = scan("Approx. £2.3m initial contacts were made.")
    (count,) = [q for q in found if isinstance(q, Quantity)]
    assert (count.value, count.unit) == (Decimal(2300000), Unit.COUNT)
    assert [r.reason for r in found if isinstance(r, Rejection) and r.report] == [
        "a currency sign before a count, read as a count"
    ]
    (money,) = _quantities("Councils face a £1.6 billion children's services funding gap.")
    assert (money.value, money.unit) == (Decimal(1600000000), Unit.GBP)


def test_a_decimal_after_at_with_a_unit_is_not_a_time() -> None:
    (found,) = _quantities("The rate stood at 12.45% in March.")
    assert (found.value, found.unit) == (Decimal("12.45"), Unit.PERCENT)


def test_a_measured_range_of_weeks_is_kept() -> None:
    (found,) = _quantities("Care proceedings took between 40 and 45 weeks.")
    assert (found.low, found.high, found.unit) == (Decimal(40), Decimal(45), Unit.WEEK)


def test_up_to_with_a_bracketed_share_keeps_the_comparator() -> None:
    first, second = _quantities("Up to 75 (60%) trusts reported gaps.")
    assert (first.value, first.comparator, first.unit) == (Decimal(75), Comparator.AT_MOST, Unit.COUNT)
    assert (second.value, second.unit) == (Decimal(60), Unit.PERCENT)


# --------------------------------------------------------------------------- figures set off by dashes


def test_a_count_and_its_share_set_off_by_dashes_are_two_findings() -> None:
    text = "Returns from 140 councils showed 96 – 69 per cent – overspent, while 44 did not."
    ext = Extraction(Document(id="dashes", path=Path("dashes.txt"), text=text, sha256="0" * 64))
    findings.extract(ext)
    count, share = _finding(ext, "96"), _finding(ext, "69 per cent")
    assert (_value(ext, count), _local(ext, count, AK.unit)) == (Decimal(96), "Count")
    assert (_value(ext, share), _local(ext, share, AK.unit)) == (Decimal(69), "Percent")


def test_a_spaced_dash_between_two_figures_is_still_a_range() -> None:
    (found,) = _quantities("Between 20 - 30% of councils agreed.")
    assert (found.low, found.high) == (Decimal(20), Decimal(30))


# --------------------------------------------------------------------------- counts and levels as the genre writes them


@pytest.fixture(scope="module")
def update() -> Extraction:
    return _read(GENRE / "turnover_update.txt")


@pytest.mark.parametrize(
    ("expression", "after", "value", "unit", "measure", "construction"),
    [
        ("13", "shows that", "13", "Count", "appointment", "N of the M Xs"),
        ("11", "directors - ", "11", "Count", "interim appointment", "a count broken down: N from ..."),
        ("two", "council and ", "2", "Count", "interim appointment", "... and two from ..."),
        ("seven", "area - and ", "7", "Count", "interim appointment", "... and seven which ..."),
        ("112", "councils (", "112", "Count", "council", "a share's count in brackets"),
        ("40", "now ", "40", "Count", "twin hatter", "a count of a noun in quotes"),
        ("51", "Of the ", "51", "Count", "change recorded", "a noun of change counted"),
        ("116", "poll of ", "116", "Count", "department", "N of Place's M Xs"),
        ("nearly two thirds", "", "0.6667", "Ratio", "authority", "a share of the N Xs"),
        ("one per cent", "", "1", "Percent", "cash term reduction", "one per cent"),
        ("more than half a billion pounds", "", "500000000", "GBP", "council overspent", "half a billion pounds"),
        ("just over 3 million", "", "3000000", "Count", "initial contact", "stood at just over N"),
        ("71,800", "", "71800", "Count", "children subject to child protection enquiry", "compared with N"),
        ("10,745", "", "10745", "Count", "children subject to child protection enquiry", "the highest number in X - N"),
        ("10,013", "", "10013", "Count", "children subject to child protection enquiry", "followed by X with N"),
    ],
)
def test_counts_and_shares_as_the_genre_writes_them(
    update: Extraction, expression: str, after: str, value: str, unit: str, measure: str, construction: str
) -> None:
    found = _finding(update, expression, after)
    assert (_value(update, found), _local(update, found, AK.unit)) == (Decimal(value), unit), construction
    assert _measure(update, found) == measure, construction


@pytest.mark.parametrize(
    ("earlier", "later", "measure"),
    [("530", "530 to around 716", "children in care in county"), ("34.4%", "35.8%", "carer")],
)
def test_the_level_a_change_started_from_is_a_finding_of_its_own(
    update: Extraction, earlier: str, later: str, measure: str
) -> None:
    start, end = _finding(update, earlier), _finding(update, later)
    assert _value(update, end, AK.fromValue) == _value(update, start)
    assert (_local(update, start, AK.kind), _local(update, start, AK.direction)) == ("Level", "NoChange")
    assert (_local(update, end, AK.kind), _local(update, end, AK.direction)) == ("Level", "Increase")
    assert _measure(update, start) == _measure(update, end) == measure


def test_a_change_a_verb_of_sharp_change_states(update: Extraction) -> None:
    found = _finding(update, "more than 30 per cent")
    assert (_local(update, found, AK.kind), _local(update, found, AK.direction)) == ("Change", "Increase")


def test_every_number_of_the_update_is_read(update: Extraction) -> None:
    assert not [s for s in update.skipped if s.loader == findings.LOADER]


@pytest.mark.parametrize(
    ("expression", "after", "value", "unit", "kind", "measure", "construction"),
    [
        ("11,700", "from ", "11700", "Count", "Level", "section 47 enquiry", "the subject before a dashed aside"),
        ("69%", "", "69", "Percent", "Change", "section 47 enquiry", "- a rise of N%"),
        ("almost 2,400", "", "2400", "Count", "Change", "children placed on protection plan", "in the number of X"),
        ("18%", "risen ", "18", "Percent", "Change", "children looked after", "risen N% to M: no range"),
        ("8,177", "", "8177", "Count", "Level", "children looked after", "the level the change reached"),
        ("7,815", "", "7815", "Count", "Level", "children looked after", "on the same date: no measure"),
        ("4.6 per cent", "", "4.6", "Percent", "Change", "children looked after", "this represents"),
    ],
)
def test_changes_and_levels_as_the_genre_writes_them(
    update: Extraction, expression: str, after: str, value: str, unit: str, kind: str, measure: str, construction: str
) -> None:
    found = _finding(update, expression, after)
    assert (_value(update, found), _local(update, found, AK.unit)) == (Decimal(value), unit), construction
    assert (_local(update, found, AK.kind), _measure(update, found)) == (kind, measure), construction


@pytest.mark.parametrize(
    ("expression", "measure", "construction"),
    [
        ("87%", "council", "a share after a passive verb counts the noun after 'of', not the verb"),
        ("£40m", "investment", "a period ending the subject before the figure is no part of the measure"),
        ("3,000", "foster carer in county", "a period after the noun the figure counts is no part of the measure"),
        ("11", "DCS", "an acronym made plural is the acronym"),
    ],
)
def test_a_measure_is_the_noun_phrase_the_figure_counts(expression: str, measure: str, construction: str) -> None:
    ext = _read(DATA / "measure_phrases.txt")
    assert _measure(ext, _finding(ext, expression)) == measure, construction
