"""Quantities in English policy prose: pure parsing of numbers, units, comparators and periods.

:func:`scan` finds every numeric expression of a text and says, for each, either what quantity
it states (:class:`Quantity`: a value or a range, a :class:`Unit`, an optional
:class:`Comparator`, from/to values) or why it is not one (:class:`Rejection`: a date, a year, a
list number, an age, an identifier such as "Phase 5"...). :func:`direction_near` reads the
direction of change from the words around a quantity and :func:`find_period` the period it
refers to ("since 2008", "2007/8 to 2015/16", "by March 2025").

Conventions:

* Percentages keep the written number: "25%" is 25 in :attr:`Unit.PERCENT`; "1.2 percentage
  points" is 1.2 in :attr:`Unit.PERCENTAGE_POINT`.
* Money is in pounds: "£1.9 billion" is 1900000000 in :attr:`Unit.GBP`.
* :attr:`Unit.RATIO` is a dimensionless number: a proportion ("one in five" = 0.2, "a third" =
  0.3333, rounded to 4 places) or a multiplicative factor ("doubled" / "a doubling" / "twice" = 2,
  "tripled" = 3, "halved" = 0.5). A factor is kept as written rather than turned into a
  percentage change; its direction is an increase above 1 and a decrease below 1.
* A change "from 26,400 to more than 50,000", or "2.6 million in 2017/18, up from 1.4 million",
  keeps both figures (``from_value``, ``to_value``, and where the earlier is written, ``earlier``)
  and states the later one as its value; "half a billion pounds" is 500000000 in :attr:`Unit.GBP`; a
  range "between £4.1bn and £4.5bn" has ``low`` and ``high`` and no value. "25% or more" is
  :attr:`Comparator.AT_LEAST`.
* A number without a written unit is a count only when a noun follows it ("132 local
  authorities"); otherwise it is marked ``bare`` for the caller to decide from its context.
* Financial years run 1 April to 31 March: "2007/08" is 2007-04-01..2008-03-31.

All offsets are Python ``str`` indices into the text given to the function.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from .lexicon import words
from .text import plain_view as view


class Unit(Enum):
    """Units of a quantity; each value is the local name of the ``ak:Unit`` individual."""

    PERCENT = "Percent"
    PERCENTAGE_POINT = "PercentagePoint"
    GBP = "GBP"
    COUNT = "Count"
    HOUR = "Hour"
    DAY = "Day"
    WEEK = "Week"
    MONTH = "Month"
    YEAR = "Year"
    RATIO = "Ratio"


class Direction(Enum):
    """Direction of change stated with a quantity (local names of ``ak:Direction``)."""

    INCREASE = "Increase"
    DECREASE = "Decrease"
    NO_CHANGE = "NoChange"


class Comparator(Enum):
    """How the stated number bounds the real one (local names of ``ak:Comparator``)."""

    MORE_THAN = "MoreThan"
    LESS_THAN = "LessThan"
    APPROXIMATELY = "Approximately"
    AT_LEAST = "AtLeast"
    AT_MOST = "AtMost"


@dataclass(frozen=True)
class Quantity:
    """A numeric claim's number: a value (or a range) in a unit."""

    start: int
    end: int
    """Offsets of the numeric expression (number, currency sign, scale and unit words)."""
    unit: Unit
    value: Decimal | None
    """The value; ``None`` for a range."""
    low: Decimal | None = None
    high: Decimal | None = None
    comparator: Comparator | None = None
    from_value: Decimal | None = None
    to_value: Decimal | None = None
    direction: Direction | None = None
    """A direction the expression itself states ("doubled", "from 20 to 50"), if any."""
    noun_start: int | None = None
    """For a count read from the noun after it ("132 local authorities"): where that noun begins."""
    bare: bool = False
    """True when the unit was not written but inferred (a count from its context)."""
    earlier: tuple[int, int] | None = None
    """For a change stating where it started ("from 530 to 716", "34.9%, down from 37.8%"): the
    offsets of that earlier figure, ``from_value``."""


@dataclass(frozen=True)
class Rejection:
    """A number that is not a quantity; ``report`` is True when it may have been one."""

    start: int
    end: int
    reason: str
    report: bool = False


@dataclass(frozen=True)
class Period:
    """The period a quantity refers to, as written, and as dates when computable."""

    label: str
    start: int
    end: int
    first: date | None = None
    last: date | None = None


# --------------------------------------------------------------------------- words and numbers


def word_set(words: str) -> frozenset[str]:
    """The set of the space-separated ``words``."""
    return frozenset(words.split())


_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {
    "hundred": Decimal(100), "thousand": Decimal(1000), "k": Decimal(1000), "million": Decimal(10**6),
    "m": Decimal(10**6), "mn": Decimal(10**6), "billion": Decimal(10**9), "bn": Decimal(10**9),
    "trillion": Decimal(10**12), "tn": Decimal(10**12),
}  # fmt: skip
_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
              "fifths": 5, "sixth": 6, "tenth": 10, "tenths": 10}  # fmt: skip
_FACTORS = {"doubl": Decimal(2), "twice": Decimal(2), "tripl": Decimal(3), "trebl": Decimal(3),
            "quadrupl": Decimal(4), "halv": Decimal("0.5")}  # fmt: skip
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
MONTHS = frozenset(_MONTHS)
"""Month names and their abbreviations, lower case."""
_MONTH_NAME = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b"
_DAYS = {name.lower() for name in (*calendar.day_name, *calendar.day_abbr)}

_WORD_NUMBER = "|".join(sorted([*_SMALL, *_TENS], key=len, reverse=True))
_WORD_NUMBER_RE = rf"(?:{'|'.join(_TENS)})[- ](?:{'|'.join(k for k in _SMALL if 0 < _SMALL[k] < 10)})|{_WORD_NUMBER}"
_DIGITS_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_TEXT = re.compile(
    rf"(?P<digits>{_DIGITS_RE})|(?P<words>{_WORD_NUMBER_RE})|(?P<a>an?)(?=\s+(?:hundred|thousand|million|billion))",
    re.IGNORECASE,
)
_SCALE_TEXT = re.compile(r"[ \t]*(?P<word>hundred|thousand|million|billion|trillion)\b|(?P<abbr>bn|mn|tn|m|k)\b", re.I)

FUNCTION_WORDS = word_set(
    """a an the this that these those it its their our his her my your all any some each every both no
    of in on at to for from by with without into onto over under above below between among across
    since during until till before after within through throughout per via than as about around
    and or but nor so yet if when while whereas although though because whether where which who whom
    whose what how why is are was were be been being has have had do does did will would could should
    can may might must shall not also only just even still already now then there here more less most
    least fewer many much several such other another same up down out off further nearly almost we they
    i you he she them us me him
    approximately roughly some circa estimated additional extra new total overall"""
)
"""Words that never begin a counted noun phrase."""

