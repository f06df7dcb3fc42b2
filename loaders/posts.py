"""Posts: reading role phrases ("ADCS President", "Chair of the ADCS Workforce Development Policy
Committee", "Strategic Director for People, Anyshire City Council") into ``ak:Post`` nodes.

A role phrase is a role word (President, Vice President, Honorary Secretary, Chair, Director of
Children's Services, Strategic Director, Chief Executive...) with the organisation it belongs to,
written before it ("ADCS President") or after it ("President of the Association of Directors of
Children's Services (ADCS)", "Chair of the LGA's Children and Young People Board", "Director of
Children's Services at Hertfordshire County Council", "Ofsted's Chief Inspector"), and optionally
a term ("2020/21", "for 21/22"). An organisation named by its office ("the Children's
Commissioner") holds that post. A council's post may be placed by the council's area ("Director
of Children's Services in Hertfordshire") when the document names exactly one council of that
place; otherwise the phrase is skipped with a note. A post "at the council" (or a councillor's
office written without a council) is in the council the page is about: the one it names, else the
one it names most often, at a lower confidence. A post appointed to by a body ("Anyshire Council
has appointed Jo Doe as its director") is that body's. A
phrase must consist of nothing else, so a sentence is never taken for a role. A role word one
typo away ("Presdient") is read; so is an association name one slip away from the document's
association ("Association of Children's Services"), with a skip note.

When no organisation is written ("Vice President"), the post is placed in the document's own
association: the organisation every association office of the document is written with
elsewhere in the text (ADCS on an ADCS page), and only for association offices (President, Vice
President, Honorary Secretary, policy committee chairs). Another post written without a body is in
the body of the post the narrative gave the same person just before ("..., having previously served
as Deputy Leader"), else (not a council post) in the one body the page's heading names ("Cllr Jo
Doe (Chair)" in a board's minutes), at a lower confidence; neither when a body not known as one is
written after the role word ("Chair of k12 group"). Otherwise the phrase is skipped.

Post IRI: ``id:post/{org}/{role}[/{unit}]`` where ``org`` is the last segment of the
organisation's IRI and ``unit`` the committee or board the post belongs to.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK, resource, slug

from .extraction import Extraction, Reading
from .lexicon import flag, table
from .people import looks_like_place, parse_name


class OrganisationMention(Protocol):
    """What the organisation loader reports for one organisation named in the text."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def iri(self) -> URIRef: ...
    @property
    def name(self) -> str: ...
    @property
    def acronym(self) -> str | None: ...
    @property
    def standing_acronym(self) -> str | None: ...
    @property
    def unit_of(self) -> URIRef | None: ...


class Organisations(Protocol):
    """The organisation loader's lookups, as the post reader uses them."""

    def find(self, text: str, start: int = 0, end: int | None = None) -> Sequence[OrganisationMention]: ...

    def add(self, ext: Extraction, mention: OrganisationMention) -> URIRef: ...

    def council_of_place(self, place: str, start: int, end: int) -> OrganisationMention:
        """A council known only by its place, written at ``start``..``end``."""
        ...


@dataclass(frozen=True)
class RoleWord:
    """A role as written and the ``ak:Role`` it denotes."""

    role: URIRef
    title: str
    association_office: bool
    """An office of the association that publishes the text (may be written without its org)."""
    remit: bool = False
    """The post is named with its remit after the role word ("Strategic Director for People")."""
    council_member: bool = False
    """A councillor's office ("Lead Member for Children"), held in the council the document names."""
    council_post: bool = False
    """A post of a council, which a phrase may place by the council's area ("DCS Anyshire", "Anyshire leader")."""


ROLE_WORDS: dict[str, RoleWord] = {
    row["written"]: RoleWord(
        AK[row["role"]],
        row["title"],
        flag(row["association_office"]),
        remit=flag(row["remit"]),
        council_member=flag(row["council_member"]),
        council_post=flag(row["council_post"]),
    )
    for row in table("posts")
}
"""Role words, lower-cased; the longest written form is matched first."""

