"""Reports: the reports, papers, reviews, surveys, datasets, statistics, inquiries and
consultations a document names.

A report is found where the text names it:

- a small gazetteer of the sector's big recurring reports and their surface forms ("the Care
  Review" is "the independent review of children's social care"), and the phases of ADCS's
  Safeguarding Pressures research, members of one ``ak:ReportSeries``;
- the editions of any research series named with it ("the Northmoor Demand Study Phase 3", "Wave 12
  of the Carers Survey", "interim report of ..."), and "Phase 2" alone where one series is named:
  reports of one ``ak:ReportSeries``, numbered; an interim report is its own report of that number,
  and so is a summary of several waves ("Summary of returns Waves 1 to 12", numbered 12);
- a download or link line "<title> – <part>" (lexicon ``report_parts``): "Making Care Count –
  report" names the report, and in a list of downloads "Phase 7 – Executive Summary (pdf)" a
  document of its own of the same edition; "... – Press Release" no report;
- a publication page's heading above "This guide ..."; a quoted title a body launches or publishes;
- a quoted or italic title next to a kind word (``Ofsted's ‘Matching in foster care’ report``,
  ``the White Paper “A smarter approach to sentencing”``, ``*Grasping the nettle*``);
- a title in apposition or after "called" (``the new CPAG report, The Safety Net is Gone,``), also
  after the body it is from (``a new report from the Anyshire Trust, Title,``),
  or after "published" (``X published Born into Care: ...``), ending before a time ("... in May");
- a capitalised name followed by a kind word (``the Schools White Paper``, ``the Wood Report``),
  a generic one with a named topic (``the Annual Review of the Year``), not a run ending in a body's
  name (``X on the Scrutiny Committee report``: that body's report);
- a citation ``Title (Publisher, [Month] Year)``;
- a publisher followed by a description (``Ofsted's annual report 2020/21``, ``MoJ family
  court quarterly statistics``, ``Cabinet Office consultation on ...``);
- a capitalised title as the subject of a finding verb (``No Good Options has identified``);
- the heading of a commentary published as a paper of its own (``Recommendations for
  policy-makers: an ADCS commentary on safeguarding pressures``).

A report named only by a description ("the LGA report on kinship care", no title, no edition's year)
is no report node: its publisher is named there, and a skip notes the description. Every surface
form of one report gives one node, ``id:report/{slug(title)}``: titles are
compared without a leading article, possessives, honorifics and dates; a description or an
untitled "Ofsted's report" in an item resolves to the one report of that item it can only mean,
and a title cut short by "..." to the report whose title it begins. Publisher (an organisation
the organisations loader found), year and series are set where the text states them: a year in
brackets after the title, "published in ...", a dated report summary whose title names the
report, or a dated item saying the report is published today (also for a title in apposition to
"the report" that sentence speaks of, whose subject is then the publisher). An item
commenting on or responding to a report gets ``ak:respondsTo`` that report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK, resource, slug

from .extraction import Extraction, ItemRecord
from .lexicon import table
from .organisations import OrganisationMention, add_organisation

LOADER = "reports"

KIND_WORDS: dict[str, URIRef] = {
    "white paper": AK.WhitePaper,
    "green paper": AK.GreenPaper,
    "discussion paper": AK.OtherReport,
    "position statement": AK.OtherReport,
    "paper": AK.OtherReport,
    "report": AK.ResearchReport,
    "study": AK.ResearchReport,
    "review": AK.Review,
    "survey": AK.Survey,
    "inquiry": AK.Inquiry,
    "statistics": AK.Statistics,
    "census": AK.Dataset,
    "dataset": AK.Dataset,
    "data": AK.Dataset,
    "consultation": AK.Consultation,
    "guidance": AK.Guidance,
    "guide": AK.Guidance,
}
"""Kind words (lower case) and the ``ak:ReportKind`` they give."""

_KIND = (
    r"(?i:white\s+paper|green\s+paper|discussion\s+paper|position\s+statement|paper|report|study|review|survey|inquiry"
    r"|statistics|census|dataset|data|consultation|guidance|guide)"
)
_KIND_RE = re.compile(_KIND)
_APOS = "[’']"
_CAP = (
    r"(?!(?:Paper|Report|Review|Survey|Inquiry|Study|Statistics|Census|Consultation|Data|Dataset|Guidance|Guide"
    r"|Programme|Scheme|Bill|Act|Fund|Grant|Strategy|Partnership|Plan)[ \t]+(?:and|&)\b)"
    r"(?:[A-Z][\w’'\-]*|\d[\d/\-]*|\([A-Z]{2,}\)|&)"
)
_CONNECTOR = r"(?:of|and|for|on|in|the|to|&)"
_RUN = rf"{_CAP}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)*{_CAP})*"
_QUOTED = (
    r"(?:‘(?P<q1>(?:[^‘’\n]|’(?=[a-z])){3,150})’|“(?P<q2>[^“”\n]{3,150})”|\"(?P<q3>[^\"\n]{3,150})\""
    r"|(?<![\w’'])'(?P<q4>[A-Z0-9](?:[^'\n]|(?<=\w)'(?=[a-z])){2,150})'(?![\w’']))"
)
"""A quoted title: in curly or straight quotes, single or double; an apostrophe inside single quotes is
part of the title (‘The Children’s Plan’, 'The Children's Plan')."""
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_YEAR = r"(?:19|20)\d{2}"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_NOT_A_REPORT_AFTER = re.compile(
    r"[ \t]+(?:Panel|Board|Group|Committee|Team|Officers?|Unit|Body|Authority|Meeting|Process|Programme|Period)\b"
)
"""A kind word followed by one of these is part of another name ("Review Panel")."""
_EXCLUDED_ANYWHERE = ("spending-review", "csr")
_EXCLUDED_HEADS = ("statement", "speech", "budget")
"""Fiscal events and speeches the policies loader owns, not reports: a title naming a spending review,
or ending in one of the heads ("Autumn Statement", "Spring Budget 2023"; "ADASS Budget Survey" is a report)."""


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_LEAD_WORDS = _word_set(
    "the a an this that these those its it his her their our your new latest recent final first second"
    " third interim forthcoming long awaited long-awaited said as in on for and of at by with to from"
    " commenting responding response comment following ahead implementation publication launch release"
    " writing speaking addressing reporting according under despite amid via during"
)
"""Words that open a capitalised run without being part of a title ("This Report")."""
_NON_TITLE_WORDS = _word_set(
    "latest new recent recently most own published annual quarterly first second third final forthcoming"
)
_GENERIC_WORDS = _NON_TITLE_WORDS | _word_set(
    "interim research summary executive full main progress evaluation technical thematic national independent"
    " special joint public official government"
)
"""Words that alone do not tell one report from another ("the Annual Report", "the Final Report")."""
_HONORIFICS = re.compile(r"^(?:(?:professor|prof|sir|dame|dr|lord|baroness|lady|the)\s+)+", re.IGNORECASE)
_POSSESSIVE = re.compile(rf"{_APOS}s\b|(?<=s){_APOS}(?=\s)")
_TRUNCATED = re.compile(r"(?:\.{2,}|…)\s*$")
_FINDING_VERBS = (
    r"(?:has\s+|have\s+)?(?:identified|found|finds|highlights|highlighted|recommends|recommended"
    r"|sets\s+out|set\s+out|shows|showed|reveals|revealed|concludes|concluded|calls\s+for|warns|warned)\b"
)
_PERSON_AHEAD = re.compile(
    r"(?:(?:Cllr|Dr|Professor|Sir|Dame|Lord|Baroness)\s+)?[A-Z][a-z]+\s+[A-Z][a-z’'\-]+"
    r"(?:\s+(?:OBE|CBE|MBE))?,?\s+(?:ADCS\s+(?:President|Vice|Chair|Honorary)|Chair|President|Vice|Director"
    r"|Minister|Secretary|Chief|said)\b"
)
"""A personal name followed by a role or "said": where a title written before it ends."""


@dataclass(frozen=True)
class SeriesRef:
    """A report's place in a series."""

    name: str
    number: int | None


@dataclass(frozen=True)
class Candidate:
    """One place a report is named, before the surface forms are resolved to nodes."""

    start: int
    end: int
    title: str | None
    """The title as written; ``None`` for an untitled mention ("Ofsted's report")."""
    kind: URIRef
    priority: int
    """Lower wins when two candidates overlap."""
    publisher: OrganisationMention | None = None
    year: int | None = None
    series: SeriesRef | None = None
    descriptive: bool = False
    """The title is a description built around the publisher ("Ofsted's annual report")."""
    canonical: bool = False
    """The title comes from the gazetteer and names the node."""
    alternative: str | None = None
    """The title with its kind word and nothing after ("Family Justice review", "Munro's review"),
    when the title as read differs: it names the report if another mention names it so."""


@dataclass(frozen=True)
class GazetteerEntry:
    """A recurring report: its canonical title, kind and the patterns of its surface forms."""

    title: str
    kind: URIRef
    patterns: tuple[str, ...]


GAZETTEER: tuple[GazetteerEntry, ...] = (
    GazetteerEntry(
        "Independent Review of Children’s Social Care",
        AK.Review,
        (
            r"(?i:(?:independent|national)\s+review\s+(?:of|into)\s+children[’']?s\s+social\s+care)",
            r"(?i:children[’']?s\s+social\s+care\s+review)",
            r"\bCare\s+Review\b",
            r"(?<=government[’']s\s)(?:much\s+anticipated\s+)?care\s+review\b",
            r"(?<=\bthe\s)care\s+review\b",
        ),
    ),
    GazetteerEntry(
        "SEND and Alternative Provision Green Paper",
        AK.GreenPaper,
        (r"(?i:SEND\s+and\s+(?:alternative\s+provision|AP)(?:\s+\(AP\))?\s+green\s+paper)",),
    ),
)
"""The sector's big recurring reports whose surface forms general patterns cannot join."""

SAFEGUARDING_PRESSURES = "Safeguarding Pressures"
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
}  # fmt: skip
_PHASE_NO = r"(?P<n>\d{1,2}|One|Two|Three|Four|Five|Six|Seven|Eight|Nine)"
_SP = r"Safeguarding\s+Pressures"
_SP_PHASE = re.compile(
    rf"(?P<interim>(?i:interim)\s+(?:report\s+of\s+)?)?"
    rf"(?:(?:ADCS[’']?s?\s+)?{_SP}(?:\s+research)?\s+Phase\s+{_PHASE_NO}"
    rf"|Phase\s+{_PHASE_NO.replace('<n>', '<m>')}\s+of\s+(?:the\s+)?(?:ADCS[’']?s?\s+)?{_SP}(?:\s+research)?)"
)
_SP_SERIES = re.compile(rf"(?:ADCS[’']?s?\s+)?{_SP}(?:\s+research)?")
_BARE_PHASE = re.compile(
    rf"(?P<interim>(?i:interim)\s+)?\bPhase\s+{_PHASE_NO}\b(?P<report>\s+report)?"
    r"|\b(?P<o>first|second|third|fourth|fifth|sixth|seventh|eighth)\s+phase\s+of\s+(?:(?:this|the)\s+)?(?:study|research)"
)
_PUBLISHED_IN = re.compile(
    rf"^\W{{0,3}}\s*(?:\(\s*)?(?:having\s+been\s+|was\s+|were\s+|first\s+|due\s+to\s+be\s+)?published\s+"
    rf"(?:in\s+|on\s+)?(?:\d{{1,2}}\s+)?(?:{_MONTH}\s+)?(?P<year>{_YEAR})\b"
)

