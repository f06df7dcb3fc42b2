"""People: parsing personal names and writing the ``ak:Person`` node.

A name as written ("Cllr Richard Watts", "Edwina Grant OBE", "Charlotte Ramsden CBE") is split
into honorific prefixes, given name, family name and honorific suffixes. The canonical name is
given + family, so every surface form of one person gives the same IRI,
``id:person/{slug(given family)}``.

People are created only where the text says who someone is (a speaker attribution, a signed
column, a role in apposition, or a cue of :func:`cued_names`: an honorific or a public office
written before the name, honours after it, a review known by its author, a case known by its
child); :func:`record_mentions` then records
every later place the person is named inside the same item (the full name, or the family name
alone once the full name has been given).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK, resource, slug

from .lexicon import flag, table, words
from .text import TextLayer, Token

if TYPE_CHECKING:
    from .extraction import Extraction

PREFIXES: dict[str, str] = {row["written"]: row["canonical"] for row in table("honorifics")}
"""Honorific prefixes (lower-cased, without a full stop) and their canonical spelling."""
PEERS = frozenset(row["canonical"] for row in table("honorifics") if flag(row["peer"] or "no"))
"""Peers' titles, after which a territorial designation may follow the name ("Baroness Roe of Anytown")."""

SUFFIXES = words("post_nominals")
"""Honours and post-nominal letters written after a name."""

NOT_NAME_WORDS = words("not_name_words")
"""Capitalised words that are never part of a personal name in this genre."""
PLACE_WORDS = frozenset(place.lower() for place in words("places"))
"""Places the genre writes often: never a given name, but a family name may be one ("Rosa Kent")."""
FAMILY_ONLY_WORDS = PLACE_WORDS | words("family_only_words")
"""Words never a given name but a family name after one ("Rosa Kent", "Jo South"); alone, not the person."""

_COMPASS = re.compile(r"^(?:North|South|East|West|Central|Greater|Mid)\s+[A-Z]")
_PLACE_ENDINGS = ("shire", "shire's")


def looks_like_place(surface: str) -> bool:
    """A written place: a place of lexicon ``places``, a county ("Anyshire"), a compass part of one
    ("East Anyshire", "North Tyneside")."""
    words = surface.split()
    return (
        surface.lower() in PLACE_WORDS
        or words[-1].lower().endswith(_PLACE_ENDINGS)
        or (bool(_COMPASS.match(surface)) and len(words) <= 3)
    )