_ROLE = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(ROLE_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_FUZZY_ROLE_WORDS = ("president", "secretary", "chair", "director")
_REMIT_STOP = (
    "at|in|on|from|since|until|who|which|that|said|says|added|has|have|had|is|was|were|will|would|the|a|an|to"
    "|with|as|by|after|before|when|where|and|or|for|of|its|his|her|their|our|cllr|councillor"
)
_REMIT_WORD = rf"(?!(?i:{_REMIT_STOP})\b)[A-Za-z][\w’'-]*"
_REMIT_RUN = rf"{_REMIT_WORD}(?:[ \t]+{_REMIT_WORD}){{0,4}}"
_QUALIFIER = re.compile(
    rf"\s*(?:for|of)[ \t]+{_REMIT_RUN}(?:(?:[ \t]*,[ \t]*{_REMIT_RUN})*,?[ \t]+(?:and|&)[ \t]+{_REMIT_RUN})?"
)
"""The remit after a role word, in any case: "Strategic Director for People", "assistant director for
early help", "cabinet member for children, families and education" (a list of remits ends in "and")."""
_THE_COUNCIL = re.compile(
    r"\b(?:the|this)[ \t]+(?:(?:county|city|borough|district)[ \t]+)?(?:council|authority)\b(?:['’]s)?",
    re.IGNORECASE,
)
"""A council written as "the council" ("director of children's services at the council", "the
authority's chief executive"): the council the page is about."""
_THE_UNIT = re.compile(r"(?<![\w’'-])(?:the[ \t]+)?(?P<head>Committee|Board|Panel|Commission)(?![\w-])(?:['’]s)?")
"""A committee written by its head noun alone, capitalised ("Committee chair Jo Doe", "the Board's
chair"): the one committee of that head noun the page names."""
TERM = re.compile(r"(?:\bfor\s+)?\b((?:19|20)?\d{2})\s*[/-]\s*((?:19|20)?\d{2})\b")
"""A term written as a year pair: "2020/21", "21/22", "for 2021/22", "2020/2021"."""
_OPENS_ROLE = re.compile(
    r"(?:(?:^|[,.:;]\s*|\b(?:the|its|their|our|his|her|by)\s+)(?:(?:new|incoming|current|newly[- ]elected)\s+)?"
    r"|\b(?:former|outgoing|previous)\s+)$",
    re.IGNORECASE,
)
"""What may stand just before a role phrase written before a name ("..., the", "its new", "welcomed by",
"former" after any word)."""
_SPOKEN_FOR = re.compile(r"(?<![\w’'-])(?P<remit>[a-z][a-z’'-]*(?:\s+(?:and\s+)?[a-z][a-z’'-]*){0,5})\s+$")
"""The remit written before a spokesperson's role word, in lower case ("education spokesperson")."""
_IN_PLACE = re.compile(
    r"\s+(?:(?P<prep>in|for|at|of)\s+)?(?P<place>[A-Z][\w’'-]+(?:\s+(?:and\s+)?[A-Z][\w’'-]+){0,3})\s*\.?\s*"
)
"""The place after a council post ("in Kent", "Mayor of Anytown", or bare after "DCS": "DCS Anyshire")."""
_PLACE_ENDING = re.compile(r"(?P<place>[A-Z][\w’'-]+(?:\s+(?:and\s+)?[A-Z][\w’'-]+){0,3})(?:['’]s)?\s+$")
"""A place just before a council post ("Anyshire leader", "Anyshire's director of children's services")."""
_COUNCIL_TYPE = r"(?:County|City|Borough|District|Metropolitan\s+Borough)"
_BOROUGH = r"(?:London|Royal)\s+Borough"
_ANY_COUNCIL = re.compile(rf".+\s+Council|{_BOROUGH}\s+of\s+.+")
"""Any council's name: "X Council", "X County Council", "London Borough of X"."""
_FILLER = re.compile(
    r"^(?:[\s,;:()]|['’]s\b|(?:the|of|at|in|for|to|and|charity|think[- ]?tank|campaign\s+group"
    r"|association|organisation)\b)*$",
    re.IGNORECASE,
)
"""What may stand between a role word and its organisation ("Chair of the ...", "Ofsted's Chief Inspector",
"Member to the Board", "Chief Executive of the charity ..."), or stand for the page's own association ("president of the
association", "the association's president")."""


@dataclass(frozen=True)
class Term:
    """A term written after a role ("2020/21"), with the office year it names."""

    label: str
    """The year pair as written ("2020/21", "21/22"), without a leading "for"."""
    start: int
    end: int
    first_year: int

    @property
    def interval(self) -> tuple[date, date]:
        """The association year the term names: 1 April of the first year to 31 March of the next."""
        return date(self.first_year, 4, 1), date(self.first_year + 1, 3, 31)

    @property
    def key(self) -> str:
        """The term as an IRI segment: "2020-21"."""
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}"


