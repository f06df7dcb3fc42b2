"""Recommendations: what a document recommends, to whom, and on whose authority.

Three ways of writing a recommendation are read:

- **lists** after a recommendations context: an addressee heading ("For Central Government",
  "For the Sector", "Recommendations for policy-makers", "Summary of recommendations") or an
  introducing sentence ("The APPG has made the following recommendations:"); a sentence ending
  in its subject and a modal ("..., the committee says the DfE should:") addresses the list
  below it to that subject, as a heading does. Items are numbered
  ``1)``, ``1.``, ``- 1)``; lettered sub-items ``(a)``, ``(b)`` are recommendations of their own
  (``ak:subItem``, numbered ``3(a)``); plain bullets and paragraphs continuing an item in lower
  case belong to its text. A heading changes the addressee without ending the list.
- **inline paragraphs** "Recommendation: ..." / "Recommendation 3: ...", with the bullets or
  sub-items a paragraph ending in ":" introduces.
- **prose** reporting another body's recommendations: "The report makes a number of
  recommendations ..., including X" and "The key recommendation was X" give one recommendation X.

The addressee (``ak:addressee``) is the subject of the recommending sentence when it names an
organisation ("The DfE should ...") or a group of agents ("Local authorities should ..." -> the
``ak:Group`` "local authorities"), a generic one by one name however it is written ("the Government",
"central government" -> "government"; "councils" -> "local authorities"); otherwise, for a
passive or subjectless sentence, the heading's addressee; otherwise the addressee of the listed
recommendation an inline one repeats. The source (``ak:source``) is the organisation an
introducing sentence names ("... are made by ADCS", "The APPG has made ..."), or for prose the
report the item responds to. What cannot be decided is left out and noted with ``ext.skip``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK, resource, slug

from .entities import MentionType
from .extraction import Extraction
from .lexicon import table
from .organisations import OrganisationMention, add_organisation

LOADER = "recommendations"


_ADDRESSEE_HEADING = re.compile(
    r"^[ \t]*(?:(?:Summary\s+of\s+)?Recommendations?\s+)?[Ff]or\s+(?P<who>[A-Z'’\w][\w'’\- ]{1,60}?)[ \t]*:?[ \t]*$"
)
_CONTEXT_HEADING = re.compile(r"^[ \t]*[^\n.]{0,40}\b[Rr]ecommendations\b[^\n.]{0,40}$")
_INTRO = re.compile(
    r"\b(?:recommend(?:ations?|s|ed)?|ambitions|asks|calls|proposals)\b[^\n]*:[ \t]*$|\bfollowing\s+recommendations?\b",
    re.IGNORECASE,
)
"""A line introducing a list of recommendations ("... with four ambitions for the sector:")."""
_NUMBERED = re.compile(r"^[ \t]*(?:[-•*▪][ \t]*)?(?:\*\*)?(?P<num>\d{1,2})(?:[).]|\.\))(?:\*\*)?[ \t]+(?P<text>\S.*)$")
_LETTERED = re.compile(
    r"^[ \t]*(?:[-•*▪][ \t]*)?(?:\*\*)?\(?(?P<letter>[a-z]|[ivx]{1,4})\)(?:\*\*)?[ \t]+(?P<text>\S.*)$"
)
_BULLET = re.compile(r"^[ \t]*[-•*▪][ \t]+(?P<text>\S.*)$")
_EMPTY_BULLET = re.compile(r"^[ \t]*[-•*▪][ \t]*$")
_INLINE = re.compile(
    r"^[ \t]*(?:\*\*)?Recommendation(?:[ \t]+(?P<num>\d{1,2}(?:\([a-z]\)|[a-z])?))?(?:\*\*)?"
    r"[ \t]*[:.–-][ \t]*(?P<text>\S.*)$"
)
_MODAL = re.compile(
    r"\b(?:should|must|needs?\s+to|ought\s+to|will\s+need\s+to|(?:is|are)\s+(?:asked|urged|encouraged)\s+to)\b"
)
_PASSIVE = re.compile(
    r"\s+(?:also\s+|now\s+|urgently\s+)?be\s+(?:\w+ed|\w+en|held|made|set|kept|built|done|met|paid)\b"
)
_ACTOR_PASSIVE = re.compile(r"\s+be\s+(?:required|expected|asked|encouraged|supported|enabled|funded|empowered)\s+to\b")
"""A passive whose subject still acts ("Councils should be required to sign ...")."""
_GROUP_HEADS = (
    r"authorities|councils|schools|organisations|organizations|agencies|partners|providers|researchers"
    r"|leaders|commissioners|bodies|departments|practitioners|professionals|policy-?makers|ministers"
    r"|partnerships|trusts|boards|employers|services|sector|colleges|academies|settings|inspectorates"
)
_GROUP = re.compile(rf"^(?:all\s+|the\s+|every\s+)?(?P<name>(?:[\w’'\-]+\s+){{0,3}}(?:{_GROUP_HEADS}))$", re.IGNORECASE)
_GENERIC_AGENTS = {row["written"]: row["group"] for row in table("addressees")}
"""Generic agents by their written forms (lexicon ``addressees``): "the Government" and "central
government" are the group "government", "councils" and "local authorities" the group "local authorities"."""
_TIER_OF_GOVERNMENT = re.compile(r"^(?:regional|devolved)\s+government$", re.IGNORECASE)
_PROSE = re.compile(
    r"\b(?:makes?|made|sets?\s+out|includes?|contains?)\s+(?:a\s+number\s+of\s+|several\s+|a\s+series\s+of\s+|\d+\s+)?"
    r"recommendations?\b[^.\n]*?,\s+including\s+(?P<text>[^.\n]+)"
    r"|\b(?:[Tt]he|[Ii]ts)\s+(?:key|main|central|principal|headline)\s+recommendation\s+(?:was|is)\s+(?P<text2>[^.\n]+)"
    r"|\brecommend(?:s|ed)\s+that\s+(?P<text3>[^.\n]+)"
)
_REPORT_SUBJECT = re.compile(
    r"\b(?:report|review|inquiry|paper|study|panel|committee|commission|taskforce|group)[ \t]*$", re.IGNORECASE
)
"""A report, or the body that wrote it, as the subject of "recommends that"."""
_MADE_BY = re.compile(r"\brecommendations\s+(?:are|were|have\s+been)\s+made\s+by\s+(?:the\s+)?$", re.IGNORECASE)
_MAKES = re.compile(
    r"\s*(?:has|have)?\s*(?:made|makes|make|sets?\s+out|published|publishes)\s+(?:the\s+following|a\s+number\s+of|\d+|several)?"
    r"\s*(?:key\s+)?recommendations\b",
    re.IGNORECASE,
)
_CONTEXT_REACH = 3000
"""An addressee heading ("For the Sector") opens a list this many characters after a line that
speaks of recommendations ("Summary of recommendations", "Recommendations for policy-makers")."""
_SIMILAR = 0.6
"""Share of its words an inline recommendation shares with the listed one it repeats."""