_PEOPLE = word_set("children child people persons pupils babies adults young population those students")
IDENTIFIER_NOUNS = word_set(
    """grades phase phases wave waves round rounds tier section sections paragraph paragraphs page pages
    chapter chapters annex appendix part parts figure figures table tables recommendation
    recommendations question questions stage stages step steps item items version level levels
    grade article articles clause clauses schedule rule regulation standard principle no
    year years key"""
)
_FURNITURE = word_set(
    """words word page pages tel telephone phone fax mobile ref reference issue vol volume no number isbn
    edition version charity company registered item chapter date time posted updated published comments
    views likes shares"""
)
FURNITURE_COUNTS = words("furniture_counts")
COUNT_NOUNS = words("count_nouns")
"""Nouns that count people or events, never money (lexicon ``count_nouns``)."""
"""Nouns of counts that are page furniture ("12,000 subscribers"), from the lexicon of that name."""
_QUALIFIERS = word_set("first second third last next past previous coming top bottom final following")
_DEFINITE = word_set("the these those its their our his her my your no every each")


def parse_number(text: str) -> Decimal | None:
    """The value of a written number: digits with commas and decimals, number words, scales.

    >>> parse_number("1.9 billion"), parse_number("twenty-five"), parse_number("£2.6bn")
    (Decimal('1900000000'), Decimal('25'), Decimal('2600000000'))
    """
    body = text.strip().lstrip("£").strip()
    found = _NUMBER_TEXT.match(body)
    if not found:
        return None
    base = _number_value(found)
    rest = body[found.end() :]
    if not rest:
        return base
    scale = _SCALE_TEXT.fullmatch(rest)
    return tidy(base * _SCALES[(scale.group("word") or scale.group("abbr")).lower()]) if scale else None


def _number_value(found: re.Match[str]) -> Decimal:
    if found.group("digits"):
        return tidy(Decimal(found.group("digits").replace(",", "")))
    if found.group("a"):
        return Decimal(1)
    words = re.split(r"[- ]", found.group("words").lower())
    return Decimal(sum(_TENS.get(w, 0) + _SMALL.get(w, 0) for w in words))


def tidy(value: Decimal) -> Decimal:
    """``value`` without an exponent or trailing zeros (``1.9E+9`` -> ``1900000000``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return Decimal(format(value.normalize(), "f"))


# --------------------------------------------------------------------------- the scanner

_CANDIDATE_CORE = (
    rf"(?P<cur>£\s?|GBP\s?|[$€]\s?)?(?:(?P<digits>{_DIGITS_RE})"
    rf"|(?P<words>\b(?:{_WORD_NUMBER_RE}|an?(?=\s+(?:hundred|thousand|million|billion)\b))\b))"
)
_CANDIDATE = re.compile(rf"(?<![\w.,/:£$€-]){_CANDIDATE_CORE}", re.IGNORECASE)
_SECOND = re.compile(_CANDIDATE_CORE, re.IGNORECASE)
_FRACTION = re.compile(
    r"\b(?:(?P<num>a|an|one|two|three|four|nine)[\s-]+)?(?P<frac>half|halves|thirds?|quarters?|fifths?|sixth|tenths?)\b"
    r"(?!-)",
    re.IGNORECASE,
)
_FACTOR = re.compile(
    r"\b(?:(?P<stem>doubl|tripl|trebl|quadrupl)(?:ed|ing|e(?=\s+(?:the|that|what|its|their|in)\b))"
    r"|(?P<halv>halv)(?:ed|ing)|(?P<twice>twice)(?=\s+(?:as|the|that|what)\b))\b",
    re.IGNORECASE,
)
_RATIO = re.compile(
    rf"(?P<n>\d+|{_WORD_NUMBER_RE})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<d>\d+|{_WORD_NUMBER_RE})\b", re.I
)
_CAREER = re.compile(
    r"['’]?\s*(?:of\s+)?experience\b|\s+(?:as|at)\s+(?:an?\s+|the\s+)?(?:[A-Z]|director|chief|head|leader|president|chair"
    r"|assistant|deputy|manager)|\s+in\s+(?:post|the\s+(?:role|post|job|sector|public\s+sector|profession))\b"
)
"""After a number of years, words of someone's career ("20 years' experience", "three years as director",
"15 years at Birmingham City Council"): its length, not a measured duration."""
_CAREER_BEFORE = re.compile(
    r"\b(?:worked|working|served|serving|been)\b[^.;:\d]{0,50}\bfor\s+(?:over\s+|more\s+than\s+|almost\s+|nearly\s+)?$"
)
"""Before a number of years, "has worked in the public sector for ...": the length of a career."""
_LISTED_BEFORE = re.compile(rf"(?:\b(?:{_WORD_NUMBER_RE}|\d+)\s*,\s*)+(?:{_WORD_NUMBER_RE}|\d+)\s+or\s+$", re.I)
"""Numbers listed before the last one of a vague duration ("another one, two or three years")."""
_LISTED_AFTER = re.compile(
    rf"(?:\s*,\s*(?:{_WORD_NUMBER_RE}|\d+))*\s*,?\s+or\s+(?:{_WORD_NUMBER_RE}|\d+)\s+(?:years?|months?|weeks?|days?)\b",
    re.I,
)
"""Numbers listed before the last one of a vague duration ("one, two or three years")."""
_MONEY_NOUNS = word_set(
    "budget budgets funding cuts cut savings spending spend grant grants costs cost bill deficit gap"
)
"""Nouns of money, after a count noun ("£2m children's budget"): the sign is right."""
_OF_A_SCALE = re.compile(r"\s+(?:of\s+)?an?\s+(?P<scale>million|billion)\b(?P<pounds>\s+pounds\b)?", re.I)
"""A fraction's scale ("half a billion pounds", "a quarter of a million children")."""
_PERCENT = re.compile(r"[ \t]*(?:%|per\s?cent\b|percent\b|per-cent\b)(?!\s*points?\b)", re.I)
_POINTS = re.compile(r"[ \t]*(?:%\s?points?|percentage[- ]points?|per\s?cent(?:age)?\s+points?|pp\b|ppts?\b)", re.I)
_POUNDS = re.compile(r"\s(?:pounds|GBP)\b", re.I)
_TIME = re.compile(r"\s?-?(?P<unit>hours?|hrs?|days?|weeks?|months?|years?)\b(?!-)", re.I)
_TIMES = re.compile(r"\s+times\s+(?:more|as|higher|greater|larger|less|lower|the|over)\b", re.I)
_PER_POPULATION = re.compile(r"\s+per\s+(?:1|10|100|1,?000|10,?000|100,?000|hundred|thousand)\b(?![,.]\d)", re.I)
"""A rate per population written after its number ("52 per 10,000 children"): a count per so many."""
_TIME_UNITS = {"h": Unit.HOUR, "d": Unit.DAY, "w": Unit.WEEK, "m": Unit.MONTH, "y": Unit.YEAR}
_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    (r"(?:no|not)\s+(?:fewer|less)\s+than", Comparator.AT_LEAST),
    (r"at\s+least|a\s+minimum\s+of", Comparator.AT_LEAST),
    (r"(?:no|not)\s+more\s+than|at\s+most|up\s+to|a\s+maximum\s+of", Comparator.AT_MOST),
    (r"more\s+than|greater\s+than|higher\s+than|over|above|in\s+excess\s+of|upwards\s+of|just\s+over",
     Comparator.MORE_THAN),
    (r"less\s+than|fewer\s+than|lower\s+than|under|below|just\s+under", Comparator.LESS_THAN),
    (r"nearly|almost|around|about|approximately|approx\.?|roughly|some|circa|c\.|near|close\s+to|"
     r"in\s+the\s+region\s+of", Comparator.APPROXIMATELY),
)  # fmt: skip
_COMPARATOR_BEFORE = re.compile(
    r"(?:" + "|".join(f"(?P<c{i}>\\b{p})" for i, (p, _) in enumerate(_COMPARATORS)) + r")\s*(?:an?\s+)?$", re.I
)
_OR_MORE = re.compile(r"\s*(?:or|and)\s+(?P<w>more|over|above|higher|greater|less|fewer|under|below|lower)\b", re.I)
_PERIOD_GAP = re.compile(r"(?:\s+(?:in|at|during)\s+[^\s,;]+?)?(?=\s*(?:-|to|and)\s)")
"""A period written between the two numbers of a change ("from 40 weeks in 2012 to 31 weeks")."""
_JOIN = re.compile(r"\s*(?:-|to|and)\s*", re.I)


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: Decimal
    unit: Unit | None
    currency: str
    is_words: bool