@dataclass(frozen=True)
class RolePhrase:
    """A role phrase read from the text and the post it names."""

    start: int
    end: int
    post: URIRef
    name: str
    role: URIRef
    organisation: OrganisationMention
    unit: OrganisationMention | None
    term: Term | None
    explicit_org: bool
    """False when the organisation was not written and the document's association was assumed."""
    reading: Reading
    """How the phrase was read: the rule and confidence of the holdings it states."""
    council_from_place: bool = False
    """The council is named only by its place ("DCS Anyshire"): the loader writes it as a new node."""


WRITTEN_ORGANISATION = Reading("role phrase with its organisation", 0.95)
HOME_ASSOCIATION = Reading("association office in the page's association", 0.8)
COUNCIL_OF_PLACE = Reading("council post in the one council of its place the page names", 0.8)
SOLE_COUNCIL = Reading("councillor's office in the one council the page names", 0.8)
UNNAMED_COUNCIL = Reading("council post in a council the page names only by its place", 0.6)
THE_COUNCIL = Reading("post in 'the council', the one council the page names", 0.8)
MAIN_COUNCIL = Reading("post in 'the council', the council the page names most often", 0.6)
THE_UNIT = Reading("post in 'the Committee', the one committee (board, panel) the page names", 0.7)
MAIN_COUNCIL_MEMBER = Reading("councillor's office in the council the page names most often", 0.6)
OWNER = Reading("post written without its body, in the body appointing to it", 0.8)
NEARBY_BODY = Reading("post written without its body, in the body of the post named just before", 0.7)
PAGE_BODY = Reading("post written without its body, in the one body the page's heading names", 0.45)
_BODY_FOLLOWS = re.compile(r"\s+(?:of|at|for|in|with)\s+(?!\d)\w")
"""A body written after the phrase but not known as one ("Chair of f40"): the post is not the page's body's."""
_HEADING_PARAGRAPHS = 3
"""How many opening paragraphs, before the first that ends as prose does, make up a page's heading (a
title, a label, a meeting's heading)."""


def parse_term(text: str, start: int, end: int) -> Term | None:
    """The term written in ``text[start:end]``, if there is exactly one plausible year pair."""
    found = list(TERM.finditer(text, start, end))
    if len(found) != 1:
        return None
    m = found[0]
    first, second = m.group(1), int(m.group(2))
    year = int(first) if len(first) == 4 else 2000 + int(first)
    if len(m.group(2)) == 4 and len(first) == 4 and second == year + 1:
        second %= 100
    if (year + 1) % 100 != second:
        return None
    return Term(text[m.start(1) : m.end()], m.start(), m.end(), year)


def _role_word(surface: str) -> RoleWord | None:
    word = ROLE_WORDS.get(surface.lower().replace("’", "'").replace("'", "’"))
    return word or ROLE_WORDS.get(surface.lower())


_QUALIFIERS = {row["written"]: row["title"] for row in table("post_qualifiers")}
_QUALIFIED = re.compile(r"\b(?P<qualifier>" + "|".join(map(re.escape, _QUALIFIERS)) + r")[ \t]+$", re.IGNORECASE)
"""A qualifier just before a role word ("interim", "acting", "joint"): part of the post's title."""


def _qualified(text: str, start: int, at: int, word: RoleWord) -> tuple[int, RoleWord]:
    """Where the role word at ``at`` starts with its qualifier (not before ``start``), and its title."""
    m = _QUALIFIED.search(text, max(start, at - 16), at)
    if m is None:
        return at, word
    return m.start(), replace(word, title=f"{_QUALIFIERS[m.group('qualifier').lower()]} {word.title}")