@dataclass
class Entry:
    """A recommendation read from the text, before it is written."""

    start: int
    end: int
    number: str | None
    heading: tuple[str, int, int] | None
    """The addressee heading above it: (name, start, end)."""
    listed: bool
    """Read from a list (its addressee may be reused by an inline paragraph repeating it)."""
    subs: list[Entry] = field(default_factory=list)
    reported: bool = False
    """Read from prose reporting a recommendation ("..., including X"), not from a list or label."""
    owner: OrganisationMention | None = None
    """The organisation a reported recommendation is attributed to ("ADCS recommends that ...")."""
    opened: bool = False
    """Its text ends with ":" and introduces bullets that belong to it."""
    called: tuple[int, int] | None = None
    """For a call reported in prose ("calls on the Government to ..."): where the one called on is named."""
    continues: Entry | None = None
    """The reported recommendation this one goes on from ("It should also ..."), whose addressee it has."""
    source: URIRef | None = None
    addressee: URIRef | None = None


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[Line]:
    """The lines of ``text`` with their offsets (without the line feed)."""
    lines, start = [], 0
    for raw in text.split("\n"):
        lines.append(Line(start, start + len(raw), raw))
        start += len(raw) + 1
    return lines


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without surrounding whitespace and emphasis markers."""
    while start < end and (text[start].isspace() or text[start] == "*"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == "*"):
        end -= 1
    return start, end


def _heading_of(line: Line) -> tuple[str, int, int] | None:
    m = _ADDRESSEE_HEADING.match(line.text)
    if m is None or line.text.rstrip().endswith("."):
        return None
    return (
        m.group("who").strip(),
        line.start + m.start("who"),
        line.start + m.start("who") + len(m.group("who").strip()),
    )


_INTRODUCED = re.compile(
    r"(?:^|[\s,;])(?P<who>(?:the\s+)?[\w’'&\-]+(?:\s+[\w’'&\-]+){0,5}?)\s+(?:should|must|needs?\s+to)\s*:\s*$"
)
_INTRODUCED_STOP = re.compile(r".*\b(?:says?|said|that|recommends?|believes?|thinks?|argues?)\s+", re.IGNORECASE)


def _introduced_addressee(line: Line) -> tuple[str, int, int] | None:
    """The subject of a sentence introducing a list with a modal ("... the committee says the
    Department for Education should:"): each listed item is addressed to it."""
    m = _INTRODUCED.search(line.text)
    if m is None:
        return None
    start = m.start("who")
    if (stop := _INTRODUCED_STOP.match(line.text, start, m.end("who"))) is not None:
        start = stop.end()
    who = line.text[start : m.end("who")]
    if not (_GROUP.match(who) or re.match(r"(?:the\s+)?[A-Z]", who)):
        return None
    return who, line.start + start, line.start + m.end("who")


class _Reader:
    """Walks the lines of a document, collecting recommendations."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _lines(text)
        self.entries: list[Entry] = []
        self.gaps: list[tuple[int, str]] = []

    def read(self) -> list[Entry]:
        i = 0
        context_seen = -_CONTEXT_REACH - 1
        while i < len(self.lines):
            line = self.lines[i]
            heading = _heading_of(line) or _introduced_addressee(line)
            explicit = bool(_CONTEXT_HEADING.match(line.text)) or (
                bool(_INTRO.search(line.text)) and not _INLINE.match(line.text)
            )
            if explicit:
                context_seen = line.start
            if explicit or (heading is not None and line.start - context_seen <= _CONTEXT_REACH):
                i = self._list(i + 1, heading, bullets=explicit)
                continue
            inline = _INLINE.match(line.text)
            if inline is not None:
                i = self._inline(i, inline)
                continue
            i += 1
        return self.entries

    def _next_content(self, i: int) -> int:
        while i < len(self.lines) and not self.lines[i].text.strip():
            i += 1
        return i

    def _list(self, i: int, heading: tuple[str, int, int] | None, *, bullets: bool) -> int:
        """Read a list from line ``i`` on; return the first line after it.

        Items are numbered ("1)", "1."), or lettered ("a)", "(b)") when the list starts with a
        letter; with ``bullets`` (after an explicit recommendations context) a list whose first
        item is a plain bullet is read as unnumbered items, one per bullet.
        """
        last_number: int | None = None
        current: Entry | None = None
        bulleted = lettered = False
        while True:
            i = self._next_content(i)
            if i >= len(self.lines):
                return i
            line = self.lines[i]
            new_heading = _heading_of(line)
            numbered = _NUMBERED.match(line.text)
            if new_heading is not None:
                heading, current, last_number = new_heading, None, None
            elif numbered is not None:
                number = int(numbered.group("num"))
                if last_number is not None and number != last_number + 1:
                    if number <= last_number:
                        return i
                    missing = ", ".join(str(n) for n in range(last_number + 1, number))
                    self.gaps.append((line.start, f"numbered recommendations skip {missing}"))
                last_number = number
                current = self._item(line, numbered, str(number), heading)
            elif (
                bullets
                and last_number is None
                and (current is None or bulleted)
                and (bullet := _BULLET.match(line.text))
            ):
                bulleted = True
                current = self._item(line, bullet, None, heading)
            elif last_number is None and (current is None or lettered) and (letter := _LETTERED.match(line.text)):
                lettered = True
                current = self._item(line, letter, letter.group("letter"), heading)
            elif current is not None and self._continues(current, line):
                pass
            elif not _EMPTY_BULLET.match(line.text) or current is None:
                return i
            i += 1

    def _item(self, line: Line, m: re.Match[str], number: str | None, heading: tuple[str, int, int] | None) -> Entry:
        start, end = _trim(self.text, line.start + m.start("text"), line.end)
        entry = Entry(start, end, number, heading, listed=True)
        self.entries.append(entry)
        return entry

    def _continues(self, entry: Entry, line: Line) -> bool:
        """Add ``line`` to ``entry`` if it is a sub-item, a bullet or a continuation of it."""
        lettered = _LETTERED.match(line.text)
        if lettered is not None:
            start, end = _trim(self.text, line.start + lettered.start("text"), line.end)
            number = f"{entry.number or ''}({lettered.group('letter')})"
            entry.subs.append(Entry(start, end, number, entry.heading, entry.listed))
            entry.end = end
            return True
        stripped = line.text.strip()
        bullet = _BULLET.match(line.text)
        entry.opened = entry.opened or self.text[entry.start : entry.end].endswith(":") or bool(entry.subs)
        if (bullet is not None and entry.opened) or (stripped and stripped.lstrip("*")[:1].islower()):
            entry.end = _trim(self.text, line.start, line.end)[1]
            return True
        return False

    def _inline(self, i: int, m: re.Match[str]) -> int:
        """Read an inline "Recommendation: ..." paragraph at line ``i``; return the line after it."""
        line = self.lines[i]
        start, end = _trim(self.text, line.start + m.start("text"), line.end)
        entry = Entry(start, end, m.group("num"), None, listed=False)
        self.entries.append(entry)
        i += 1
        while True:
            j = self._next_content(i)
            if j >= len(self.lines) or not self._continues(entry, self.lines[j]):
                return i
            i = j + 1


def _prose(ext: Extraction) -> Iterator[Entry]:
    """Recommendations reported in prose.

    "The report makes a number of recommendations ..., including X" and "The key recommendation
    was X" give X; "<organisation or report> recommends that X" gives X, attributed to the
    organisation when one is the subject.
    """
    for m in _PROSE.finditer(ext.text):
        group = next(g for g in ("text", "text2", "text3") if m.group(g) is not None)
        start, end = _trim(ext.text, m.start(group), m.end(group))
        that = re.match(r"that\s+", ext.text[start:end])
        start += that.end() if that else 0
        if end - start < 10:
            continue
        owner = None
        if group == "text3":
            subject = ext.entities.organisations_in(max(0, m.start() - 120), m.start())
            owner = subject[-1] if subject and not ext.text[subject[-1].end : m.start()].strip(" ’'s") else None
            if owner is None and not _REPORT_SUBJECT.search(ext.text, max(0, m.start() - 40), m.start()):
                continue
        entry = Entry(start, end, None, None, listed=False, reported=True, owner=owner)
        yield entry
        further = _FURTHER.match(ext.text, m.end()) if group == "text3" else None
        if further is not None:
            more = _trim(ext.text, further.start("text"), further.end("text"))
            yield Entry(*more, None, None, listed=False, reported=True, owner=owner, continues=entry)


_FURTHER = re.compile(
    r"[.!]?\s+(?P<text>(?:It|They|He|She)\s+(?:should|must|ought\s+to|needs?\s+to)\s+also\s+[^.\n]+[.])"
)
"""A sentence going on from a reported recommendation with its addressee as a pronoun ("The report recommends
that the DfE should set out its data. It should also set out its targets.")."""


_CALL = re.compile(
    r"\b(?:(?:calls?|calling|called)\s+(?:on|upon)|urges?|urged|urging)\s+"
    r"(?P<who>(?:the\s+)?[\w’'&\- ,]{2,80}?)\s+to\s+(?=[a-z])"
    r"|\b(?:calls?|calling|called)\s+for\s+(?!by\b)(?=[a-z])"
    r"|\b(?:previous|repeated|renewed|its|their|our)\s+calls\s+for\s+"
    r"|\b(?:an?|the|its|their)\s+(?:key\s+|central\s+|main\s+)?recommendation\s+(?:made\s+)?(?:in|by|of|from)\s+"
    r"|\b(?i:as)\s+(?:the\s+\w+\s+|it\s+|they\s+)?recommend(?:s|ed)\b"
)
"""A call or recommendation reported in prose: "the Panel calls for", "calls on the Government to",
"X urged councils to", "a recommendation made in the Review for", "as the report recommends"."""


def _calls(ext: Extraction) -> Iterator[Entry]:
    """Calls reported in prose, each from its verb (or noun) of calling to the end of its sentence;
    the one called on ("calls on the Government to") is the addressee, else none is stated."""
    for m in _CALL.finditer(ext.layer.plain):
        sentence = ext.layer.sentence_at(m.start())
        if sentence is None or ext.layer.is_furniture(m.start()):
            continue
        cut_short = not ext.text[sentence.end :].strip()  # the text of a page cut off mid-sentence
        if not (_CLOSED.search(ext.text, sentence.start, sentence.end) or cut_short):
            continue  # a headline restates the call its item reports
        if not _caller_named(ext, sentence.start, m.end()) or _OWN_CALL.search(ext.text, sentence.start, m.start()):
            continue
        start, end = _trim(ext.text, m.start(), sentence.end)
        if end - start < 20:
            continue
        called = None
        if m.group("who"):
            first = re.split(r",|\s+(?:and|&)\s+", m.group("who"))[0]
            called = (m.start("who"), m.start("who") + len(first.rstrip()))
        subject = ext.entities.organisations_in(sentence.start, m.start())
        owner = subject[-1] if subject and _SUBJECT_GAP.fullmatch(ext.text, subject[-1].end, m.start()) else None
        yield Entry(start, end, None, None, listed=False, reported=True, owner=owner, called=called)


_SUBJECT_GAP = re.compile(r"(?:[’']s)?(?:\s+(?:is|are|was|were|has|have|also|now|today|again))*\s*")
"""Between a calling body and its verb ("ADCS is also calling on", "The LGA urged")."""
_OWN_CALL = re.compile(r"\bI\s+(?:have\s+|had\s+)?(?:(?:long|always|repeatedly|also|consistently)\s+)*$")
"""A speaker's own campaigning ("I have long called for ..."), a demand, not a recommendation reported."""
_CLOSED = re.compile(r"[.!?;:][\"”’')]*$")
"""A sentence closed by punctuation, as running prose is (a headline is not)."""
_CALLER = re.compile(
    rf"\b(?:it|they|we|he|she|(?:{_GROUP_HEADS})|report|review|panel|committee|commission|association|council"
    r"|government|inquiry|charity|network|directors|president|chair|leaders?|minister|secretary)\b",
    re.IGNORECASE,
)
"""Words naming who calls, before a call without a typed name ("It also calls for", "directors urged")."""
_CALLERS = (MentionType.PERSON, MentionType.ORGANISATION, MentionType.POST, MentionType.REPORT)


def _caller_named(ext: Extraction, start: int, end: int) -> bool:
    """Whether ``start``..``end`` (the words of a sentence before its call) names who calls: a person,
    body, post or report, or a pronoun or noun that stands for one. "The library calls for quiet" does not."""
    if any(ext.entities.of_type(kind, start, end) for kind in _CALLERS):
        return True
    return bool(_CALLER.search(ext.text, start, end))


_STOPWORDS = frozenset({"should", "must", "that", "this", "with", "from", "their", "them", "they", "there", "have"})


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())} - _STOPWORDS


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller word set found in the larger."""
    return len(a & b) / max(1, min(len(a), len(b)))


def _organisation_node(ext: Extraction, org: OrganisationMention) -> URIRef:
    if (org.iri, RDF.type, AK.Organisation) in ext.graph:
        return org.iri
    return add_organisation(ext, org)


def _group(ext: Extraction, name: str, start: int, end: int) -> URIRef:
    """The ``ak:Group`` named ``name`` at ``start``..``end``."""
    label = name if re.search(r"[’']s\b", name) else name.lower()
    iri = resource("group", slug(label))
    ext.graph.add((iri, RDF.type, AK.Group))
    ext.graph.add((iri, AK.name, Literal(label)))
    _mention_once(ext, iri, start, end)
    return iri


def _mention_once(ext: Extraction, entity: URIRef, start: int, end: int) -> None:
    """Record a mention unless it is recorded already (a heading addresses many recommendations)."""
    if (entity, AK.mention, ext.document.span_iri(start, end)) not in ext.graph:
        ext.mention(entity, start, end)


def _agent(ext: Extraction, name: str, start: int, end: int, *, heading: bool) -> URIRef | None:
    """The organisation or group ``text[start:end]`` names, if it names one agent."""
    core = re.sub(r"^(?:the|all|every)\s+", "", name.strip(), flags=re.IGNORECASE)
    generic = _GENERIC_AGENTS.get(re.sub(r"\s+", " ", core.lower()))
    if generic is not None:
        return _group(ext, generic, start, end)
    orgs = ext.entities.organisations_in(start, end)
    if orgs:
        if len(orgs) > 1:
            ext.skip(LOADER, start, f"recommendation addressed to several organisations, first kept: {name!r}")
        return _organisation_node(ext, orgs[0])
    if heading or _GROUP.match(core) or _TIER_OF_GOVERNMENT.match(core):
        return _group(ext, name.strip() if heading else core, start, end)
    return None


def _subject_addressee(ext: Extraction, entry: Entry) -> URIRef | None:
    """The organisation or group the recommending sentence has as its (active) subject."""
    text = ext.text
    sentence_end = text.find(". ", entry.start, entry.end)
    modal = _MODAL.search(text, entry.start, entry.end if sentence_end < 0 else sentence_end)
    if modal is None or (_PASSIVE.match(text, modal.end()) and not _ACTOR_PASSIVE.match(text, modal.end())):
        return None
    clause_start = entry.start
    lead = re.match(r"(?:[^,.]{0,80},\s+)", text[entry.start : modal.start()])
    if lead is not None and lead.end() < modal.start() - entry.start:
        clause_start += lead.end()
    start, end = _trim(text, clause_start, modal.start())
    if start >= end or text[start:end].lower() in ("there", "this", "it", "we", "they"):
        return None
    if len(text[start:end].split()) > _SUBJECT_WORDS or "," in text[start:end]:
        return None  # the modal of a clause inside the item ("..., so that they may need to"), not its subject's
    return _agent(ext, text[start:end], start, end, heading=False)


_SUBJECT_WORDS = 16
"""The most words a recommending sentence's subject runs to ("The Department for Education and the Department
for Communities and Local Government")."""


