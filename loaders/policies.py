"""Policies: named government policies, programmes, schemes, grants, funds, bills, acts and strategies.

Names are found three ways, longest match first without overlaps:

* a small gazetteer of sector policies whose names carry no head noun ("Supporting Families",
  "Homes for Ukraine", "Pupil Premium") or go by an acronym ("NTS", "LAMB Grant");
* capitalised names ending in a head noun ("Household Support Fund", "Children and Social Work
  Act 2017", "Mental Health Bill", "Families First for Children Pathfinder");
* "the X scheme/programme/grant/fund/strategy" with a capitalised X (also after a preposition, and
  with a date written onto it), and "the X and the Y schemes" (two names sharing a plural head noun);
* lower-case words ending in a head noun, singular or plural, whose initials spell the acronym in
  brackets after them ("regional care cooperatives (RCCs)", "the national funding formula (NFF)");
* a head noun first and its topic ("the UN Convention on the Rights of the Child"), a year before an
  act ("the 1989 Children Act" is the Children Act 1989), a name listing its parts ("Children,
  Wellbeing and Schools Bill");
* fiscal events with their year ("the draft local government funding settlement for 2015/16"), in
  lower case after "the" ("the autumn statement"); one written without its year in a document naming
  one edition of it only is that edition;
* a quoted title in apposition to a strategy or programme, named by its main title ("the Strategy to
  reform ..., 'Stable Homes: implementation strategy ...'"); a name inside a quoted title is part of
  the title, not a policy of its own.

Surface forms of one policy resolve to one node: the head noun's case, a trailing descriptor
("the Supporting Families programme" = "Supporting Families") and the gazetteer's acronyms do
not make new policies; an acronym defined in the text ("Full Name (ACR)") names the policy later
in that document. Documents (white and green papers, reviews, reports, consultations, guidance)
are reports, not policies, and are left out, as is any name inside an organisation's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK, resource, slug

from .extraction import Extraction
from .lexicon import listed, table
from .organisations import (
    GENERIC_ADJECTIVES,
    LEFT_TRIM,
    OrganisationMention,
    acronym_definition,
    acronym_uses,
    clean_name,
    find_organisations,
    name_key,
    select_longest,
    surface_regex,
    trim_left,
    word_set,
)


@dataclass(frozen=True)
class PolicyMention:
    """A policy named at ``start``..``end`` of a text."""

    start: int
    end: int
    iri: URIRef
    """``resource("policy", slug(name))``."""
    name: str
    """Canonical name, the same in every document."""
    acronym: str | None
    kind: URIRef
    """An ``ak:PolicyKind`` individual."""
    written: str | None = None
    """The surface form when it is not the text of the span (one act of "the Education Acts 1996 and 2002")."""
    event: str | None = None
    """For a fiscal event written without its year but pointing at the item's own time ("today's
    Budget"): the event's name, to be dated by the item."""


@dataclass(frozen=True)
class _Entry:
    name: str
    acronym: str | None
    kind: URIRef
    surfaces: tuple[str, ...] = ()


_GAZETTEER: tuple[_Entry, ...] = tuple(
    _Entry(row["name"], row["acronym"] or None, AK[row["kind"]], listed(row["surfaces"])) for row in table("policies")
)
"""Sector policies named without a head noun or by an acronym (lexicon ``policies``)."""

_HEADS: dict[str, URIRef] = {
    "scheme": AK.Scheme, "programme": AK.Programme, "program": AK.Programme, "initiative": AK.Programme,
    "pathfinder": AK.Programme, "pathfinders": AK.Programme, "pilot": AK.Programme, "pilots": AK.Programme,
    "grant": AK.Grant, "premium": AK.Grant, "fund": AK.Fund, "bill": AK.Bill, "act": AK.Act,
    "strategy": AK.Strategy, "reform": AK.Reform, "reforms": AK.Reform, "framework": AK.OtherPolicy,
    "convention": AK.OtherPolicy, "covenant": AK.OtherPolicy, "guarantee": AK.OtherPolicy, "charter": AK.OtherPolicy,
    "formula": AK.OtherPolicy, "levy": AK.OtherPolicy, "allowance": AK.OtherPolicy, "precept": AK.OtherPolicy,
    "pledge": AK.OtherPolicy, "entitlement": AK.OtherPolicy, "exemption": AK.OtherPolicy, "relief": AK.OtherPolicy,
    "credit": AK.OtherPolicy, "cap": AK.OtherPolicy, "bursary": AK.Grant, "subsidy": AK.Grant,
}  # fmt: skip
"""Head nouns of policy names, with the kind each gives."""
_DESCRIPTORS = r"scheme|programme|program|initiative|pathfinders?|pilots?|grant|fund|reforms?|agenda|policy"
"""Words written in lower case after a policy's name without being part of it ("the Supporting Families
programme"); capitalised, they make another name ("Levelling Up Fund" is not "Levelling Up")."""
_REPORT_WORDS = word_set(
    "White Green Paper Review Report Consultation Inquiry Evaluation Survey Guidance Statistics Data Dataset "
    "Conference Committee Board Panel Annual Event Summit Speech Statement"
)
"""Words that make a name a document or an event rather than a policy."""
_PERSONAL_HEADS = frozenset({"Grant", "Bill"})
"""Head nouns that are also given names and surnames ("Edwina Grant", "Bill Smith")."""

