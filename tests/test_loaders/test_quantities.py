"""Parsing quantities: numbers, units, comparators, ranges, non-quantities, directions, periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loaders.quantities import (
    Comparator,
    Direction,
    Quantity,
    Rejection,
    Unit,
    direction_near,
    find_period,
    parse_number,
    periods_in,
    scan,
    tidy,
    view,
)


def quantities(text: str) -> list[Quantity]:
    return [q for q in scan(text) if isinstance(q, Quantity)]


def only(text: str) -> Quantity:
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("7", "7"),
        ("26,400", "26400"),
        ("1,250,000", "1250000"),
        ("16.3", "16.3"),
        ("1.9 billion", "1900000000"),
        ("£2.6bn", "2600000000"),
        ("1.74million", "1740000"),
        ("3 million", "3000000"),
        ("45k", "45000"),
        ("£20m", "20000000"),
        ("four", "4"),
        ("twelve", "12"),
        ("twenty", "20"),
        ("twenty-five", "25"),
        ("a hundred", "100"),
        ("four million", "4000000"),
        ("two thousand", "2000"),
    ],
)
def test_parse_number(written: str, value: str) -> None:
    assert parse_number(written) == Decimal(value)


@pytest.mark.parametrize("written", ["", "lots", "1.9 gazillion", "many thousands"])
def test_parse_number_refuses_what_is_not_a_number(written: str) -> None:
    assert parse_number(written) is None


def test_tidy_removes_exponent_and_trailing_zeros() -> None:
    assert str(tidy(Decimal("1.9E+9"))) == "1900000000"
    assert str(tidy(Decimal("12.50"))) == "12.5"


@pytest.mark.parametrize(
    ("sentence", "expression", "value", "unit"),
    [
        ("Referrals rose by 14% last year.", "14%", "14", Unit.PERCENT),
        ("Demand grew by 31 per cent in the region.", "31 per cent", "31", Unit.PERCENT),
        ("Spending fell 7 percent overall.", "7 percent", "7", Unit.PERCENT),
        ("Timeliness fell by 3.4 percentage points.", "3.4 percentage points", "3.4", Unit.PERCENTAGE_POINT),
        ("A 2 percentage point drop in attendance was seen.", "2 percentage point", "2", Unit.PERCENTAGE_POINT),
        ("Absence rose by 0.8pp among pupils.", "0.8pp", "0.8", Unit.PERCENTAGE_POINT),
        ("Councils face a £640 million shortfall.", "£640 million", "640000000", Unit.GBP),
        ("The grant is worth £15bn to councils.", "£15bn", "15000000000", Unit.GBP),
        ("Each place costs 4,500 pounds a week.", "4,500 pounds", "4500", Unit.GBP),
        ("Staff spent 11 hours on each case.", "11 hours", "11", Unit.HOUR),
        ("Proceedings took 43 weeks on average.", "43 weeks", "43", Unit.WEEK),
        ("A review takes 30 days to complete.", "30 days", "30", Unit.DAY),
        ("Families waited 9 months for a place.", "9 months", "9", Unit.MONTH),
        ("The average wait was 2 years for adopters.", "2 years", "2", Unit.YEAR),
        ("There are 317 children's homes in the county.", "317", "317", Unit.COUNT),
        ("Some 8,210 foster carers responded.", "Some 8,210", "8210", Unit.COUNT),
        ("Eleven councils took part.", "Eleven", "11", Unit.COUNT),
        ("Nearly three million pupils were affected.", "Nearly three million", "3000000", Unit.COUNT),
        ("Almost a million children live in poverty.", "Almost a million", "1000000", Unit.COUNT),
        ("One in four families needed help.", "One in four", "0.25", Unit.RATIO),
        ("Around 2 in 3 leaders agreed.", "Around 2 in 3", "0.6667", Unit.RATIO),
        ("A third of councils overspent.", "A third", "0.3333", Unit.RATIO),
        ("More than half of leaders agreed.", "More than half", "0.5", Unit.RATIO),
        ("Two thirds of referrals came from police.", "Two thirds", "0.6667", Unit.RATIO),
        ("Nine out of 10 leaders agreed.", "Nine out of 10", "0.9", Unit.RATIO),
        ("Three-quarters of councils had waiting lists.", "Three-quarters", "0.75", Unit.RATIO),
        ("One-third had closed their centres.", "One-third", "0.3333", Unit.RATIO),
        ("Costs have seen a 3-fold rise.", "3-fold", "3", Unit.RATIO),
        ("Staff are paid £11.50 per hour.", "£11.50", "11.5", Unit.GBP),
        ("Placements have doubled in cost.", "doubled", "2", Unit.RATIO),
        ("We saw a doubling of exclusions.", "doubling", "2", Unit.RATIO),
        ("Costs have tripled since then.", "tripled", "3", Unit.RATIO),
        ("Grant funding has halved.", "halved", "0.5", Unit.RATIO),
        ("There are twice as many cases.", "twice", "2", Unit.RATIO),
        ("Boys are three times more likely to be excluded.", "three times", "3", Unit.RATIO),
    ],
)
def test_value_and_unit(sentence: str, expression: str, value: str, unit: Unit) -> None:
    found = only(sentence)
    assert sentence[found.start : found.end] == expression
    assert (found.value, found.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("sentence", "comparator"),
    [
        ("More than 600 schools replied.", Comparator.MORE_THAN),
        ("Over 40% of staff left.", Comparator.MORE_THAN),
        ("In excess of £3 million was spent.", Comparator.MORE_THAN),
        ("Less than 5% of pupils were absent.", Comparator.LESS_THAN),
        ("Under 30% of places were filled.", Comparator.LESS_THAN),
        ("Nearly 70% of leaders were worried.", Comparator.APPROXIMATELY),
        ("Almost 2,000 cases were open.", Comparator.APPROXIMATELY),
        ("Around £5 million was found.", Comparator.APPROXIMATELY),
        ("At least 45 councils overspent.", Comparator.AT_LEAST),
        ("Cuts of 10% or more are planned.", Comparator.AT_LEAST),
        ("Up to 300 children were affected.", Comparator.AT_MOST),
        ("No more than 12 weeks should pass.", Comparator.AT_MOST),
    ],
)
def test_comparator(sentence: str, comparator: Comparator) -> None:
    assert only(sentence).comparator is comparator


def test_plain_number_has_no_comparator() -> None:
    assert only("There were 900 referrals.").comparator is None


@pytest.mark.parametrize(
    ("sentence", "low", "high", "unit"),
    [
        ("Councils need between £2.1 billion and £2.6 billion a year.", "2100000000", "2600000000", Unit.GBP),
        ("Councils need between £1.2 billion to £1.5 billion.", "1200000000", "1500000000", Unit.GBP),
        ("The gap is £3-4bn this year.", "3000000000", "4000000000", Unit.GBP),
        ("Between 20 and 25% of children are affected.", "20", "25", Unit.PERCENT),
        ("Some 30-40 homes closed.", "30", "40", Unit.COUNT),
    ],
)
def test_range(sentence: str, low: str, high: str, unit: Unit) -> None:
    found = only(sentence)
    assert (found.value, found.low, found.high, found.unit) == (None, Decimal(low), Decimal(high), unit)


def test_from_to_keeps_both_values_and_the_direction() -> None:
    found = only("Cases rose from 12,300 to more than 19,000 in five years.")
    assert (found.from_value, found.to_value, found.value) == (Decimal(12300), Decimal(19000), Decimal(19000))
    assert found.comparator is Comparator.MORE_THAN
    assert found.direction is Direction.INCREASE


def test_from_to_with_periods_between_the_numbers() -> None:
    found = only("Waits fell from 40 weeks in 2012 to 31 weeks in 2015.")
    assert (found.from_value, found.to_value, found.unit) == (Decimal(40), Decimal(31), Unit.WEEK)
    assert found.direction is Direction.DECREASE


@pytest.mark.parametrize(
    ("sentence", "value", "earlier", "direction"),
    [
        ("Councils recorded 612,000 referrals in 2021/22, up from 540,000 in 2016/17.", "612000", "540000",
         Direction.INCREASE),
        ("The overspend was £640 million last year, down from £710 million the year before.", "640000000",
         "710000000", Direction.DECREASE),
        ("Vacancy rates reached 17%, rising from 13% in 2017.", "17", "13", Direction.INCREASE),
        ("Some 270,000 children were still waiting for mental health support at the end of 2024, up from "
         "190,000 two years earlier.", "270000", "190000", Direction.INCREASE),
    ],
)  # fmt: skip
def test_figure_up_or_down_from_an_earlier_one_is_one_change(
    sentence: str, value: str, earlier: str, direction: Direction
) -> None:
    found = only(sentence)
    assert (found.value, found.from_value, found.to_value) == (Decimal(value), Decimal(earlier), Decimal(value))
    assert found.direction is direction


def test_earlier_figure_in_another_unit_stays_apart() -> None:
    assert len(quantities("Some 4,100 families were helped, up from 30% of those eligible.")) == 2


def test_from_then_and_is_not_a_change() -> None:
    values = [(q.value, q.from_value) for q in quantities("It rose from 21% in 2018, and 450 homes closed.")]
    assert values == [(Decimal(21), None), (Decimal(450), None)]


def test_fraction_after_by_is_a_proportional_change() -> None:
    found = only("Spending on youth services was cut by a half over the decade.")
    assert (found.value, found.unit) == (Decimal("0.5"), Unit.RATIO)


def test_range_of_times_is_a_ratio_ending_after_times() -> None:
    sentence = "Councils now pay three to four times as much for a placement."
    found = only(sentence)
    assert (found.low, found.high, found.unit) == (Decimal(3), Decimal(4), Unit.RATIO)
    assert sentence[found.start : found.end] == "three to four times"


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("The review was published in 2019.", "a year"),
        ("The conference opened on 14 March 2023.", "a day of a date"),
        ("Our 2018/19 budget was agreed.", "a date, time or fraction written with digits"),
        ("Doors open at 09:30 on Monday.", "a date, time or fraction written with digits"),
        ("The results of Phase 6 are due.", "an identifier (a numbered phase, wave, section...)"),
        ("Data come from Wave 3 of the survey.", "an identifier (a numbered phase, wave, section...)"),
        ("Performance against KPI 12 slipped.", "an identifier (a numbered phase, wave, section...)"),
        ("Support for under 25s is patchy.", "a decade or an age group"),
        ("Places for three-year-olds are scarce.", "an age"),
        ("Young people aged 17 need housing.", "an age"),
        ("Young people aged 10 to 17 offend less.", "an age"),
        ("Care leavers over 21 lose support.", "an age"),
        ("It was their 16th birthday.", "an ordinal"),
        ("Cases are in section 17b of the act.", "a code or identifier"),
        ("It is a 5-year plan for reform.", "part of a compound word"),
        ("We want one system for all.", "'one' as a pronoun or determiner"),
        ("They ranked in the top 10 councils.", "a rank"),
        ("Published 3 March 2025 | 4 minute read", "a reading time (page furniture)"),
        ("Blog post, 6 min read", "a reading time (page furniture)"),
    ],
)
def test_not_a_quantity(sentence: str, reason: str) -> None:
    assert quantities(sentence) == []
    assert reason in [r.reason for r in scan(sentence) if isinstance(r, Rejection)]


def test_numbers_inside_names_are_not_quantities() -> None:
    assert quantities("Cases linked to Covid-19 rose in the NCASC22 year.") == []


def test_list_numbers_are_not_quantities() -> None:
    text = "Our asks:\n1. Fund early help.\n2) Protect budgets.\n3.1. Review data."
    assert quantities(text) == []


def test_periods_in_words_are_not_lengths_of_time() -> None:
    assert quantities("Over the last 12 months demand rose. It began three years ago.") == []


def test_number_words_used_as_determiners_are_left_out() -> None:
    assert quantities("The two schemes differ, and no two councils agree.") == []


def test_quarters_as_periods_are_not_fractions() -> None:
    assert quantities("Demand rose over two quarters and in the last three quarters.") == []


def test_other_currency_is_reported() -> None:
    rejected = [r for r in scan("It cost $40 million to build.") if isinstance(r, Rejection)]
    assert rejected[0].report
    assert "currency" in rejected[0].reason


def test_number_without_unit_is_marked_bare() -> None:
    found = only("The average caseload was 17.2 in 2020.")
    assert found.bare
    assert found.value == Decimal("17.2")


def test_view_keeps_offsets() -> None:
    text = "“Costs – up 5%” see https://example.org/x"
    plain = view(text)
    assert len(plain) == len(text)
    assert plain.startswith('"Costs - up 5%"')
    assert "example" not in plain


@pytest.mark.parametrize(
    ("sentence", "direction"),
    [
        ("There was a 12% increase in referrals.", Direction.INCREASE),
        ("Referrals have risen by 9% since 2015.", Direction.INCREASE),
        ("Spending grew by £2 million.", Direction.INCREASE),
        ("An additional 4,000 children entered care.", Direction.INCREASE),
        ("We found 300 more children in need.", Direction.INCREASE),
        ("There were 8% fewer assessments.", Direction.DECREASE),
        ("A 6% reduction in budgets followed.", Direction.DECREASE),
        ("Funding was cut by 20%.", Direction.DECREASE),
        ("Numbers have fallen by 15 per cent.", Direction.DECREASE),
        ("The rate declined 2 percentage points.", Direction.DECREASE),
        ("There was no change in the 31% rate.", Direction.NO_CHANGE),
        ("Some 45% of staff are agency workers.", Direction.NO_CHANGE),
        ("Each meeting takes up 5 hours.", Direction.NO_CHANGE),
        ("Cuts of 10% or more are planned.", Direction.DECREASE),
    ],
)
def test_direction(sentence: str, direction: Direction) -> None:
    assert direction_near(sentence, only(sentence)) is direction


def test_direction_of_factor_words() -> None:
    assert direction_near("Costs have doubled.", only("Costs have doubled.")) is Direction.INCREASE
    assert direction_near("Grants have halved.", only("Grants have halved.")) is Direction.DECREASE


@pytest.mark.parametrize(
    ("sentence", "label", "first", "last"),
    [
        ("Demand rose 9% since 2011.", "since 2011", date(2011, 1, 1), None),
        ("A £2bn gap is expected by 2027.", "by 2027", None, date(2027, 12, 31)),
        ("A £2bn gap is expected by March 2027.", "by March 2027", None, date(2027, 3, 31)),
        ("Spending was £9bn in 2018/19.", "in 2018/19", date(2018, 4, 1), date(2019, 3, 31)),
        ("Costs rose 4% in 2021.", "in 2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("Costs rose 4% from 2012/13 to 2016/17.", "from 2012/13 to 2016/17", date(2012, 4, 1), date(2017, 3, 31)),
        ("Cases rose 7% between 2014 and 2019.", "between 2014 and 2019", date(2014, 1, 1), date(2019, 12, 31)),
        ("Contacts rose 3% between Jan-Mar 2016 and Jan-Mar 2018.", "between Jan-Mar 2016 and Jan-Mar 2018",
         date(2016, 1, 1), date(2018, 3, 31)),
        ("Contacts fell 2% between May and July 2021.", "between May and July 2021",
         date(2021, 5, 1), date(2021, 7, 31)),
        ("As at 31 March 2022, 400 children were in care.", "As at 31 March 2022",
         date(2022, 3, 31), date(2022, 3, 31)),
        ("Demand rose by 15% over the past decade.", "over the past decade", None, None),
        ("Orders fell 4% in the year to March 2022.", "in the year to March 2022", None, date(2022, 3, 31)),
        ("Costs have risen 40% in five years.", "in five years", None, None),
        ("The total was 12% higher than a year earlier.", "a year earlier", None, None),
        ("The grant falls to 60% per pupil from 2025/26.", "from 2025/26", date(2025, 4, 1), None),
        ("Fees rise 3% starting in April 2024.", "starting in April 2024", date(2024, 4, 1), None),
    ],
)  # fmt: skip
def test_period(sentence: str, label: str, first: date | None, last: date | None) -> None:
    found = only(sentence)
    period = find_period(sentence, found, clause_start=0, clause_end=len(sentence), sentence_start=0)
    assert period is not None
    assert (period.label, period.first, period.last) == (label, first, last)


def test_period_of_a_change_written_between_its_numbers() -> None:
    sentence = "Waits fell from 40 weeks in 2012 to 31 weeks in 2015."
    period = find_period(sentence, only(sentence), clause_start=0, clause_end=len(sentence), sentence_start=0)
    assert period is not None
    assert (period.label, period.first, period.last) == ("2012 to 2015", date(2012, 1, 1), date(2015, 12, 31))


def test_periods_in_lists_every_period_in_order() -> None:
    labels = [p.label for p in periods_in("Since 2010 funding fell; by 2025 it will fall in 2023/24.")]
    assert labels == ["Since 2010", "by 2025", "in 2023/24"]
