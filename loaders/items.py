"""Items: segmenting a document into the items it publishes, with their title, kind and date.

The first loader of a document. A page is either an archive (a sequence of items divided by
page furniture) or one article. Furniture is recognised by general patterns of the genre and
never becomes part of an item:

* **boundaries** divide items: tag boxes ("Tags assigned to this article:", "There are no tags
  assigned to this article!", "Tags: ..."), "Related (Articles/posts/news)", "Share this:",
  previous/next and back-to links, and the "Read more" or "Continue reading" link that ends an
  entry of an archive list;
* **end-of-body markers** close an item; everything after them up to the next boundary is
  furniture: "ENDS", "Notes to editors:", comment forms ("COMMENTS can be added here", "Leave a
  reply", "You are commenting using your ... account", "This site uses Akismet"...), "Like this:";
* **leading furniture** before a title: event widgets ("Next Upcoming Event" and the dates
  under it, which are the event's dates, not the item's), advert strips (sponsor names run
  together, "ServicesAlphabiolabsHousing"), breadcrumbs, navigation and sharing links, menus
  (three or more short links divided by bars or runs of spaces) and the site name printed
  above one, and section labels printed alone ("News", "Blog", "Press release");
* **trailing furniture** at the end of an item: link buttons ("View response", "Read the
  discussion paper"), word counts ("Words: 781"), navigation and sharing links.

An archive that prints no boundary between its entries is divided before each one-line heading
that follows a blank line and has a dateline under it (bylines and section labels between), and
a listing before each heading that ends in its own date and clock time ("Council warns of a
winter crisis09/07/2031 09:20:00": the heading is the entry's title, the time its date).
When no boundary is found the document is one item; text between boundaries that is all
furniture is skipped. An item starts with its title: its first block (lines not divided by a
blank line; a dateline or a byline is a block of its own), after any datelines and bylines,
when that block looks like a heading (at most three lines, not ending a sentence, or a teaser
cut with "..."); titles are kept as written. An item whose first block is a sentence has no
title (and a skip note).

Kind (``ak:kind``), from the first cue found, in this order:

1. the title: "Press release"/"PR -" -> PressRelease; "Comment:", "Comment on", "ADCS comment",
   "statement on" -> Comment; "response", "responds", "submission" -> Response; "speech",
   "keynote", "presidential/inaugural/written address", "address to/at" -> Speech; "blog",
   "column" -> Blog; "commentary", "Recommendations for policy-makers" -> ReportCommentary;
   "research", "findings", "summary", "phase N" -> ReportSummary; then a section label above
   the title ("Blog", "Press release", "Speech", "Statement"...);
2. the form of the item: a closing "This column first appeared..." note or a closing sign-off
   with the author's post ("Jo Bloggs, ADCS President 21/22") -> Blog; a "Notes to editors"
   section -> PressRelease;
3. the lead (the two blocks after the title, up to its first quotation), earliest cue first:
   "Commenting on" -> Comment; "Responding to", "responds to", "response to", "submission
   to/from" -> Response; "made ... speech", "speech made/delivered on", "'s speech/address
   to", "Addressing delegates" -> Speech; "blog" -> Blog; "commentary" -> ReportCommentary; a
   report, survey or figures published, launched, found or cited ("according to new figures")
   -> ReportSummary when ADCS is in that sentence, NewsArticle when only another body is;
4. a lead that introduces a quotation ("Jenny Coles, ADCS President, said:") or is one ->
   Comment;
5. otherwise OtherItem.

A Response becomes a ConsultationResponse when its title or lead names a consultation, a call
for evidence, a submission or an engagement exercise.

Dates (``ak:date``) are taken only where the item states its own date: a dateline (a line
holding only a date, before the title or between it and the body, or anywhere when labelled
"Published", "Posted", "Date published"...; a byline with its date, "By Jo Doe, 3 June 2031"; a
reporter's name alone over or under a dateline is a byline), a date closing a one-line title after
a dash or in brackets, a dateline opening the body ("Anyshire, 3 June 2031 – ..."), "today, <date>"
in the lead, the date of the speech in a speech's lead ("made his keynote speech ... on 7 July
2022", "address to the conference - 8 July 2021"), and "This column first appeared ... on <date>".
Other dates in the text ("data 2022", "since 2014", "As at 31 March 2020") are facts of the story,
not the item's date. Forms read: "7 July 2022", "7th July 2022", "Thursday 22 April 2021", "July 7,
2022", "07/07/2022" (day first), "25 / 07 / 2022", "07.07.2022", "2022-07-07" (with a time after "T" too), "Wed, 02
Nov 22 10:00" and "Wed, 02 Nov 2022 21:42:10 +0000"; a two-digit year after a month only with a
weekday or on a dateline ("27 Aug 22"); a month and year without a day is not a date. Conflicting
cues, an impossible date or a weekday that does not agree leave the date out (with a skip note).
Dates of event widgets ("Next Upcoming Event" over "Wed, 06 Jul 22 11:59") are furniture.

In a newest-first archive, dates are then derived (``ak:dateInferred true`` with
``ak:evidence`` to the items used): a written day and month without a year ("today, Thursday
22 April") take the one year that fits between the dated items around it (with one neighbour
only, the year within a year of it whose weekday agrees); an undated item between two items of
the same date takes that date. A day written with its weekday and no year that no neighbours
place takes the one year the item's own text writes on which that weekday falls ("today,
Wednesday 24 September" in a comment on "the 2031 review"): read from the item, not inferred.
Otherwise the item stays undated and a skip note gives the bounds. When the stated dates are not
newest first nothing is derived.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from itertools import pairwise

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK, resource

from .extraction import Extraction, ItemRecord
from .lexicon import table
from .people import parse_name
from .text import EMBARGO, Line, TextLayer, any_of, is_furniture_line, is_navigation

LOADER = "items"

# --------------------------------------------------------------------------------------------
# Blocks of the text layer's lines


@dataclass(frozen=True)
class Block:
    """Consecutive non-blank lines, not divided by a blank line."""

    lines: tuple[Line, ...]

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


def _blocks(layer: TextLayer, lines: Sequence[Line]) -> list[Block]:
    """Group lines into blocks; a dateline or byline is always a block of its own."""
    blocks: list[list[Line]] = []
    for line in lines:
        joined = (
            blocks
            and layer.text.count("\n", blocks[-1][-1].end, line.start) < 2
            and not _is_head_line(layer, line)
            and not _is_head_line(layer, blocks[-1][-1])
        )
        if joined:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return [Block(tuple(b)) for b in blocks]


# --------------------------------------------------------------------------------------------
# Furniture


class Furniture(Enum):
    """What a line of page furniture does to the items around it."""

    BOUNDARY = "boundary"
    END_OF_BODY = "end of body"
    NOTES_TO_EDITORS = "notes to editors"


_BOUNDARY = any_of(
    r"tags assigned to this (?:article|page|post):?",
    r"there are no tags assigned to this (?:article|page|post)!?",
    r"tags?:(?:\s.{0,200})?",
    r"related(?: articles| posts| news| stories| content| links| items)?(?::\s.{0,200})?",
    r"share (?:this|this article|this page|this post|on \w+)(?::|\s*$|[:\s][^.!?]{0,200})",
    r"(?:previous|next) (?:article|post|story|item)",
    r"back to (?:top|news|all news)",
    r"(?:read more|continue reading|read (?:the )?full (?:story|article|post))\s*[.…»›>]*",
)
_END_OF_BODY = any_of(r"[-–—#*\s]*ends[-–—#*\s]*", r"like this:?", r"(?:like\s+)?loading\.\.\.")
_NOTES_TO_EDITORS = any_of(r"notes? (?:to|for) editors?:?", r"editors?['’]? notes?:?")
_COMMENT_FORM = re.compile(
    r"comments? can be added here|leave a (?:comment|reply)|fill in your details below"
    r"|you are commenting using|this site uses akismet|comments are closed|post a comment"
    r"|add (?:a|your) comment|log in to (?:post|leave) a comment|\d+ comments?$",
    re.IGNORECASE,
)
_EVENT_WIDGET = any_of(
    r"(?:next )?(?:upcoming|forthcoming|featured) events?", r"next event", r"events? calendar", r"what['’]s on"
)
_LINK_BUTTON = any_of(
    r"(?:view|read|download|watch|listen to)(?: the| our| full| written)?(?: [^\s.!?:]+){0,4}",
    r"words?:\s*\d[\d,]*",
)


def _furniture(line: str) -> Furniture | None:
    if _BOUNDARY.fullmatch(line):
        return Furniture.BOUNDARY
    if _NOTES_TO_EDITORS.fullmatch(line):
        return Furniture.NOTES_TO_EDITORS
    if _END_OF_BODY.fullmatch(line) or _COMMENT_FORM.match(line):
        return Furniture.END_OF_BODY
    return None


@dataclass(frozen=True)
class Segment:
    """The lines between two boundaries that are not end-of-body furniture."""

    lines: tuple[Line, ...]
    notes_to_editors: bool


def segments(lines: Sequence[Line]) -> list[Segment]:
    """Divide a text's ``lines`` at boundary furniture, dropping what follows an end-of-body marker."""
    result: list[Segment] = []
    current: list[Line] = []
    in_tail = notes = False
    for line in lines:
        furniture = _furniture(line.text)
        if furniture is Furniture.BOUNDARY:
            result.append(Segment(tuple(current), notes))
            current, in_tail, notes = [], False, False
        elif furniture is not None:
            in_tail = True
            notes = notes or furniture is Furniture.NOTES_TO_EDITORS
        elif not in_tail:
            current.append(line)
    result.append(Segment(tuple(current), notes))
    return [s for s in result if s.lines]


