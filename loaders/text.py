"""The text layer: one reading of a document's text, computed once and shared by every loader.

:class:`TextLayer` reads a text into:

* ``furniture``: lines of page furniture that are no part of any item's prose: navigation and
  menus, breadcrumbs, cookie and browser-support banners, embargo lines, paywall and subscriber
  prompts, share lines, advert strips (see :func:`is_furniture_line`). They stay in the text
  (offsets never move), and the paragraphs leave them out;
* ``paragraphs``: blocks of lines between blank lines, furniture lines left out, without
  surrounding white space;
* ``sentences``: each line of a paragraph split at sentence-final punctuation (not after an
  abbreviation or an initial), without a leading bullet mark;
* ``quotations``: what is quoted in double or single quotes, curly or straight. A quotation left
  open at the end of its paragraph runs on into the next paragraph that reopens it (the genre's
  convention for a quotation of several paragraphs), and closes in the first paragraph that closes
  it; one never closed is ``closed=False``. Quotations inside a quotation are not listed;
* ``tokens``: words (with inner hyphens and apostrophes, "O'Hara", "Smith-Jones") and single
  punctuation marks;
* ``lines``: every non-blank line, furniture included, without surrounding white space (the
  items of a page are divided at lines of furniture, so they read lines, not paragraphs).

Every unit is a pair of character offsets into the text (``start``, ``end``), so every unit can be
turned into a span of provenance. The ``*_in(start, end)`` methods give the units lying wholly
inside a range, and ``*_at(offset)`` the unit holding an offset. ``plain`` is a same-length copy
of the text with typographic quotes and dashes made plain, for pattern matching.

Build one with ``TextLayer(text)``; an :class:`~loaders.extraction.Extraction` builds its document's
layer once (``ext.layer``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .lexicon import words

# --------------------------------------------------------------------------------------------
# Units


@dataclass(frozen=True)
class Paragraph:
    """A block of text between blank lines."""

    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True)
class Line:
    """A non-blank line: ``text`` is the document's text from ``start`` to ``end``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Quotation:
    """Quoted text: ``start``..``end`` is inside the marks; ``open_at`` is the opening mark."""

    start: int
    end: int
    open_at: int
    close_at: int | None
    """The closing mark, or None when the quotation is never closed."""
    paragraphs: int
    """How many paragraphs the quotation runs over."""
    double: bool
    """Double quote marks (single ones often mark a term rather than words spoken)."""

    @property
    def closed(self) -> bool:
        return self.close_at is not None