_CAP = r"[A-Z][\w’'-]*"
_CONNECTOR = r"(?:and|for|of|in|to|on|&)"
_NAME = rf"{_CAP}(?:\s+(?:{_CONNECTOR}\s+)?{_CAP}){{0,8}}"
_LISTED_NAME = rf"{_CAP}(?:,\s+{_CAP}){{1,4}}\s+and\s+{_CAP}(?:\s+{_CAP}){{0,3}}"
"""A name listing its parts before "and" ("Children, Wellbeing and Schools")."""
_NOT_AFTER = r"(?![^\W\d_]|[’'-])"
"""What no name ends before: a letter or a word's apostrophe or hyphen (a date written onto it may follow)."""
_CAPITAL_HEADS = "|".join(sorted((h.capitalize() for h in _HEADS), key=len, reverse=True))
_HEADED_RE = re.compile(
    rf"(?<![\w’'-])(?:(?P<before>(?:19|20)\d\d)\s+)?(?P<mods>{_LISTED_NAME}|{_NAME})\s+(?P<head>{_CAPITAL_HEADS})"
    rf"(?P<year>\s+(?:19|20)\d\d)?{_NOT_AFTER}"
)
"""A capitalised name and head noun, with the year after or before it ("the 1989 Children Act")."""
_HEAD_TOPIC = re.compile(rf"\s+(?:on|for|of)\s+the\s+{_NAME}(?:\s+of\s+the\s+{_NAME})?")
"""A named topic after a head noun that comes first in its name ("Convention on the Rights of the Child")."""
_THE_X_RE = re.compile(
    rf"(?:(?<![\w’'-])(?:[Tt]he|on|of|for|to|under)|(?<=\w)[’']s)\s+(?:[a-z][\w-]*\s+)?(?P<mods>{_NAME})\s+"
    rf"(?P<head>scheme|programme|program|initiative|grant|fund|strategy|framework|(?:council\s+tax\s+)?precept)"
    rf"{_NOT_AFTER}"
)
"""A capitalised name and a lower-case head noun after "the", a preposition or an owner's possessive
("the Kickstart scheme", "a statement on Best Start in Life strategy", "the Network's award-winning
Mockingbird programme", "the Adult Social Care council tax precept")."""
_COORDINATED_RE = re.compile(
    rf"(?<![\w’'-])[Tt]he\s+(?P<a>{_NAME})\s+and\s+(?:the\s+)?(?P<b>{_NAME})\s+"
    rf"(?P<heads>schemes|programmes|grants|funds|strategies)(?![\w’'-])"
)
"""Two names sharing one plural head noun: "the Family Visa and the Homes for Ukraine schemes"."""
_SINGULAR = {
    "schemes": "scheme", "programmes": "programme", "grants": "grant", "funds": "fund", "strategies": "strategy",
}  # fmt: skip
_FOLLOWING_WORDS = re.compile(r"(?:[ \t]+(?:[A-Z][\w’'-]*|\d+)){1,4}")
"""The capitalised words or numbers right after a name, on the same line."""
_SUBTITLE = re.compile(r"[ \t]*[:–-][ \t]*[A-Z]")
"""A colon or dash and a capitalised word after a name: the name begins a title."""


def _policy_regex(surface: str) -> str:
    """A surface form's regex: case as written, except a final head noun ("Supporting Families programme")."""
    *words, last = surface.split()
    if not words or last.casefold() not in _HEADS:
        return surface_regex(surface, fold_case=False)
    return surface_regex(" ".join(words), fold_case=False) + rf"\s+(?i:{re.escape(last)})"