# --------------------------------------------------------------------------------------------
# Written dates

MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:[+-]\d{4}|GMT|BST|UTC)(?!\w))?)"
"""A clock time after a date: "10:00", "11.00 am", "at 09:20:00", "21:42:10 +0000"."""
_DATE_FORMS = (
    re.compile(
        rf"(?<![\w/])(?:(?P<wd>{_WEEKDAY})\.?,?\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
        rf"(?P<m>{_MONTH})(?![a-z])\.?(?:,?\s+(?P<y>\d{{4}}|\d{{2}})(?![\d:/])(?P<t>{_TIME})?)?"
    ),
    re.compile(
        rf"(?<![\w/])(?:(?P<wd>{_WEEKDAY})\.?,?\s+)?(?P<m>{_MONTH})(?![a-z])\.?\s+(?P<d>[0-3]?\d)"
        rf"(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)(?P<t>{_TIME})?"
    ),
    # day first; run on after a word when a clock time follows ("... warns09/07/2031 09:20:00")
    re.compile(
        rf"(?:(?<![\w/.])|(?<=[A-Za-z])(?=\d{{1,2}}/\d{{1,2}}/\d{{4}}\s+\d{{1,2}}:\d{{2}}))"
        rf"(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>\d{{4}}|\d{{2}})(?![\w/])(?P<t>{_TIME})?"
    ),
    re.compile(r"(?<![\w/])(?P<d>[0-3]?\d) / (?P<m>[01]?\d) / (?P<y>\d{4})(?![\w/])"),  # "25 / 07 / 2031"
    re.compile(r"(?<![\w.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>\d{4})(?![\w.])"),
    re.compile(
        r"(?<![\w-])(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w-])"
    ),
    re.compile(rf"(?<![\w/])(?P<m>{_MONTH})(?![a-z])\.?\s+(?P<y>\d{{4}})(?!\d)"),
)


