"""Organisations: every named organisation a document mentions, and its kind.

Four sources of names, combined longest match first without overlaps:

* a gazetteer of the sector's well-known bodies (associations, government departments,
  regulators, public and parliamentary bodies, charities, research bodies, courts), with their
  acronyms and the other names they go by;
* councils written as councils ("Norfolk County Council", "London Borough of Hackney", "Anyshire
  council", "Anytown & Anyvale Council"); a place name alone ("Kent") is not an organisation, nor is
  a council named by what it is ("the Labour council", "another English council");
* organisational units written after their parent ("the ADCS Workforce Development Policy
  Committee", "the Guild of Care Directors' Finance Board", "the ADCS
  Council of Elders"); a unit of a parliamentary body is a parliamentary body, a party's group
  ("the LGA Anyparty Group") an organisation of its own, as is a group written without its parent
  ("the Independent group");
* an acronym after the post that heads the body ("Chair of ANYCO");
* newspapers after "the" or "your" ("the Anytown Echo"; lexicon ``newspaper_heads``);
* other capitalised names ending in an organisation head noun ("the Institute of Health
  Visiting", "Loughborough University");
* a name after what the body is ("the charity Family Action", "the think tank Demos",
  "consultants aNYFIRM"), before it ("the x40 lobbying group") or in a list after what the bodies
  are ("the national associations, X, Y and Z"), in any case, and later uses of that name in the
  document (what the genre calls a body is lexicon ``body_descriptions``).

Names in the page furniture above a document's first item (a masthead, a menu) and in the site's
banners (a subscriber prompt) are left out.

A name found by pattern that ends in a known name is another body ("the Welsh Local Government
Association"); one that is a known name the document also writes in full, with words left out
("the Association of Children's Services" beside the Association of Directors of Children's
Services), is that body.

Acronyms defined in a document ("Full Name (ACR)") are learned for that document and resolve
its later uses of the acronym. "The government" is a description, not a name: only "HM
Government" (or a devolved government named as such) is the ``ak:Government`` organisation.
A possessive ("Ofsted's") is not part of the mention.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol, TypeVar

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK, resource, slug

from .lexicon import flag, listed, table
from .lexicon import words as lexicon_words
from .people import looks_like_place
from .text import is_banner

if TYPE_CHECKING:
    from .extraction import Extraction

LOADER = "organisations"


@dataclass(frozen=True)
class OrganisationMention:
    """An organisation named at ``start``..``end`` of a text."""

    start: int
    end: int
    iri: URIRef
    name: str
    """Canonical name, the same in every document."""
    acronym: str | None
    kind: URIRef
    """An ``ak:OrganisationKind`` individual."""
    unit_of: URIRef | None
    """The parent organisation of a unit (a committee, a board), else None."""

    @property
    def standing_acronym(self) -> str | None:
        """The acronym the organisation has in every document (the gazetteer's), not one a document defines."""
        entry = _BY_NAME.get(self.name)
        return entry.acronym if entry is not None else None


@dataclass(frozen=True)
class _Entry:
    """An organisation as the gazetteer or a pattern knows it."""

    name: str
    acronym: str | None
    kind: URIRef
    surfaces: tuple[str, ...] = ()
    """Other ways of writing the name (the name and the acronym are always surfaces)."""
    unit_of: str | None = None
    """Canonical name of the parent organisation."""
    anaphors: tuple[str, ...] = ()
    """Short forms that name the organisation only after a full mention close before them."""

    @property
    def iri(self) -> URIRef:
        return resource("org", slug(self.name))


def _gazetteer() -> tuple[_Entry, ...]:
    """The known bodies of lexicon ``bodies``."""
    return tuple(
        _Entry(
            row["name"],
            row["acronym"] or None,
            AK[row["kind"]],
            listed(row["surfaces"]),
            row["unit_of"] or None,
            listed(row["anaphors"]),
        )
        for row in table("bodies")
    )


_GAZETTEER = _gazetteer()
"""The sector's well-known bodies (associations, departments, regulators, public and parliamentary
bodies, charities, research bodies, courts), their acronyms and the other names they go by."""

_BY_NAME: dict[str, _Entry] = {e.name: e for e in _GAZETTEER}


# --- name matching (shared with loaders.policies) --------------------------------------------

_APOSTROPHES = "'’‘`"
_POSSESSIVE = re.compile(r"['’]s?$")


def name_key(surface: str) -> str:
    """Normalised lookup key: case, apostrophes, hyphens and spacing do not matter."""
    text = re.sub(f"[{_APOSTROPHES}]", "", surface).replace("-", " ").replace("&", " and ")
    return " ".join(text.split()).casefold()


def surface_regex(surface: str, *, fold_case: bool = True) -> str:
    """A regex for one surface form, any spacing and apostrophes.

    With ``fold_case`` the first letter is as written and the rest of a many-word name in any case
    ("Education select committee"); without, the case is as written.
    """
    tokens = []
    for token in surface.split():
        if token == "and":
            tokens.append("(?:and|&)")
            continue
        parts = []
        for char in token:
            if char in _APOSTROPHES:
                parts.append(f"[{_APOSTROPHES}]?")
            elif char == "-":
                parts.append(r"[-\s]?")
            else:
                parts.append(re.escape(char))
        tokens.append("".join(parts))
    head, rest = surface[0], r"\s+".join(tokens)[len(re.escape(surface[0])) :]
    if len(surface.split()) == 1 or not fold_case:
        return re.escape(head) + rest
    return re.escape(head) + f"(?i:{rest})"


def _gazetteer_index(entries: Iterable[_Entry]) -> tuple[dict[str, _Entry], re.Pattern[str]]:
    index: dict[str, _Entry] = {}
    for entry in entries:
        for surface in (entry.name, entry.acronym, *entry.surfaces):
            if surface:
                index.setdefault(name_key(surface), entry)
    surfaces = sorted({s for e in entries for s in (e.name, e.acronym, *e.surfaces) if s}, key=lambda s: (-len(s), s))
    pattern = "|".join(surface_regex(s) for s in surfaces)
    return index, re.compile(rf"(?<![\w’'&-])(?:{pattern})(?![\w&]|-[A-Z])")


_INDEX, _GAZETTEER_RE = _gazetteer_index(_GAZETTEER)

_FUZZY_MIN_LENGTH = 25
_FUZZY_CUTOFF = 0.95
"""A name this long that differs from a gazetteer name by a letter or two ("Association of Directors
of Adults Social Services") is that organisation."""
_LONG_KEYS = [key for key in _INDEX if len(key) >= _FUZZY_MIN_LENGTH]

_ANAPHORS: dict[str, _Entry] = {a: e for e in _GAZETTEER for a in e.anaphors}
_ANAPHOR_RE = re.compile(
    r"(?<![\w’'&-])(?:" + "|".join(re.escape(a) for a in sorted(_ANAPHORS, key=len, reverse=True)) + r")(?!\w)"
)
_ANAPHOR_WINDOW = 3000
"""An anaphor ("the APPG") names an organisation fully named at most this many characters before."""


# --- patterns ----------------------------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of ``text``."""
    return frozenset(text.split())


_CAP = r"[A-Z](?:[\w’'-]|\.(?=\w))*"
"""A capitalised word. Patterns bound how many they take, so long capitalised runs stay linear."""
LEFT_TRIM = word_set(
    "A An The This That These Those Each Every Our Their Its His Her My Your Any No Joint Comment "
    "Commenting On In For At By From With To Of As If When Where While Whilst And But Today Today’s "
    "Chair Vice President Director Directors Minister Secretary Chief Head Member Members Leader Cllr "
    "Councillor Professor Dr Sir Dame Mr Mrs Ms Lord Baroness January February March April May June July "
    "August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "Response Statement Update Former Outgoing Previous"
)
"""Words a name never begins with (articles, prepositions, titles, dates)."""
GENERIC_ADJECTIVES = word_set("New Local Regional National Independent Central Government")
"""Words that do not make a name of a head noun on their own ("the National Panel")."""

_ORG_HEADS: dict[str, URIRef] = {row["head"]: AK[row["kind"]] for row in table("organisation_heads")}
"""Head nouns that end an organisation's name and the kind of body each names."""
_HEAD_ALT = "|".join(sorted(_ORG_HEADS, key=len, reverse=True))
_MOD_WORD = rf"(?!(?:{_HEAD_ALT})\s+(?:and|&)\s){_CAP}"
"""A word before a head noun; a head noun followed by "and" ends one name ("Health Foundation and ...")."""
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TAIL_WORD = rf"(?!(?:{_MONTHS})\b){_CAP}"
_TAIL_NAME = rf"(?:the\s+)?{_TAIL_WORD}(?:\s+(?:(?:and|&)\s+(?![A-Z]{{2,}}\b|The\b))?{_TAIL_WORD}){{0,6}}"
"""What follows "of", "for"... after a head noun ("Society for the Prevention of Cruelty to Children");
an acronym or "The" after "and" begins another organisation ("HM Inspectorate of Probation and HMICFRS",
"Centre for Wellbeing and The Carers' Association")."""
_GENERIC_RE = re.compile(
    rf"(?<![\w’'-])(?P<mods>(?:{_MOD_WORD},?\s+(?:(?:and|&)\s+)?){{0,8}})(?P<head>{_HEAD_ALT})"
    rf"(?P<tail>(?:\s+(?:of|for|on)\s+{_TAIL_NAME}(?:\s+(?:of|for|on|in|to)\s+{_TAIL_NAME}){{0,3}})?)(?![\w’'-])"
)
_GENERIC_TYPES = frozenset(
    name_key(s)
    for s in (
        "Local Authority", "Combined Authority", "Regional Adoption Agency", "Adoption Agency",
        "Local Safeguarding Children Board", "Safeguarding Children Board", "Health and Wellbeing Board",
        "Integrated Care Board", "Clinical Commissioning Group", "Children's Trust", "Academy Trust",
        "Multi Academy Trust", "NHS Trust", "Foundation Trust", "NHS Foundation Trust", "Fostering Agency",
        "Independent Fostering Agency", "Local Education Authority", "Education Authority",
        "Planning Committee", "Select Committee", "Policy Committee", "Steering Committee",
        "Advisory Board", "Advisory Panel", "Youth Court", "Crown Court", "Magistrates Court",
        "Magistrates' Court", "County Court", "Care Board", "Partnership Board", "Improvement Board",
        "Trade Union", "Student Union", "Care Leavers Forum", "Youth Forum", "Parent Carer Forum",
        "Housing Association", "Research Network", "Reference Group", "Expert Panel",
    )
)  # fmt: skip
"""Capitalised names of a type of body rather than of one body."""
_PLURAL_POSSESSORS = frozenset({"Children", "Childrens", "People", "Women", "Men"})
"""Possessive modifiers written with "'s" that belong inside a name ("The Children's Society"); a plural
possessive ("Carers'") always does."""

_COUNCIL_TYPES = frozenset({"County", "City", "Borough", "District", "Metropolitan"})
_NOT_PLACE = (
    word_set(
        "Local Town Parish Youth Privy Arts Research Security Sentencing Schools School Children Childrens "
        "Medical Nursing Legal Education Social Care Health Science European National Student Students Pupil "
        "Advisory Safeguarding British Unitary Regional Joint New Executive Government Policy Funding Finance "
        "Planning Ethics Standards Economic General Governing Grants Faith Family Families Cabinet Full Shadow "
        "Whole Home Leaders Councils Young People Police Chiefs"
    )
    | frozenset(_ORG_HEADS)
    | lexicon_words("council_describers")
    | LEFT_TRIM
    | {key.title() for key in _INDEX if " " not in key}
)
"""Words that a council's place name does not contain (what precedes them is not part of it)."""
_PLACE_WORD = r"(?!Council\b)(?:St\.?\s)?[A-Z][a-z]+(?:-(?:on|upon|under|in|le|by)-[A-Z][a-z]+|-[A-Z][a-z]+)*"
_PLACE = rf"{_PLACE_WORD}(?:\s+(?:(?:and|&|upon|on|in|of)\s+)?{_PLACE_WORD}){{0,5}}"
_COUNCIL_WORD = r"(?:Council(?!\s+Tax)|(?<=\s)(?:(?:county|city|borough|district)\s+)?council(?!\s+tax)|[LRM]?BC)"
"""How a council's name ends: "Council", in lower case after its type ("Anyshire county council"),
or an abbreviation ("Sutton LBC", "Kingston upon Thames RBC")."""
_COUNCIL_ABBREVIATIONS = {"LBC": "London Borough of {}", "RBC": "Royal Borough of {}",
                          "MBC": "{} Metropolitan Borough Council", "BC": "{} Borough Council"}  # fmt: skip
_COUNCIL_RE = re.compile(
    rf"(?<![\w’'-])(?:(?P<place>{_PLACE})\s+{_COUNCIL_WORD}|(?:London|Royal)\s+Borough\s+of\s+(?P<borough>{_PLACE_WORD}"
    rf"(?:\s+(?:and|upon)\s+{_PLACE_WORD})?)|City\s+of\s+(?P<city>{_PLACE_WORD})\s+Council)(?![\w-])"
)

_UNIT_HEADS = r"Policy\s+Committee|Committee|Board|Network|Panel|Forum|Group|Council|Taskforce"
_UNIT_PARENTS = {
    surface for row in table("bodies") if flag(row["has_units"]) for surface in (row["name"], row["acronym"]) if surface
}
"""The bodies whose units are written after their name, as written."""
_UNIT_RE = re.compile(
    r"(?<![\w’'-])(?P<parent>"
    + "|".join(surface_regex(p) for p in sorted(_UNIT_PARENTS, key=len, reverse=True))
    + rf")(?:['’]s)?\s+(?:(?P<unit>(?:{_CAP},?\s+(?:(?:and|&)\s+)?){{1,8}}?)(?P<head>{_UNIT_HEADS})"
    rf"|(?P<named>(?:{_UNIT_HEADS})\s+of\s+{_CAP}))(?![\w-])"
)
"""A unit written after its parent: its name before its head noun ("the LGA Children and Young People Board"),
or after it ("the ADCS Council of Elders")."""
_PARTIES = frozenset(lexicon_words("party_groups"))
_PARTY_ALT = "|".join(sorted(_PARTIES, key=len, reverse=True))
_PARTY_GROUP_RE = re.compile(rf"(?<![\w’'-])(?P<party>{_PARTY_ALT})\s+[Gg]roup(?![\w-])")
"""A party's group of members ("the Labour Group", "the Independent group")."""
_DESCRIPTIONS = table("body_descriptions")
_DESCRIBED_KINDS = {
    written: AK[row["kind"]] for row in _DESCRIPTIONS for written in (row["singular"], row["plural"]) if written
}
"""What the genre calls a body ("charity", "consultancy") or several ("associations"), and the kind so named."""


def _alternatives(column: str, *, after: bool = False) -> str:
    written = [row[column] for row in _DESCRIPTIONS if row[column] and (not after or flag(row["after"]))]
    return "|".join(re.escape(w) for w in sorted(written, key=len, reverse=True))


_ODD_NAME = r"[a-z]+[A-Z][\w’'-]*|[a-z]\d+[\w-]*"
"""A name in lower or mixed case ("aNYFIRM", "x40")."""
_DESCRIBED_NAME = rf"(?:{_ODD_NAME}|{_CAP}(?:\s+(?:(?:of|for|and|&|the|in|on)\s+)*{_CAP}){{0,6}})"
_DESCRIBER = (
    r"(?<![\w’'-])(?:[Tt]he\s+)?(?:(?:[Cc]hildren['’]s|[Yy]outh|[Ff]amily|[Nn]ational|[Ll]eading|[Ss]mall)\s+)?"
)
_DESCRIBED_RE = re.compile(
    rf"{_DESCRIBER}(?P<what>{_alternatives('singular')}),?[ \t]+(?P<name>{_DESCRIBED_NAME})(?![\w’'-])"
    rf"|(?<![\w’'-])(?P<before>{_ODD_NAME}|{_CAP}(?:\s+{_CAP}){{0,3}})"
    rf"\s+(?P<after>{_alternatives('singular', after=True)})\b"
)
"""A body named after what it is ("the charity Family Action", "the think tank Demos", "consultancy, aNYFIRM"),
or before it ("the x40 lobbying group")."""
_LIST_ITEM = rf"(?:the\s+)?(?:{_ODD_NAME}|{_CAP}(?:\s+(?:(?:of|for)\s+)?{_CAP}){{0,5}})"
_LISTED_RE = re.compile(
    rf"{_DESCRIBER}(?P<what>{_alternatives('plural')})(?:,|:|\s+such\s+as|,?\s+including)\s+"
    rf"(?P<list>{_LIST_ITEM}(?:,\s+{_LIST_ITEM})*,?\s+(?:and|&)\s+{_LIST_ITEM})(?![\w’'-])"
)
"""Bodies listed after what they are ("the national associations, ConfAny, SAEO and AADS")."""
_LIST_SEPARATOR = re.compile(r",?\s+(?:and|&)\s+|,\s+")
_NEWSPAPER_RE = re.compile(
    rf"\b(?:the|The|your|Your)\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}}\s+"
    rf"(?:{'|'.join(sorted(lexicon_words('newspaper_heads')))}))(?![\w’'-]|\s+[A-Z])"
)
"""A newspaper named after "the" or "your" ("your Anytown Echo first revealed")."""
_NEWS_DESCRIBERS = lexicon_words("news_describers")
_HEADING_ROLES = ("Chair", "President", "VicePresident", "ChiefExecutive")
_HEADING_POSTS = sorted(
    {row["written"] for row in table("posts") if row["role"] in _HEADING_ROLES},
    key=len,
    reverse=True,
)
_ACRONYM_AFTER_POST_RE = re.compile(
    rf"(?i:\b(?:{'|'.join(re.escape(p) for p in _HEADING_POSTS)}))\s+of\s+(?:the\s+)?(?P<acr>[A-Z]{{3,6}})(?![\w’'-])"
)
"""An acronym naming the body a chair, president or chief executive heads ("Chair of ANYCO")."""
_DEFINITION_RE = re.compile(r"\s*\(\s*(?P<acr>[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*)\s*\)")


# --- finding ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    entry: _Entry


def clean_name(surface: str) -> str:
    """A surface form as a name: straight apostrophes, single spaces."""
    return " ".join(surface.replace("’", "'").split())


def _entry_for(name: str, kind: URIRef) -> _Entry:
    """The gazetteer organisation ``name`` names, allowing a small typo in a long name; else a new one."""
    key = name_key(name)
    known = _INDEX.get(key)
    if known is None and len(key) >= _FUZZY_MIN_LENGTH:
        close = difflib.get_close_matches(key, _LONG_KEYS, n=1, cutoff=_FUZZY_CUTOFF)
        known = _INDEX[close[0]] if close else None
    return known if known is not None else _Entry(clean_name(name), None, kind)


_TERM_WORDS = lexicon_words("term_words")
_WORD_BEFORE = re.compile(r"(\w+)\s+$")


def _names_a_term(text: str, start: int, entry: _Entry) -> bool:
    """Whether "Parliament" at ``start`` is a parliament's term ("in this Parliament"), not the institution."""
    before = _WORD_BEFORE.search(text, max(0, start - 20), start)
    return entry.name.endswith("Parliament") and before is not None and before.group(1).lower() in _TERM_WORDS


def _gazetteer_candidates(text: str) -> Iterable[_Candidate]:
    for m in _GAZETTEER_RE.finditer(text):
        entry = _INDEX.get(name_key(m.group()))
        if entry is not None and not _names_a_term(text, m.start(), entry):
            yield _Candidate(m.start(), m.end(), entry)


def _unit_candidates(text: str) -> Iterable[_Candidate]:
    for m in _UNIT_RE.finditer(text):
        parent = _INDEX[name_key(m.group("parent"))]
        unit = clean_name(m.group("named") or m.group("unit") + m.group("head"))
        name = f"{parent.acronym or parent.name} {unit}"
        known = _INDEX.get(name_key(name))
        entry = known if known is not None else _Entry(name, None, _unit_kind(parent, m), unit_of=parent.name)
        yield _Candidate(m.start(), m.end(), entry)


def _unit_kind(parent: _Entry, unit: re.Match[str]) -> URIRef:
    """A party's group is an organisation of its own ("the LGA Anyparty Group"), a unit of a parliamentary
    body is a parliamentary body ("the House of Commons Young Citizens Committee"), any other a committee."""
    if unit.group("head") == "Group" and unit.group("unit").strip() in _PARTIES:
        return AK.OtherOrganisation
    return AK.ParliamentaryBody if parent.kind == AK.ParliamentaryBody else AK.Committee


def _newspaper_candidates(text: str) -> Iterable[_Candidate]:
    for m in _NEWSPAPER_RE.finditer(text):
        words = m.group("name").split()
        if not set(words) & (_NEWS_DESCRIBERS | LEFT_TRIM | GENERIC_ADJECTIVES):
            yield _Candidate(m.start("name"), m.end(), _entry_for(m.group("name"), AK.Media))


def _acronym_after_post_candidates(text: str) -> Iterable[_Candidate]:
    for m in _ACRONYM_AFTER_POST_RE.finditer(text):
        acronym = m.group("acr")
        entry = _INDEX.get(name_key(acronym)) or _Entry(acronym, None, AK.OtherOrganisation)
        yield _Candidate(m.start("acr"), m.end("acr"), entry)


def _party_group_candidates(text: str) -> Iterable[_Candidate]:
    for m in _PARTY_GROUP_RE.finditer(text):
        yield _Candidate(m.start(), m.end(), _Entry(f"{m.group('party')} Group", None, AK.OtherOrganisation))


def _described_candidates(text: str) -> Iterable[_Candidate]:
    """Bodies named after what they are, and every later use of the same name in the text."""
    described = [(m.group("name") or m.group("before"), m.group("what") or m.group("after"))
                 for m in _DESCRIBED_RE.finditer(text)]  # fmt: skip
    for m in _LISTED_RE.finditer(text):
        items = _LIST_SEPARATOR.split(m.group("list"))
        described += [(re.sub(r"^the\s+", "", item), m.group("what")) for item in items]
    entries: dict[str, _Entry] = {}
    for written, what in described:
        name = _POSSESSIVE.sub("", written)
        if name.split()[0] in LEFT_TRIM or looks_like_place(name):
            continue  # "the company Chief Executive", "the Anyshire charity"
        known = _INDEX.get(name_key(name))  # the name is written in full: no typo allowance
        entries.setdefault(name, known if known is not None else _Entry(clean_name(name), None, _DESCRIBED_KINDS[what]))
    for name, entry in entries.items():
        for use in re.finditer(rf"(?<![\w’'-]){re.escape(name)}(?![\w-])", text):
            yield _Candidate(use.start(), use.end(), entry)


_REMIT_WORD = re.compile(r"[A-Z][a-z]+,?")


def _lists_a_remit(tokens: list[str]) -> bool:
    """Whether words from a comma on list what one body covers ("Rivers, Parks and Heritage"): plain
    capitalised words, none a known name, the last of them after "and"."""
    named = [t for t in tokens if t not in ("and", "&")]
    return (
        any(t in ("and", "&") for t in tokens)
        and all(_REMIT_WORD.fullmatch(t) and name_key(t.rstrip(",")) not in _INDEX for t in named)
    )


def trim_left(words: list[re.Match[str]], stop: frozenset[str]) -> list[re.Match[str]]:
    """The words after the last one that cannot begin a name (or that ends a list or a possessor)."""
    first = 0
    for i, word in enumerate(words):
        token = word.group()
        stem = _POSSESSIVE.sub("", token)
        plural = re.search(r"s['’]$", token) is not None  # "the Kinship Carers' Alliance": inside the name
        ends_list = token.endswith(",") and not _lists_a_remit([w.group() for w in words[i:]])
        if token in stop or ends_list or (stem != token and not plural and stem not in _PLURAL_POSSESSORS):
            first = i + 1
    kept = words[first:]
    while kept and kept[0].group() in {"and", "&", "of", "upon", "on", "in"}:
        kept = kept[1:]
    return kept


def _council_candidates(text: str) -> Iterable[_Candidate]:
    for m in _COUNCIL_RE.finditer(text):
        start = m.start()
        if m.group("place") is not None:
            words = trim_left(list(re.finditer(r"\S+", m.group("place"))), _NOT_PLACE)
            if all(w.group() in _COUNCIL_TYPES for w in words):
                continue
            start = m.start("place") + words[0].start()
            place = text[start : m.end("place")]
            if m.group().endswith(" council") and _opens_sentence(text, start) and not looks_like_place(place):
                continue  # "Gross council spending fell": a capitalised word opening a sentence names no place
        yield _Candidate(start, m.end(), _entry_for(_council_name(text[start : m.end()]), AK.LocalAuthority))


_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;]\s|\n)[\s•·*-]*$")


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins a line or a sentence."""
    return _SENTENCE_OPENING.search(text, max(0, start - 8), start) is not None


def _council_name(written: str) -> str:
    """A council's name as written, its type words capitalised and an abbreviation spelt out."""
    words = written.split()
    if words[-1] in _COUNCIL_ABBREVIATIONS:
        return _COUNCIL_ABBREVIATIONS[words[-1]].format(" ".join(words[:-1]))
    typed = [w.capitalize() if w in ("county", "city", "borough", "district", "council") else w for w in words]
    return " ".join(typed)