class _Scanner:
    """One pass over a text: numbers become quantities or rejections, left to right."""

    def __init__(self, text: str) -> None:
        self.text = view(text)
        self.found: list[Quantity | Rejection] = []
        self.taken: list[tuple[int, int]] = []

    def run(self) -> list[Quantity | Rejection]:
        for pattern, reader in ((_FACTOR, self._factor), (_RATIO, self._ratio), (_FRACTION, self._fraction)):
            for match in pattern.finditer(self.text):
                if not self._overlaps(match.start(), match.end()):
                    reader(match)
        for match in _CANDIDATE.finditer(self.text):
            if not self._overlaps(match.start(), match.end()):
                self._candidate(match)
        return _earlier_values(self.text, sorted(self.found, key=lambda f: (f.start, f.end)))

    # -- bookkeeping
    def _overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.taken)

    def _add(self, found: Quantity | Rejection) -> None:
        self.found.append(found)
        self.taken.append((found.start, found.end))

    def _reject(self, start: int, end: int, reason: str, *, report: bool = False) -> None:
        self._add(Rejection(start, end, reason, report))

    # -- multiplicative and proportional words
    def _factor(self, match: re.Match[str]) -> None:
        key = (match.group("stem") or match.group("halv") or match.group("twice")).lower()
        factor = _FACTORS[key]
        if re.search(r"-\s*$", self.text[: match.start()]):
            return
        comparator = _comparator_before(self.text, match.start())
        direction = Direction.INCREASE if factor > 1 else Direction.DECREASE
        start = comparator[1] if comparator else match.start()
        self._add(Quantity(start, match.end(), Unit.RATIO, factor, comparator=comparator[0] if comparator else None,
                           direction=direction))  # fmt: skip

    def _ratio(self, match: re.Match[str]) -> None:
        num, den = parse_number(match.group("n")), parse_number(match.group("d"))
        if num is None or den is None or not 0 < num < den <= 1000 or _is_year_text(match.group("d")):
            return
        if _TIME.match(self.text, match.end()) or re.match(r"\s?(?:%|per\s?cent)", self.text[match.end() :], re.I):
            return
        if match.group("n").lower() == "one" and not re.match(
            r"\s+(?:in|out\s+of)\s+(?:every\s+)?\w+\s+[a-z]", self.text[match.start() + 3 :]
        ):
            return
        self._quantity(match.start(), match.end(), Unit.RATIO, round_ratio(num / den))

    def _fraction(self, match: re.Match[str]) -> None:
        before = self.text[: match.start()].lower()
        num_word, frac = (match.group("num") or "").lower(), match.group("frac").lower()
        if re.search(r"\b(?:first|second|last|latter|former|bottom|top|highest|lowest|the)\s+$", before):
            return
        after = self.text[match.end() :]
        hyphenated = "-" in match.group()
        if frac.startswith("quarter"):
            singular = num_word in ("a", "an") and bool(_COMPARATOR_BEFORE.search(before) or before.endswith("by "))
            accepted = hyphenated or singular or bool(re.match(r"\s+of\b", after))
        else:
            numeral = num_word not in ("", "a", "an")
            by_change = num_word in ("a", "an", "one") and before.endswith("by ")
            accepted = bool(re.match(r"\s+of\b", after) or _COMPARATOR_BEFORE.search(before)) or numeral or by_change
        if not accepted:
            return
        count = 1 if num_word in ("", "a", "an", "one") else int(_SMALL[num_word])
        value = round_ratio(Decimal(count) / Decimal(_FRACTIONS[frac]))
        scaled = _OF_A_SCALE.match(self.text, match.end())
        if scaled is not None:
            self._scaled_fraction(match.start(), scaled, value)
            return
        self._quantity(match.start(), match.end(), Unit.RATIO, value)

    def _scaled_fraction(self, start: int, scaled: re.Match[str], fraction: Decimal) -> None:
        """A fraction of a million or a billion ("more than half a billion pounds"): an amount of money
        with "pounds", else a count of the noun after it."""
        value = tidy(fraction * _SCALES[scaled.group("scale").lower()])
        end = scaled.end()
        unit, noun = (Unit.GBP, None) if scaled.group("pounds") else self._count_unit(end)
        if unit is None:
            self._reject(start, end, "a fraction of a million or billion of no stated unit", report=True)
            return
        comparator = _comparator_before(self.text, start)
        first, cmp = (comparator[1], comparator[0]) if comparator else (start, None)
        self._add(Quantity(first, end, unit, value, comparator=cmp, noun_start=noun))

    def _quantity(self, start: int, end: int, unit: Unit, value: Decimal) -> None:
        comparator = _comparator_before(self.text, start)
        if comparator:
            start = comparator[1]
        self._add(Quantity(start, end, unit, value, comparator=comparator[0] if comparator else None))

    # -- digits and number words
    def _candidate(self, match: re.Match[str]) -> None:
        reason = self._not_a_quantity(match)
        if reason:
            self._reject(match.start(), match.end(), reason)
            return
        first = self._number(match)
        if first is None:
            self._reject(match.start(), match.end(), "cannot read the number", report=True)
            return
        if first.currency and first.currency != "£":
            self._reject(
                first.start, first.end, f"currency {first.currency} is not a unit of the vocabulary", report=True
            )
            return
        self._combine(first)

    def _number(self, match: re.Match[str]) -> _Number | None:
        text = self.text
        end = match.end()
        cur = (match.group("cur") or "").strip()
        token = match.group("digits") or match.group("words")
        value = Decimal(1) if token.lower() in ("a", "an") else parse_number(token)
        if value is None:
            return None
        scale = _SCALE_TEXT.match(text, end)
        if scale and (scale.group("word") or text[end : end + 1].isalpha()) and not _letter_follows(text, scale.end()):
            value = tidy(value * _SCALES[(scale.group("word") or scale.group("abbr")).lower()])
            end = scale.end()
        unit, end = _unit_after(text, end, cur)
        return _Number(match.start(), end, value, unit, cur.upper().replace("GBP", "£"), bool(match.group("words")))

    def _combine(self, first: _Number) -> None:
        """A number alone, a range ("between 4.1 and 4.5", "20-30%") or a change ("from 90 to 393")."""
        text = self.text
        before = text[: first.start]
        opener = re.search(r"\b(?P<w>between|from)\s+(?:an?\s+average\s+of\s+|an?\s+)?$", before, re.I)
        gap = _PERIOD_GAP.match(text, first.end) if opener else None
        gap_end = gap.end() - first.end if gap else 0
        join_at = first.end + gap_end
        join = _JOIN.match(text, join_at)
        second = self._second_number(join.end()) if join else None
        if second and join and _dashed_aside(text, join, second[0]):
            second = None  # "113 - 75 per cent - spent more": the same figure another way, set off by dashes
        if second and not opener and _unlike_units(first, second[0]):
            second = None  # "risen 18% to 81,770": a change and the level it reached, no range
        if (
            second
            and join
            and (opener or join.group().strip() in ("-", "to"))
            and not (join.group().strip() == "and" and not (opener and opener.group("w").lower() == "between"))
        ):
            self._pair(first, second, opener.group("w").lower() if opener else "range")
            return
        self._single(first)

    def _second_number(self, at: int) -> tuple[_Number, Comparator | None] | None:
        comparator = None
        lead = re.match(
            r"(?:(?P<c>more than|over|almost|nearly|around|about|under|less than)\s+)?", self.text[at:], re.I
        )
        if lead and lead.group("c"):
            comparator = _comparator_before(self.text, at + lead.end())
            at += lead.end()
        match = _SECOND.match(self.text, at)
        if not match or self._not_a_quantity(match):
            return None
        number = self._number(match)
        return (number, comparator[0] if comparator else None) if number else None

    def _pair(self, first: _Number, second_and_cmp: tuple[_Number, Comparator | None], kind: str) -> None:
        second, comparator = second_and_cmp
        unit = second.unit or first.unit
        low = first.value
        if second.value >= Decimal(1000) * low and low < 1000 and not first.is_words and first.unit is None:
            low = tidy(low * _scale_of(second.value, low))
        start = first.start
        if first.currency and unit is None:
            unit = Unit.GBP
        noun = None
        end = second.end
        if unit is None and _TIMES.match(self.text, end):
            unit = Unit.RATIO
            end = self.text.index("times", end) + len("times")
        if unit is None:
            unit, noun = self._count_unit(end)
        if unit is None:
            unit = Unit.COUNT
        if kind == "from":
            direction = Direction.INCREASE if second.value > low else Direction.DECREASE if second.value < low else None
            self._add(Quantity(start, second.end, unit, second.value, comparator=comparator, from_value=low,
                               to_value=second.value, direction=direction, noun_start=noun,
                               bare=noun is None and unit is Unit.COUNT,
                               earlier=(first.start, first.end)))  # fmt: skip
            return
        if noun is None and unit is Unit.COUNT:
            self._reject(first.start, second.end, "a range of numbers without a unit", report=True)
            return
        if unit in _TIME_UNITS.values() and (
            (first.is_words and second.is_words) or _is_period_duration(self.text, first.start, second.end)
        ):
            self._reject(first.start, second.end, "a vague duration, not a measured one")
            return
        if low > second.value or (low == 0 and unit is Unit.COUNT):
            self._reject(first.start, second.end, "range is not increasing" if low else "age band", report=bool(low))
            return
        self._add(Quantity(start, end, unit, None, low=low, high=second.value, noun_start=noun))

    def _single(self, number: _Number) -> None:
        unit = number.unit
        end = number.end
        noun = None
        if unit is None and number.currency and self._counts_by_mistake(number):
            return
        if unit is None and number.currency:
            unit = Unit.GBP
        if unit is None and _TIMES.match(self.text, end):
            unit = Unit.RATIO
            end = self.text.index("times", end) + len("times")
        if unit is None and re.match(r"\s+(?:decades?|centur(?:y|ies)|quarters?)\b", self.text[end:], re.I):
            self._reject(number.start, end, "a period, not a measured duration")
            return
        per = _PER_POPULATION.match(self.text, end) if unit is None else None
        if per:
            unit, end = Unit.COUNT, per.end()
        if unit is None:
            unit, noun = self._count_unit(end)
        if unit is None and _LISTED_AFTER.match(self.text, end):
            self._reject(number.start, end, "a vague duration, not a measured one")
            return
        if unit is None:
            comparator = _comparator_before(self.text, number.start)
            start, cmp = (comparator[1], comparator[0]) if comparator else (number.start, None)
            self._add(Quantity(start, end, Unit.COUNT, number.value, comparator=cmp, bare=True))
            return
        if noun is not None and self._furniture_count(noun):
            self._reject(number.start, end, "a count of page furniture")
            return
        if unit in _TIME_UNITS.values() and _is_period_duration(self.text, number.start, end):
            self._reject(number.start, end, "a period, not a measured duration")
            return
        if unit in _TIME_UNITS.values() and (
            _CAREER.match(self.text, end) or _CAREER_BEFORE.search(self.text[: number.start])
        ):
            self._reject(number.start, end, "the length of a career, not a measured duration")
            return
        if unit in _TIME_UNITS.values() and _LISTED_BEFORE.search(self.text[: number.start]):
            self._reject(number.start, end, "a vague duration, not a measured one")
            return
        if number.is_words and unit is Unit.COUNT and _word_count_is_casual(self.text, number.start):
            self._reject(number.start, end, "number word used as a determiner")
            return
        comparator = _comparator_before(self.text, number.start)
        start = comparator[1] if comparator else number.start
        cmp = comparator[0] if comparator else None
        or_more = _OR_MORE.match(self.text, end)
        if or_more and cmp is None:
            more = or_more.group("w").lower() in ("more", "over", "above", "higher", "greater")
            cmp = Comparator.AT_LEAST if more else Comparator.AT_MOST
        self._add(Quantity(start, end, unit, number.value, comparator=cmp, noun_start=noun))

    def _count_unit(self, end: int) -> tuple[Unit | None, int | None]:
        """A count when a noun follows the number ("132 local authorities")."""
        word = re.match(r"(?:[ \t]*\([^()\n]{1,16}\))?\s+(?:(?:more|additional|extra|further|new|fewer|less)\s+)?"
                        r"[\"']?(?P<w>[A-Za-z][A-Za-z'-]*)", self.text[end:])  # fmt: skip
        if not word or ("-" in word.group("w") and word.group("w").lower().endswith(("old", "olds"))):
            return None, None
        w = word.group("w").lower()
        if w in FUNCTION_WORDS or w in _MONTHS or w in _DAYS or w in ("per", "times", "percent", "cent", "decades"):
            return None, None
        return Unit.COUNT, end + word.start("w")

    def _counts_by_mistake(self, number: _Number) -> bool:
        """A currency sign before a noun that counts people or events ("£2.3m initial contacts"): the
        page wrote the sign in error. The figure is read as a count, with a note saying so."""
        counted, noun = self._count_unit(number.end)
        if counted is None or noun is None:
            return False
        words = [w.group() for w in re.finditer(r"[A-Za-z]+(?:['’]s)?", self.text[noun : noun + 48])][:5]
        counts = any(w.lower() in COUNT_NOUNS for w in words[:2])  # "£2.3m initial contacts", not "children's"
        if not counts or any(w.lower() in _MONEY_NOUNS for w in words):
            return False  # "£2m children's services funding": money after all
        comparator = _comparator_before(self.text, number.start)
        start, cmp = (comparator[1], comparator[0]) if comparator else (number.start, None)
        self._add(Quantity(start, number.end, Unit.COUNT, number.value, comparator=cmp, noun_start=noun))
        self.found.append(Rejection(number.start, number.end, "a currency sign before a count, read as a count", True))
        return True

    def _furniture_count(self, noun_start: int) -> bool:
        """A count of page furniture ("12,000 subscribers", "354 articles", "60,000 expert features"), not
        of the genre's subjects."""
        noun = re.match(r"[A-Za-z]+(?:\s+(?P<second>[A-Za-z]+))?", self.text[noun_start:])
        return noun is not None and any(
            w is not None and w.lower() in FURNITURE_COUNTS for w in (noun.group().split()[0], noun.group("second"))
        )

    # -- what is not a quantity
    def _not_a_quantity(self, match: re.Match[str]) -> str | None:
        text, start, end = self.text, match.start(), match.end()
        before, after = text[:start], text[end:]
        token = match.group("digits") or match.group("words")
        for check in (
            _attached, _telephone, _time_of_day, _list_number, _date_part, _year, _identifier, _age, _reading_time,
            _address, _tag_count,
        ):  # fmt: skip
            reason = check(token, before, after, bool(match.group("cur")))
            if reason:
                return reason
        if match.group("words") and token.lower() == "one" and not _PERCENT.match(after):
            return "'one' as a pronoun or determiner"
        if re.search(r"\b(?:top|bottom|rank(?:ed)?|number|no\.)\s+$", before, re.I):
            return "a rank"
        return None