def find_role_words(text: str, start: int, end: int) -> list[tuple[int, int, RoleWord]]:
    """Role words in ``text[start:end]``, with a qualifier before them ("interim director"): exact,
    or a capitalised word one typo away from one."""
    found = []
    for m in _ROLE.finditer(text, start, end):
        word = _role_word(m.group())
        if word is not None:
            at, word = _qualified(text, start, m.start(), word)
            found.append((at, m.end(), word))
    for m in re.finditer(r"\b[A-Z][a-z]{4,}\b", text[start:end]):
        if any(s <= start + m.start() < e for s, e, _ in found):
            continue
        close = difflib.get_close_matches(m.group().lower(), _FUZZY_ROLE_WORDS, n=1, cutoff=0.8)
        plural = close and m.group().lower() in (close[0] + "s", close[0] + "es")  # "Directors" is no typo
        if close and close[0] != m.group().lower() and close[0] in ROLE_WORDS and not plural:
            found.append((start + m.start(), start + m.end(), ROLE_WORDS[close[0]]))
    return sorted(found, key=lambda f: f[0])


def _close_spelling(written: str, known: str) -> bool:
    """A misspelt or word-dropped form of a known name ("Association of Children's Services")."""
    return difflib.SequenceMatcher(None, written.casefold(), known.casefold()).ratio() >= 0.8


def _is_filler(text: str) -> bool:
    return bool(_FILLER.fullmatch(text))


def _uncovered(text: str, start: int, end: int, covered: list[tuple[int, int]]) -> str:
    chars = list(text[start:end])
    for s, e in covered:
        for i in range(max(s, start), min(e, end)):
            chars[i - start] = " "
    return "".join(chars)


def post_iri(org: OrganisationMention, role: RoleWord, unit: OrganisationMention | None, remit: str) -> URIRef:
    """``id:post/{org}/{role}[/{unit}]``: the same post wherever and however it is written."""
    org_iri = unit.unit_of if unit is not None and unit.unit_of is not None else org.iri
    role_part = slug(role.title + (" " + remit if remit else ""))
    parts: list[str] = [_last_segment(org_iri), role_part]
    if unit is not None:
        parts.append(_last_segment(unit.iri))
    return resource("post", *parts)