class _Unit(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_U = TypeVar("_U", bound=_Unit)


def _within(units: Sequence[_U], starts: list[int], start: int, end: int) -> list[_U]:
    first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return [u for u in units[first:last] if u.end <= end]


def _holding(units: Sequence[_U], starts: list[int], offset: int) -> _U | None:
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and units[index].start <= offset < units[index].end:
        return units[index]
    return None


# --------------------------------------------------------------------------------------------
# Furniture


def any_of(*patterns: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``patterns`` (for ``fullmatch`` on a line)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_NAVIGATION = any_of(
    r"home(?:\s*[>»›/|].*)?",
    r"[^.!?;:>»›]{1,40}(?:\s*[>»›]\s*[^.!?;:>»›]{1,40})+",
    r"you are here:?(?:\s.*)?",
    r"skip to (?:main )?content",
    r"menu|search(?: this site| the site)?|advertisement|sponsored(?: content)?",
    r"(?:©|\(c\)|copyright)\s.{0,200}",
    r"page \d+ of \d+.{0,80}",
    r"share|twitter|facebook|linkedin|e-?mail|whatsapp|print|reddit|pinterest|tumblr|pocket|telegram",
)
_BANNER = any_of(
    r"(?:we|this (?:site|website)) uses? cookies.*",
    r"(?:accept|reject|manage) (?:all )?cookies.*|cookie (?:settings|preferences|policy)",
    r"(?:your|you are using an?) (?:web )?browser (?:is )?(?:out of date|outdated|not supported|unsupported).*",
    r"(?:please )?(?:upgrade|update) your browser.*|this (?:site|website) (?:works|is) best (?:viewed )?(?:with|in) .*",
    r"(?:please )?enable javascript.*|javascript is (?:disabled|required).*",
    r"(?:subscribe|register|sign in|log in|login)\b.{0,40}(?:to (?:read|continue|view|access)).*",
    r"(?:this (?:article|content|story) is (?:only )?(?:available )?(?:for|to) (?:subscribers|members)).*",
    r"already (?:a )?(?:subscriber|registered|a member)\??.{0,80}",
    r"(?:to )?continue reading.{0,40}(?:subscribe|register|sign|log).*",
    r"(?:get|enjoy) (?:unlimited|full|instant) access to .{0,120}(?:subscription|subscribe|register|sign up).*",
    r"thank you for visiting .{0,240}(?:register|subscribe|sign up|log in).*",
    r"share (?:this|this article|this page|this post|on \w+)(?::.{0,200}|\s*$)",
)
EMBARGO = re.compile(r"(?:strictly\s+)?(?:under\s+)?embargo(?:ed)?\b.{0,120}", re.IGNORECASE)
"""An embargo line ("EMBARGOED until 00:01, Monday 3 March 2031"): furniture, but its date is the item's."""
_MENU_SEPARATOR = re.compile(r"\s*\|\s*|\s{2,}")
_MENU_ENTRY = re.compile(r"[^\s.!?;,a-z][^.!?;]{0,40}")
_RUN_TOGETHER = re.compile(r"[a-z][A-Z]")


def is_menu(line: str) -> bool:
    """A row of three or more short links divided by bars or runs of spaces ("Home   News   About")."""
    entries = [e for e in _MENU_SEPARATOR.split(line) if e]
    return len(entries) >= 3 and all(_MENU_ENTRY.fullmatch(e) and len(e.split()) <= 5 for e in entries)


def is_navigation(line: str) -> bool:
    """Navigation: a breadcrumb, a menu, a link to a site section or a sharing service, a copyright line."""
    return _NAVIGATION.fullmatch(line) is not None or is_menu(line)


def is_advert_strip(line: str) -> bool:
    """Sponsor names run together without spaces ("Accountancy ServicesAlphabiolabsHousing")."""
    return len(_RUN_TOGETHER.findall(line)) >= 2 and not re.search(r"[.!?:;,]", line) and len(line) < 300


def is_banner(line: str) -> bool:
    """A banner of the site, not of the item: cookies, browser support, embargo, paywall, sharing."""
    return _BANNER.fullmatch(line) is not None or EMBARGO.fullmatch(line) is not None


def is_furniture_line(line: str) -> bool:
    """A line (without surrounding white space) that is page furniture, no part of any prose."""
    return is_navigation(line) or is_banner(line) or is_advert_strip(line)


# --------------------------------------------------------------------------------------------
# Sentences

_ABBREVIATIONS = words("abbreviations")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]*[A-Z0-9£])")
_BULLET = re.compile(r"[ \t]*(?:[-•·>]|(?:\d+(?:\.\d+)+\.?|\d+[.)])(?=\s)|\([a-z0-9]+\))?[ \t]*")
_ELLIPSIS_BREAK = re.compile(r"…(?=[\"“‘']?[A-Z][a-z])")
"""An ellipsis run straight into a capitalised word: excerpts of a speech quoted one after another."""


_SPACES = "\u00a0\u2002\u2003\u2007\u2009\u200a\u202f"
"""Non-breaking, figure, thin and other fixed-width spaces, read as plain spaces."""