# -- rejection checks: (token, text before, text after, has currency) -> reason or None


def _attached(token: str, before: str, after: str, currency: bool) -> str | None:
    if re.match(r"(?:st|nd|rd|th)\b", after, re.I):
        return "an ordinal"
    if re.match(r"-(?:[a-z]+-)*(?:year|month|week|day|hour)s?-olds?\b", after, re.I):
        return "an age"
    if re.match(r"-(?!fold)[A-Za-z]", after) or re.match(r"s\b", after):
        return "part of a compound word" if not after.startswith("s") else "a decade or an age group"
    if re.match(r"[A-Za-z]", after) and not re.match(
        r"(?:bn|mn|tn|m|k|pp|ppts?|million|billion|thousand|trillion)\b", after, re.I
    ):
        return "a code or identifier"
    if re.match(r"[/:]\d", after) or re.search(r"[/:]$", before):
        return "a date, time or fraction written with digits"
    return None


def _telephone(token: str, before: str, after: str, currency: bool) -> str | None:
    if re.fullmatch(r"0\d{2,}", token) or re.search(r"\b0\d{2,}[ \t]+(?:\d+[ \t]+)?$", before):
        return "a telephone number"
    return None


def _time_of_day(token: str, before: str, after: str, currency: bool) -> str | None:
    if re.match(r"\s?(?:am|pm|a\.m\.|p\.m\.|hrs\b|h\b)", after, re.I):
        return "a time of day"
    clock = re.fullmatch(r"([01]?\d|2[0-3])[.:]([0-5]\d)", token)
    clock_before = re.search(r"\b(?:at|from|until|till|between|starts?|begins?|-)\s*$", before, re.I)
    if clock and clock_before and not currency:
        unit_after = re.match(r"\s?(?:%|per\b|percent|bn\b|m\b|million|billion|pp\b|percentage)", after, re.I)
        return None if unit_after else "a time of day"
    return None