@dataclass(frozen=True)
class WrittenDate:
    """A date as written: ``value`` when it names one day; a day and month, or month and year,
    otherwise; ``problem`` says why a complete-looking date is not one."""

    start: int
    end: int
    day: int | None
    month: int
    year: int | None
    weekday: int | None
    value: date | None
    problem: str | None = None

    @property
    def partial(self) -> bool:
        """A day and month without a year (the year may be derived)."""
        return self.day is not None and self.year is None and self.problem is None


def _month_number(written: str) -> int:
    return int(written) if written.isdigit() else _MONTHS[written.lower().rstrip(".")]


def _year_number(written: str) -> int:
    return int(written) + 2000 if len(written) == 2 else int(written)


def _written_date(match: re.Match[str], short_year: bool = False) -> WrittenDate:
    """The date ``match`` reads; a two-digit year after a month counts only with a weekday, a
    clock time or ``short_year`` (a line holding only the date: "27 Aug 31")."""
    groups = match.groupdict()
    weekday = _WEEKDAYS[groups["wd"][:3].lower()] if groups.get("wd") else None
    day = int(groups["d"]) if groups.get("d") else None
    month = _month_number(groups["m"])
    end = match.end()
    year_text = groups.get("y")
    if year_text and len(year_text) == 2 and weekday is None and "/" not in match.group() and not short_year:
        year_text, end = None, match.end("m")  # "22 April 20 children": not a year
    year = _year_number(year_text) if year_text else None
    value: date | None = None
    problem: str | None = None
    if day is not None and year is not None:
        try:
            value = date(year, month, day)
        except ValueError:
            problem = f"{match.group()!r} is not a valid date"
    if value is not None and weekday is not None and value.weekday() != weekday:
        value, problem = None, f"{match.group()!r}: the weekday does not agree with the date"
    elif day is None and problem is None:
        problem = f"{match.group()!r} names a month, not a day"
    return WrittenDate(match.start(), end, day, month, year, weekday, value, problem)


def find_dates(text: str, start: int = 0, end: int | None = None, *, short_year: bool = False) -> list[WrittenDate]:
    """The dates written in ``text[start:end]``, in text order, the longest reading of each
    (``short_year``: a two-digit year after a month is a year, as on a dateline)."""
    stop = len(text) if end is None else end
    found = [_written_date(m, short_year) for form in _DATE_FORMS for m in form.finditer(text, start, stop)]
    found.sort(key=lambda d: (d.start, -d.end))
    result: list[WrittenDate] = []
    for written in found:
        if not result or written.start >= result[-1].end:
            result.append(written)
    return result


_DATE_LABEL = re.compile(
    r"(?:(?:date\s+)?(?:first\s+)?(?:published|posted|issued|released)|dated|publication\s+date|date)\b(?:\s+on)?:?\s*",
    re.I,
)
"""A label before an item's own date ("Published 3 March 2021", "Posted on: ...")."""


def _is_date_line(text: str, line: Line) -> WrittenDate | None:
    """The date of a line that holds only a date (with an optional time or "by ..." after it)."""
    label = _DATE_LABEL.match(line.text)
    offset = line.start + (label.end() if label else 0)
    dates = find_dates(text, offset, line.end, short_year=True)
    if not dates or dates[0].start != offset:
        return None
    rest = text[dates[0].end : line.end]
    if re.fullmatch(rf"{_TIME}?\s*(?:(?:by|[-–|])\s+.{{0,80}})?", rest):
        return dates[0]
    return None


_BYLINE = re.compile(r"(?:[Bb]y|[Ww]ritten by|[Aa]uthor:)\s+[A-Z][^.!?:;\n]{0,80}")


def _is_head_line(layer: TextLayer, line: Line) -> bool:
    """A dateline, a byline or a section label ("Press release"): head matter between a title
    and the body."""
    return (
        _is_date_line(layer.text, line) is not None
        or _BYLINE.fullmatch(line.text) is not None
        or _section_label(line.text) is not None
        or _is_name_byline(layer, line)
    )


def _is_name_byline(layer: TextLayer, line: Line) -> bool:
    """A reporter's name alone on a line, just above or below a dateline ("Jo Reed" over
    "Tuesday, March 4, 2031"): a byline written without "By"."""
    name = parse_name(line.text) if len(line.text.split()) <= 4 else None
    if name is None or not name.given:
        return False
    return any(n is not None and _is_date_line(layer.text, n) is not None for n in layer.neighbours(line))


# --------------------------------------------------------------------------------------------
# Titles

_CLOSING_QUOTES = "”’\"')]"