def _heading_addressee(ext: Extraction, heading: tuple[str, int, int]) -> URIRef | None:
    name, start, end = heading
    return _agent(ext, name, start, end, heading=True)


def _source(ext: Extraction, entry: Entry) -> URIRef | None:
    """Who makes the recommendation: the body an introducing sentence names, or the report responded to."""
    item = ext.item_at(entry.start)
    lo, hi = (item.start, item.end) if item else (0, len(ext.text))
    if entry.reported:
        return _organisation_node(ext, entry.owner) if entry.owner else _report_before(ext, entry.start)
    for org in ext.entities.organisations_in(lo, min(hi, entry.start)):
        before = ext.text[max(lo, org.start - 80) : org.start]
        if _MADE_BY.search(before) or _MAKES.match(ext.text, org.end):
            return _organisation_node(ext, org)
    return None


def _report_before(ext: Extraction, pos: int) -> URIRef | None:
    """The report an item responds to, else the last report its text names before ``pos``, else the
    organisation whose report the item's title names."""
    item = ext.item_at(pos)
    if item is not None:
        report = ext.graph.value(item.iri, AK.respondsTo)
        if isinstance(report, URIRef):
            return report
    lo = item.start if item else 0
    named = [m for m in ext.mentions if lo <= m.start < pos and (m.node, RDF.type, AK.Report) in ext.graph]
    if named:
        return max(named, key=lambda m: m.start).node
    return _owner_in_title(ext, lo) if item is not None else None