def _list_number(token: str, before: str, after: str, currency: bool) -> str | None:
    line_start = re.search(r"(?:^|\n)[ \t>*•·-]*(?:\(?)$", before)
    if line_start and re.match(r"(?:\.\d+)*(?:[.)]\s|\s+[A-Z])", after + " ") and not currency:
        return "a list or section number"
    if re.search(r"\($", before) and re.match(r"\)", after) and re.search(r"(?:^|\n)\s*$", before[:-1]):
        return "a list number"
    return None


def _date_part(token: str, before: str, after: str, currency: bool) -> str | None:
    next_word = re.match(r"\s*(?:of\s+)?([A-Za-z]+)", after)
    prev_word = re.search(r"([A-Za-z]+)\.?,?\s*$", before)
    if next_word and next_word.group(1).lower() in _MONTHS and not currency and re.fullmatch(r"\d{1,2}", token):
        return "a day of a date"
    if re.match(rf"\s*-\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAME}", after, re.I) and re.fullmatch(r"\d{1,2}", token):
        return "a day of a date"
    if prev_word and prev_word.group(1).lower() in _MONTHS and re.fullmatch(r"\d{1,4}", token) and not currency:
        return "part of a date"
    return None


_UP_FROM = re.compile(
    r"[^.;:()]{0,100}?,?\s+(?P<w>up|down|rising|falling|increasing|decreasing|rose|fell|increased|decreased)"
    r"\s+from\s+(?:an?\s+)?(?:estimated\s+)?",
    re.I,
)