def _generic_candidates(text: str) -> Iterable[_Candidate]:
    for m in _GENERIC_RE.finditer(text):
        kept = trim_left(list(re.finditer(r"\S+", m.group("mods"))), LEFT_TRIM)
        generic = all(w.group() in GENERIC_ADJECTIVES for w in kept)
        if (generic and not m.group("tail")) or _modifies_next(text, m.end()):
            continue
        start = m.start("mods") + kept[0].start() if kept else m.start("head")
        name = text[start : m.end()]
        if name_key(name) not in _GENERIC_TYPES:
            yield _Candidate(start, m.end(), _entry_for(name, _kind_of(m.group("head"), name)))


def _extends(generic: _Candidate, named: tuple[int, int]) -> bool:
    """A name found by pattern may overlap a known one only by being it, or by naming another body
    with the known name's words after its own ("the Welsh Local Government Association")."""
    start, end = named
    return generic.end == end and generic.start <= start


def _known_for_dropped_words(chosen: list[_Candidate]) -> list[_Candidate]:
    """A name found by pattern that is a known name the document writes in full elsewhere, with
    words left out ("the Association of Children's Services" on a page naming the Association of
    Directors of Children's Services), is that organisation; so is one that a unit's full name ends in
    ("the Young Citizens Committee" beside the House of Commons Young Citizens Committee)."""
    known = {c.entry for c in chosen if c.entry.name in _BY_NAME or c.entry.unit_of is not None}
    result = []
    for c in chosen:
        words = set(name_key(c.entry.name).split())
        fuller = [e for e in known if c.entry.name not in _BY_NAME and _drops_words(words, name_key(e.name).split())]
        fewest = [e for e in fuller if len(e.name.split()) == min(len(f.name.split()) for f in fuller)]
        result.append(replace(c, entry=fewest[0]) if len(fewest) == 1 else c)
    return result