def _owner_in_title(ext: Extraction, start: int) -> URIRef | None:
    """The organisation an item's title names as a report's owner ("... Review Panel's report")."""
    title = re.compile(r"\s*[^\n]*").match(ext.text, start)
    end = title.end() if title else start
    for org in ext.entities.organisations_in(start, end):
        if re.match(r"[’']s\b", ext.text[org.end : org.end + 2]):
            return _organisation_node(ext, org)
    return None


def extract(ext: Extraction) -> None:
    """Add every recommendation the document makes or reports."""
    reader = _Reader(ext.text)
    entries = reader.read()
    taken = [(e.start, e.end) for e in entries]
    for found in (*_prose(ext), *_calls(ext)):
        if all(found.end <= s or found.start >= t for s, t in taken):
            entries.append(found)
            taken.append((found.start, found.end))
    for offset, reason in reader.gaps:
        ext.skip(LOADER, offset, reason)
    listed = [e for e in entries if e.listed]
    for entry in listed:
        _decide(ext, entry, [])
    listed_words = [(e, _words(ext.text[e.start : e.end])) for e in listed]
    for entry in entries:
        if not entry.listed:
            _decide(ext, entry, listed_words)
    for entry in sorted(entries, key=lambda e: e.start):
        _write(ext, entry, None)