_NAME_TOKEN = re.compile(r"(?:[A-Z]['’])?[A-Z][a-z]+(?:-[A-Z]?[a-z]+|['’][A-Z][a-z]+)*|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class PersonName:
    """A personal name split into its parts."""

    given: str
    family: str
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    designation: str = ""
    """A peer's territorial designation ("of Anytown" in "Baroness Roe of Anytown")."""

    @property
    def canonical(self) -> str:
        """Given and family name ("Charlotte Ramsden"), a peer's name with its designation ("Roe
        of Anytown"), or the family name alone."""
        if self.designation:
            return f"{self.family} {self.designation}"
        return f"{self.given} {self.family}" if self.given else self.family

    @property
    def complete(self) -> bool:
        """Whether the name names one person by itself (not a family name alone)."""
        return bool(self.given or self.designation)

    @property
    def iri(self) -> URIRef:
        return resource("person", slug(self.canonical))


def _clean_token(token: str) -> str:
    return token.strip(",;:()").rstrip(".") if not re.fullmatch(r"[A-Z]\.", token) else token


def is_name_word(token: str) -> bool:
    """True if ``token`` can be a given or family name (capitalised, not a known common word)."""
    return bool(_NAME_TOKEN.fullmatch(token)) and token.lower() not in NOT_NAME_WORDS | FAMILY_ONLY_WORDS


def _is_family_name(token: str) -> bool:
    if token.lower() in PARTICLES:
        return False  # "Rachel De" is the start of "Rachel De Souza"
    return is_name_word(token) or (bool(_NAME_TOKEN.fullmatch(token)) and token.lower() in FAMILY_ONLY_WORDS)


def parse_name(surface: str) -> PersonName | None:
    """Split a written name into its parts; ``None`` if ``surface`` is not a personal name.

    A name is at most one honorific prefix run, a given name (optionally followed by initials),
    a family name, and any honours: "Dame Jane Smith DBE", "Cllr Richard Watts".
    A bare family name is accepted only after an honorific ("Professor Munro").
    """
    tokens = [_clean_token(t) for t in surface.split()]
    tokens = [t for t in tokens if t]
    prefixes: list[str] = []
    while tokens and tokens[0].lower().rstrip(".") in PREFIXES:
        prefixes.append(PREFIXES[tokens.pop(0).lower().rstrip(".")])
    suffixes: list[str] = []
    while tokens and tokens[-1] in SUFFIXES:
        suffixes.insert(0, tokens.pop())
    if tokens:
        tokens[-1] = _POSSESSIVE.sub("", tokens[-1])
    peer = PEERS & set(prefixes) and len(tokens) > 2 and tokens[1] == "of" and is_name_word(tokens[0])
    if peer and all(_is_family_name(t) for t in tokens[2:]):
        return PersonName("", tokens[0], tuple(prefixes), tuple(suffixes), " ".join(tokens[1:]))
    if not tokens or not all(is_name_word(t) or t in PARTICLES for t in tokens[:-1]) or not _is_family_name(tokens[-1]):
        return None
    if len(tokens) == 1:
        return PersonName("", tokens[0], tuple(prefixes), tuple(suffixes)) if prefixes else None
    given, *middle, family = tokens
    if len(middle) > 1 or not all(_is_middle(m) for m in middle) or not is_name_word(given) or given.endswith("."):
        return None
    if middle and middle[0].lower() in PARTICLES:
        family = f"{middle[0]} {family}"
    return PersonName(given, family, tuple(prefixes), tuple(suffixes))


_TITLE_ALT = "|".join(sorted({re.escape(k.capitalize()) for k in PREFIXES} | {"Cllr"}, key=len, reverse=True))
_SUFFIX_ALT = "|".join(sorted(SUFFIXES))
_WORD = r"(?:[A-Z]['’](?=[A-Z]))?[A-Z][a-z]+(?:-[A-Z]?[a-z]+|['’][A-Z][a-z]+)*"
"""A capitalised name word ("Lloyd-Jones", "O'Neill"); a possessive "'s" is not part of it."""
_END = r"(?![\w-]|['’](?!s\b))"
PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "le", "la"})
"""Words inside a family name, in lower case or capitalised ("Rachel de Souza", "Rachel De Souza")."""
_PARTICLE_ALT = "|".join(sorted(PARTICLES))
_PART = re.compile(rf"(?:{_TITLE_ALT}|{_WORD}|Ma?c[A-Z][a-z]+)(?P<possessive>['’]s)?")
"""A word of a name as one token of the text layer: a title or a capitalised word, with a possessive
"'s" at most (which is not part of the name)."""
_SUFFIX = re.compile(rf"(?:{_SUFFIX_ALT})(?P<possessive>['’]s)?")
_GAP = re.compile(r"[ \t]*\n?[ \t]*")
"""What may separate the words of one name: spaces and at most one line break."""

_NAME_WORD = rf"(?:Ma?c[A-Z][a-z]+|{_WORD})"
_FULL_NAME = rf"{_NAME_WORD}[ \t]+(?:(?:{_PARTICLE_ALT})[ \t]+)?{_NAME_WORD}"
"""A given and a family name ("Josh MacAlister", "Rachel de Souza")."""
_NAME_ENDS = rf"(?![\w-])(?![ \t]+(?:{_NAME_WORD}|(?:{_PARTICLE_ALT})\b))"
"""Where a name ends: no further name word or particle follows."""
TITLED_NAME = re.compile(
    rf"\b(?:{_TITLE_ALT})\.?(?:\s+(?:{_TITLE_ALT})\.?)*\s+(?:{_FULL_NAME}|{_NAME_WORD}){_NAME_ENDS}"
    rf"(?:\s+(?:{_SUFFIX_ALT})\b)*"
)
"""A name introduced by honorifics ("Sir Michael Marmot", "Professor Dame Jane Smith"): a person
even without a role. A third capitalised word makes the run something else ("Dr Barnardo's Homes")."""

PUBLIC_OFFICE = (
    r"(?:Prime|Education|Health|Home|Foreign|Justice|Housing|Children['’]s|Schools|Skills|Care)\s+(?:Minister|Secretary)"
    r"|Minister|Chancellor|Secretary\s+of\s+State(?:\s+for\s+[A-Z][a-z]+)?|Children['’]s\s+Commissioner"
)
_CUES = (
    # an office written before the name as a title: "Prime Minister Blair", "Minister Ford MP"
    rf"(?<![\w’'-])(?:{PUBLIC_OFFICE})[ \t]+(?P<office>{_FULL_NAME}|{_NAME_WORD}){_NAME_ENDS}",
    # a piece of work known by its author: "Jo Bloggs’s review", "Jo Bloggs' 2020 report"
    rf"(?<![\w’'-])(?P<author>{_FULL_NAME})['’]s?[ \t]+(?:(?:\d{{4}}|independent|final|interim|landmark)[ \t]+)?"
    r"(?:review|report|inquiry|speech|letter|recommendations)\b",
    # the child at the centre of a case: "the death of Jo Bloggs", "the murder of Jo Bloggs"
    rf"\b(?:death|deaths|murder|murders|killing|case)[ \t]+of[ \t]+(?P<victim>{_FULL_NAME}){_NAME_ENDS}",
    # honours after a full name: "Jo Bloggs MP", "Jo Bloggs CBE"
    rf"(?<![\w’'-])(?P<honoured>{_FULL_NAME})[ \t]+(?:{_SUFFIX_ALT})\b",
)
PUBLIC_OFFICE_NAMED = re.compile(rf"\b(?:{PUBLIC_OFFICE})\b")
"""A public office written as a title ("the Prime Minister", "the Education Secretary")."""
CUED_NAME = re.compile("|".join(f"(?:{c})" for c in _CUES))
"""A name the words around it show to be a person's, with no role of the association: an office
held as a title, the author of a review, the child a case is named for, honours."""