def plain_view(text: str) -> str:
    """A same-length copy of ``text`` that is easier to match: typographic quotes and dashes made
    plain, fixed-width spaces made plain spaces, emphasis asterisks and web addresses blanked
    (offsets are unchanged)."""
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-", "*": " ", "…": ".",
                           **dict.fromkeys(_SPACES, " ")})  # fmt: skip
    plain = text.translate(table)
    return re.sub(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", lambda m: " " * len(m.group()), plain)


def _sentence_ends(plain: str, start: int, end: int) -> list[int]:
    ends = []
    for found in _SENTENCE_END.finditer(plain, start, end):
        word = re.search(r"(\w+)\.?$", plain[start : found.start() + 1])
        if word and (word.group(1).lower() in _ABBREVIATIONS or (len(word.group(1)) == 1 and word.group(1).isupper())):
            continue
        ends.append(found.end())
    return [*ends, end]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


_LINE = re.compile(r"[^\n]+")


def split_sentences(text: str, plain: str, start: int, end: int) -> list[Sentence]:
    """The sentences of ``text[start:end]``: each line split at sentence ends, bullets left out."""
    found: list[Sentence] = []
    for line in _LINE.finditer(plain, start, end):
        bullet = _BULLET.match(plain, max(start, line.start()), line.end())
        pos = bullet.end() if bullet else max(start, line.start())
        ellipses = [m.end() for m in _ELLIPSIS_BREAK.finditer(text, pos, line.end())]
        for stop in sorted({*_sentence_ends(plain, pos, line.end()), *ellipses}):
            span = _trimmed(plain, pos, stop)
            if span is not None:
                found.append(Sentence(*span))
            pos = stop
    return found


# --------------------------------------------------------------------------------------------
# Quotations

_DOUBLE_OPEN, _DOUBLE_CLOSE = "“", "”"
_SINGLE_OPEN, _SINGLE_CLOSE = "‘", "’"


def _opens_single(text: str, i: int) -> bool:
    """A single mark at ``i`` opening a quotation: after a space or bracket, before a letter."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-") and (after.isalnum() or after in '“"')


def _closes_single(text: str, i: int) -> bool:
    """A single mark at ``i`` closing a quotation: after a letter or punctuation, not inside a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _scan(text: str, start: int, end: int, mark: str | None) -> tuple[list[tuple[int, int | None, str]], str | None]:
    """Top-level quotations in ``text[start:end]`` as (open mark, close mark or None, kind), and
    the kind ("double"/"single") still open at ``end``. ``mark`` is the kind open at ``start``."""
    found: list[tuple[int, int | None, str]] = []
    open_at: int | None = start - 1 if mark else None
    kind = mark
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if kind is None:
            if ch in (_DOUBLE_OPEN, '"'):
                open_at, kind = i, "double"
            elif ch in (_SINGLE_OPEN, "'") and _opens_single(text, i):
                open_at, kind = i, "single"
            continue
        if kind == "double":
            if ch == _DOUBLE_OPEN and i != open_at:
                depth += 1
            elif ch == _DOUBLE_CLOSE or (ch == '"' and i != open_at):
                if depth:
                    depth -= 1
                    continue
                found.append((open_at if open_at is not None else start - 1, i, kind))
                kind, open_at = None, None
        elif ch in (_SINGLE_CLOSE, "'") and _closes_single(text, i):
            found.append((open_at if open_at is not None else start - 1, i, kind))
            kind, open_at = None, None
    if kind is not None:
        found.append((open_at if open_at is not None else start - 1, None, kind))
    return found, kind


@dataclass
class _Open:
    """A quotation still open at the end of a paragraph."""

    open_at: int
    kind: str
    paragraphs: int
    last_end: int


def _marks(kind: str) -> tuple[str, str]:
    return (_DOUBLE_OPEN + '"', _DOUBLE_CLOSE + '"') if kind == "double" else (_SINGLE_OPEN + "'", _SINGLE_CLOSE + "'")


def _continues(text: str, para: Paragraph, carry: _Open) -> int | None:
    """Where a paragraph continues an open quotation: after its reopening mark, or from its start
    when it reopens nothing but closes at its end; None when it does not continue it."""
    opening, closing = _marks(carry.kind)
    body = text[para.start : para.end]
    if body[0] in opening:
        return para.start + 1
    if body.rstrip()[-1:] in closing and not any(mark in body for mark in opening if mark != "'"):
        return para.start
    return None


def find_quotations(text: str, paragraphs: Sequence[Paragraph]) -> list[Quotation]:
    """The quotations of ``text``, paragraph by paragraph (see the module docstring)."""
    result: list[Quotation] = []
    carry: _Open | None = None
    for para in paragraphs:
        resume = _continues(text, para, carry) if carry is not None else None
        if carry is not None and resume is not None:
            found, _ = _scan(text, resume, para.end, carry.kind)
            (_, close_at, _), rest = found[0], found[1:]
            carry.paragraphs += 1
            carry.last_end = para.end
            if close_at is None:
                continue
            result.append(_quotation(carry, close_at))
            carry = None
        else:
            if carry is not None:
                result.append(_quotation(carry, None))
                carry = None
            rest, _ = _scan(text, para.start, para.end, None)
        for open_at, close_at, kind in rest:
            if close_at is not None:
                if close_at > open_at + 1:
                    result.append(Quotation(open_at + 1, close_at, open_at, close_at, 1, kind == "double"))
            else:
                carry = _Open(open_at, kind, 1, para.end)
    if carry is not None:
        result.append(_quotation(carry, None))
    return [q for q in result if q.end > q.start]


def _quotation(carry: _Open, close_at: int | None) -> Quotation:
    end = close_at if close_at is not None else carry.last_end
    return Quotation(carry.open_at + 1, end, carry.open_at, close_at, carry.paragraphs, carry.kind == "double")


# --------------------------------------------------------------------------------------------
# The layer

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
_LINE_TEXT = re.compile(r"\S(?:[^\n]*\S)?")


def find_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """The blocks of ``text[start:end]`` between blank lines, without surrounding white space and
    without their furniture lines (a block of furniture alone is no paragraph)."""
    stop = len(text) if end is None else end
    found: list[Paragraph] = []
    for block in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text[start:stop]):
        lines = [
            (start + block.start() + m.start(), start + block.start() + m.end())
            for m in re.finditer(r"\S(?:[^\n]*\S)?", block.group())
        ]
        kept = [(s, e) for s, e in lines if not is_furniture_line(text[s:e])]
        # furniture is trimmed from the ends of a block; a furniture line inside prose stays
        if kept:
            first = next(i for i, line in enumerate(lines) if line == kept[0])
            last = max(i for i, line in enumerate(lines) if line == kept[-1])
            found.append(Paragraph(lines[first][0], lines[last][1]))
    return found