def _index(entries: Iterable[_Entry]) -> tuple[dict[str, _Entry], re.Pattern[str]]:
    index: dict[str, _Entry] = {}
    for entry in entries:
        for surface in (entry.name, entry.acronym, *entry.surfaces):
            if surface:
                index.setdefault(name_key(surface), entry)
    surfaces = sorted({s for e in entries for s in (e.name, e.acronym, *e.surfaces) if s}, key=len, reverse=True)
    alternatives = "|".join(_policy_regex(s) for s in surfaces)
    pattern = rf"(?<![\w’'&-])(?P<name>{alternatives})(?P<descriptor>\s+(?:{_DESCRIPTORS}))?(?![\w&]|-[A-Z])"
    return index, re.compile(pattern)


_INDEX, _GAZETTEER_RE = _index(_GAZETTEER)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    entry: _Entry
    written: str | None = None
    event: str | None = None


def _known(name: str) -> _Entry | None:
    """The gazetteer policy ``name`` names, also with a lower-case descriptor after it ("... programme")."""
    written = re.sub(rf"\s+(?:{_DESCRIPTORS})$", "", name)
    return _INDEX.get(name_key(name)) or _INDEX.get(name_key(written))


def _names_a_document(text: str, end: int, head: str | None) -> bool:
    """Whether the text after ``end`` continues the name into a title ("Supporting Families: Investing
    in Practice", "Levelling Up White Paper") or a person's name ("Grant Shapps")."""
    if _SUBTITLE.match(text, end):
        return True
    following = _FOLLOWING_WORDS.match(text, end)
    if following is None:
        return False
    return head in _PERSONAL_HEADS or any(w in _REPORT_WORDS for w in following.group().split())


def _gazetteer_candidates(text: str) -> Iterable[_Candidate]:
    for m in _GAZETTEER_RE.finditer(text):
        entry = _INDEX.get(name_key(m.group("name")))
        if entry is not None and not _names_a_document(text, m.end(), None):
            yield _Candidate(m.start(), m.end(), entry)


def _pattern_candidates(text: str, org_spans: list[tuple[int, int]]) -> Iterable[_Candidate]:
    for pattern in (_HEADED_RE, _THE_X_RE):
        for m in pattern.finditer(text):
            words = [
                w
                for w in re.finditer(r"\S+", m.group("mods"))
                if not _inside_org(m.start("mods") + w.start(), org_spans)
            ]
            listed = re.fullmatch(_LISTED_NAME, m.group("mods")) is not None
            kept = words if listed else trim_left(words, LEFT_TRIM)  # a listed name's commas end no list
            head = m.group("head")
            if all(w.group() in GENERIC_ADJECTIVES for w in kept) or _names_a_document(text, m.end(), head):
                continue
            start = m.start("mods") + kept[0].start()
            name_words = text[start : m.start("head")].split()
            if any(w in _REPORT_WORDS for w in name_words) or _too_short(text, start, name_words, head):
                continue
            before = m.group("before") if pattern is _HEADED_RE and not m.group("year") else None
            if before is not None and start == m.start("mods"):  # "the 1989 Children Act": Children Act 1989
                written = text[m.start("before") : m.end()]
                entry = _entry_for(f"{text[start : m.end()]} {before}", head)
                yield _Candidate(m.start("before"), m.end(), entry, written=clean_name(written))
                continue
            end = m.end()
            topic = _HEAD_TOPIC.match(text, end) if head in ("Convention", "Framework") else None
            if topic is not None:  # "the UN Convention on the Rights of the Child"
                end = topic.end()
            yield _Candidate(start, end, _entry_for(text[start:end], head))


def _coordinated_candidates(text: str, org_spans: list[tuple[int, int]]) -> Iterable[_Candidate]:
    """Each name of "the X and the Y schemes", with the head noun they share."""
    for m in _COORDINATED_RE.finditer(text):
        head = _SINGULAR[m.group("heads")]
        for group in ("a", "b"):
            words = m.group(group).split()
            if _inside_org(m.start(group), org_spans) or any(w in _REPORT_WORDS for w in words):
                continue
            if all(w in GENERIC_ADJECTIVES for w in words):
                continue
            yield _Candidate(m.start(group), m.end(group), _entry_for(f"{m.group(group)} {head}", head))