def cued_names(text: str, start: int, end: int) -> list[tuple[PersonName, int, int]]:
    """The people named in ``text[start:end]`` by an honorific or a cue of :data:`CUED_NAME`."""
    found: list[tuple[PersonName, int, int]] = []
    for m in TITLED_NAME.finditer(text, start, end):
        name = parse_name(m.group())
        if name is not None:
            found.append((name, m.start(), m.end()))
    for m in CUED_NAME.finditer(text, start, end):
        group = next(g for g in ("office", "author", "victim", "honoured") if m.group(g) is not None)
        s, e = m.span(group)
        if group == "honoured":
            before = re.search(r"(\S+)[ \t]+$", text[max(0, s - 40) : s])
            if before is not None and is_name_word(before.group(1)):
                continue  # "Jo Bloggs MP" ends a longer capitalised run: not where the name starts
            e = m.end()
        surface = text[s:e]
        name = parse_name(surface) if group != "office" or " " in surface.strip() else _family_only(surface)
        if name is not None and not any(a < e and s < b for _, a, b in found):
            found.append((name, s, e))
    return sorted(found, key=lambda f: f[1])


def _family_only(surface: str) -> PersonName | None:
    """A family name written after an office as a title ("Minister Ford")."""
    word = _POSSESSIVE.sub("", surface.strip())
    return PersonName("", word) if is_name_word(word) else None


_APOSTROPHES_AND_HYPHEN = frozenset("’'-")


def _name_part(text: str, token: Token) -> tuple[int, int] | None:
    """Where ``token`` (of the text layer) is a word of a name: a title (with its full stop), a
    capitalised word (before a possessive at most), an initial, honours, or a particle of a family
    name before a capitalised word."""
    if token.start > 0 and text[token.start - 1] in _APOSTROPHES_AND_HYPHEN:
        return None
    after = text[token.end : token.end + 1]
    dotted = after == "." and not re.match(r"[\w-]", text[token.end + 1 : token.end + 2])
    if re.fullmatch(r"[A-Z]", token.text):
        return (token.start, token.end + 1) if after == "." else None
    word = _PART.fullmatch(token.text) or _SUFFIX.fullmatch(token.text)
    if word is not None and word.group("possessive"):
        return token.start, token.start + word.start("possessive")
    if word is not None and token.text.lower() in PREFIXES and dotted:
        return token.start, token.end + 1
    if word is not None and (after not in _APOSTROPHES_AND_HYPHEN or token.text in SUFFIXES):
        return token.start, token.end
    if token.text in PARTICLES and re.match(r"[ \t]+[A-Z]", text[token.end : token.end + 40]):
        return token.start, token.end
    return None


def _runs(layer: TextLayer, start: int, end: int) -> list[list[tuple[int, int]]]:
    """Runs of name words (titles, words, initials, honours) among the text layer's tokens inside
    ``start``..``end``."""
    text = layer.text
    runs: list[list[tuple[int, int]]] = []
    for token in layer.tokens_in(start, end):
        part = _name_part(text, token)
        if part is None or part[1] > end:
            continue
        gap = _GAP.match(text, runs[-1][-1][1], part[0]) if runs else None
        if runs and gap is not None and gap.end() == part[0]:
            runs[-1].append(part)
        else:
            runs.append([part])
    return runs


def _is_middle(word: str) -> bool:
    """A word that may stand between a given and a family name: an initial or a particle."""
    return bool(re.fullmatch(r"[A-Z]\.", word)) or word.lower() in PARTICLES