def _earlier_values(text: str, found: list[Quantity | Rejection]) -> list[Quantity | Rejection]:
    """Changes written as a figure and the one it moved from ("2.6 million contacts in 2017/18,
    up from 1.4 million in 2007/08"): the earlier figure becomes ``from_value`` of the later one
    rather than a quantity of its own."""
    out: list[Quantity | Rejection] = []
    for item in found:
        later = next((q for q in reversed(out) if isinstance(q, Quantity)), None)
        joined = (
            _UP_FROM.fullmatch(text, later.end, item.start)
            if isinstance(item, Quantity) and later is not None and later.from_value is None
            else None
        )
        if (
            joined is None
            or later is None
            or not isinstance(item, Quantity)
            or item.value is None
            or later.value is None
        ):
            out.append(item)
            continue
        if item.unit is not later.unit and not (item.bare and later.unit is Unit.COUNT):
            out.append(item)
            continue
        word = joined.group("w").lower()
        rising = word in ("up", "rising", "increasing", "rose", "increased")
        out[out.index(later)] = replace(
            later,
            from_value=item.value,
            to_value=later.value,
            direction=Direction.INCREASE if rising else Direction.DECREASE,
            earlier=(item.start, item.end),
        )
    return out


def _unlike_units(first: _Number, second: _Number) -> bool:
    """True when two numbers joined by "to" or a dash state different things: a share then a number
    without a sign ("18% to 81,770"), or a number in one unit then another."""
    if first.unit is not None and second.unit is not None:
        return first.unit is not second.unit
    return first.unit in (Unit.PERCENT, Unit.PERCENTAGE_POINT) and second.unit is None and not second.currency


def _dashed_aside(text: str, join: re.Match[str], second: _Number) -> bool:
    """A second number between spaced dashes after the first ("113 - 75 per cent - spent"): an aside,
    not the end of a range."""
    spaced = join.group().startswith((" ", "\t")) and join.group().strip() == "-"
    return spaced and bool(re.match(r"[ \t]+-[ \t]", text[second.end :]))


def _year(token: str, before: str, after: str, currency: bool) -> str | None:
    if currency or not _is_year_text(token):
        return None
    if re.match(r"\s?(?:%|per\s?cent|percent|bn|billion|million)", after, re.I):
        return None
    return "a year"


def _identifier(token: str, before: str, after: str, currency: bool) -> str | None:
    if currency:
        return None
    chained = re.search(r"(?:^|\W)([A-Za-z]+)\s+[\d,]+\s*(?:and|to|-|,|&)\s*$", before)
    if chained and _names_identifier(chained.group(1), initial=False):
        return "an identifier (a numbered phase, wave, section...)"
    prev = re.search(r"(?:^|(?P<lead>[.!?:;\n\"]\s*)|[^\w'])(?P<w>[A-Za-z][\w'&.]*)[ \t]*(?P<colon>:)?[ \t]*$", before)
    if not prev:
        return None
    if prev.group("colon") and prev.group("w").lower() in _FURNITURE:
        return "a label of page furniture"
    initial = prev.group("lead") is not None or prev.start("w") == 0
    if _names_identifier(prev.group("w").rstrip("."), initial=initial):
        return "an identifier (a numbered phase, wave, section...)"
    return None


def _names_identifier(word: str, *, initial: bool) -> bool:
    lower = re.sub(r"'s$", "", word.lower())
    if lower in IDENTIFIER_NOUNS:
        return True
    if initial or not word[:1].isupper() or word.lower().endswith("'s"):
        return False  # "England's 150 councils": a possessive counts what follows
    plain = lower not in FUNCTION_WORDS and lower not in _MONTHS and lower not in _COMPARATOR_WORDS
    return plain and lower not in _DIRECTION_WORDS


_STREET = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|Square|Road|Lane|Place|Avenue|Way|Close|Court|Row|Gardens|Terrace|Crescent"
    r"|Drive)\b"
)


def _address(token: str, before: str, after: str, currency: bool) -> str | None:
    """A street number ("18 Smith Square, London")."""
    return "a street number (an address)" if not currency and _STREET.match(after) else None


def _tag_count(token: str, before: str, after: str, currency: bool) -> str | None:
    """A count in a list of tags between capitalised tag words ("FUNDING 99 RESOURCES 34"): page furniture."""
    if not currency and re.search(r"\b[A-Z]{3,}\s+$", before) and re.match(r"\s+[A-Z]{3,}\b|\s*$", after):
        return "a count in a list of tags (page furniture)"
    return None


def _reading_time(token: str, before: str, after: str, currency: bool) -> str | None:
    """Page furniture giving the time a page takes to read ("4 minute read", "3 min read")."""
    if not currency and re.match(r"[\s-]*min(?:ute)?s?\.?[\s-]+read\b", after, re.I):
        return "a reading time (page furniture)"
    return None


def _age(token: str, before: str, after: str, currency: bool) -> str | None:
    if currency:
        return None
    if re.match(r"(?:\s*(?:-|to|and)\s*\d+)?[\s-]*(?:years?|yrs?|months?|weeks?)[\s-]*olds?\b", after, re.I):
        return "an age"
    if re.search(
        rf"\b(?:aged?|ages|birth\s+(?:up\s+)?to)\s+(?:(?:between|from)\s+)?(?:(?:\d+|{_WORD_NUMBER_RE})\s*(?:-|to|and)\s*)?$",
        before,
        re.I,
    ):
        return "an age"
    if re.match(r"\s+(?:and|or)\s+(?:over|under|above|older|younger)\b", after, re.I):
        return "an age"
    people_before = re.search(r"\b(\w+)\s+(?:under|over|above|below)\s+$", before, re.I)
    if people_before and people_before.group(1).lower() in _PEOPLE:
        return "an age"
    if re.search(r"\b(?:under|over)\s+$", before, re.I) and not re.match(
        r"\s?(?:%|per|bn|m\b|million|billion|[A-Za-z]+s\b)", after, re.I
    ):
        small = parse_number(token)
        if small is not None and small <= 25:
            return "an age"
    return None


def _letter_follows(text: str, at: int) -> bool:
    return at < len(text) and text[at].isalpha()


def _is_year_text(token: str) -> bool:
    return bool(re.fullmatch(r"(?:1[89]|20)\d{2}", token))