_YEAR = r"(?:19|20)\d\d"
_FISCAL_EVENT = (
    r"(?:Comprehensive\s+)?Spending\s+(?:Review|Round)|Autumn\s+Statement|Spring\s+Statement|Summer\s+Statement"
    r"|(?:Spring\s+|Autumn\s+|Summer\s+|Emergency\s+)?Budget"
    r"|(?i:(?:provisional\s+|final\s+|draft\s+)?(?:local\s+government\s+(?:finance\s+|funding\s+)?|finance\s+)settlement)"
    r"|(?<=the\s)(?:autumn|spring)\s+statement|(?<=the\s)(?:comprehensive\s+)?spending\s+review"
)
_FISCAL_RE = re.compile(
    rf"(?<![\w’'-])(?:(?P<deixis>today[’']s|yesterday[’']s|this\s+week[’']s|last\s+week[’']s|this\s+year[’']s)\s+)?"
    rf"(?:(?P<before>{_YEAR})(?:[/-](?P<fy>\d{{2}}))?\s+)?(?P<event>{_FISCAL_EVENT})"
    rf"(?:\s+(?:for\s+)?(?P<after>{_YEAR})(?:[/-](?P<fy2>\d{{2}}))?)?(?![\w’'-])"
)
"""A fiscal event with its year before or after it ("Spending Review 2021", "the 2023 Autumn Statement",
"the 2024/25 local government finance settlement", "the draft settlement for 2015/16"), or pointing at
the item's own time ("today's Budget"); "the autumn statement" written in lower case is one too."""


def _event_name(event: str) -> str:
    """A fiscal event's canonical name: capitalised words, single spaces, without the stage of a
    settlement ("provisional local government finance settlement" -> "Local Government Finance Settlement")."""
    words = re.sub(r"^(?:provisional|final|draft)\s+", "", event, flags=re.I).split()
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def _fiscal_candidates(text: str) -> Iterable[_Candidate]:
    """Each fiscal event, one policy per year; one written without a year is left undated."""
    for m in _FISCAL_RE.finditer(text):
        event = _event_name(m.group("event"))
        bare_budget = event == "Budget" and not (m.group("before") or m.group("after") or m.group("deixis"))
        if bare_budget and not re.search(r"\b[Tt]he\s+$", text[max(0, m.start() - 4) : m.start()]):
            continue  # "Budget pressures are rising": a budget, not the Budget
        if event == "Budget" and _names_a_document(text, m.end(), None):
            continue
        year, fy = (m.group("before"), m.group("fy")) if m.group("before") else (m.group("after"), m.group("fy2"))
        name = f"{event} {year}/{fy}" if year and fy else f"{event} {year}" if year else event
        start = m.start("before") if m.group("before") else m.start("event")
        yield _Candidate(start, m.end(), _Entry(name, None, AK.FiscalEvent),
                         event=event if m.group("deixis") and not year else None)  # fmt: skip


_PLURAL_HEADED_RE = re.compile(
    rf"(?<![\w’'-])(?P<mods>{_NAME})\s+(?P<heads>Acts|Bills)\s+(?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*"
    rf"\s*(?:,\s*)?(?:and|&)\s*{_YEAR})(?![\w’'-])"
)
"""Acts or bills sharing a name and differing by year: "the Education Acts 1996 and 2002" is two acts."""


def _plural_candidates(text: str) -> Iterable[_Candidate]:
    """One act or bill per year of "X Acts 1996 and 2002": the first spans the name, each other its year."""
    for m in _PLURAL_HEADED_RE.finditer(text):
        words = trim_left(list(re.finditer(r"\S+", m.group("mods"))), LEFT_TRIM)
        if not words:
            continue
        mods = " ".join(w.group() for w in words)
        head = m.group("heads")[:-1]
        written = clean_name(text[m.start("mods") + words[0].start() : m.end()])
        for i, year in enumerate(re.finditer(_YEAR, m.group("years"))):
            start = m.start("mods") + words[0].start() if i == 0 else m.start("years") + year.start()
            end = m.start("years") + year.end()
            entry = _known(f"{mods} {head} {year.group()}") or _Entry(clean_name(f"{mods} {head} {year.group()}"),
                                                                     None, _HEADS[head.lower()])  # fmt: skip
            yield _Candidate(start, end, entry, written=written)