def _decide(ext: Extraction, entry: Entry, listed: Sequence[tuple[Entry, set[str]]]) -> None:
    """Set the source and addressee of a recommendation and its sub-items.

    The addressee is the sentence's subject, else the heading's addressee, else (for an inline
    paragraph) the addressee of the ``listed`` recommendation it repeats.
    """
    entry.source = _source(ext, entry)
    if entry.continues is not None:
        entry.addressee = entry.continues.addressee
    if entry.called is not None:
        entry.addressee = _agent(ext, ext.text[slice(*entry.called)], *entry.called, heading=False)
    if entry.addressee is None:
        entry.addressee = _subject_addressee(ext, entry)
    if entry.addressee is None and entry.heading is not None:
        entry.addressee = _heading_addressee(ext, entry.heading)
    if entry.addressee is None and not entry.listed:
        words = _words(ext.text[entry.start : entry.end])
        scored = [(_overlap(words, w), e) for e, w in listed]
        best = max(scored, key=lambda p: p[0], default=None)
        if best is not None and best[0] >= _SIMILAR:
            entry.addressee = best[1].addressee
    if entry.addressee is None and not entry.listed:
        entry.addressee = _framing_addressee(ext, entry, [e for e, _ in listed])
    for sub in entry.subs:
        sub.source = entry.source
        sub.addressee = _subject_addressee(ext, sub) or entry.addressee