def _designated(layer: TextLayer, start: int, name_end: int, end: int) -> list[tuple[int, int]]:
    """A peer's name written ``start``..``name_end`` with its territorial designation after it
    ("Baroness Roe" + " of Anytown"), within ``end``."""
    text = layer.text
    if PREFIXES.get(text[start:name_end].split()[0].rstrip(".").lower()) not in PEERS:
        return []
    joint = re.compile(r"[ \t]+of[ \t]+").match(text, name_end, end)
    place = _runs(layer, joint.end(), min(end, joint.end() + 60)) if joint else []
    return [(start, place[0][-1][1])] if joint and place and place[0][0][0] == joint.end() else []


def name_spans(layer: TextLayer, start: int, end: int) -> list[tuple[int, int]]:
    """Where a personal name may be written in ``text[start:end]``, rightmost end first.

    Within a run of capitalised words ("Early Intervention Spending in England Matt Dunkley",
    "ADCS President Charlotte Ramsden") every two consecutive words (a middle initial allowed
    between them) are a candidate, widened over the titles before and the honours after; so is a
    title and one word ("Professor Munro") and every word alone (a family name already known).
    :func:`parse_name` and the callers decide which are names.
    """
    text = layer.text
    found: set[tuple[int, int]] = set()
    for run in _runs(layer, start, end):
        words = [text[s:e] for s, e in run]
        titles = [w.rstrip(".").lower() in PREFIXES for w in words]
        for i in range(len(run)):
            if titles[i]:
                if i + 1 < len(run) and (i + 2 == len(run) or not is_name_word(words[i + 2])):
                    found.add((run[i][0], run[i + 1][1]))
                    found.update(_designated(layer, run[i][0], run[i + 1][1], end))
                continue
            if words[i] in PARTICLES or (i > 0 and words[i].lower() in PARTICLES and is_name_word(words[i - 1])):
                continue  # a particle opens no name inside a run ("Rachel De Souza": not "De Souza")
            found.add(run[i])
            for j in (i + 1, i + 2):
                if j >= len(run) or (j == i + 2 and not _is_middle(words[i + 1])):
                    continue
                first, last = i, j
                while first > 0 and titles[first - 1]:
                    first -= 1
                while last + 1 < len(run) and words[last + 1] in SUFFIXES:
                    last += 1
                found.add((run[first][0], run[last][1]))
    return sorted(found, key=lambda span: (-span[1], span[0]))


def add_person(ext: Extraction, name: PersonName, start: int, end: int) -> URIRef:
    """Write (or extend) the person node for ``name`` and record its mention at ``start``..``end``."""
    iri = name.iri
    g = ext.graph
    if (iri, RDF.type, AK.Person) not in g:
        g.add((iri, RDF.type, AK.Person))
        g.add((iri, AK.name, Literal(name.canonical)))
        if name.given:
            g.add((iri, AK.givenName, Literal(name.given)))
        g.add((iri, AK.familyName, Literal(name.family)))
    for prefix in name.prefixes:
        g.add((iri, AK.honorificPrefix, Literal(prefix)))
    for suffix in name.suffixes:
        g.add((iri, AK.honorificSuffix, Literal(suffix)))
    surface = ext.text[start:end]
    if surface != name.canonical:
        g.add((iri, AK.altName, Literal(surface)))
    if (iri, AK.mention, ext.document.span_iri(start, end)) not in g:
        ext.mention(iri, start, end)
    return iri


def _known_mentions(ext: Extraction, person: URIRef) -> set[tuple[int, int]]:
    return {(m.start, m.end) for m in ext.mentions if m.node == person}


def record_mentions(ext: Extraction, name: PersonName, start: int, end: int) -> None:
    """Mention ``name``'s person at every place it is named in ``text[start:end]``.

    The full name (its words split over a line break too) counts everywhere in the range; the
    family name or the given name alone (possessive allowed, not followed by another
    capitalised word) only after the first full mention, so "Ramsden" or "Charlotte" in an
    unrelated item is not taken for her. Spans overlapping one already recorded are left alone.
    """
    person = name.iri
    text = ext.text
    seen = _known_mentions(ext, person)
    written = r"\s+".join(re.escape(part) for part in name.canonical.split())
    spans = [(m.start(), m.end()) for m in re.compile(rf"\b{written}\b").finditer(text, start, end)]
    if spans and name.given:
        # a family name that is also a place or a compass point ("Kent", "South") is not the person alone
        words = [name.given] if name.family.lower() in FAMILY_ONLY_WORDS else [name.family, name.given]
        alone = re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b(?!['’]?s?\s+[A-Z])")
        for m in alone.finditer(text, spans[0][1], end):
            if not any(a <= m.start() and m.end() <= b for a, b in spans):
                spans.append((m.start(), m.end()))
    for s, e in sorted(spans):
        if any(not (e <= a or b <= s) for a, b in seen):
            continue
        ext.mention(person, s, e)
        seen.add((s, e))