def _drops_words(words: set[str], known: list[str]) -> bool:
    return len(words) >= 3 and words < set(known) and known[-1] in words


def _modifies_next(text: str, end: int) -> bool:
    """Whether a capitalised word follows, making the head noun a modifier ("Multi Agency Units")."""
    following = re.match(r" ([A-Z][\w’'-]*)", text[end : end + 40])
    return following is not None and following.group(1) not in LEFT_TRIM


def _kind_of(head: str, name: str) -> URIRef:
    if "Parliament" in name or "Select Committee" in name:
        return AK.ParliamentaryBody
    if re.search(r"\bInspection\b", name):
        return AK.Regulator  # a body named for inspecting ("the Commission for Care Inspection")
    if re.search(r"\bNHS\b", name):
        return AK.HealthBody
    return _ORG_HEADS[head]


class Spanned(Protocol):
    """Anything found at ``start``..``end`` of a text."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_S = TypeVar("_S", bound=Spanned)


def overlaps(found: Spanned, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether ``found`` shares a character with one of ``spans``."""
    return any(found.start < e and s < found.end for s, e in spans)


def select_longest(candidates: Iterable[_S], taken: list[tuple[int, int]]) -> list[_S]:
    """Longest first (then leftmost); a candidate overlapping one already taken is dropped.

    ``taken`` is extended with the spans chosen.
    """
    chosen: list[_S] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if not overlaps(c, taken):
            chosen.append(c)
            taken.append((c.start, c.end))
    return chosen