_YEAR_IN_BRACKETS = re.compile(rf"[ \t]*\((?P<year>{_YEAR})\)")
"""A year in brackets after a title: "Safeguarding Pressures Phase 7 (2021)"."""


def _group(match: re.Match[str], *names: str) -> tuple[str, int, int] | None:
    for name in names:
        if match.group(name) is not None:
            return match.group(name), match.start(name), match.end(name)
    return None


def _kind_of(word: str) -> URIRef:
    return KIND_WORDS[re.sub(r"\s+", " ", word.lower())]


def _weight(title: str) -> int:
    """How much a description says: its words other than "latest", "annual"..."""
    return sum(1 for w in title.split() if w.lower() not in _NON_TITLE_WORDS)


_CHANGES_TO = re.compile(r"\b(?:proposed\s+)?(?:changes|reforms|amendments)\s+to\s+", re.IGNORECASE)
""""A consultation on changes to X" is the consultation on X."""


def _key(title: str) -> str:
    """What two surface forms of one title have in common."""
    text = _POSSESSIVE.sub("", title)
    text = _CHANGES_TO.sub("", _HONORIFICS.sub("", text.strip()))
    words = [w for w in re.split(r"\s+", text) if w.lower() not in _NON_TITLE_WORDS | {"the"}]
    while words and re.fullmatch(rf"\(?{_YEAR}(?:/\d{{2,4}})?\)?", words[-1]):
        words.pop()
    return slug(" ".join(words)) if any(c.isalnum() for c in " ".join(words)) else ""


class _Text:
    """The document text with the organisation and person mentions the patterns consult."""

    def __init__(self, ext: Extraction) -> None:
        self.text = ext.text
        self.layer = ext.layer
        self.organisations = sorted(ext.entities.organisations, key=lambda m: (m.start, -m.end))
        self.people = sorted((m.start, m.end) for m in ext.mentions if (m.node, RDF.type, AK.Person) in ext.graph)

    def organisation_before(self, pos: int, gap: re.Pattern[str] | None = None) -> OrganisationMention | None:
        """The organisation named just before ``pos``, the text between matching ``gap``
        (by default "'s" and "own/new/latest..." words)."""
        gap = gap or _OWNER_GAP
        return next((o for o in self.organisations if o.end <= pos and gap.fullmatch(self.text, o.end, pos)), None)

    def publisher_before(self, pos: int) -> OrganisationMention | None:
        """The organisation naming the report that starts at ``pos``: "Ofsted's ...", or the
        subject of "X published a (short discussion) ..."."""
        return self.organisation_before(pos) or self.organisation_before(pos, _PUBLISHED_A)

    def organisation_at(self, start: int) -> OrganisationMention | None:
        return next((o for o in self.organisations if o.start == start), None)

    def inside_organisation(self, pos: int) -> bool:
        """Whether ``pos`` lies inside an organisation's name ("Review" in "Review Panel")."""
        return any(o.start < pos < o.end or o.start == pos < o.end for o in self.organisations)

    def person_at(self, pos: int) -> bool:
        return any(s == pos for s, _ in self.people) or bool(_PERSON_AHEAD.match(self.text, pos))

    def person_within(self, start: int, end: int) -> int | None:
        """Where the first person named in ``start``..``end`` begins."""
        known = [s for s, _ in self.people if start < s < end]
        if known:
            return known[0]
        return next((p for p in range(start + 1, end) if self.text[p - 1] in " ," and self.person_at(p)), None)

    def title_end(self, start: int, limit: int) -> int:
        """Where a title written from ``start`` ends: a sentence end, "said", or a name."""
        found = _TITLE_STOP.search(self.text, start, limit)
        end = found.start() if found else limit
        person = self.person_within(start, end)
        return end if person is None else person