def _scale_of(high: Decimal, low: Decimal) -> Decimal:
    for factor in (Decimal(10**12), Decimal(10**9), Decimal(10**6), Decimal(1000)):
        if high >= factor and low * factor <= high * 10:
            return factor
    return Decimal(1)


def _unit_after(text: str, end: int, currency: str) -> tuple[Unit | None, int]:
    """The unit written right after a number, and where it ends."""
    pounds = None if currency else _POUNDS.match(text, end)
    for pattern, unit in ((_POINTS, Unit.PERCENTAGE_POINT), (_PERCENT, Unit.PERCENT)):
        found = pattern.match(text, end)
        if found:
            return unit, found.end()
    if pounds:
        return Unit.GBP, pounds.end()
    time = _TIME.match(text, end)
    if time and not currency:
        return _TIME_UNITS[time.group("unit")[0].lower()], time.end()
    fold = re.match(r"-?fold\b", text[end:], re.I)
    if fold:
        return Unit.RATIO, end + fold.end()
    return None, end


def _is_period_duration(text: str, start: int, end: int) -> bool:
    """True for "the last 12 months", "nine years ago", "two years' time", "a 26 week limit"."""
    comparator = _comparator_before(text, start)
    after = text[end:].lower()
    if re.search(r"\b(?:wait\w*|tak(?:e|es|ing)|took|last(?:s|ed|ing)|spen[dt]\w*|remain\w*)\s+(?:for\s+)?"
                 r"(?:over|more\s+than|up\s+to|under|less\s+than|nearly|almost|around|about|at\s+least)?\s*$",
                 text[:start], re.I):  # fmt: skip
        return False
    for before in {text[:start].lower(), text[: comparator[1] if comparator else start].lower()}:
        if re.search(r"\b(?:past|last|next|first|previous|coming|recent|following|final|over|in|within|for|"
                     r"during|after|before|each|every|to|the)\s+$", before):  # fmt: skip
            return True
    if re.match(
        r"'?s?\s*(?:ago|time|later|earlier|since|old|running|period|after|before|into)\b|\s*on\b(?!\s+\w)", after
    ):
        return True
    following = re.match(r"\s+([a-z]+)\b", after)
    return bool(following and following.group(1) not in FUNCTION_WORDS | {"longer", "shorter"})


def _word_count_is_casual(text: str, start: int) -> bool:
    """True for "the two schemes", "no two people", "the first three months": not a claim."""
    prev = re.search(r"(\w+)\s+$", text[:start])
    return bool(prev and (prev.group(1).lower() in _DEFINITE or prev.group(1).lower() in _QUALIFIERS))


def _comparator_before(text: str, start: int) -> tuple[Comparator, int] | None:
    """The comparator written just before ``start`` and where it begins."""
    found = _COMPARATOR_BEFORE.search(text[max(0, start - 40) : start])
    if not found:
        return None
    for i, (_, comparator) in enumerate(_COMPARATORS):
        if found.group(f"c{i}"):
            return comparator, max(0, start - 40) + found.start(f"c{i}")
    return None


def round_ratio(value: Decimal) -> Decimal:
    """A ratio rounded to 4 decimal places, without trailing zeros."""
    return tidy(value.quantize(Decimal("0.0001")))


def scan(text: str) -> list[Quantity | Rejection]:
    """Every numeric expression of ``text``, in order: what it states, or why it states nothing."""
    return _Scanner(text).run()


# --------------------------------------------------------------------------- direction

_INCREASE_WORDS = word_set(
    """increase increases increased increasing rise rises rose risen rising grow grows grew grown growth
    up more additional extra further higher uplift surge surged jump jumped climbed rocketed soared spiralled
    doubled trebled"""
)
_DECREASE_WORDS = word_set(
    """decrease decreases decreased decreasing fall falls fell fallen falling fewer less cut cuts reduce
    reduced reduces reducing reduction reductions decline declined declines declining drop drops dropped
    down lower loss shrunk shrank plummeted slumped halved"""
)
_PHRASAL = word_set("take takes took taking taken make makes made making set sets sum sums add adds adding")
_STABLE_WORDS = word_set("unchanged stable steady flat remained remains")
_DIRECTION_WORDS = _INCREASE_WORDS | _DECREASE_WORDS
_COMPARATOR_WORDS = word_set("over under more less fewer nearly almost around about approximately roughly")
_WORD = re.compile(r"[A-Za-z]+|[.,;:()\"!?]")


def direction_near(text: str, quantity: Quantity, *, clause_start: int = 0, clause_end: int | None = None) -> Direction:
    """The direction of change the words around ``quantity`` state (its own direction first).

    Reads up to four words after the expression ("25% increase", "12.6% fewer") and up to six
    words before it within the clause ("has fallen by", "an increase of"); "no change" and
    "stable" give :attr:`Direction.NO_CHANGE`, as does a plain level.
    """
    if quantity.direction is not None:
        return quantity.direction
    first = min(clause_start, quantity.start)
    last = max(len(text) if clause_end is None else clause_end, quantity.end)
    plain = view(text[first:last])
    q_start, q_end = quantity.start - first, quantity.end - first
    tail = _OR_MORE.match(plain, q_end)
    after = _WORD.findall(plain[tail.end() if tail else q_end :])[:4]
    after = after[: next((i for i, w in enumerate(after) if not w.isalpha()), len(after))]
    before = _WORD.findall(plain[clause_start - first : q_start])[-6:]
    cut = max((i for i, w in enumerate(before) if not w.isalpha()), default=-1)
    before = before[cut + 1 :]
    if re.search(r"\bno\s+change\b", plain, re.I):
        return Direction.NO_CHANGE
    for word in [w.lower() for w in after]:
        found = _word_direction(word)
        if found:
            return found
    lowered = [w.lower() for w in before]
    for i in range(len(lowered) - 1, -1, -1):
        if lowered[i] in ("more", "less", "fewer") and i + 1 < len(lowered) and lowered[i + 1] == "than":
            continue
        if lowered[i] == "up" and (
            lowered[i + 1 : i + 2] == ["to"] or (lowered[i - 1 : i] and lowered[i - 1] in _PHRASAL)
        ):
            continue
        found = _word_direction(lowered[i])
        if found:
            return found
    return Direction.NO_CHANGE