class TextLayer:
    """The segmented text of one document (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.plain = plain_view(text)
        self.lines: tuple[Line, ...] = tuple(Line(m.start(), m.end(), m.group()) for m in _LINE_TEXT.finditer(text))
        self.furniture: tuple[tuple[int, int], ...] = tuple(
            (line.start, line.end) for line in self.lines if is_furniture_line(line.text)
        )
        self.paragraphs: tuple[Paragraph, ...] = tuple(find_paragraphs(text))
        self.sentences: tuple[Sentence, ...] = tuple(
            s for p in self.paragraphs for s in split_sentences(text, self.plain, p.start, p.end)
        )
        self.quotations: tuple[Quotation, ...] = tuple(find_quotations(text, self.paragraphs))
        self.tokens: tuple[Token, ...] = tuple(Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text))
        self._starts = {
            name: [u.start for u in units]
            for name, units in (
                ("paragraphs", self.paragraphs),
                ("sentences", self.sentences),
                ("quotations", self.quotations),
                ("tokens", self.tokens),
                ("lines", self.lines),
            )
        }
        self._furniture_starts = [s for s, _ in self.furniture]
        self._closing = {q.close_at: q for q in self.quotations if q.close_at is not None}

    def paragraphs_in(self, start: int, end: int) -> list[Paragraph]:
        return _within(self.paragraphs, self._starts["paragraphs"], start, end)

    def sentences_in(self, start: int, end: int) -> list[Sentence]:
        return _within(self.sentences, self._starts["sentences"], start, end)

    def quotations_in(self, start: int, end: int) -> list[Quotation]:
        return _within(self.quotations, self._starts["quotations"], start, end)

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return _within(self.tokens, self._starts["tokens"], start, end)

    def lines_in(self, start: int, end: int) -> list[Line]:
        return _within(self.lines, self._starts["lines"], start, end)

    def neighbours(self, line: Line) -> tuple[Line | None, Line | None]:
        """The lines just above and just below ``line`` with no blank line between, if any."""
        index = bisect.bisect_left(self._starts["lines"], line.start)
        above = self.lines[index - 1] if index > 0 else None
        below = self.lines[index + 1] if index + 1 < len(self.lines) else None
        return (
            above if above is not None and self.text.count("\n", above.end, line.start) == 1 else None,
            below if below is not None and self.text.count("\n", line.end, below.start) == 1 else None,
        )

    def paragraph_at(self, offset: int) -> Paragraph | None:
        return _holding(self.paragraphs, self._starts["paragraphs"], offset)

    def sentence_at(self, offset: int) -> Sentence | None:
        return _holding(self.sentences, self._starts["sentences"], offset)

    def quotation_at(self, offset: int) -> Quotation | None:
        """The quotation whose quoted text (or opening mark) holds ``offset``."""
        index = bisect.bisect_right(self._starts["quotations"], offset + 1) - 1
        if index >= 0 and self.quotations[index].open_at <= offset < self.quotations[index].end:
            return self.quotations[index]
        return None

    def quotation_closing(self, close_at: int) -> Quotation | None:
        """The quotation whose closing mark is at ``close_at``."""
        return self._closing.get(close_at)

    def quotation_opening(self, open_at: int) -> Quotation | None:
        """The quotation whose opening mark is at ``open_at``."""
        found = self.quotation_at(open_at)
        return found if found is not None and found.open_at == open_at else None

    def is_furniture(self, offset: int) -> bool:
        """Whether ``offset`` lies on a line of page furniture."""
        index = bisect.bisect_right(self._furniture_starts, offset) - 1
        return index >= 0 and self.furniture[index][0] <= offset < self.furniture[index][1]