_OWNER_GAP = re.compile(
    rf"(?:{_APOS}s?)?(?:\s+(?:own|new|latest|recent|most\s+recent|annual|first|second|interim|final))*\s*"
)
"""Between a publisher and its report: "'s own latest "."""
_TODAY_GAP = re.compile(r"\s*(?:today,?\s*)?")
"""Between a publisher and "published": " today, "."""
_PUBLISHED_A = re.compile(
    r"\s+(?:today,?\s+)?(?:has\s+|have\s+)?(?:published|publishes|launched|launches)\s+(?:a|an|its|their|the)"
    r"(?:\s+[a-z][\w\-]*){0,2}\s+"
)
"""Between a publisher and its report's kind word: " published a short discussion "."""
_PUBLISHES_TITLE = re.compile(
    r"(?:\s*\([A-Z]{2,}\))?,?\s+(?:today,?\s+)?(?:has\s+|have\s+)?(?:published|publishes|launched|launches)"
    r"\s+(?:its\s+|the\s+)?(?:(?:latest|new|interim|final)\s+)*"
)
"""Between a publisher and the title it publishes: " (ADCS) today publishes "."""
_FILE_NOTE = r"[ \t]*\((?i:pdf|docx?|xlsx?|odt)\b[^)\n]*\)|[ \t]+(?i:pdf[ \t]+icon)\b|[ \t]+PDF[ \t]+\d"
"""A note of a download's format and size after its title ("(pdf / 5 mb)", "pdf icon PDF 108 KB")."""
_TITLE_STOP = re.compile(
    rf"\.(?=[\s”’\"]|$)|\n|{_FILE_NOTE}|\s+said\b|\s+(?:as|but|which|who|has|is|was)\s+[a-z]|,\s+(?=[a-z])"
    r"|\s+(?:found|finds|shows?|showed|highlights?|highlighted|says|reveals?|revealed|suggests?|suggested"
    r"|warns?|warned|concludes?|concluded|makes?|made|recommends?|recommended|states?|stated|notes?|noted)\b"
    rf"|\s+(?:today|yesterday|(?:in|on|last|this|next|earlier\s+this)\s+(?:{_MONTH}|{_WEEKDAY}|week|month|year))\b"
)
"""Where a title written without quotes ends: a sentence end, "said", a clause, a reporting verb, a
time ("... in May", "... on Tuesday", "... last week")."""


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without surrounding spaces, commas or emphasis markers."""
    while start < end and text[start] in " \t,*":
        start += 1
    while end > start and text[end - 1] in " \t,*:;":
        end -= 1
    return start, end


def _gazetteer(doc: _Text) -> Iterator[Candidate]:
    for entry in GAZETTEER:
        for pattern in entry.patterns:
            for m in re.finditer(pattern, doc.text):
                if m.group()[0].islower() and _INDEFINITE.search(doc.text, max(0, m.start() - 4), m.start()):
                    continue  # "an independent review into children's social care": a description
                yield Candidate(m.start(), m.end(), entry.title, entry.kind, 0, canonical=True)


_INDEFINITE = re.compile(r"\b(?:[Aa]n?)\s+$")
"""An indefinite article: a report named after it in lower case is described, not titled ("a Community
Care survey", "an independent review")."""


def _phase_number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _phase_candidate(
    start: int, end: int, number: int, interim: bool, publisher: OrganisationMention | None
) -> Candidate:
    title = f"{'Interim ' if interim else ''}{SAFEGUARDING_PRESSURES} Phase {number}"
    series = SeriesRef(SAFEGUARDING_PRESSURES, number)
    return Candidate(start, end, title, AK.ResearchReport, 0, publisher, series=series, canonical=True)


def _safeguarding_pressures(doc: _Text) -> Iterator[Candidate]:
    """Phases of the Safeguarding Pressures research, and the series itself (ADCS's where it says so)."""
    text = doc.text
    publisher = next(
        (
            o
            for m in _SP_SERIES.finditer(text)
            for o in doc.organisations
            if o.acronym == "ADCS"
            and (
                m.start() <= o.start < m.end()
                or o in (doc.organisation_before(m.start()), doc.organisation_before(m.start(), _PUBLISHES_TITLE))
            )
        ),
        None,
    )
    taken: list[tuple[int, int]] = []
    for m in _SP_PHASE.finditer(text):
        number = _phase_number(m.group("n") or m.group("m"))
        taken.append((m.start(), m.end()))
        yield _phase_candidate(m.start(), m.end(), number, m.group("interim") is not None, publisher)
    series_seen = False
    for m in _SP_SERIES.finditer(text):
        series_seen = True
        if not any(s <= m.start() < e for s, e in taken):
            series = SeriesRef(SAFEGUARDING_PRESSURES, None)
            yield Candidate(m.start(), m.end(), None, AK.ResearchReport, 0, series=series)
    if not series_seen:
        return
    for m in _BARE_PHASE.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            number = _phase_number(m.group("n") or m.group("o"))
            yield _phase_candidate(m.start(), m.end(), number, m.group("interim") is not None, publisher)


_SERIES_HEAD = r"(?:Survey|Study|Review|Research|Census|Audit|Index|Report|Omnibus)"
_EDITION = r"(?P<marker>[Pp]hase|[Ww]ave|[Rr]ound)[ \t]+(?P<n>\d{1,2})\b"
_SERIES_NAME = rf"(?P<series>{_RUN}[ \t]+{_SERIES_HEAD})"
_SERIES_EDITION = re.compile(
    rf"(?P<interim>[Ii]nterim[ \t]+(?:[Rr]eport[ \t]+of[ \t]+(?:the[ \t]+)?)?)?"
    rf"(?:{_SERIES_NAME}[ \t]*[:–—-]?[ \t]*{_EDITION}"
    rf"|{_EDITION.replace('<marker>', '<marker2>').replace('<n>', '<n2>')}[ \t]+of[ \t]+(?:the[ \t]+)?"
    rf"{_SERIES_NAME.replace('<series>', '<series2>')})"
)
"""An edition of a research series named by its place in it: "the Northmoor Demand Study Phase 3",
"Wave 12 of the Family Support Survey", "the Carers Census: wave 4", "interim report of ...".
(The Safeguarding Pressures research, whose name holds no kind word, is read by its own pattern.)"""
_BARE_EDITION = re.compile(rf"(?P<interim>[Ii]nterim[ \t]+)?\b{_EDITION}")


def _edition(doc: _Text, m: re.Match[str], series: tuple[str, int] | None) -> Candidate | None:
    """The report a series edition names, the ``series`` (its name and where it is written) given:
    titled "<series> <Phase|Wave|Round> <n>", published by the organisation opening the series name
    or named just before it."""
    publisher = None
    if series is None:
        group = "series" if m.group("series") else "series2"
        lead = _strip_lead(doc.text, m.start(group), m.end(group))
        publisher = doc.organisation_at(lead)
        owner = _OWNER_GAP.match(doc.text, publisher.end) if publisher is not None else None
        cut = lead if publisher is None else owner.end() if owner is not None else publisher.end
        series = (doc.text[cut : m.end(group)], cut)
        publisher = publisher or doc.organisation_before(m.start(group))
    name = re.sub(r"\s+", " ", series[0])
    if len(name.split()) < 2:
        return None
    marker, number = (m.group("marker") or m.group("marker2")), int(m.group("n") or m.group("n2"))
    title = f"{'Interim ' if m.group('interim') else ''}{name} {marker.capitalize()} {number}"
    kind = _kind_of(name.split()[-1]) if _KIND_RE.fullmatch(name.split()[-1]) else AK.ResearchReport
    return Candidate(m.start(), m.end(), title, kind, 1, publisher, series=SeriesRef(name, number), canonical=True)


_SUMMARY_OF_WAVES = re.compile(
    rf"{_SERIES_NAME}[ \t]*[:–—-]?[ \t]*(?:[Ss]ummary[ \t]+of[ \t]+returns[ \t]+)?[Ww]aves[ \t]+(?P<first>\d{{1,2}})"
    rf"[ \t]*(?:-|–|to)[ \t]*(?P<last>\d{{1,2}})(?:[ \t]+[Ss]ummary)?\b"
)
"""A summary of several waves of a survey ("the Carers Survey Summary of returns Waves 1 to 12", "the
Carers Survey waves 1-10 summary"): a report of the series of its own, numbered by its last wave."""


def _wave_summaries(doc: _Text) -> Iterator[Candidate]:
    for m in _SUMMARY_OF_WAVES.finditer(doc.text):
        start = _strip_lead(doc.text, m.start("series"), m.end("series"))
        publisher = doc.organisation_at(start)
        owner = _OWNER_GAP.match(doc.text, publisher.end) if publisher is not None else None
        first = owner.end() if owner is not None else start
        name = re.sub(r"\s+", " ", doc.text[first : m.end("series")])
        if len(name.split()) < 2:
            continue
        title = f"{name} Waves {m.group('first')} to {m.group('last')} Summary"
        series = SeriesRef(name, int(m.group("last")))
        yield Candidate(start, m.end(), title, AK.Survey, 0, publisher, series=series, canonical=True)


def _series_editions(doc: _Text) -> Iterator[Candidate]:
    """Editions of research series named with their series (and summaries of several waves), then
    "Phase 4" or "Wave 2" alone where the document names one series only."""
    named = [c for m in _SERIES_EDITION.finditer(doc.text) if (c := _edition(doc, m, None)) is not None]
    named += _wave_summaries(doc)
    yield from named
    series = {c.series.name for c in named if c.series is not None}
    if len(series) != 1:
        return
    (name,) = series
    taken = [(c.start, c.end) for c in named]
    for m in _BARE_EDITION.finditer(doc.text):
        if not any(s <= m.start() < e for s, e in taken):
            found = _edition(doc, m, (name, m.start()))
            if found is not None:
                yield replace(found, priority=2)


def _edition_at(doc: _Text, start: int, end: int) -> Candidate | None:
    """The series edition ``start``..``end`` names (after the organisation owning it), if it names one."""
    owner = doc.organisation_at(start)
    gap = _OWNER_GAP.match(doc.text, owner.end) if owner is not None else None
    first = gap.end() if gap is not None else start
    phase = _SP_PHASE.fullmatch(doc.text, first, end) or _SP_PHASE.fullmatch(doc.text, start, end)
    if phase is not None:
        number = _phase_number(phase.group("n") or phase.group("m"))
        return _phase_candidate(start, end, number, phase.group("interim") is not None, owner)
    edition = _SERIES_EDITION.fullmatch(doc.text, start, end)
    return _edition(doc, edition, None) if edition is not None else None


_QUOTED_AFTER_KIND = re.compile(
    rf"\b(?P<kind>{_KIND})(?:,\s*|\s+(?:(?:on|into|called|entitled|titled),?\s+)?"
    rf"|\s+(?:(?!\b(?:said|says|told|wrote|added|states?|stated|notes?|noted|found|finds)\b)[^.;:‘“\"\n]){{1,80}}?[;,]\s*)"
    rf"{_QUOTED}",
    re.IGNORECASE,
)
"""A kind word, then a quoted title: at once ("the report ‘X’"), after a comma ("a new report, ‘X’") or
after words about the report ("a report by the Committee published today; ‘X’"), not after a verb of
saying, which quotes its words."""
_QUOTED_BEFORE_KIND = re.compile(rf"{_QUOTED}\s+(?P<kind>{_KIND})\b", re.IGNORECASE)
_ITALIC = re.compile(r"(?<![*\w])\*(?P<t>[A-Z][^*\n]{2,150}?)\*(?![*\w])")


def _quoted(doc: _Text) -> Iterator[Candidate]:
    """A quoted title before or after a kind word; an italic title."""
    for rx in (_QUOTED_AFTER_KIND, _QUOTED_BEFORE_KIND):
        for m in rx.finditer(doc.text):
            found = _group(m, "q1", "q2", "q3", "q4")
            if found is None or not (found[0][0].isupper() or found[0][0].isdigit()):
                continue
            title, start, end = found
            if title.rstrip()[-1:] in ".!":
                continue  # a quoted sentence, not a title
            anchor = m.start("kind") if rx is _QUOTED_AFTER_KIND else m.start()
            publisher = doc.organisation_before(anchor)
            yield Candidate(start, end, title, _kind_of(m.group("kind")), 1, publisher=publisher)
    for m in _ITALIC.finditer(doc.text):
        before = doc.text[max(0, m.start() - 60) : m.start()]
        kinds = _KIND_RE.findall(before.split(".")[-1])
        kind = _kind_of(kinds[-1]) if kinds else AK.OtherReport
        in_its = re.search(r"\s+in\s+its\s+(?:\w+\s+)?$", before)
        publisher = doc.organisation_before(m.start() - len(in_its.group())) if in_its else None
        yield Candidate(m.start("t"), m.end("t"), m.group("t"), kind, 1, publisher=publisher)


_APPOSITION = re.compile(
    rf"\b(?P<kind>{_KIND})(?:[ \t]+(?:from|by)[ \t]+(?:the[ \t]+)?(?P<by>[A-Z][^,.;:\n]{{1,80}}?),[ \t]*(?=[A-Z])"
    rf"|,[ \t]*(?=[A-Z])|[ \t]+(?:called|entitled|titled)[ \t]+(?=[A-Z0-9])"
    rf"|[ \t]+(?P<dash>[–—-])[ \t]+(?=[A-Z])|(?P<bare>[ \t]+)(?=[A-Z]))"
)
"""A kind word, perhaps with the body it is from ("a new report from the Anyshire Trust,"), then its
title: after a comma only a capitalised one, since a clause may follow ("the survey, 40 councils having
returned it"); after a space only when the kind word is in lower case ("the report Grasping the
Nettle"), since a capitalised one begins a name ("Data Collection Form")."""
_PAPER_KIND = re.compile(r"(?:White|Green)\s+Paper")
_CAPITAL_TITLE = re.compile(r"[A-Z0-9][\w’'-]*(?:,?[ \t]+(?:(?:of|and|for|on|in|the|to|a|&)[ \t]+)*[A-Z0-9][\w’'-]*)*")
"""The capitalised words of a title written after a capitalised kind word ("Our Health, Our Care, Our Say")."""
_PUBLISHED_TITLE = re.compile(r"\b(?:published|publishes|launched)[ \t]+(?=[A-Z])")
_DESCRIBED_AS = re.compile(r",[ \t]+(?:a|an|its|their|the|our)[ \t]+(?P<words>(?:[\w’'-]+[ \t]*){1,4})")
"""The description after a published name ("Foster Kent, a new campaign to ...")."""


def _described_as_no_report(text: str, end: int) -> bool:
    """The name ending at ``end`` is described as something other than a report ("a new campaign")."""
    described = _DESCRIBED_AS.match(text, end)
    return described is not None and not any(_KIND_RE.fullmatch(w) for w in described.group("words").split())


_CLOSING_COMMA = re.compile(
    r",[ \t]+(?:which[ \t]+|that[ \t]+)?(?:shows?|showed|found|finds|says|said|warns|warned|reveals|revealed"
    r"|highlights|highlighted|sets[ \t]+out|set[ \t]+out|calls|called|argues|argued|concludes|concluded"
    r"|recommends|recommended|is|was|has|had)\b"
)
"""The comma closing a title set off by commas, before the verb of its sentence ("a new report, Too
little, too late, shows ...")."""


def _closing_comma(text: str, end: int, limit: int) -> int:
    """Where a title set off by commas ends when its own comma before a lower-case word cut it at
    ``end``: at the comma before the sentence's verb, if one follows in the sentence."""
    if not re.match(r",[ \t]+[a-z]", text[end : end + 3]):
        return end
    sentence_end = re.search(r"\.(?:\s|$)|\n", text[end:limit])
    stop = end + sentence_end.start() if sentence_end else limit
    closing = _CLOSING_COMMA.search(text, end, stop)
    return closing.start() if closing is not None and closing.start() > end else end


def _appositions(doc: _Text) -> Iterator[Candidate]:
    """A title after "the report," / "a paper called" / "published"."""
    text = doc.text
    for rx in (_APPOSITION, _PUBLISHED_TITLE):
        for m in rx.finditer(text):
            start = m.end()
            paper = rx is _APPOSITION and m.group("bare") and _PAPER_KIND.fullmatch(m.group("kind"))
            if (
                (rx is _APPOSITION and m.group("bare") and m.group("kind")[0].isupper() and not paper)
                or doc.inside_organisation(m.start())
                or doc.person_at(start)
                or doc.organisation_at(start)
                or text.startswith("This ", start)
            ):
                continue
            end = doc.title_end(start, min(len(text), start + 160))
            if rx is _APPOSITION and text.startswith(",", m.end("kind") if not m.group("by") else m.end("by")):
                end = _closing_comma(text, end, min(len(text), start + 160))
            closing = (
                re.search(r"[ \t]+[–—-](?=[ \t]|$)", text[start:end]) if rx is _APPOSITION and m.group("dash") else None
            )
            if closing is not None:  # "the new paper – Childhood Matters – is ...": the title between the dashes
                end = start + closing.start()
            elif rx is _APPOSITION and m.group("dash"):
                continue
            if paper:  # "the White Paper Our Health, Our Care, Our Say the government ...": its capitalised words
                run = _CAPITAL_TITLE.match(text, start, end)
                end = run.end() if run is not None else end
            start, end = _trim(text, start, end)
            title = text[start:end]
            if len(title.split()) < 2 or _KIND_RE.fullmatch(title.split()[0]):
                continue
            if rx is _PUBLISHED_TITLE and _described_as_no_report(text, end):
                continue
            if rx is _APPOSITION:
                kind = _kind_of(m.group("kind"))
                publisher = doc.organisation_at(m.start("by")) if m.group("by") else doc.publisher_before(m.start())
                if m.group("by") and (publisher is None or publisher.end != m.end("by")):
                    continue  # "a report by the committee, ...": only a body's whole name before the title
            else:
                kind, publisher = AK.ResearchReport, doc.organisation_before(m.start(), _TODAY_GAP)
            yield Candidate(start, end, title, kind, 2, publisher=publisher)


_PART_ROLES = {row["part"]: row["role"] for row in table("report_parts")}
_PART_LINE = re.compile(
    rf"^[ \t]*(?P<title>[A-Z‘“\"][^\n]*?\S)[ \t]+[–—-][ \t]+(?P<part>[A-Za-z][A-Za-z ]*?)"
    rf"(?:[ \t]+[–—-][ \t]+[^\n]*?)?(?:{_FILE_NOTE})?[ \t]*$",
    re.MULTILINE,
)
"""A line linking to a report or a document of it: "<title> – <part>", perhaps with a note of the
file ("Making Care Count – report", "Phase 7 – Executive Summary (pdf)", "... – Main Report – reduced
file size (pdf / 3.5mb)"); the parts are those of lexicon ``report_parts``."""


def _part_lines(doc: _Text) -> Iterator[Candidate]:
    """The report a download or link line names: its title, and, in a list of downloads (a line noting
    its file, or one of several lines of one title), a document of its own (an executive summary, an
    annex) titled "<title> – <part>", of the same series edition. A page headed "<title> – Executive
    Summary" presents the report itself."""
    lines = [m for m in _PART_LINE.finditer(doc.text) if _PART_ROLES.get(m.group("part").lower())]
    for m in lines:
        role = _PART_ROLES[m.group("part").lower()]
        title = m.group("title")
        if role == "none" or len(title.split()) > 16 or _excluded(title):
            continue  # "X – Press Release" tells nothing of X
        kind = _kind_of(m.group("part")) if _KIND_RE.fullmatch(m.group("part")) else AK.OtherReport
        publisher = doc.organisation_at(m.start("title")) or doc.organisation_before(m.start("title"))
        yield Candidate(m.start("title"), m.end("title"), title, kind, 2, publisher)
        listed = re.search(_FILE_NOTE, m.group()) or sum(o.group("title") == title for o in lines) > 1
        if role == "own" and listed:
            edition = _edition_at(doc, m.start("title"), m.end("title"))
            name = edition.title if edition is not None and edition.title else _without_owner(doc, m)
            series = edition.series if edition is not None else None
            own = f"{name} – {m.group('part')}"
            yield Candidate(
                m.start("title"), m.end("part"), own, AK.OtherReport, 0, publisher, series=series, canonical=True
            )


def _without_owner(doc: _Text, m: re.Match[str]) -> str:
    """The title of a part line without the organisation opening it ("ADCS Pressures Study" -> "Pressures Study")."""
    owner = doc.organisation_at(m.start("title"))
    if owner is None:
        return m.group("title")
    gap = _OWNER_GAP.match(doc.text, owner.end)
    start = gap.end() if gap is not None else owner.end
    return doc.text[start : m.end("title")] if start < m.end("title") else m.group("title")


_THIS_GUIDE = re.compile(r"\bThis\s+guide\b")
_TITLE_LINE = re.compile(r"[ \t]*(?P<title>[A-Z‘“\"][^\n>|]{8,160}?)[ \t]*")
"""A line that can be a title: a capital or a quote mark first, no final stop, no breadcrumb or bar."""


def _introduced_titles(doc: _Text) -> Iterator[Candidate]:
    """A publication page's title: the heading above a paragraph that speaks of "This guide"
    ("Know your duties: A councillor's guide ...", then "This guide, written for lead members, ...")."""
    for m in _THIS_GUIDE.finditer(doc.text):
        window = doc.text.rfind("\n", 0, m.start())
        for line in reversed(list(re.finditer(r"[^\n]*", doc.text[max(0, window - 600) : max(0, window)]))):
            start = max(0, window - 600) + line.start()
            written = line.group().strip()
            if not written or written[-1] in ".?!;:" or doc.layer.is_furniture(start + len(line.group()) - 1):
                continue
            heading = _TITLE_LINE.fullmatch(doc.text, start, start + len(line.group()))
            if heading is not None and 3 <= len(heading.group("title").split()) <= 20:
                title = heading.group("title")
                yield Candidate(heading.start("title"), heading.end("title"), title, AK.Guidance, 2)
            break


_LAUNCHED_QUOTED = re.compile(
    rf"\b(?:published|publishes|launched|launches|released|releases)[ \t]+(?:(?:its|their|a|the)[ \t]+)?"
    rf"(?:new[ \t]+)?{_QUOTED}"
)
"""A quoted title after a verb of publishing: X launched “A fair start: family help in every town”."""


def _launched(doc: _Text) -> Iterator[Candidate]:
    """A quoted title a body publishes or launches (unless described next as no report: "a campaign")."""
    for m in _LAUNCHED_QUOTED.finditer(doc.text):
        found = _group(m, "q1", "q2", "q3", "q4")
        if found is None or not found[0][0].isupper() or _described_as_no_report(doc.text, m.end()):
            continue
        title, start, end = found
        publisher = doc.organisation_before(m.start(), _TODAY_GAP)
        yield Candidate(start, end, title, AK.OtherReport, 1, publisher=publisher)


_CAPKIND = re.compile(rf"(?P<run>{_RUN})[ \t]+(?P<kind>{_KIND})\b")
_PAPER_ADJECTIVE = re.compile(r"[ \t]*\b(?:White|Green|Discussion)$")
_TOPIC = re.compile(r"[ \t]+(?:on|of|into)[ \t]+(?![‘“\"])[^,.;:\n“”()]{3,120}")
_VERB_STOP = (
    r"is|are|was|were|has|have|had|will|would|should|must|can|could|shows?|highlights?|provides?|makes?"
    r"|said|says|and\s+the|which|that|as|but|when|while|opened|closed|found|finds|published"
    r"|launched|began|begins|ended|ends|came|comes|calls|called|concluded|concludes|recommended|recommends"
    r"|reported|reports|noted|notes|revealed|reveals|highlighted|showed|set\s+out|sets\s+out"
    r"|made|identified|identifies|recorded|records|estimated|estimates|suggested|suggests|warned|warns"
    r"|urged|urges|proposed|proposes|gave|gives"
    r"|later|earlier|this|last|next|in\s+due\s+course"
)
_TOPIC_STOP = re.compile(rf"\s+(?:{_VERB_STOP}|by|to|from|for|with)\b")
"""Where the topic of a description ends: a verb, or a preposition starting another phrase."""
_CONSULTATION_TOPIC_STOP = re.compile(rf"\s+(?:{_VERB_STOP})\b")
"""Where a consultation's topic ends: a verb (its topic often runs on with "for", "to"...)."""


_DANGLING = re.compile(r"(?:[ \t]+(?:and|or|but|nor|the|a|an|of|to|for|in|on|with|by))+[ \t]*$")
"""Words a topic cannot end on: where a stop cut "reform and (will submit)", they are dropped."""


def _topic_end(doc: _Text, pos: int, stops: re.Pattern[str] = _TOPIC_STOP) -> int:
    """The end of an "on/of/into <topic>" phrase at ``pos``, or ``pos`` if there is none."""
    m = _TOPIC.match(doc.text, pos)
    if m is None:
        return pos
    stop = stops.search(m.group())
    end = pos + (stop.start() if stop else len(m.group()))
    dangling = _DANGLING.search(doc.text, pos, end)
    if dangling is not None:
        end = dangling.start()
    person = doc.person_within(pos, end)
    return end if person is None else _trim(doc.text, pos, person)[1]


def _strip_lead(text: str, start: int, end: int) -> int:
    """``start`` moved past words that open a run without belonging to a title."""
    for word in re.finditer(r"\S+", text[start:end]):
        if word.group().lower().strip("’'") not in _LEAD_WORDS:
            return start + word.start()
    return end


_NAMED_TOPIC = re.compile(rf"[ \t]+(?:of|on|into|for)[ \t]+(?:the[ \t]+)?{_RUN}")


def _named_topic_end(text: str, pos: int) -> int:
    """The end of a capitalised "of <Name>" after a capitalised kind word ("Review of School Exclusion")."""
    m = _NAMED_TOPIC.match(text, pos)
    return m.end() if m is not None else pos


_COMMA_TITLE = re.compile(rf"(?:{_APOS}s|\b[Tt]he)[ \t]+(?P<pre>[A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'-]*){{0,3}}),[ \t]+$")
"""The first part of a title with a comma, after an owner or "the": "the DfE's *Stable Homes*, Built
on Love consultation"."""


def _capitalised(doc: _Text) -> Iterator[Candidate]:
    """A capitalised name followed by a kind word ("the Schools White Paper", "the Wood Report")."""
    text = doc.text
    for m in _CAPKIND.finditer(text):
        run_end, kind_start = m.end("run"), m.start("kind")
        adjective = _PAPER_ADJECTIVE.search(text, m.start("run"), run_end)
        if adjective is not None and m.group("kind").lower() == "paper":
            run_end, kind_start = (
                adjective.start(),
                adjective.start() + len(adjective.group()) - len(adjective.group().lstrip()),
            )
        kind_word = text[kind_start : m.end()]
        if _NOT_A_REPORT_AFTER.match(text, m.end()) or doc.inside_organisation(kind_start):
            continue
        start = _strip_lead(text, m.start("run"), run_end)
        if start >= run_end:
            continue
        publisher = doc.organisation_at(start)
        rest = _POSSESSIVE.sub("", text[publisher.end : run_end]).split() if publisher is not None else []
        if publisher is not None and all(w.lower() in _GENERIC_WORDS for w in rest):
            continue  # an organisation and a kind word: a description, read by _described
        if not text[start].isupper():
            continue
        if any(o.start < start < o.end or start < o.start < o.end == run_end for o in doc.organisations):
            continue  # inside a body's name, or a body's report ("X on the Y Committee report"), read by _described
        owner = (
            re.match(rf"(?:{_APOS}s?|[ \t]*\([A-Z]{{2,8}}\)(?:{_APOS}s)?)[ \t]+", text[publisher.end : run_end])
            if publisher is not None
            else None
        )
        if publisher is not None and owner is not None:
            start = publisher.end + owner.end()  # "Ofsted's Inspection Handbook", "the Anyshire Trust (AT) Carers
            # Survey": the title follows the owner
        run = text[start:run_end]
        words = run.split()
        named_topic = kind_word[0].isupper() and _named_topic_end(text, m.end()) > m.end()
        if not any(w[0].isupper() for w in words) or (
            all(w.lower() in _GENERIC_WORDS for w in words) and not named_topic
        ):
            continue  # "the Annual Report" tells no report from another; "the Annual Review of the Year" does
        owned = bool(re.search(rf"{_APOS}s?$", run))
        year = int(words[-1]) if re.fullmatch(_YEAR, words[-1]) else None
        keep_kind = kind_word[0].isupper() or owned or year is not None
        if len(words) == 1 and not keep_kind:
            keep_kind = words[0].isupper() or text[max(0, start - 4) : start].lower() == "the "
            if not keep_kind:
                continue
        end = m.end() if keep_kind else run_end
        edition = None
        if kind_word[0].isupper():
            end = _named_topic_end(text, end)
            edition = re.match(rf"[ \t]+({_YEAR})(?:/\d{{2}})?\b", text[end:]) if end == m.end() else None
            if edition is not None:
                end, year = end + edition.end(), int(edition.group(1))  # an annual edition: "Spring Survey 2031"
        if keep_kind and kind_word[0].islower() and (owned or len(words) == 1):
            end = _topic_end(doc, end)
        if not keep_kind and text[m.start("run") : start].strip() == "The":
            start = m.start("run")
        first_part = _COMMA_TITLE.search(text, max(0, start - 60), start)
        if first_part is not None and not doc.inside_organisation(first_part.start("pre")):
            start = first_part.start("pre")
            publisher = publisher or doc.organisation_before(start)
        title = text[start:end]
        if _excluded(title):
            continue
        if kind_word[0].islower() and _INDEFINITE.search(text, max(0, start - 4), start):
            continue  # "a Community Care survey": a survey described by its owner, not titled
        alternative = text[start : m.end()] if end != m.end() and edition is None else None
        personal = owned and doc.person_within(start - 1, run_end) is not None  # "Jo Roe's report on ..."
        yield Candidate(
            start, end, title, _kind_of(kind_word), 3, publisher, year, descriptive=personal, alternative=alternative
        )


def _excluded(title: str) -> bool:
    """Whether a title is empty or names a fiscal event or speech rather than a report."""
    key = _key(title)
    if not key or any(f"-{part}-" in f"-{key}-" for part in _EXCLUDED_ANYWHERE):
        return True
    return any(re.search(rf"(?:^|-){part}(?:-\d{{4}})?$", key) for part in _EXCLUDED_HEADS)


_DESCRIPTION = re.compile(
    rf"(?P<pos>{_APOS}s?)?(?P<desc>(?:[ \t]+(?:[A-Za-z][\w’'\-]*|{_YEAR})){{0,5}}?)[ \t]+(?P<kind>{_KIND})\b"
    rf"(?P<year>[ \t]+{_YEAR}(?:/\d{{2,4}})?)?(?=[\s,.;:)”’…]|$)"
)
_NOT_DESCRIPTIVE = _word_set(
    "the a an its their has have had is are was were will would should must can could and or both to be been"
    " which that this these who for of on in into to with from by about"
)
"""Words that make the words before a kind word something other than its description: "request
for data" is a request, not a dataset."""


def _described(doc: _Text) -> Iterator[Candidate]:
    """A publisher and a description: "Ofsted's annual report 2020/21", "Ofsted's report"."""
    text = doc.text
    for org in doc.organisations:
        m = _DESCRIPTION.match(text, org.end)
        if m is None or _NOT_A_REPORT_AFTER.match(text, m.end("kind")) or doc.inside_organisation(m.start("kind")):
            continue
        words = m.group("desc").split()
        if any(w.lower() in _NOT_DESCRIPTIVE for w in words):
            continue
        end = _topic_end(doc, m.end("kind"))
        if m.group("year") and end == m.end("kind"):
            end = m.end("year")
        titled = end > m.end("kind") or any(w.lower() not in _NON_TITLE_WORDS for w in words)
        title = text[org.start : end] if titled else None
        if title is not None and _excluded(title):
            continue
        year = re.fullmatch(rf"\s*({_YEAR})", m.group("year") or "") or re.search(rf"\b({_YEAR})\b", m.group("desc"))
        yield Candidate(
            org.start,
            end,
            title,
            _kind_of(m.group("kind")),
            4,
            org,
            int(year.group(1)) if year else None,
            descriptive=True,
        )


_NAMED_THEN_DESCRIBED = re.compile(
    rf"(?P<title>(?:The[ \t]+)?(?=[A-Z]){_RUN})[ \t]*(?:,|[–—]|[ \t]-)[ \t]*(?:which[ \t]+(?:was|is)[ \t]+)?"
    rf"(?:a|an|the|its|their)[ \t]+(?:[\w’'-]+[ \t]+){{0,3}}?(?P<kind>{_KIND})\b"
)


def _named_then_described(doc: _Text) -> Iterator[Candidate]:
    """A capitalised name the next words describe as a report: "The Big Ask – which was the
    largest-ever survey of children", "Northfield Counts, a survey of ..."."""
    text = doc.text
    for m in _NAMED_THEN_DESCRIBED.finditer(text):
        start, end = m.start("title"), m.end("title")
        title = text[start:end]
        if (
            len(title.split()) < 2
            or doc.organisation_at(start)
            or doc.inside_organisation(start)
            or doc.person_within(start - 1, end) is not None
            or _excluded(title)
        ):
            continue
        yield Candidate(start, end, title, _kind_of(m.group("kind")), 3)


_CONSULTATION = re.compile(r"\b[Cc]onsultation(?=[ \t]+(?:on|into)[ \t])")


def _consultations(doc: _Text) -> Iterator[Candidate]:
    """A consultation named by its topic: "the consultation on the National Transfer Scheme"."""
    for m in _CONSULTATION.finditer(doc.text):
        end = _topic_end(doc, m.end(), _CONSULTATION_TOPIC_STOP)
        if end > m.end():
            title = doc.text[m.start() : end]
            yield Candidate(m.start(), end, title, AK.Consultation, 4, descriptive=True)


_CITATION = re.compile(rf"(?P<run>{_RUN})\s*\((?P<pub>[^,()\n]{{2,60}}),\s*(?:{_MONTH}\s+)?(?P<year>{_YEAR})[a-z]?\)")


def _citations(doc: _Text) -> Iterator[Candidate]:
    """``Title (Publisher, [Month] Year)``."""
    for m in _CITATION.finditer(doc.text):
        start = _strip_lead(doc.text, m.start("run"), m.end("run"))
        if len(doc.text[start : m.end("run")].split()) < 2:
            continue
        publisher = next((o for o in doc.organisations if o.start >= m.start("pub") and o.end <= m.end("pub")), None)
        if publisher is None:
            continue
        kinds = _KIND_RE.findall(doc.text[start : m.end("run")])
        kind = _kind_of(kinds[-1]) if kinds else AK.OtherReport
        yield Candidate(start, m.end("run"), doc.text[start : m.end("run")], kind, 1, publisher, int(m.group("year")))


_SENTENCE_SUBJECT = re.compile(
    rf"(?:(?<=[.!?]\s)|(?<=^)|(?<=\n))(?P<title>(?:[A-Z][\w’'\-]*)(?:[ \t]+[A-Z][\w’'\-]*)+)[ \t]+{_FINDING_VERBS}",
    re.MULTILINE,
)


def _subjects(doc: _Text) -> Iterator[Candidate]:
    """A capitalised title as the subject of a finding verb ("No Good Options has identified")."""
    if not _KIND_RE.search(doc.text):
        return
    for m in _SENTENCE_SUBJECT.finditer(doc.text):
        start, end = m.start("title"), m.end("title")
        words = doc.text[start:end].split()
        if len(words) < 3 or words[0].lower() in _LEAD_WORDS or doc.person_within(start - 1, end) is not None:
            continue
        if any(o.start < end and start < o.end for o in doc.organisations):
            continue
        yield Candidate(start, end, doc.text[start:end], AK.ResearchReport, 5)


_ANAPHORA = re.compile(r"\b(?:[Tt]he|[Tt]his)\s+(?P<kind>(?:[Ww]hite|[Gg]reen)\s+[Pp]aper|Paper)\b")


def _anaphora(doc: _Text) -> Iterator[Candidate]:
    """ "the White Paper", "the Paper": the one such paper of the item."""
    for m in _ANAPHORA.finditer(doc.text):
        yield Candidate(m.start("kind"), m.end(), None, _kind_of(m.group("kind")), 6)


_PUBLISHES = re.compile(
    r"[ \t]+(?:today,?[ \t]+)?(?:publishes|published|has\s+published|launches|launched)[ \t]+"
    r"(?:(?:a|an|the|its|their)[ \t]+)?(?:(?:new|latest|first|final|interim)[ \t]+)?"
    r"(?P<kind>report|review|paper|study)\b"
)


def _publications(doc: _Text) -> Iterator[Candidate]:
    """ "X publishes report ...": an untitled report of publisher X."""
    for org in doc.organisations:
        m = _PUBLISHES.match(doc.text, org.end)
        if m is not None:
            yield Candidate(org.start, m.end(), None, _kind_of(m.group("kind")), 6, publisher=org)


Pattern = Callable[[_Text], Iterator[Candidate]]
PATTERNS: tuple[Pattern, ...] = (
    _gazetteer,
    _safeguarding_pressures,
    _series_editions,
    _quoted,
    _citations,
    _appositions,
    _capitalised,
    _described,
    _named_then_described,
    _consultations,
    _part_lines,
    _introduced_titles,
    _launched,
)
"""Title patterns, strongest first."""
WEAK_PATTERNS: tuple[Pattern, ...] = (_subjects, _anaphora, _publications)
"""Patterns that only count where no stronger one named a report (their priorities are lower)."""


def _select(text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, stronger and longer first, in text order.

    A title followed by "..." (a headline cut short) is marked as truncated.
    """
    chosen: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.priority, c.title is None, c.start - c.end, c.start)):
        if c.end <= c.start or (c.title is not None and not c.canonical and _excluded(c.title)):
            continue
        if all(c.end <= o.start or o.end <= c.start for o in chosen):
            chosen.append(c)
    return sorted(
        (
            replace(c, title=c.title + "...")
            if c.title and re.match(r"\s?(?:\.\.|…)", text[c.end : c.end + 3]) and not _TRUNCATED.search(c.title)
            else c
            for c in chosen
        ),
        key=lambda c: c.start,
    )


_REACTION = re.compile(r"\W*(?:ADCS\s+)?(?:comment|commenting|response|responding|responds|statement)\b", re.I)


def _own_titles(ext: Extraction, doc: _Text) -> Iterator[Candidate]:
    """A commentary published as a paper of its own ("Recommendations for policy-makers: an ADCS
    commentary on safeguarding pressures"): its heading is a report's title, its publisher the
    organisation the heading names."""
    for item in ext.items:
        if item.kind != AK.ReportCommentary:
            continue
        words = (item.title or "").split()
        written = re.compile(r"\s+".join(map(re.escape, words))).match(doc.text, _heading(doc.text, item)[0])
        if not words or written is None or _REACTION.match(written.group()):
            continue
        publisher = next((o for o in doc.organisations if written.start() <= o.start and o.end <= written.end()), None)
        yield Candidate(written.start(), written.end(), " ".join(words), AK.OtherReport, 1, publisher=publisher)


_PUBLISHED_TODAY = re.compile(
    r"\btoday\b,?\s+(?:\w+\s+)?(?:publishes|published|launches|launched)\b"
    r"|\b(?:publishes|published|launches|launched)\s+(?:\w+\s+)?today\b"
)


def _heading(text: str, item: ItemRecord) -> tuple[int, int]:
    """The span of an item's first line (its title)."""
    m = re.compile(r"\s*(?P<h>[^\n]*)").match(text, item.start, item.end)
    return m.span("h") if m else (item.start, item.start)


def _published_by_item(text: str, item: ItemRecord, c: Candidate) -> bool:
    """Whether the dated item publishes the report: a report summary whose title names it, or an
    item saying the report is published today."""
    head_start, head_end = _heading(text, item)
    return (item.kind == AK.ReportSummary and head_start <= c.start < head_end) or _published_today(text, item, c)


def _published_today(text: str, item: ItemRecord, c: Candidate) -> bool:
    """Whether the item says the report named in its title, or in this sentence, is published today."""
    sentence_start = max(text.rfind(". ", 0, c.start), text.rfind("\n", 0, c.start)) + 1
    if _PUBLISHED_TODAY.search(text, sentence_start, c.start):
        return True
    head_start, head_end = _heading(text, item)
    if not head_start <= c.start < head_end:
        return False
    lead_end = text.find(". ", head_end, item.end)
    return bool(_PUBLISHED_TODAY.search(text, head_end, lead_end if lead_end >= 0 else item.end))


_APPOSED = re.compile(r"\b[Tt]he\s+(?:new\s+)?(?P<kind>report|review|study|paper|strategy|survey)\s*[,:]\s*$")
"""A title in apposition to a report the item spoke of before ("The report, No Good Options, finds")."""


def _announced_before(text: str, item: ItemRecord, c: Candidate) -> int | None:
    """Where the sentence starts that says the report a title is in apposition to is published
    today ("The committee ..., in a report published today. The report, X, finds ..."), if one does."""
    apposed = _APPOSED.search(text, max(item.start, c.start - 30), c.start)
    if apposed is None:
        return None
    kind = re.compile(rf"\b{apposed.group('kind')}\b", re.I)
    sentence_start = item.start
    for stop in re.finditer(r"[.!?](?:\s+|$)|\n\s*", text[item.start : apposed.start()]):
        sentence_end = item.start + stop.end()
        if kind.search(text, sentence_start, sentence_end) and _PUBLISHED_TODAY.search(
            text, sentence_start, sentence_end
        ):
            return sentence_start
        sentence_start = sentence_end
    return None


def _subject_organisation(doc: _Text, sentence_start: int) -> OrganisationMention | None:
    """The organisation a sentence opens with ("The House of Commons Education Committee has ...")."""
    opening = re.compile(r"\s*(?:[Tt]he\s+)?(?:[A-Z][\w’'-]*\s+(?:of\s+)?){0,3}")
    head = opening.match(doc.text, sentence_start)
    end = head.end() if head else sentence_start
    return next((o for o in doc.organisations if sentence_start <= o.start <= end), None)


_PUBLISHED_ON = re.compile(
    rf"\b(?:(?P<month>{_MONTH})\s+)?(?:(?P<year>{_YEAR})|(?P<this>this\s+year)),?\s+(?:[^.\n]{{0,80}}?\s)?"
    rf"(?:published|publishes|launched|launches)\b[^.\n]{{0,60}}$"
)
"""A date before "published" in the sentence naming a report: "Today, 8 June 2021, X published",
"In July this year ADCS published a paper called"."""


def _year_published_before(text: str, start: int, item: ItemRecord | None) -> int | None:
    """The year a sentence says the report named at ``start`` was published, if it says so."""
    sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    m = _PUBLISHED_ON.search(text, sentence_start, start)
    if m is None:
        return None
    if m.group("year"):
        return int(m.group("year"))
    return item.date.year if item is not None and item.date is not None else None


def _dated(ext: Extraction, doc: _Text, candidates: list[Candidate]) -> list[Candidate]:
    """Year and publisher stated around a mention.

    "(having been) published in April 2010" after it, "X today publishes" before it in a dated
    item, or a date before "published" in its sentence ("Today, 8 June 2021, X published")
    gives the year; "published by X" later in its sentence, the publisher.
    """
    result = []
    for c in candidates:
        sentence_end = doc.text.find(".", c.end)
        after = doc.text[c.end : sentence_end if sentence_end >= 0 else len(doc.text)]
        published = _PUBLISHED_IN.match(doc.text[c.end : c.end + 80]) or _YEAR_IN_BRACKETS.match(doc.text, c.end)
        item = ext.item_at(c.start)
        if c.year is None and published is not None:
            c = replace(c, year=int(published.group("year")))
        elif c.year is None and item is not None and item.date is not None and _published_by_item(doc.text, item, c):
            c = replace(c, year=item.date.year)
        if c.year is None:
            c = replace(c, year=_year_published_before(doc.text, c.start, item))
        antecedent = _announced_before(doc.text, item, c) if item is not None else None
        if antecedent is not None:
            if c.year is None and item is not None and item.date is not None:
                c = replace(c, year=item.date.year)
            if c.publisher is None:
                c = replace(c, publisher=_subject_organisation(doc, antecedent))
        by = re.search(r"\bpublished\s+by\s+(?:the\s+)?", after)
        if by is not None and c.publisher is None:
            c = replace(c, publisher=doc.organisation_at(c.end + by.end()))
        result.append(c)
    return result


@dataclass
class _Node:
    key: str
    title: str
    kind: URIRef
    publisher: OrganisationMention | None = None
    year: int | None = None
    series: SeriesRef | None = None
    canonical: bool = False
    descriptive: bool = False
    spans: list[tuple[int, int]] | None = None

    def absorb(self, c: Candidate) -> None:
        """Add a mention; the title is the gazetteer's, else the name written with most capitals (then
        the one stating its year; the first such), else the longest description."""
        if self.spans is None:
            self.spans = []
        self.spans.append((c.start, c.end))
        if c.canonical and not self.canonical and c.title:
            self.title, self.kind, self.canonical = c.title, c.kind, True
        elif (
            not (self.canonical or self.descriptive or c.descriptive)
            and c.title
            and _key(c.title) == _key(self.title)
            and _title_weight(c.title) > _title_weight(self.title)
        ):
            self.title = c.title
        elif (
            self.descriptive
            and c.title
            and not _TRUNCATED.search(c.title)
            and (not c.descriptive or _weight(c.title) > _weight(self.title))
        ):
            self.title, self.descriptive = c.title, c.descriptive
        self.publisher = self.publisher or c.publisher
        self.year = self.year or c.year
        self.series = self.series or c.series


def _title_weight(title: str) -> tuple[int, bool]:
    """How fully a surface form writes a title: its capitals, then whether it states its edition's year."""
    return sum(map(str.isupper, title)), bool(re.search(rf"\b{_YEAR}(?:/\d{{2}})?\W*$", title))


def _item_key(ext: Extraction, pos: int) -> URIRef | None:
    item = ext.item_at(pos)
    return item.iri if item else None


def _initials_match(acronym: str, words: list[str]) -> bool:
    return len(words) >= len(acronym) and "".join(w[0] for w in words[: len(acronym)]).upper() == acronym


def _same_title_keys(titles: Sequence[str]) -> dict[str, str]:
    """Keys of short forms mapped to the key of the full title they stand for.

    "Born into Care" stands for "Born into Care: Newborn Babies in ..." (a main title without its
    subtitle), "LPS Public Consultation" for "Liberty Protection Safeguards Public Consultation"
    (an acronym of the title's first words). A short form two titles could expand to is left alone.
    """
    expansions: dict[str, set[str]] = {}
    for full in titles:
        main = full.split(":", 1)[0]
        if main != full and not _KIND_RE.search(main.split()[-1]):
            expansions.setdefault(_key(main), set()).add(_key(full))
        for short in titles:
            words, full_words = short.split(), full.split()
            acronym = words[0] if words and re.fullmatch(r"[A-Z]{2,6}", words[0]) else None
            if acronym and _initials_match(acronym, full_words):
                rest_short, rest_full = words[1:], full_words[len(acronym) :]
                if rest_short and _key(" ".join(rest_short)) == _key(" ".join(rest_full)):
                    expansions.setdefault(_key(short), set()).add(_key(full))
    return {short: next(iter(fulls)) for short, fulls in expansions.items() if len(fulls) == 1 and short not in fulls}


def _resolve(ext: Extraction, candidates: list[Candidate]) -> dict[str, _Node]:
    """Surface forms to nodes: titles by key, then descriptions and untitled mentions by item.

    An untitled mention with a publisher no report of its item fits may still mean the one
    report of the document from that publisher and of that kind ("the CMA's study").
    """
    reports = [c for c in candidates if c.series is None or c.series.number is not None]
    named = [c for c in reports if c.title and not c.descriptive and not _TRUNCATED.search(c.title)]
    keys = {_key(c.title) for c in named if c.title}
    named = [replace(c, title=c.alternative) if c.alternative and _key(c.alternative) in keys else c for c in named]
    expansion = _same_title_keys([c.title for c in named if c.title])
    nodes: dict[str, _Node] = {}
    by_item: dict[URIRef | None, list[str]] = {}
    for c in named:
        _node(nodes, expansion.get(_key(c.title or ""), _key(c.title or "")), c).absorb(c)
    _repeated(ext.text, nodes, [(c.start, c.end) for c in candidates])
    for key, node in nodes.items():
        for start, _ in node.spans or []:
            _add_key(by_item.setdefault(_item_key(ext, start), []), key)
    for c in (c for c in reports if c.descriptive and c.title and not _TRUNCATED.search(c.title)):
        item_keys = by_item.setdefault(_item_key(ext, c.start), [])
        key = _item_target(nodes, item_keys, c, in_lead=_in_lead(ext, c.start)) or _key(c.title or "")
        _node(nodes, key, c).absorb(c)
        _add_key(item_keys, key)
    for c in (c for c in reports if c.title is None or _TRUNCATED.search(c.title)):
        in_lead = _in_lead(ext, c.start)
        target = _item_target(nodes, by_item.get(_item_key(ext, c.start), []), c, in_lead=in_lead)
        if target is None and c.publisher is not None:
            same = [k for k, n in nodes.items() if n.publisher is not None and n.publisher.iri == c.publisher.iri]
            target = _item_target(nodes, same, c, in_lead=in_lead)
        if target is None:
            ext.skip(LOADER, c.start, f"report named without a title it can be told by: {ext.text[c.start : c.end]!r}")
        else:
            nodes[target].absorb(c)
    return nodes


def _in_lead(ext: Extraction, pos: int) -> bool:
    """Whether ``pos`` lies in the title or the first paragraph of its item (or document)."""
    item = ext.item_at(pos)
    start, end = (item.start, item.end) if item else (0, len(ext.text))
    lead = re.compile(r"\s*[^\n]*\s*[^\n]*").match(ext.text, start, end)
    return lead is not None and pos < lead.end()


def _node(nodes: dict[str, _Node], key: str, c: Candidate) -> _Node:
    return nodes.setdefault(key, _Node(key, c.title or "", c.kind, descriptive=c.descriptive))


def _add_key(keys: list[str], key: str) -> None:
    if key not in keys:
        keys.append(key)


def _item_target(nodes: dict[str, _Node], keys: list[str], c: Candidate, *, in_lead: bool) -> str | None:
    """The one report a description, an untitled or a truncated mention means.

    A truncated title ("Cabinet Office consultation on...") means the one report of the document
    whose title it begins; a description or an untitled mention, the one report of its item of
    the same kind from the same (or an unstated) publisher.
    """
    if c.title is not None and _TRUNCATED.search(c.title):
        prefix = _key(_TRUNCATED.sub("", c.title))
        found = [k for k in nodes if prefix and k.startswith(prefix)]
        return found[0] if len(found) == 1 else None
    fits = [k for k in keys if nodes[k].kind == c.kind and _publisher_fits(nodes[k], c, in_lead=in_lead)]
    return fits[0] if len(fits) == 1 else None


def _publisher_fits(node: _Node, c: Candidate, *, in_lead: bool) -> bool:
    """Whether ``c`` can name ``node`` as far as publishers go.

    A mention with a publisher names a report without one only from its item's title or lead
    ("APPG for Children publishes report ..." above "No Good Options has identified ...").
    """
    if node.publisher is None or c.publisher is None:
        return c.publisher is None or (in_lead and not node.canonical)
    return node.publisher.iri == c.publisher.iri


def _repeated(text: str, nodes: dict[str, _Node], taken: list[tuple[int, int]]) -> None:
    """Record the other places a found title (or its main title, before a colon) is written again,
    away from the ``taken`` spans of other mentions."""
    for node in nodes.values():
        if node.descriptive or node.spans is None:
            continue
        forms = {text[s:e] for s, e in node.spans} | {node.title.split(":", 1)[0].strip()}
        for form in sorted(f for f in forms if len(f.split()) >= 2 and any(c.isupper() for c in f)):
            for m in re.finditer(rf"(?<![\w’']){re.escape(form)}(?![\w’'])", text):
                if all(m.end() <= s or e <= m.start() for s, e in taken):
                    node.spans.append(m.span())
                    taken.append(m.span())
        node.spans.sort()


def report_iri(title: str) -> URIRef:
    """The IRI of the report with this canonical title."""
    return resource("report", slug(title))


def series_iri(name: str) -> URIRef:
    """The IRI of a report series."""
    return resource("report-series", slug(name))


def _organisation(ext: Extraction, org: OrganisationMention) -> URIRef:
    if (org.iri, RDF.type, None) in ext.graph:
        return org.iri
    return add_organisation(ext, org)


def _write(ext: Extraction, node: _Node) -> URIRef:
    iri = report_iri(node.title)
    g = ext.graph
    g.add((iri, RDF.type, AK.Report))
    g.add((iri, AK.title, Literal(node.title)))
    g.add((iri, AK.kind, node.kind))
    if node.publisher is not None:
        g.add((iri, AK.publisher, _organisation(ext, node.publisher)))
    if node.year is not None:
        g.add((iri, AK.year, Literal(str(node.year), datatype=XSD.gYear)))
    if node.series is not None:
        g.add((iri, AK.series, series_iri(node.series.name)))
        if node.series.number is not None:
            g.add((iri, AK.seriesNumber, Literal(node.series.number, datatype=XSD.integer)))
    for start, end in node.spans or []:
        ext.mention(iri, start, end)
    return iri


def _write_series(ext: Extraction, names: set[str]) -> None:
    """The series the reports belong to, each mentioned wherever its name is written (the
    Safeguarding Pressures research also where no phase of it is)."""
    for name in names | ({SAFEGUARDING_PRESSURES} if re.search(_SP, ext.text) else set()):
        iri = series_iri(name)
        ext.graph.add((iri, RDF.type, AK.ReportSeries))
        ext.graph.add((iri, AK.name, Literal(name)))
        written = _SP if name == SAFEGUARDING_PRESSURES else r"\s+".join(map(re.escape, name.split()))
        for m in re.finditer(written, ext.text):
            ext.mention(iri, m.start(), m.end())


_RESPONSE_TITLE = re.compile(r"(?i)\b(?:response|responds?|responding|comment|commenting|statement)\b")
_RESPONSE_CLAUSE = re.compile(
    r"(?i)\b(?:commenting\s+on|responding\s+to|in\s+response\s+to|responds?\s+to|response\s+to|comment\s+on)\b[^\n“\"]*?"
    r"(?=\s+said\b|[.:\n“\"]|$)"
)


def _responses(ext: Extraction, mentions: list[tuple[URIRef, int, int]]) -> None:
    """``ak:respondsTo`` from an item commenting on a report to that report."""
    for item in ext.items:
        for iri in _responded(ext, item, mentions):
            ext.graph.add((item.iri, AK.respondsTo, iri))


def _responded(ext: Extraction, item: ItemRecord, mentions: list[tuple[URIRef, int, int]]) -> list[URIRef]:
    """The reports named in a response-like title, or in a "Commenting on ..." clause of the lead."""
    text = ext.text
    regions: list[tuple[int, int]] = []
    head_start, head_end = _heading(text, item)
    if _RESPONSE_TITLE.search(text, head_start, head_end):
        regions.append((head_start, head_end))
    lead = re.compile(r"\s*\S[^\n]*").match(text, head_end, item.end)
    for m in _RESPONSE_CLAUSE.finditer(text, item.start, lead.end() if lead else head_end):
        regions.append((m.start(), m.end()))
    found: list[URIRef] = []
    for iri, start, end in mentions:
        if any(s <= start and end <= e for s, e in regions) and iri not in found:
            found.append(iri)
    return found


def extract(ext: Extraction) -> None:
    """Add every report the document names, with its mentions, and the items' responses."""
    doc = _Text(ext)
    candidates = [c for pattern in (*PATTERNS, *WEAK_PATTERNS) for c in pattern(doc)]
    found = _select(doc.text, [*candidates, *_own_titles(ext, doc)])
    nodes = _resolve(ext, _dated(ext, doc, found)).values()
    _write_series(ext, {node.series.name for node in nodes if node.series is not None})
    mentions: list[tuple[URIRef, int, int]] = []
    for node in nodes:
        if node.descriptive and not re.search(rf"\b{_YEAR}", node.title) and node.kind != AK.Consultation:
            first = (node.spans or [(0, 0)])[0]
            ext.skip(LOADER, first[0], f"report named only by a description, no title: {node.title!r}")
            continue
        iri = _write(ext, node)
        mentions.extend((iri, s, e) for s, e in node.spans or [])
    _responses(ext, sorted(mentions, key=lambda m: m[1]))