_LOWER_DEFINED_RE = re.compile(
    r"(?<![\w’'-])(?P<words>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){1,7})\s*\(\s*(?P<acr>[A-Z]{2,8})s?\s*\)"
)
"""Lower-case words and a bracketed acronym after them ("regional care cooperatives (RCCs)")."""
_LOWER_HEADS: dict[str, URIRef] = {
    **_HEADS, **{f"{head}s": kind for head, kind in _HEADS.items() if not head.endswith("s")},
    "cooperatives": AK.Programme, "co-operatives": AK.Programme, "hubs": AK.Programme,
}  # fmt: skip
"""Head nouns of a policy named in lower case, singular or plural, with the kind each gives."""


def _lower_defined_candidates(text: str, org_spans: list[tuple[int, int]]) -> Iterable[_Candidate]:
    """A policy named in lower case and defined by its acronym: the words before the brackets whose
    initials spell it, ending in a policy's head noun ("plans for regional care cooperatives (RCCs)"
    is Regional Care Cooperatives, RCC; "the national funding formula (NFF)")."""
    for m in _LOWER_DEFINED_RE.finditer(text):
        acronym = m.group("acr")
        words = list(re.finditer(r"\S+", m.group("words")))[-len(acronym) :]
        initials = "".join(w.group()[0] for w in words).upper()
        head = words[-1].group() if words else ""
        if len(words) != len(acronym) or initials != acronym or head not in _LOWER_HEADS:
            continue
        start = m.start("words") + words[0].start()
        if _inside_org(start, org_spans):
            continue
        name = " ".join(w.group()[:1].upper() + w.group()[1:] for w in words)
        yield _Candidate(start, m.start("words") + words[-1].end(), _Entry(name, acronym, _LOWER_HEADS[head]))


def _inside_org(offset: int, org_spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in org_spans)


def _too_short(text: str, start: int, name_words: list[str], head: str) -> bool:
    """One ordinary word before the head ("Edwina Grant", "additional Innovation Programme") is not a
    name unless it is an acronym ("ASYE programme") or follows "the" ("the Kickstart scheme") or, before a
    lower-case head, an owner's possessive ("the Network's award-winning Mockingbird programme")."""
    if len(name_words) != 1 or name_words[0].isupper():
        return False
    before = text[max(0, start - 40) : start]
    if head.islower() and re.search(r"[’']s\s+(?:[a-z][\w-]*\s+)?$", before):
        return False
    return re.search(r"\b[Tt]he\s+(?:(?:19|20)\d\d\s+)?$", before) is None


def _entry_for(surface: str, written_head: str) -> _Entry:
    known = _known(surface)
    if known is not None:
        return known
    *before, head = written_head.split()  # "council tax precept": a precept
    name = clean_name(surface)
    words = name.split(" ")
    head_at = next(i for i in range(len(words) - 1, -1, -1) if words[i].casefold() == head.casefold())
    words[head_at] = "Programme" if head.casefold() == "program" else head.capitalize()
    for i in range(head_at - len(before), head_at):
        words[i] = words[i].capitalize()
    return _Entry(" ".join(words), None, _HEADS[head.casefold()])