def states_no_change(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` says a figure did not change ("no change", "remained stable"),
    as opposed to stating a level without a direction."""
    plain = view(text[start:end]).lower()
    return bool(re.search(r"\bno\s+change\b", plain)) or any(w in _STABLE_WORDS for w in re.findall(r"[a-z]+", plain))


def _word_direction(word: str) -> Direction | None:
    if word in _INCREASE_WORDS:
        return Direction.INCREASE
    if word in _DECREASE_WORDS:
        return Direction.DECREASE
    if word in _STABLE_WORDS:
        return Direction.NO_CHANGE
    return None


# --------------------------------------------------------------------------- periods

_MONTH_RE = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR_RE = r"(?:19|20)\d{2}"
_FY_RE = rf"{_YEAR_RE}\s?/\s?(?:\d{{4}}|\d{{1,2}})\b"
_WHEN = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH_RE}(?:\s*-\s*{_MONTH_RE})?\s+{_YEAR_RE}"
    rf"|{_FY_RE}|{_YEAR_RE}(?![\d/%])(?!\s?per)"
)
_PERIODS: tuple[tuple[str, str], ...] = (
    ("between", rf"\bbetween\s+(?P<a>{_WHEN}|{_MONTH_RE})\s+and\s+(?P<b>{_WHEN})"),
    ("range", rf"\b(?:from\s+)?(?P<a>{_WHEN})\s*(?:to|-|until)\s*(?P<b>{_WHEN})"),
    ("since", rf"\bsince\s+(?:the\s+start\s+of\s+)?(?P<a>{_WHEN})"),
    ("from", rf"\b(?:from|starting\s+in|beginning\s+in)\s+(?P<a>{_WHEN})"),
    ("by", rf"\bby\s+(?:the\s+end\s+of\s+)?(?P<b>{_WHEN})"),
    ("previous", r"\b(?:on|than\s+in|than)\s+the\s+(?:previous|last|same|preceding)\s+(?:year|quarter|month|period)\b"
                 r"|\b(?:a|one)\s+(?:year|month|quarter)\s+(?:earlier|before|ago)\b"
                 r"|\b(?:last|this|next)\s+(?:year|month|quarter|week)\b"),
    ("compared", r"\bcompared\s+(?:to|with)\s+(?:the\s+)?(?:same|equivalent|previous|last|prior)\s+"
                 r"(?:\w+\s+){0,3}?(?:year|quarter|month|period)(?:\s+in\s+(?:19|20)\d{2})?"),
    ("in", rf"\b(?:in|during|for|as\s+at|at\s+the\s+end\s+of|at|of)\s+(?:the\s+)?(?:financial\s+year\s+)?"
           rf"(?P<ab>{_WHEN})"),
    ("ending", rf"\b(?:in\s+)?the\s+(?:year|12\s+months|twelve\s+months|quarter|period)\s+(?:to|ending)\s+"
               rf"(?P<b>{_WHEN})"),
    ("span", rf"\b(?:in|over|within|during)\s+(?:the\s+(?:last|past|previous|next)\s+)?(?:\d+|{_WORD_NUMBER_RE})\s+"
             r"(?:years?|months?|weeks?|decades?)\b"),
    ("relative", r"\b(?:over|in|during|within|for)\s+(?:the\s+|each\s+of\s+the\s+)?(?:past|last|previous|next|coming|"
                 r"same|recent)\s+(?:\w+\s+)?(?:years?|months?|weeks?|decades?|period|quarter|year)\b"),
)  # fmt: skip
_PERIOD_RES = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in _PERIODS)


def periods_in(text: str, start: int = 0, end: int | None = None) -> list[Period]:
    """Every period expression of ``text[start:end]`` (longest first where they overlap), in order."""
    stop = len(text) if end is None else end
    plain = view(text[start:stop])
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PERIOD_RES:
        for match in pattern.finditer(plain):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(_period(kind, match, text[start + match.start() : start + match.end()], start))
    return sorted(found, key=lambda p: p.start)


def _period(kind: str, match: re.Match[str], label: str, offset: int) -> Period:
    """The period ``match`` (found ``offset`` characters into the text) states."""
    first = last = None
    groups = match.groupdict()
    if kind == "between" and groups.get("a") and re.fullmatch(_MONTH_RE, groups["a"], re.I):
        year = re.search(_YEAR_RE, groups["b"] or "")
        first = _bounds(f"{groups['a']} {year.group()}")[0] if year else None
        last = _bounds(groups["b"])[1]
    elif kind not in ("relative", "compared", "span", "previous"):
        a, b, ab = groups.get("a"), groups.get("b"), groups.get("ab")
        opening, closing = a or ab, b or ab
        first = _bounds(opening)[0] if opening else None
        last = _bounds(closing)[1] if closing else None
    return Period(label, offset + match.start(), offset + match.end(), first, last)


def _bounds(when: str) -> tuple[date | None, date | None]:
    """First and last day of a written date, month, quarter, year or financial year."""
    when = when.strip()
    fy = re.fullmatch(rf"({_YEAR_RE})\s?/\s?(\d{{1,4}})", when)
    if fy:
        begin = int(fy.group(1))
        return date(begin, 4, 1), date(begin + 1, 3, 31)
    year = re.search(_YEAR_RE, when)
    if not year:
        return None, None
    y = int(year.group())
    months = [_MONTHS[m.lower().rstrip(".")] for m in re.findall(_MONTH_RE, when, re.I)]
    day = re.match(r"(\d{1,2})(?:st|nd|rd|th)?\s", when)
    if not months:
        return date(y, 1, 1), date(y, 12, 31)
    if day and len(months) == 1:
        try:
            single = date(y, months[0], int(day.group(1)))
        except ValueError:
            return None, None
        return single, single
    return date(y, months[0], 1), date(y, months[-1], calendar.monthrange(y, months[-1])[1])


def find_period(
    text: str, quantity: Quantity, *, clause_start: int, clause_end: int, sentence_start: int
) -> Period | None:
    """The period ``quantity`` refers to: the nearest one in its clause (after it first), else one
    that opens its sentence ("Since 2014, we have seen a near doubling...")."""
    inside = [p for p in periods_in(text, clause_start, clause_end) if not _within(p, quantity)]
    after = [p for p in inside if p.start >= quantity.end]
    if quantity.from_value is not None:
        pair = [p for p in periods_in(text, quantity.start, quantity.end) if p.first or p.last]
        if len(pair) == 1 and after and after[0].start - quantity.end < 30:
            return Period(f"{_when_text(pair[0].label)} to {_when_text(after[0].label)}", pair[0].start,
                          after[0].end, pair[0].first, after[0].last)  # fmt: skip
    if after:
        return after[0]
    before = [p for p in inside if p.end <= quantity.start]
    if before:
        return before[-1]
    opening = periods_in(text, sentence_start, quantity.start)
    if opening and not view(text[sentence_start : opening[0].start]).strip(" \"'(-"):
        return opening[0]
    return None


def _within(period: Period, quantity: Quantity) -> bool:
    return quantity.start <= period.start and period.end <= quantity.end


def _when_text(label: str) -> str:
    return re.sub(r"^(?:in|during|for|at|as at|of)\s+", "", label, flags=re.I)