def _last_segment(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def post_name(org: OrganisationMention, role: RoleWord, unit: OrganisationMention | None, remit: str) -> str:
    """A readable name for the post, the same in every document: "ADCS President", "Chair of the ADCS ... Committee".

    An acronym only a document defines is not used: another document may name the post without it.
    """
    title = role.title + (" " + remit if remit else "")
    if role.title.casefold() in org.name.casefold():
        return org.name
    if unit is not None:
        return f"{title} of the {unit.name}"
    if role.association_office and org.standing_acronym:
        return f"{org.standing_acronym} {title}"
    return f"{title}, {org.name}"


class RoleReader:
    """Reads role phrases in one document, given the organisation loader's lookups."""

    def __init__(self, ext: Extraction, organisations: Organisations) -> None:
        self.ext = ext
        self.organisations = organisations
        self._home: OrganisationMention | None = None
        self._home_read = False
        self._page_body: OrganisationMention | None = None
        self._page_body_read = False

    def home_organisation(self) -> OrganisationMention | None:
        """The association whose offices the document names: the organisation most often
        written right beside an association office ("ADCS President", "President of the LGA"),
        one known by an acronym first on a tie."""
        if self._home_read:
            return self._home
        self._home_read = True
        text = self.ext.text
        counts: Counter[URIRef] = Counter()
        seen: dict[URIRef, OrganisationMention] = {}
        for s, e, word in find_role_words(text, 0, len(text)):
            if not word.association_office:
                continue
            for m in self.organisations.find(text, max(0, s - 80), min(len(text), e + 120)):
                beside = text[m.end : s] if m.end <= s else text[e : m.start] if m.start >= e else "x"
                if m.unit_of is None and _is_filler(beside):
                    counts[m.iri] += 1
                    seen.setdefault(m.iri, m)
        ranked = sorted(counts.items(), key=lambda c: (-c[1], seen[c[0]].acronym is None, str(c[0])))
        self._home = seen[ranked[0][0]] if ranked else None
        return self._home

    def read(
        self,
        start: int,
        end: int,
        aside: tuple[int, int] | None = None,
        owner: OrganisationMention | None = None,
        nearby: OrganisationMention | None = None,
    ) -> RolePhrase | None:
        """The role phrase that makes up ``text[start:end]`` (commas, "the" and ``aside`` apart),
        or ``None``; ``owner`` is the body a post written without one belongs to (the council
        appointing to it), ``nearby`` the body of the post named just before, which such a post
        (not an association office) is in when nothing else places it."""
        text = self.ext.text
        words = [w for w in find_role_words(text, start, end) if aside is None or not aside[0] <= w[0] < aside[1]]
        # a role word written on both sides of its organisation ("Chair, Wexmoor Board Chair") is one
        repeated = words[1][:2] if len(words) == 2 and words[0][2] == words[1][2] else None
        if len(words) != 1 and repeated is None:
            return None
        ws, we, word = words[0]
        remit = ""
        qualifier = _QUALIFIER.match(text, we, end)
        if qualifier and word.remit:
            # a body written after the remit ("for People, Anyshire City Council") is not part of it
            named = [m.start for m in self.organisations.find(text, qualifier.start(), qualifier.end())]
            remit_end = min([qualifier.end(), *named])
            written = re.sub(r"[\s,]*(?:\b(?:and|of|for)\b[\s,]*)*$", "", text[qualifier.start() : remit_end])
            if re.search(r"\s(?:for|of)\s", " " + written):
                remit = " ".join(written.split())
                we = qualifier.start() + len(written)
        spoken_for = _SPOKEN_FOR.search(text, start, ws) if word.role == AK.Spokesperson else None
        if spoken_for is not None:  # "the LGA's children and young people spokesperson"
            remit = "for " + " ".join(spoken_for.group("remit").split())
            ws = spoken_for.start("remit")
        found = self.organisations.find(text, start, end)
        orgs = [m for m in found if m.end <= ws or m.start >= we]
        # an organisation named by its office ("the Children's Commissioner") is where that post is
        office = [m for m in found if m.start <= ws and we <= m.end]
        term = parse_term(text, start, end)
        orgs = [m for m in orgs if repeated is None or m.end <= repeated[0] or m.start >= repeated[1]]
        covered = [(ws, we), *([repeated] if repeated else [])] + [(m.start, m.end) for m in orgs + office]
        covered += ([(term.start, term.end)] if term else []) + ([aside] if aside else [])
        leftover = _uncovered(text, start, end, covered)
        unit = next((m for m in orgs if m.unit_of is not None), None)
        if not (orgs or office) and word.council_post:
            placed = self._council_of_place(we, end)
            span = (ws, end)
            before = _PLACE_ENDING.search(text, start, ws) if placed is None and not text[we:end].strip() else None
            place = before.group("place") if before is not None and not text[start : before.start()].strip() else ""
            if before is not None and place and parse_name(place) is None:
                placed = self.council_named(place, before.start("place"), before.end("place"), looks_like_place(place))
                span = (before.start("place"), we)
            if placed is not None:
                council, reading = placed
                phrase = self._phrase(*span, council, word, None, term, remit, explicit=False, reading=reading)
                return replace(phrase, council_from_place=reading is UNNAMED_COUNCIL)
        main = self.main_council() if not (orgs or office) and word.council_member and _is_filler(leftover) else None
        if main is not None:
            reading = SOLE_COUNCIL if main[1] else MAIN_COUNCIL_MEMBER
            return self._phrase(ws, we, main[0], word, None, term, remit, explicit=False, reading=reading)
        implied = None if orgs or office else self._implied_organisation(start, end, covered, owner)
        if implied is not None:
            body, at, reading = implied
            span_start, span_end = min(ws, at[0]), max(we, at[1], term.end if term else we)
            return self._phrase(span_start, span_end, body, word, None, term, remit, explicit=False, reading=reading)
        if not _is_filler(leftover) or (office and orgs):
            return None
        org = office[0] if office else self._organisation(orgs, unit, word)
        reading = WRITTEN_ORGANISATION if orgs or office else HOME_ASSOCIATION
        if org is None and not (word.association_office or _BODY_FOLLOWS.match(text, we)):
            if nearby is not None:
                org, reading = nearby, NEARBY_BODY
            elif not word.council_post:
                org, reading = self.page_body(), PAGE_BODY
        if org is None:
            return None
        orgs += office
        span_start = min([ws, *(m.start for m in orgs)])
        span_end = max([we, *(m.end for m in orgs), *([term.end] if term else []), *(repeated[1:] if repeated else [])])
        return self._phrase(span_start, span_end, org, word, unit, term, remit, explicit=bool(orgs), reading=reading)

    def _implied_organisation(
        self, start: int, end: int, covered: list[tuple[int, int]], owner: OrganisationMention | None
    ) -> tuple[OrganisationMention, tuple[int, int], Reading] | None:
        """The body of a post written without its name: "the council" (the council the page names
        most, see :meth:`main_council`), "the Committee" (the one committee the page names), or
        ``owner``; with where it is written."""
        text = self.ext.text
        referred = [
            m for m in _THE_COUNCIL.finditer(text, start, end) if not _uncovered(text, *m.span(), covered).isspace()
        ]
        if len(referred) == 1:
            at = referred[0].span()
            main = self.main_council() if _is_filler(_uncovered(text, start, end, [*covered, at])) else None
            if main is not None:
                return main[0], at, THE_COUNCIL if main[1] else MAIN_COUNCIL
        units = [m for m in _THE_UNIT.finditer(text, start, end) if not _uncovered(text, *m.span(), covered).isspace()]
        if len(units) == 1 and _is_filler(_uncovered(text, start, end, [*covered, units[0].span()])):
            head = re.escape(units[0].group("head"))
            unit = self._sole_named(re.compile(rf".+\s{head}"))
            if unit is not None:
                return unit, units[0].span(), THE_UNIT
        if owner is not None and _is_filler(_uncovered(text, start, end, covered)):
            return owner, (owner.start, owner.end) if start <= owner.start < end else (start, start), OWNER
        return None

    def page_body(self) -> OrganisationMention | None:
        """The body a page is about when its heading (the opening paragraphs) names one and only one,
        as the minutes of a board do ("Anyshire Families Board - Tuesday, 4 March 2031")."""
        if self._page_body_read:
            return self._page_body
        self._page_body_read = True
        text = self.ext.text
        heading = []
        for para in self.ext.layer.paragraphs[:_HEADING_PARAGRAPHS]:
            if text[para.start : para.end].rstrip().endswith((".", "!", "?", ":", "\"", "”")):
                break  # prose: the page's text has begun
            heading.append(para)
        named = {m.iri: m for m in self.organisations.find(text, 0, heading[-1].end)} if heading else {}
        self._page_body = next(iter(named.values())) if len(named) == 1 else None
        return self._page_body

    def main_council(self) -> tuple[OrganisationMention, bool] | None:
        """The council a page is about ("the council", a councillor's office): the one it names, else
        the one it names most often (on a tie, the one of those its opening paragraph names); and
        whether it is the only one."""
        councils = [m for m in self.organisations.find(self.ext.text) if _ANY_COUNCIL.fullmatch(m.name)]
        counts = Counter(m.iri for m in councils)
        if not counts:
            return None
        most = max(counts.values())
        tied = {m.iri: m for m in councils if counts[m.iri] == most}
        if len(tied) > 1:  # the one the opening paragraph names, if it names one of them
            opening = self.ext.layer.paragraphs[0] if self.ext.layer.paragraphs else None
            tied = {i: m for i, m in tied.items() if opening is not None and m.end <= opening.end}
        return (next(iter(tied.values())), len(counts) == 1) if len(tied) == 1 else None

    def _council_of_place(self, start: int, end: int) -> tuple[OrganisationMention, Reading] | None:
        """The council a place after a council post names ("Director of Children's Services in
        Hertfordshire", "DCS Anyshire"): the one council of that place the document names in full;
        failing that, a council named after the place, at a low confidence."""
        text = self.ext.text
        written = _IN_PLACE.fullmatch(text, start, end)
        if written is None or parse_name(written.group("place")) is not None:
            return None
        place = written.group("place")
        if not written.group("prep") and not looks_like_place(place):
            return None
        return self.council_named(place, written.start("place"), written.end("place"), guess=True)

    def council_named(
        self, place: str, start: int, end: int, guess: bool
    ) -> tuple[OrganisationMention, Reading] | None:
        """The council of ``place`` (written at ``start``..``end``): the one council of that place the
        document names in full; failing that, when ``guess``, a council named after the place, at a
        low confidence."""
        text = self.ext.text
        area = rf"{re.escape(place)}(?:\s+upon\s+[A-Z][a-z]+)?"  # "Kingston" for "Kingston upon Thames"
        council = re.compile(rf"(?:{area}(?:\s+{_COUNCIL_TYPE})?\s+Council|{_BOROUGH}\s+of\s+{area})")
        found = self._sole_named(council)
        if found is not None:
            return found, COUNCIL_OF_PLACE
        if not guess or any(self.organisations.find(text, start, end)):
            return None  # not surely a place, or the "place" is a body's name
        return self.organisations.council_of_place(place, start, end), UNNAMED_COUNCIL

    def _sole_named(self, name: re.Pattern[str]) -> OrganisationMention | None:
        """The one body (of those whose name ``name`` matches) the document names, or None for none or several."""
        named = {m.iri: m for m in self.organisations.find(self.ext.text) if name.fullmatch(m.name)}
        return next(iter(named.values())) if len(named) == 1 else None

    def _organisation(
        self, orgs: list[OrganisationMention], unit: OrganisationMention | None, word: RoleWord
    ) -> OrganisationMention | None:
        if unit is not None:
            return unit
        plain = [m for m in orgs if m.unit_of is None]
        home = self.home_organisation() if word.association_office else None
        if not plain:
            return home
        org = plain[-1]
        if home is not None and org.iri != home.iri and _close_spelling(org.name, home.name):
            self.ext.skip("posts", org.start, f"organisation {org.name!r} read as {home.name!r} (close spelling)")
            return home
        return org

    def _phrase(
        self,
        start: int,
        end: int,
        org: OrganisationMention,
        word: RoleWord,
        unit: OrganisationMention | None,
        term: Term | None,
        remit: str,
        *,
        explicit: bool,
        reading: Reading,
    ) -> RolePhrase:
        unit = org if org.unit_of is not None else unit
        return RolePhrase(
            start=start,
            end=end,
            post=post_iri(org, word, unit, remit),
            name=post_name(org, word, unit, remit),
            role=word.role,
            organisation=org,
            unit=unit,
            term=term,
            explicit_org=explicit,
            reading=reading,
        )

    def read_before(self, start: int, end: int) -> RolePhrase | None:
        """The role phrase ending at ``end`` (just before a name), starting anywhere after ``start``."""
        text = self.ext.text
        words = {s for s, _, _ in find_role_words(text, start, end)}
        places = (_PLACE_ENDING.search(text, start, s) for s in words)  # "Anyshire leader"
        orgs = self.organisations.find(text, start, end)
        # "... neighbouring Anyshire Council's director of children's services Jo Doe": a post
        # written with its organisation's possessive opens a phrase after any word
        possessive = {m.start for m in orgs if re.match(r"['’]s\s", text[m.end : m.end + 3])}
        # "... while Anyshire Council leader Jo Doe": so does a body written right before its role word
        possessive |= {m.start for m in orgs if any(re.fullmatch(r"\s+", text[m.end : s]) for s in words)}
        candidates = sorted(
            words
            | {m.start("place") for m in places if m is not None}
            | {m.start for m in orgs}
            | {m.start() for m in TERM.finditer(text, start, end)}
        )
        for s in candidates:
            if s in possessive or _is_filler(text[start:s]) or _OPENS_ROLE.search(text[start:s]):
                phrase = self.read(s, end)
                if phrase is not None:
                    return phrase
        return None

    def add(self, phrase: RolePhrase) -> URIRef:
        """Write the post node (and its organisations) and mention it at the phrase."""
        g = self.ext.graph
        post = phrase.post
        if (post, RDF.type, AK.Post) not in g:
            g.add((post, RDF.type, AK.Post))
            g.add((post, AK.name, Literal(phrase.name)))
            g.add((post, AK.role, phrase.role))
        org = phrase.unit or phrase.organisation
        if phrase.council_from_place:
            self.organisations.add(self.ext, phrase.organisation)
        if phrase.explicit_org:
            for mention in self.organisations.find(self.ext.text, phrase.start, phrase.end):
                if (mention.iri, AK.mention, self.ext.document.span_iri(mention.start, mention.end)) not in g:
                    self.organisations.add(self.ext, mention)
        g.add((post, AK.postIn, org.iri))
        if (post, AK.mention, self.ext.document.span_iri(phrase.start, phrase.end)) not in g:
            self.ext.mention(post, phrase.start, phrase.end)
        return post