def _learn_acronyms(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """Definitions "Full Name (ACR)": the bracketed acronym and its later uses name the policy."""
    found: list[_Candidate] = []
    for i, c in enumerate(chosen):
        m = acronym_definition(text, c.end)
        if m is None:
            continue
        entry = c.entry
        if entry.acronym is None and name_key(entry.name) not in _INDEX:
            chosen[i] = replace(c, entry=replace(entry, acronym=m.group("acr")))
            entry = chosen[i].entry
        found.append(_Candidate(m.start("acr"), m.end("acr"), entry))
        found += [_Candidate(s, e, entry) for s, e in acronym_uses(text, m.group("acr"), m.end())]
    return select_longest(found, [(c.start, c.end) for c in chosen])


_QUOTED_TITLE = re.compile(r"[‘“'\"](?P<title>[A-Z][^‘’“”'\"\n]{3,200})[’”'\"]")
"""A quoted title: a name inside it is part of the title, not a policy of its own."""
_APPOSED_TITLE = re.compile(
    rf"\b(?P<head>[Ss]trategy|[Pp]rogramme|[Ss]cheme|[Pp]lan)\b[^.;:\n‘“'\"]{{0,80}}?,?\s+{_QUOTED_TITLE.pattern}"
)
"""A quoted title in apposition to the policy it names ("the Government's Strategy to reform children's social
care, 'Stable homes built on love: implementation strategy ...'"): named by its main title."""


def _apposed_candidates(text: str) -> Iterable[_Candidate]:
    for m in _APPOSED_TITLE.finditer(text):
        title = m.group("title")
        name = clean_name(title.split(":", 1)[0])
        kind = AK.Strategy if m.group("head").lower() == "plan" else _HEADS[m.group("head").lower()]
        yield _Candidate(m.start("title"), m.end("title"), _Entry(name, None, kind), written=clean_name(title))


def _document_mentions(text: str, org_spans: list[tuple[int, int]]) -> tuple[PolicyMention, ...]:
    titles = [(m.start("title"), m.end("title")) for m in _QUOTED_TITLE.finditer(text) if " " in m.group("title")]
    patterned = [
        c
        for c in (*_pattern_candidates(text, org_spans), *_coordinated_candidates(text, org_spans))
        if not any(s <= c.start and c.end <= e and (s, e) != (c.start, c.end) for s, e in titles)
    ]
    candidates = [
        *_gazetteer_candidates(text),
        *_apposed_candidates(text),
        *patterned,
        *_fiscal_candidates(text),
        *_plural_candidates(text),
        *_lower_defined_candidates(text, org_spans),
    ]
    inside_org = [c for c in candidates if any(s <= c.start and c.end <= e for s, e in org_spans)]
    chosen = select_longest([c for c in candidates if c not in inside_org], [])
    chosen += _learn_acronyms(text, chosen)
    return tuple(_mention(c) for c in sorted(chosen, key=lambda c: c.start))


def _mention(c: _Candidate) -> PolicyMention:
    e = c.entry
    iri = resource("policy", slug(e.name))
    return PolicyMention(c.start, c.end, iri, e.name, e.acronym, e.kind, c.written, c.event)


def find_policies(
    text: str, start: int = 0, end: int | None = None, *, organisations: Sequence[OrganisationMention] | None = None
) -> list[PolicyMention]:
    """Every policy named in ``text[start:end]``, offsets relative to ``text``, in text order.

    ``organisations`` are the organisations ``text`` names (found here when not given)."""
    stop = len(text) if end is None else end
    found = find_organisations(text) if organisations is None else organisations
    spans = [(m.start, m.end) for m in found]
    return [m for m in _document_mentions(text, spans) if start <= m.start and m.end <= stop]


def add_policy(ext: Extraction, mention: PolicyMention) -> URIRef:
    """Write the policy node and record the mention; the surface form as written, when it is not the
    canonical name, is an ``ak:altName``."""
    g = ext.graph
    iri = mention.iri
    g.add((iri, RDF.type, AK.Policy))
    g.add((iri, AK.name, Literal(mention.name)))
    g.add((iri, AK.kind, mention.kind))
    surface = mention.written or clean_name(ext.text[mention.start : mention.end])
    if surface != mention.name:
        g.add((iri, AK.altName, Literal(surface)))
    ext.mention(iri, mention.start, mention.end)
    return iri


def _dated_by_item(ext: Extraction, mention: PolicyMention) -> PolicyMention:
    """A fiscal event pointing at its item's own time ("today's Budget") takes the year of the item's
    date; without a dated item it stays undated (never merged with a dated one)."""
    item = ext.item_at(mention.start)
    if mention.event is None or item is None or item.date is None:
        return mention
    name = f"{mention.event} {item.date.year}"
    return replace(mention, iri=resource("policy", slug(name)), name=name, written=clean_name(
        ext.text[mention.start : mention.end]))  # fmt: skip


def _one_edition(mention: PolicyMention, mentions: Sequence[PolicyMention]) -> PolicyMention:
    """A fiscal event named without its year (or its "Comprehensive") where the document names one
    edition of it only ("the Spending Review" beside "Spending Review 2019"): that edition. With two
    editions named, or none, it stays as written, undated."""
    if mention.kind != AK.FiscalEvent or re.search(rf"{_YEAR}", mention.name):
        return mention
    pattern = re.compile(rf"(?:\w+\s+)*{re.escape(mention.name)}(?:\s+{_YEAR}(?:/\d{{2}})?)?")
    editions = {m.iri: m for m in mentions if m.iri != mention.iri and pattern.fullmatch(m.name)}
    if len(editions) != 1:
        return mention
    (edition,) = editions.values()
    return replace(mention, iri=edition.iri, name=edition.name, acronym=edition.acronym)


def extract(ext: Extraction) -> None:
    """Add every policy the document names."""
    found = [_dated_by_item(ext, m) for m in find_policies(ext.text, organisations=ext.entities.organisations)]
    for mention in found:
        add_policy(ext, _one_edition(mention, found))