def _is_title(block: Block, text: str) -> bool:
    words = text[block.start : block.end]
    if len(block.lines) > 3 or len(words) > 250:
        return False
    if words.endswith(("...", "…")):
        return True
    if re.match(r"[•\-*–·]|\d+[.)]\s", words):
        return False
    return not words.rstrip(_CLOSING_QUOTES).endswith((".", ":", ";", ","))


# --------------------------------------------------------------------------------------------
# Kinds

_TITLE_KINDS: tuple[tuple[URIRef, re.Pattern[str]], ...] = (
    (AK.PressRelease, re.compile(r"\bpress release\b|^PR\s*[-–:]", re.I)),
    (AK.Comment, re.compile(r"^(?:ADCS\s+)?comment(?:ing)?\b|\bstatement (?:on|following|about)\b", re.I)),
    (AK.Response, re.compile(r"\brespon(?:se|ses|ds|ding)\b|\bsubmission\b", re.I)),
    (
        AK.Speech,
        re.compile(
            r"\bspeech\b|\bkeynote\b|\b(?:presidential|inaugural|president['’]s|written|conference)"
            r" address\b|\baddress (?:to|at)\b",
            re.I,
        ),
    ),
    (AK.Blog, re.compile(r"\bblog\b|\bcolumn\b", re.I)),
    (AK.ReportCommentary, re.compile(r"\bcommentary\b|recommendations for policy[- ]?makers", re.I)),
    (AK.ReportSummary, re.compile(r"\bresearch\b|\bfindings\b|\bsummary\b|\bphase \d+\b", re.I)),
)
_LEAD_KINDS: tuple[tuple[URIRef, re.Pattern[str]], ...] = (
    (AK.Comment, re.compile(r"\bcommenting on\b", re.I)),
    (AK.Response, re.compile(r"\brespond(?:s|ing)? to\b|\bresponse to\b|\bsubmission (?:to|from)\b", re.I)),
    (
        AK.Speech,
        re.compile(
            r"\b(?:made|delivered|gave|given)\b[^.]{0,60}\b(?:speech|address|keynote)\b"
            r"|\b(?:speech|address) (?:made|delivered|given) on\b|['’]s? (?:\w+ ){0,3}(?:speech|address) to\b"
            r"|^addressing delegates\b",
            re.I,
        ),
    ),
    (AK.Blog, re.compile(r"\bblog\b", re.I)),
    (AK.ReportCommentary, re.compile(r"\bcommentary\b", re.I)),
)
_REPORT_LEAD = re.compile(
    r"\b(?:publishe[sd]|launche[sd]|release[sd]|unveile[sd])\s+(?:a |an |its |their |the )?(?:\w+ ){0,2}"
    r"(?:report|review|research|study|survey|inquiry|findings|analysis|paper|figures|statistics|data)\b"
    r"|\b(?:inquiry|report|review|research|study|survey|analysis)\b[^.]{0,80}?"
    r"\b(?:has (?:found|revealed)|found that|finds that|reveals that)\b"
    r"|\baccording to (?:\S+ ){0,3}(?:report|figures|data|research|survey|analysis|statistics|study)\b",
    re.I,
)
_OWN_PUBLISHER = re.compile(r"\bADCS\b|Association of Directors of Children", re.I)
_CONSULTATION = re.compile(r"\bconsultation\b|call for evidence|\bsubmission\b|engagement exercise", re.I)
_COLUMN_NOTE = re.compile(
    r"\bthis (?:column|blog|article|piece|post)\s+(?:was\s+)?(?:\w+\s+)?(?:appear|publish)\w*\s+(?:in|on|as)\b",
    re.I,
)
"""A closing note saying where the piece first appeared (tolerant of typos: "firsst appearaed")."""
_SIGN_OFF = re.compile(
    r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3}(?:,| is) [^.“”\"]{0,150}"
    r"\b(?:President|Director|Chair|Chief Executive|Commissioner|Secretary)\b[^“”\"]{0,150}"
)
"""A signed piece ends with its author and post ("Jo Bloggs, ADCS President 21/22")."""
_QUOTE_INTRO = re.compile(r"\bsaid:?\s*$")
_OPENING_QUOTE = re.compile(r"[“\"]")


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence (or line) holding ``position`` starts."""
    return max(text.rfind(". ", 0, position), text.rfind("\n", 0, position)) + 1


def _report_kind(lead: str, match: re.Match[str]) -> URIRef:
    """ReportSummary when ADCS publishes or wrote the report, NewsArticle when another body did."""
    own = _OWN_PUBLISHER.search(lead, _sentence_start(lead, match.start()), match.end())
    return AK.ReportSummary if own else AK.NewsArticle


def _lead_kind(narrative: str) -> URIRef | None:
    found = [(m.start(), kind) for kind, pattern in _LEAD_KINDS if (m := pattern.search(narrative))]
    if report := _REPORT_LEAD.search(narrative):
        found.append((report.start(), _report_kind(narrative, report)))
    return min(found, key=lambda f: f[0])[1] if found else None


def classify(
    title: str, lead: str, tail: str, *, notes_to_editors: bool = False, section: URIRef | None = None
) -> URIRef:
    """The ``ak:ItemKind`` of an item from its title, lead, closing lines and furniture.

    ``section`` is the kind given by a section label above the title ("Blog"). Lead cues are
    read only in the item's own narrative, before its first quotation.
    """
    narrative = _OPENING_QUOTE.split(lead, maxsplit=1)[0]
    kind = next((k for k, pattern in _TITLE_KINDS if pattern.search(title)), section)
    if kind is None and (_COLUMN_NOTE.search(tail) or _SIGN_OFF.fullmatch(tail.rsplit("\n", 1)[-1])):
        kind = AK.Blog
    if kind is None and notes_to_editors:
        kind = AK.PressRelease
    if kind is None:
        kind = _lead_kind(narrative)
    if kind is None and lead.strip() and (_QUOTE_INTRO.search(narrative) or not narrative.strip()):
        kind = AK.Comment
    if kind == AK.Response and _CONSULTATION.search(title + "\n" + narrative):
        return AK.ConsultationResponse
    return kind or AK.OtherItem


# --------------------------------------------------------------------------------------------
# The date an item states

_TODAY = re.compile(r"\btoday,?\s*\(?\s*$", re.I)
_SPEECH_WORD = re.compile(r"\b(?:speech|address|keynote)\b", re.I)
_SPEECH_DATE_BEFORE = re.compile(r"(?:\b[Oo]n|[-–])\s*$")
_FIRST_APPEARED = re.compile(
    r"(?:^|\bthis\s+(?:\w+\s+){1,2}?)(?:(?:was|is|has\s+been)\s+)?(?:(?:first|originally)\s+)?"
    r"(?:appear|publish)\w*\b[^.\n]{0,120}?\bon\s+$",
    re.I,
)
"""The item's note of where it first appeared ("This column first appeared in ... on"), not a
publication the item reports ("Figures published by the DfE ... on")."""


@dataclass(frozen=True)
class Draft:
    """An item found in the text, before dates are derived across the document."""

    start: int
    end: int
    title: Line | None
    kind: URIRef
    stated: WrittenDate | None


def _sentence_of(text: str, written: WrittenDate) -> str:
    stops = [i for i in (text.find(". ", written.end), text.find("\n", written.end)) if i >= 0]
    return text[_sentence_start(text, written.start) : min(stops, default=len(text))]


_PLACE_BEFORE_DATE = re.compile(r"\s*(?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3},\s*)?")
_DASH_AFTER_DATE = re.compile(r"\s*[-–—:]\s")


def _lead_dates(text: str, lead: Sequence[Block], kind: URIRef) -> Iterator[WrittenDate]:
    """"Today, <date>", a dateline opening the body ("Anyshire, 3 June 2031 – The council ..."), and
    the date of a speech: in a speech's lead, or opening the lead of an item that reports the
    speech ("On Thursday 7 July 2031, Jo Doe gave her address")."""
    for number, block in enumerate(lead):
        for written in find_dates(text, block.start, block.end):
            before = text[block.start : written.start]
            opens_lead = re.fullmatch(r"\s*On\s*", before) is not None
            speech_date = (
                (kind == AK.Speech or opens_lead)
                and _SPEECH_DATE_BEFORE.search(before) is not None
                and _SPEECH_WORD.search(_sentence_of(text, written)) is not None
            )
            dateline = number == 0 and bool(_PLACE_BEFORE_DATE.fullmatch(before))
            dateline = dateline and _DASH_AFTER_DATE.match(text, written.end) is not None
            if speech_date or dateline or _TODAY.search(before):
                yield written


_NAMED = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"
_LABEL_IN_LINE = re.compile(
    rf"\b(?:(?i:published|posted|issued|released)(?:\s+by\s+{_NAMED})?|(?i:dated))(?:\s+on)?:?\s+$"
    rf"|^(?:[Bb]y|[Ww]ritten by)\s+{_NAMED}(?:\s+on|,|\s+[-–|])\s+$",
    re.M,
)
"""A label before a date inside a head line ("Source: ... Published 24 February 2031", "Posted by
Jo Doe on ...") or a byline before its date ("By Jo Doe, 24 February 2031")."""
_TITLE_DATE_BEFORE = re.compile(r"\s[-–—|]\s*$")


def _labelled_dates(text: str, line: Line) -> list[WrittenDate]:
    """A labelled date inside a head line ("Source: ... Published 24 February 2031", "Date
    2031-02-24 Anyshire Council")."""
    return [
        d
        for d in find_dates(text, line.start, line.end)
        if d.value is not None
        and (_LABEL_IN_LINE.search(text, line.start, d.start) or _DATE_LABEL.fullmatch(text, line.start, d.start))
    ]


def _title_date(text: str, title: Line) -> list[WrittenDate]:
    """A date closing a one-line title after a dash or bar, or in brackets ("Group comment - 6 April
    2031", "Group comment (6 April 2031)")."""
    dates = find_dates(text, title.start, title.end)
    last = dates[-1] if dates else None
    if last is None or last.value is None:
        return []
    bracketed = text[last.end : title.end] == ")" and text[title.start : last.start].rstrip().endswith("(")
    if last.end != title.end and not bracketed:
        return []
    return [last] if bracketed or _TITLE_DATE_BEFORE.search(text, title.start, last.start) else []


def _stated_dates(text: str, blocks: Sequence[Block], head: int, kind: URIRef) -> list[WrittenDate]:
    """Every date the item states as its own: datelines, "today, ...", speech dates, notes."""
    found: list[WrittenDate] = []
    for index, block in enumerate(blocks):
        for line in block.lines:
            dateline = _is_date_line(text, line)
            if dateline and (index < head or _DATE_LABEL.match(line.text)):
                found.append(dateline)
            elif dateline is None and index <= head + 1:
                found.extend(_labelled_dates(text, line))
    found.extend(_lead_dates(text, blocks[head : head + 2], kind))
    for block in blocks[-2:]:
        for written in find_dates(text, block.start, block.end):
            if _FIRST_APPEARED.search(text[block.start : written.start]):
                found.append(written)
    return found


def _agrees(partial: WrittenDate, full: date) -> bool:
    """A day and month without a year that can be the same day as ``full``."""
    same_day = (partial.month, partial.day) == (full.month, full.day)
    return same_day and partial.weekday in (None, full.weekday())


def _choose_date(ext: Extraction, stated: list[WrittenDate], item_start: int) -> WrittenDate | None:
    """The one date the item states, or None (with a skip note) when none or several are stated."""
    for bad in (d for d in stated if d.problem is not None):
        ext.skip(LOADER, bad.start, f"item date left out: {bad.problem}")
    full = [d for d in stated if d.value is not None]
    days = {d.value for d in stated if d.value is not None}
    partial = [d for d in stated if d.partial and not any(_agrees(d, day) for day in days)]
    usable = full + partial
    if len(days) + len(partial) > 1:
        written = ", ".join(repr(ext.text[d.start : d.end]) for d in sorted(usable, key=lambda d: d.start))
        ext.skip(LOADER, item_start, f"item date left out: the item states several dates ({written})")
        return None
    return min(usable, key=lambda d: d.start) if usable else None


# --------------------------------------------------------------------------------------------
# Segments into draft items


_SECTION_LABELS: dict[str, URIRef | None] = {
    row["label"]: AK[row["kind"]] if row["kind"] else None for row in table("section_labels")
}
"""A section label printed alone above a title ("Blog", "Press release") and the kind it gives."""


@dataclass(frozen=True)
class Lead:
    """The furniture at the start of a segment: how many lines, and the kind a section label gives."""

    lines: int
    section: URIRef | None
    embargo: tuple[WrittenDate, ...] = ()
    """Dates of embargo lines ("EMBARGOED until 00:01, Monday 3 March 2031"): the item's own."""


def _section_label(line: str) -> str | None:
    label = line.rstrip(":").strip().lower()
    return label if label in _SECTION_LABELS else None


def _leading_furniture(ext: Extraction, lines: Sequence[Line]) -> Lead:
    """The furniture at the start of a segment: event widgets, adverts, navigation, section labels."""
    index = 0
    section: URIRef | None = None
    embargo: list[WrittenDate] = []
    while index < len(lines):
        line = lines[index]
        if EMBARGO.fullmatch(line.text):
            embargo += [d for d in find_dates(ext.text, line.start, line.end) if d.value is not None][:1]
            index += 1
        elif _EVENT_WIDGET.fullmatch(line.text):
            index += 1
            while index < len(lines) and (widget_date := _is_date_line(ext.text, lines[index])):
                shown = ext.text[widget_date.start : widget_date.end]
                ext.skip(LOADER, widget_date.start, f"date {shown!r} belongs to an events widget, not to an item")
                index += 1
        elif (label := _section_label(line.text)) is not None:
            section = section or _SECTION_LABELS[label]
            index += 1
        elif is_furniture_line(line.text):
            index += 1
        elif (masthead := _masthead(lines, index)) > index:
            index = masthead
        else:
            break
    return Lead(index, section, tuple(embargo))


def _masthead(lines: Sequence[Line], index: int) -> int:
    """Past the site name printed above a menu or a section label ("Local Government Association"
    over "Home | News", or just over "Briefing"): the index after the menu, or of the label, when
    one of the next two lines is one, else ``index``."""
    for ahead in range(index + 1, min(index + 3, len(lines))):
        adjacent = all(below.start == above.end + 1 for above, below in pairwise(lines[index : ahead + 1]))
        label = adjacent and _section_label(lines[ahead].text) is not None
        if label or is_navigation(lines[ahead].text):
            heading = all(_is_short_heading(line.text) for line in lines[index:ahead])
            return ahead + int(not label) if heading else index
    return index


def _is_short_heading(line: str) -> bool:
    return len(line.split()) <= 10 and not line.rstrip(_CLOSING_QUOTES).endswith((".", ":", ";", ",", "!", "?"))


def _is_trailing_furniture(line: str) -> bool:
    return _LINK_BUTTON.fullmatch(line) is not None or is_furniture_line(line)


def _trailing_furniture(lines: Sequence[Line]) -> int:
    """How many lines at the end of a segment are link buttons, word counts or navigation."""
    count = 0
    while count < len(lines) - 1 and _is_trailing_furniture(lines[len(lines) - 1 - count].text):
        count += 1
    return count


def _skip_head_matter(layer: TextLayer, blocks: Sequence[Block], index: int) -> int:
    """The index of the first block from ``index`` on that is not only datelines and bylines.

    The last block is never skipped, so an item always keeps some text.
    """
    while index < len(blocks) - 1 and all(_is_head_line(layer, line) for line in blocks[index].lines):
        index += 1
    return index


def _draft(ext: Extraction, segment: Segment) -> Draft | None:
    """The item a segment holds, or None when it is all furniture."""
    text = ext.text
    lines = segment.lines
    lead_furniture = _leading_furniture(ext, lines)
    lines = lines[lead_furniture.lines :]
    lines = lines[: len(lines) - _trailing_furniture(lines)]
    if not lines:
        return None
    stamped = _timestamped_heading(text, lines[0])
    if stamped is not None:  # the heading of a listing entry, its date and time run on after it
        heading = text[lines[0].start : stamped.start].rstrip(" \t-–—|")
        title_line = Line(lines[0].start, lines[0].start + len(heading), heading)
        blocks = [Block((title_line,)), *_blocks(ext.layer, lines[1:])]
    else:
        blocks = _blocks(ext.layer, lines)
    head = _skip_head_matter(ext.layer, blocks, 0)
    title_block = blocks[head] if _is_title(blocks[head], text) else None
    title = Line(title_block.start, title_block.end, text[title_block.start : title_block.end]) if title_block else None
    body = _skip_head_matter(ext.layer, blocks, head + 1) if title_block else head
    lead = "\n".join(text[b.start : b.end] for b in blocks[body : body + 2])
    tail = "\n".join(text[b.start : b.end] for b in blocks[-2:])
    kind = classify(
        title.text if title else "",
        lead,
        tail,
        notes_to_editors=segment.notes_to_editors,
        section=lead_furniture.section,
    )
    start = blocks[0].start
    titled = _title_date(text, title) if title is not None and "\n" not in title.text else []
    own = [*lead_furniture.embargo, *([stamped] if stamped else []), *titled, *_stated_dates(text, blocks, body, kind)]
    stated = _choose_date(ext, own, start)
    return Draft(start, blocks[-1].end, title, kind, stated)


def _opens_item(layer: TextLayer, lines: Sequence[Line], index: int) -> bool:
    """The start of the next entry of an archive or listing that prints no boundary between its
    entries: a heading ending in its own date and clock time (:func:`_timestamped_heading`), or a
    one-line heading after a blank line with a dateline under it (bylines and section labels
    between)."""
    text = layer.text
    line = lines[index]
    if _timestamped_heading(text, line) is not None:
        return True
    if text.count("\n", lines[index - 1].end, line.start) < 2 or _is_head_line(layer, line):
        return False
    if not _is_title(Block((line,)), text):
        return False
    for below in lines[index + 1 : index + 4]:
        if _is_date_line(text, below) is not None:
            return True
        if not _is_head_line(layer, below):
            return False
    return False


_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")


def _timestamped_heading(text: str, line: Line) -> WrittenDate | None:
    """The date of a listing entry's heading that ends in its date and clock time, after a space or
    run on ("Council warns of a winter crisis 09/07/2031 09:20:00"); None for any other line."""
    dates = find_dates(text, line.start, line.end)
    last = dates[-1] if dates else None
    if last is None or last.value is None or last.end != line.end or not _CLOCK.search(text, last.start, last.end):
        return None
    heading = text[line.start : last.start].rstrip(" \t-–—|")
    if len(heading.split()) < 3 or heading.endswith((".", ":", ";", ",")):
        return None
    return last


def _split_entries(layer: TextLayer, segment: Segment) -> list[Segment]:
    """A segment divided before each heading that opens an entry (see :func:`_opens_item`)."""
    lines = segment.lines
    cuts = [i for i in range(1, len(lines)) if _opens_item(layer, lines, i)]
    bounds = list(zip([0, *cuts], [*cuts, len(lines)], strict=True))
    last = len(bounds) - 1
    return [Segment(lines[a:b], segment.notes_to_editors and n == last) for n, (a, b) in enumerate(bounds)]


def drafts(ext: Extraction) -> list[Draft]:
    """The items of the document in text order, each with the date it states (if any)."""
    found = []
    for segment in (part for whole in segments(ext.layer.lines) for part in _split_entries(ext.layer, whole)):
        draft = _draft(ext, segment)
        if draft is None:
            ext.skip(LOADER, segment.lines[0].start, "text between item boundaries is only page furniture")
        else:
            found.append(draft)
    return found


# --------------------------------------------------------------------------------------------
# Dates across a newest-first archive


@dataclass(frozen=True)
class Dating:
    """The date written for an item: the day, where it is written, and what it was derived from."""

    value: date
    span: WrittenDate | None
    evidence: tuple[int, ...] = ()
    """Positions of the items the date was derived from (empty when stated)."""


def _bounds(dated: dict[int, date], position: int) -> tuple[int | None, int | None]:
    """The nearest dated items before (newer) and after (older) ``position``."""
    newer = max((p for p in dated if p < position), default=None)
    older = min((p for p in dated if p > position), default=None)
    return newer, older


def _resolve_year(written: WrittenDate, low: date | None, high: date | None) -> date | None:
    """The one day with this day and month between ``low`` and ``high`` (weekday agreeing).

    With one bound only, the weekday must be written and the day must lie within a year of it.
    """
    window = timedelta(days=366)
    if written.weekday is not None and low is None and high is not None and high - date.min > window:
        low = high - window
    elif written.weekday is not None and high is None and low is not None and date.max - low > window:
        high = low + window
    if low is None or high is None or written.day is None:
        return None
    candidates = []
    for year in range(low.year, high.year + 1):
        try:
            day = date(year, written.month, written.day)
        except ValueError:
            continue
        if low <= day <= high and (written.weekday is None or day.weekday() == written.weekday):
            candidates.append(day)
    return candidates[0] if len(candidates) == 1 else None


_YEAR = re.compile(r"(?<![\w/.-])(?:19|20)\d\d(?![\w/-]|\.\d)")


def _year_in_item(text: str, written: WrittenDate) -> date | None:
    """The day of a date written with its weekday but no year ("today, Wednesday 24 September") in
    the one year the item's text writes ("... the 2031 Spending Review") on which that weekday falls."""
    if written.weekday is None or written.day is None:
        return None
    days = set()
    for year in {int(m.group()) for m in _YEAR.finditer(text)}:
        try:
            day = date(year, written.month, written.day)
        except ValueError:
            continue
        if day.weekday() == written.weekday:
            days.add(day)
    return days.pop() if len(days) == 1 else None


def _describe_bounds(dated: dict[int, date], newer: int | None, older: int | None) -> str:
    parts = []
    if newer is not None:
        parts.append(f"on or before {dated[newer].isoformat()} (the item at position {newer})")
    if older is not None:
        parts.append(f"on or after {dated[older].isoformat()} (the item at position {older})")
    return "; it lies " + " and ".join(parts) if parts else ""


def date_items(ext: Extraction, found: Sequence[Draft]) -> list[Dating | None]:
    """The date of each item: stated, or derived from the dated items around it."""
    dated = {p: d.stated.value for p, d in enumerate(found) if d.stated and d.stated.value}
    result: list[Dating | None] = [
        Dating(d.stated.value, d.stated) if d.stated and d.stated.value else None for d in found
    ]
    ordered = [dated[p] for p in sorted(dated)]
    if any(a < b for a, b in pairwise(ordered)):
        ext.skip(LOADER, 0, "dates of items not derived: the dated items are not newest first")
        return result
    partial = {p: d.stated for p, d in enumerate(found) if d.stated and d.stated.partial}
    for position, written in partial.items():
        newer, older = _bounds(dated, position)
        high = dated[newer] if newer is not None else None
        low = dated[older] if older is not None else None
        value = _resolve_year(written, low, high) if len(found) > 1 else None
        if value is None:
            value = _year_in_item(ext.text[found[position].start : found[position].end], written)
        if value is None:
            shown = ext.text[written.start : written.end]
            ext.skip(LOADER, written.start, f"year of {shown!r} not derived{_describe_bounds(dated, newer, older)}")
            continue
        evidence = tuple(p for p in (newer, older) if p is not None)
        result[position] = Dating(value, written, evidence)
    dated.update({p: r.value for p, r in enumerate(result) if r is not None})
    for position, draft in enumerate(found):
        if result[position] is None and position not in partial:
            result[position] = _between(ext, dated, position, draft.start)
    return result


def _between(ext: Extraction, dated: dict[int, date], position: int, offset: int) -> Dating | None:
    newer, older = _bounds(dated, position)
    if newer is not None and older is not None and dated[newer] == dated[older]:
        return Dating(dated[newer], None, (newer, older))
    ext.skip(LOADER, offset, f"item states no date{_describe_bounds(dated, newer, older)}")
    return None


# --------------------------------------------------------------------------------------------
# Graph


def _write(ext: Extraction, draft: Draft, position: int, dating: Dating | None, iris: Sequence[URIRef]) -> None:
    g = ext.graph
    item = iris[position]
    g.add((item, RDF.type, AK.Item))
    g.add((item, AK.inDocument, ext.document.iri))
    g.add((item, AK.kind, draft.kind))
    g.add((item, AK.position, Literal(position, datatype=XSD.integer)))
    if draft.title is not None:
        g.add((item, AK.title, Literal(draft.title.text)))
    else:
        opening = ext.text[draft.start : draft.end][:60]
        ext.skip(LOADER, draft.start, f"item has no title (it opens {opening!r})")
    if dating is not None:
        g.add((item, AK.date, Literal(dating.value, datatype=XSD.date)))
        g.add((item, AK.dateInferred, Literal(bool(dating.evidence))))
        if dating.span is not None:
            g.add((item, AK.dateSpan, ext.span(dating.span.start, dating.span.end)))
        for other in dating.evidence:
            g.add((item, AK.evidence, iris[other]))
    ext.provenance(item, draft.start, draft.end)


def _write_bounds(ext: Extraction, datings: Sequence[Dating | None], iris: Sequence[URIRef]) -> None:
    """An undated item of a newest-first archive lies between the dated items around it:
    ``ak:earliestDate`` and ``ak:latestDate`` (either may be unknown), with those items as evidence."""
    dated = {p: d.value for p, d in enumerate(datings) if d is not None}
    ordered = [dated[p] for p in sorted(dated)]
    if len(datings) < 2 or any(a < b for a, b in pairwise(ordered)):
        return
    g = ext.graph
    for position, dating in enumerate(datings):
        if dating is not None:
            continue
        newer, older = _bounds(dated, position)
        if older is not None:
            g.add((iris[position], AK.earliestDate, Literal(dated[older], datatype=XSD.date)))
            g.add((iris[position], AK.evidence, iris[older]))
        if newer is not None:
            g.add((iris[position], AK.latestDate, Literal(dated[newer], datatype=XSD.date)))
            g.add((iris[position], AK.evidence, iris[newer]))


def extract(ext: Extraction) -> None:
    """Segment the document into items; write each item and record it in ``ext.items``."""
    found = drafts(ext)
    if not found:
        ext.skip(LOADER, 0, "no item found: the document holds only page furniture")
        return
    datings = date_items(ext, found)
    iris = [resource("item", ext.document.id, d.start) for d in found]
    _write_bounds(ext, datings, iris)
    for position, (draft, dating) in enumerate(zip(found, datings, strict=True)):
        _write(ext, draft, position, dating, iris)
        ext.items.append(
            ItemRecord(
                iri=iris[position],
                start=draft.start,
                end=draft.end,
                title=draft.title.text if draft.title else None,
                kind=draft.kind,
                date=dating.value if dating else None,
                position=position,
            )
        )