def acronym_definition(text: str, end: int) -> re.Match[str] | None:
    """A bracketed acronym ``(ACR)`` right after a name ending at ``end``; group ``acr``."""
    return _DEFINITION_RE.match(text, end)


def acronym_uses(text: str, acronym: str, after: int) -> Iterable[tuple[int, int]]:
    """The spans where ``acronym`` is written as a word from offset ``after`` on."""
    for m in re.finditer(rf"(?<![\w’'-]){re.escape(acronym)}(?![\w-])", text):
        if m.start() >= after:
            yield m.start(), m.end()


def _learn_acronyms(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """Definitions "Full Name (ACR)": the bracketed acronym and its later uses name the organisation."""
    found: list[_Candidate] = []
    definitions: list[tuple[int, str, _Entry]] = []
    for i, c in enumerate(chosen):
        m = acronym_definition(text, c.end)
        if m is None or c.entry.unit_of is not None:
            continue
        acronym = m.group("acr")
        if c.entry.acronym is None and c.entry.name not in _BY_NAME:
            chosen[i] = c = replace(c, entry=replace(c.entry, acronym=acronym))
        found.append(_Candidate(m.start("acr"), m.end("acr"), c.entry))
        definitions.append((m.end(), acronym, c.entry))
    for after, acronym, entry in definitions:
        found += [_Candidate(s, e, entry) for s, e in acronym_uses(text, acronym, after)]
    return select_longest(found, [(c.start, c.end) for c in chosen])


def _anaphor_candidates(text: str, chosen: list[_Candidate]) -> Iterable[_Candidate]:
    for m in _ANAPHOR_RE.finditer(text):
        entry = _ANAPHORS[m.group()]
        if any(c.entry == entry and 0 <= m.start() - c.end <= _ANAPHOR_WINDOW for c in chosen):
            yield _Candidate(m.start(), m.end(), entry)


def _document_mentions(text: str) -> tuple[OrganisationMention, ...]:
    named = [*_gazetteer_candidates(text), *_unit_candidates(text), *_council_candidates(text)]
    named += [*_party_group_candidates(text), *_newspaper_candidates(text), *_acronym_after_post_candidates(text)]
    named += _described_candidates(text)
    spans = [(c.start, c.end) for c in named]
    generic = [c for c in _generic_candidates(text) if all(_extends(c, span) for span in spans if overlaps(c, [span]))]
    chosen = _known_for_dropped_words(select_longest(named + generic, []))
    chosen += _learn_acronyms(text, chosen)
    chosen += select_longest(_anaphor_candidates(text, chosen), [(c.start, c.end) for c in chosen])
    return tuple(_mention(c.start, c.end, c.entry) for c in sorted(chosen, key=lambda c: c.start))


def _mention(start: int, end: int, entry: _Entry) -> OrganisationMention:
    parent = _BY_NAME[entry.unit_of].iri if entry.unit_of else None
    return OrganisationMention(start, end, entry.iri, entry.name, entry.acronym, entry.kind, parent)


def find_organisations(text: str, start: int = 0, end: int | None = None) -> list[OrganisationMention]:
    """Every organisation named in ``text[start:end]``, offsets relative to ``text``, in text order.

    Names are chosen longest first and never overlap. Acronyms defined anywhere earlier in
    ``text`` count, so pass the whole document text and the bounds of the part wanted. Each call
    reads the whole text: a loader reads a document's organisations from the mention stage
    (``ext.entities``), which calls this once.
    """
    stop = len(text) if end is None else end
    return [m for m in _document_mentions(text) if start <= m.start and m.end <= stop]


def council_of_place(place: str, start: int, end: int) -> OrganisationMention:
    """The council of ``place``, for a page that names it only by its place ("DCS Anyshire"): a
    local authority known by that name."""
    return _mention(start, end, _Entry(clean_name(place), None, AK.LocalAuthority))


def resolve_organisation(surface: str) -> OrganisationMention | None:
    """The organisation ``surface`` names ("the LGA", "DfE", "Ofsted's"), with offsets 0..len(surface)."""
    core = re.sub(r"^(?:the|The|THE)\s+", "", _POSSESSIVE.sub("", surface.strip()))
    if not core:
        return None
    found = find_organisations(core)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(core):
        return replace(found[0], start=0, end=len(surface))
    return None


# --- writing ------------------------------------------------------------------------------------


def add_organisation(ext: Extraction, mention: OrganisationMention) -> URIRef:
    """Write the organisation node (and its parent for a unit) and record the mention."""
    iri = mention.iri
    _add_node(ext, iri, mention.name, mention.kind, mention.acronym)
    surface = clean_name(ext.text[mention.start : mention.end])
    if surface not in (mention.name, mention.acronym):
        ext.graph.add((iri, AK.altName, Literal(surface)))
    if mention.unit_of is not None:
        ext.graph.add((iri, RDF.type, AK.OrganisationalUnit))
        ext.graph.add((iri, AK.unitOf, mention.unit_of))
        _add_parent(ext, mention)
    ext.mention(iri, mention.start, mention.end)
    return iri


def _add_node(ext: Extraction, iri: URIRef, name: str, kind: URIRef, acronym: str | None) -> None:
    g = ext.graph
    g.add((iri, RDF.type, AK.Organisation))
    g.add((iri, AK.name, Literal(name)))
    g.add((iri, AK.kind, kind))
    if acronym:
        g.add((iri, AK.acronym, Literal(acronym)))


def _add_parent(ext: Extraction, unit: OrganisationMention) -> None:
    """The parent of a unit, mentioned where the unit's name names it.

    A unit known by its bare name ("the Workforce Development Policy Committee") names its
    parent implicitly: the parent is then mentioned at the unit's span.
    """
    parent = next(e for e in _GAZETTEER if e.iri == unit.unit_of)
    _add_node(ext, parent.iri, parent.name, parent.kind, parent.acronym)
    written = _UNIT_RE.match(ext.text, unit.start)
    if written is not None and written.end() == unit.end:
        ext.mention(parent.iri, written.start("parent"), written.end("parent"))
    else:
        ext.mention(parent.iri, unit.start, unit.end)


def _line_at(text: str, offset: int) -> str:
    """The line of ``text`` holding ``offset``, without surrounding white space."""
    end = text.find("\n", offset)
    return text[text.rfind("\n", 0, offset) + 1 : len(text) if end < 0 else end].strip()


def extract(ext: Extraction) -> None:
    """Add every organisation the document names; a name in the page furniture above its first
    item (a masthead, a menu) or in a banner of the site (a subscriber prompt) is left out with a note."""
    first = min((item.start for item in ext.items), default=0)
    for mention in ext.entities.organisations:
        if mention.start < first:
            ext.skip(
                LOADER, mention.start, f"organisation {mention.name!r} named only in the furniture above the items"
            )
        elif is_banner(_line_at(ext.text, mention.start)):
            ext.skip(LOADER, mention.start, f"organisation {mention.name!r} named only in a banner of the site")
        else:
            add_organisation(ext, mention)