_FRAMING = re.compile(r"(?:As\s+part\s+of|In|Through|Within)\s+(?P<name>[^,.]{3,80}),\s")
"""A clause opening an inline recommendation with the review or body it is made to ("As part of
the Munro review, the role of the IRO should be reviewed")."""


def _framing_addressee(ext: Extraction, entry: Entry, listed: Sequence[Entry]) -> URIRef | None:
    """The addressee of a listed recommendation whose heading the opening clause of ``entry`` names."""
    framing = _FRAMING.match(ext.text, entry.start, entry.end)
    if framing is None:
        return None
    named = _words(framing.group("name"))
    addressees = {
        e.addressee
        for e in listed
        if e.heading is not None and e.addressee is not None and _heading_named(e.heading[0], named)
    }
    return next(iter(addressees)) if len(addressees) == 1 else None


def _heading_named(heading: str, named: set[str]) -> bool:
    """Whether the words of a framing clause name the heading ("the Munro review" names "For
    Professor Munro's Review"): two or more of its words, none other."""
    return len(named) >= 2 and named <= _words(heading)


def _write(ext: Extraction, entry: Entry, parent: URIRef | None) -> None:
    """Write a recommendation and its sub-items; one whose text names no addressee is kept, flagged
    ``ak:addresseeUnstated``."""
    iri = resource("recommendation", ext.document.id, entry.start)
    g = ext.graph
    g.add((iri, RDF.type, AK.Recommendation))
    ext.provenance(iri, entry.start, entry.end)
    if entry.number is not None:
        g.add((iri, AK.number, Literal(entry.number)))
    if entry.addressee is None:
        g.add((iri, AK.addresseeUnstated, Literal(True)))
    else:
        g.add((iri, AK.addressee, entry.addressee))
    if entry.source is not None:
        g.add((iri, AK.source, entry.source))
    item = ext.item_at(entry.start)
    if item is not None:
        g.add((iri, AK.inItem, item.iri))
    if parent is not None:
        g.add((parent, AK.subItem, iri))
    for sub in entry.subs:
        _write(ext, sub, iri)
