"""The mention stage: every name-like phrase of a document, found once and typed once.

:class:`Mentions` is built from a document's :class:`~loaders.text.TextLayer` (an
:class:`~loaders.extraction.Extraction` builds it once, as ``ext.entities``). It finds

* the organisations the document names (:func:`loaders.organisations.find_organisations`: known
  bodies and their acronyms, councils in any style, units of a body, names ending in an
  organisation head noun, bodies named after what they are); this is the only place
  organisations are detected in a document, and every loader reads them from here
  (:meth:`Mentions.organisations_in`);
* every other capitalised run ("Jo Doe", "Vice President", "the Placement Review", "Anyshire"),
  joined over the small words of a name ("the Secretary of State for Rural Affairs"), and every
  acronym.

Each mention is typed once (:class:`MentionType`) from its head noun and its words, through the
lexicons (``loaders/lexicons``): an organisation as above; a post when it ends in a post title
(lexicon ``posts``); a report or a policy by its head noun (``mention_heads``); a place
(``places``); a person when it parses as a personal name (:func:`loaders.people.parse_name`);
otherwise ``other``. Loaders read typed mentions (:meth:`Mentions.of_type`,
:meth:`Mentions.at`) instead of re-detecting names; the typing is a first reading, which a loader
may refine with what it knows of the context (a role phrase around a name, a speech verb).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import Enum

from .lexicon import table, words
from .organisations import OrganisationMention, find_organisations
from .people import PersonName, parse_name
from .text import TextLayer


class MentionType(Enum):
    PERSON = "person"
    ORGANISATION = "organisation"
    POST = "post"
    REPORT = "report"
    POLICY = "policy"
    PLACE = "place"
    OTHER = "other"


@dataclass(frozen=True)
class Mention:
    """A name-like phrase at ``start``..``end`` and what it names."""

    start: int
    end: int
    text: str
    type: MentionType
    organisation: OrganisationMention | None = None
    """The organisation, for an organisation mention."""
    person: PersonName | None = None
    """The parsed name, for a person mention."""


_POST_TITLES = frozenset(row["written"] for row in table("posts"))
_HEADS = {row["head"]: MentionType(row["type"]) for row in table("mention_heads")}
_PLACES = frozenset(place.lower() for place in words("places"))
_ABBREVIATED_TITLES = "|".join(
    sorted({row["written"].capitalize() for row in table("honorifics")} | {"Mr", "Mrs", "Ms"})
)
_CAP_WORD = rf"(?:(?:{_ABBREVIATED_TITLES})\.(?=[ \t])|[A-Z][\w’'-]*|[A-Z]\.)"
_JOINER = r"(?:(?:of|for)(?:[ \t]+the)?|&)"
_RUN = re.compile(rf"(?<![\w’'-]){_CAP_WORD}(?:[ \t]+(?:{_JOINER}[ \t]+)?{_CAP_WORD})*")
"""A capitalised run, over the small words of a name ("Secretary of State for Rural Affairs")."""
_LEADING = re.compile(r"^(?:(?:The|A|An|This|That|Our|Its|Their|His|Her)\s+)+")


def _type_of(surface: str) -> tuple[MentionType, PersonName | None]:
    """The type a capitalised run's words give it."""
    folded = surface.lower().replace("’", "'")
    last = folded.split()[-1]
    if any(folded == title or folded.endswith(" " + title) for title in _POST_TITLES):
        return MentionType.POST, None
    if last in _HEADS:
        return _HEADS[last], None
    if folded in _PLACES:
        return MentionType.PLACE, None
    name = parse_name(surface)
    if name is not None and (name.given or name.prefixes):
        return MentionType.PERSON, name
    return MentionType.OTHER, None


class Mentions:
    """The typed mentions of one document's text, in text order."""

    def __init__(self, layer: TextLayer) -> None:
        text = layer.text
        self.organisations: tuple[OrganisationMention, ...] = tuple(find_organisations(text))
        found = [
            Mention(o.start, o.end, text[o.start : o.end], MentionType.ORGANISATION, organisation=o)
            for o in self.organisations
        ]
        taken = sorted({(o.start, o.end) for o in self.organisations})
        for run in _RUN.finditer(text):
            start = run.start() + (lead.end() if (lead := _LEADING.match(run.group())) else 0)
            end = run.end()
            for piece_start, piece_end in _outside(start, end, taken):
                piece = text[piece_start:piece_end].strip(" \t&")
                if not piece or not piece[0].isupper():
                    continue
                piece_start += text[piece_start:piece_end].index(piece)
                kind, person = _type_of(piece)
                found.append(Mention(piece_start, piece_start + len(piece), piece, kind, person=person))
        self.all: tuple[Mention, ...] = tuple(sorted(found, key=lambda m: (m.start, -m.end)))

    def of_type(self, kind: MentionType, start: int = 0, end: int | None = None) -> list[Mention]:
        """The mentions of one type lying wholly inside ``start``..``end``."""
        return [m for m in self.all if m.type is kind and start <= m.start and (end is None or m.end <= end)]

    def organisations_in(self, start: int = 0, end: int | None = None) -> list[OrganisationMention]:
        """The organisations named wholly inside ``start``..``end``, in text order."""
        return [o for o in self.organisations if start <= o.start and (end is None or o.end <= end)]

    def at(self, start: int, end: int) -> Mention | None:
        """The mention covering ``start``..``end``, the shortest if several do."""
        covering = [m for m in self.all if m.start <= start and end <= m.end]
        return min(covering, key=lambda m: m.end - m.start) if covering else None

    def in_organisation(self, start: int, end: int) -> bool:
        """Whether ``start``..``end`` shares a character with an organisation's name."""
        return any(o.start < end and start < o.end for o in self.organisations)


def _outside(start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``start``..``end`` not covered by a span of ``taken`` (sorted spans)."""
    pieces = [(start, end)]
    first = max(0, bisect.bisect_left(taken, (start, start)) - 8)
    for s, e in taken[first : bisect.bisect_left(taken, (end, end))]:
        if e <= start:
            continue
        pieces = [p for a, b in pieces for p in ((a, min(b, s)), (max(a, e), b)) if p[0] < p[1]]
    return pieces
