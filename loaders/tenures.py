"""Tenures: posts the narrative of an item gives a person, and when the post was taken up or left.

The clauses of the genre that state a post without an apposition, each read from one sentence:

* taking a post up: "Jo Doe will take over as president of the association in April 2031", "Jo
  Doe took over as chair in 2029", "Jo Doe has been appointed (as) Chief Executive of the Wexmoor
  Trust", "Jo Doe became ADCS President in April 2030", "Jo Doe, who ..., took up her post as
  director of learning at the council"; a body's appointment: "Anyshire Council has appointed Jo
  Doe as its director of children's services", or "... has appointed a new director of children's
  services." with the appointee named at the opening of the next sentence;
* holding it: "Jo Doe is ADCS President for 2031/32", "she was Chair of the Brookvale Forum",
  "Jo Doe has been chair of the board since 2028", "Cllr Doe has served as Leader of Anyshire
  Council since 2029";
* leaving it: "Jo Doe will stand down as chair in March 2032", "Jo Doe resigned from her post as
  director of learning at Wexmoor Council";
* a post held before: "Jo Doe has stepped up from her role as assistant director for early help",
  "Jo Doe was previously director of education at Wexmoor Council", "Before that, she was ...",
  "..., having previously served as Deputy Leader from 2025" (the sentence's subject; a post with no
  body written is in the body of the sentence's post before it);
* joining a body: "Jo Doe joined Wexmoor Council in 2026 as head of service", "Jo Doe has been named
  by Wexmoor Council as its new director";
* a body and the post held there: "... joining from Wexmoor Council, where he spent three years as
  director of children's services" (held before), "Anyshire council, where she is director of ...";
* succession: "Jo Doe replaces (succeeds) Sam Poe as vice president" (both held the post),
  "Sam Poe will hand over the presidency to Jo Doe", "Sam Poe as his predecessor as Chair of
  the Board";
* a post named through what the person does in it: "her final meeting as Chair", "his first year
  as president";
* a list of members: "the new members to the Board for 2031/32: Cllr Jo Doe, Cllr Sam Poe and ...".

:func:`find_clauses` finds the clauses; the statement reader resolves their subjects (a name, a
family name already known, a pronoun) and reads their post phrases. :func:`written_when` reads
the time a clause gives: "in April 2031", "from 1 April 2031", "since 2028", "until March 2032"
(a month and year is the month's first day; a year alone, its first day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from .items import MONTH_NAMES, find_dates

When = tuple[str, date, int, bool] | None
"""A time a clause gives: (preposition, date, where it ends, whether its year is written), or None."""


class Change(Enum):
    """What a clause says happened to the post."""

    TAKES = "takes"
    """The subject takes the post up (the time is its start)."""
    HOLDS = "holds"
    """The subject holds the post (the time is its start after "since", its end after "until")."""
    LEAVES = "leaves"
    """The subject leaves the post (the time is its end)."""
    HELD = "held"
    """The subject held the post before (no interval)."""


@dataclass(frozen=True)
class Clause:
    """A clause stating a post: who (``subject``), the stretch holding the post phrase (``post``,
    read at its longest from its start), what happens, and a second person (``other``) with what
    happens to them."""

    subject: tuple[int, int]
    post: tuple[int, int]
    change: Change
    other: tuple[int, int] | None = None
    other_change: Change | None = None
    owner: tuple[int, int] | None = None
    """The words just before the verb of a body appointing to the post ("Anyshire Council has
    appointed Jo Doe as its director"): the post's body when the post phrase names none."""
    when: tuple[int, int] | None = None
    """Where the clause writes its time before the post ("joined Anyshire Council in 2026 as ..."); else
    the time is read after the post phrase."""
    subject_follows: bool = False
    """The appointee is not named in the clause ("Anyshire Council has appointed a new director.")
    but by the next sentence, which opens with their name."""


_NAME = r"(?:[A-Z][\w’'-]*\.?\s+){0,4}[A-Z][\w’'-]+(?<!['’]s)"
_SUBJECT = rf"(?P<subject>{_NAME}|\b[Hh]e|\b[Ss]he)"
_OTHER = rf"(?P<other>{_NAME})"
_WHO = r"(?:,\s+(?:who\s+[^,.;:!?“”\"]{3,150}|aged\s+\d+),)?"
"""A relative clause or an age between a subject and its verb ("Jo Doe, who grew up in Anyshire, took
up ...", "Jo Doe, aged 45, has been ...")."""
_NOW = r"(?:(?:now|today|formally|officially|recently|just)\s+)?"
"""An adverb inside a verb of appointment ("has now been announced as")."""
_BODY = r"(?P<owner>[^,.;:!?“”\"]{2,80}?)"
"""The body named in a clause (its name ends the words), read lazily up to what follows it."""
_SINCE = r"(?:\s+(?P<when>in\s+(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d))?"
"""A time written between the body and the post ("joined Anyshire Council in 2026 as ...")."""
_POST = r"(?P<post>[^.;:!?“”\"]{2,160})"
_NEW = r"(?:(?:the|its|their|our)\s+)?(?:(?:new|next|incoming|first|permanent)\s+)?"
_CLAUSES: tuple[tuple[re.Pattern[str], Change, Change | None], ...] = tuple(
    (re.compile(pattern), change, other)
    for pattern, change, other in (
        (
            rf"{_SUBJECT}{_WHO},?\s+(?:will\s+(?:go\s+on\s+to\s+)?|is\s+(?:set\s+|due\s+)?to\s+"
            rf"|has\s+|had\s+)?(?:take[sn]?|took)\s+over\s+(?:the\s+role\s+)?as\s+{_NEW}{_POST}",
            Change.TAKES,
            None,
        ),
        (
            rf"{_SUBJECT}{_WHO},?\s+(?:has\s+{_NOW}been|had\s+been|was|is|will\s+be|have\s+been)\s+{_NOW}"
            rf"(?:appointed|named|elected|confirmed|chosen|announced)(?:\s+as)?\s+{_NEW}{_POST}",
            Change.TAKES,
            None,
        ),
        (
            rf"{_SUBJECT}\s+(?:became|becomes|will\s+become|has\s+become)\s+{_NEW}{_POST}",
            Change.TAKES,
            None,
        ),
        (
            rf"{_SUBJECT}\s+(?:(?:will|is\s+to|is\s+set\s+to|has|had)\s+)?(?:step|stand|stepp|stood)"
            rf"(?:s|ed|ing)?\s+down\s+(?:from\s+(?:her|his|their)\s+(?:post|role)\s+)?as\s+{_NEW}{_POST}",
            Change.LEAVES,
            None,
        ),
        (
            rf"{_SUBJECT}\s+(?:resign(?:s|ed)?|retire[sd]?|left|leaves)\s+(?:from\s+)?(?:(?:her|his|their)"
            rf"\s+(?:post|role|job)\s+)?as\s+{_NEW}{_POST}",
            Change.LEAVES,
            None,
        ),
        (
            rf"{_SUBJECT}{_WHO},?\s+(?:is|was|has\s+been|will\s+be|remains)\s+"
            rf"(?!appointed|named|elected|also|previously|formerly)"
            rf"(?:(?:also|currently|now)\s+)?{_NEW}{_POST}",
            Change.HOLDS,
            None,
        ),
        (
            rf"{_SUBJECT}\s+(?:will\s+)?(?:replace[sd]?|succeed(?:s|ed)?)\s+{_OTHER}\s+as\s+{_NEW}{_POST}",
            Change.TAKES,
            Change.HELD,
        ),
        (
            rf"{_SUBJECT}\s+(?:(?:will|is\s+to|is\s+set\s+to|soon\s+to)\s+)?(?:hand(?:s|ed|ing)?)\s+"
            rf"over\s+(?:the\s+)?(?P<post>(?i:presidency|chairmanship|chair))\s+to\s+{_OTHER}",
            Change.HOLDS,
            Change.TAKES,
        ),
        (
            rf"{_SUBJECT}\s+(?:(?:has|had)\s+)?(?:also\s+)?(?:served|serves|serving)\s+as\s+{_NEW}{_POST}",
            Change.HOLDS,
            None,
        ),
        (rf"{_SUBJECT}\s+as\s+(?:his|her|their)\s+predecessor\s+as\s+{_NEW}{_POST}", Change.HELD, None),
        (
            rf"{_SUBJECT}{_WHO},?\s+(?:(?:will|is\s+to|is\s+set\s+to|has|had)\s+)?(?:take[sn]?|took|taking)\s+up\s+"
            rf"(?:(?:her|his|their|the)\s+)?(?:new\s+)?(?:post|role|position|job)\s+as\s+{_NEW}{_POST}",
            Change.TAKES,
            None,
        ),
        (
            rf"{_SUBJECT},?\s+(?:has\s+|had\s+)?(?:stepped|steps|moved|moves|stepping)\s+up\s+from\s+"
            rf"(?:her|his|their)\s+(?:post|role|position|job)\s+as\s+{_NEW}{_POST}",
            Change.HELD,
            None,
        ),
        (
            rf"(?P<owner>[\w’'.)]+)\s+(?:has\s+|have\s+)?(?:(?:unanimously|formally)\s+)?(?:appointed|appoints|named"
            rf"|names|confirmed|nominated|nominates|elected|elects)\s+{_SUBJECT}"
            rf"\s+as\s+{_NEW}{_POST}",
            Change.TAKES,
            None,
        ),
        (
            rf"{_SUBJECT}{_WHO},?\s+(?:has\s+{_NOW}been|had\s+been|was|is)\s+{_NOW}(?:appointed|named|chosen)\s+by\s+"
            rf"{_BODY}\s+as\s+{_NEW}{_POST}",
            Change.TAKES,
            None,
        ),
        (
            rf"{_SUBJECT}{_WHO},?\s+(?:(?:has|had)\s+)?(?:joined|joins|returned\s+to|moved\s+to)\s+{_BODY}{_SINCE}"
            rf"\s+as\s+(?:an?\s+)?{_NEW}{_POST}",
            Change.TAKES,
            None,
        ),
        (
            rf"{_SUBJECT}{_WHO},?\s+(?:was|had\s+been|has\s+been)\s+(?:previously|formerly)\s+{_NEW}{_POST}",
            Change.HELD,
            None,
        ),
        (
            rf"\b(?i:before\s+that|previously|formerly|prior\s+to\s+this),?\s+{_SUBJECT}\s+(?:was|had\s+been"
            rf"|served\s+as|worked\s+as)\s+(?:an?\s+)?{_NEW}{_POST}",
            Change.HELD,
            None,
        ),
        (
            rf"\b(?:from|at|in|joined|joins|leaves|left)\s+{_BODY},\s+where\s+{_SUBJECT}\s+(?:is|has\s+been|remains)\s+"
            rf"(?:(?:currently|now|also)\s+)?{_NEW}{_POST}",
            Change.HOLDS,
            None,
        ),
        (
            rf"\b(?:from|at|in|joined|joins|leaves|left)\s+{_BODY},\s+where\s+{_SUBJECT}\s+(?:was|had\s+been|"
            rf"(?:spent|served)\s+[^,.;:!?]{{0,30}}?as|worked\s+as)\s+(?:an?\s+)?{_NEW}{_POST}",
            Change.HELD,
            None,
        ),
    )
)
_ANNOUNCED = re.compile(
    rf"(?P<owner>[\w’'.)]+)\s+(?:has\s+|have\s+)?(?:appointed|appoints|named|names|announced)\s+"
    rf"(?:a|an|its|their)\s+(?:(?:new|next|permanent)\s+)*{_POST}"
)
"""A body's appointment whose appointee the next sentence names ("Anyshire Council has appointed a
new director of children's services. Jo Doe, currently ..., will start in May")."""
_AS_ROLE = re.compile(
    r"\b(?:his|her|their)\s+(?:final|last|first|opening|inaugural)\s+(?:meeting|year|speech|address|blog|"
    r"conference|day|month|term|report)\s+as\s+" + _POST
)
"""A post named through what its holder does in it ("her final meeting as Chair")."""
_HAVING = re.compile(
    rf"\bhaving\s+(?:previously\s+|also\s+|earlier\s+)?(?:(?:served|worked)\s+as\s+|been\s+|"
    rf"(?:spent\s+[^,.;:!?]{{1,40}}?\s+|worked\s+)at\s+{_BODY}\s+as\s+)(?:an?\s+)?{_NEW}{_POST}"
)
"""A post held before, in a participle clause after the sentence's subject ("..., having previously
served as deputy leader from 2025", "having spent ten years at Wexmoor Council as head of service")."""
_MEMBERS = re.compile(
    r"\b(?P<post>[Mm]embers?\s+(?:of|to|on)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:&\s+|and\s+)?[A-Z][\w’'-]*)*"
    r"(?:\s+for\s+(?:the\s+)?(?:19|20)\d\d\s*/\s*\d\d(?:\d\d)?\b)?)[^:.;!?]{0,40}:\s*(?P<names>[^.;:!?]+)"
)
"""A list of a body's members, with a term ("welcomed the new members to the Board for 2031/32 meeting
cycle: Cllr Jo Doe, Cllr Sam Poe and Cllr Kim Loe"): each named holds the post."""
_LISTED = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)\s*")
"""What separates the names of a list."""
_SENTENCE_SUBJECT = re.compile(rf"\s*(?:[A-Z][\w’'-]*\s+)*?{_SUBJECT}{_WHO},?\s+[a-z]")
"""The person a sentence opens with, for a post named through what they do in it or held before it."""


def find_clauses(text: str, start: int, end: int) -> list[Clause]:
    """The clauses stating a post in the sentence ``text[start:end]``, in text order."""
    found: list[Clause] = []
    for pattern, change, other in _CLAUSES:
        for m in pattern.finditer(text, start, end):
            found.append(
                Clause(
                    subject=m.span("subject"),
                    post=m.span("post"),
                    change=change,
                    other=m.span("other") if "other" in pattern.groupindex else None,
                    other_change=other,
                    owner=m.span("owner") if "owner" in pattern.groupindex else None,
                    when=m.span("when") if "when" in pattern.groupindex and m.group("when") else None,
                )
            )
    for m in _ANNOUNCED.finditer(text, start, end):
        found.append(Clause(subject=m.span("owner"), post=m.span("post"), change=Change.TAKES, owner=m.span("owner"),
                            subject_follows=True))  # fmt: skip
    for pattern, change in ((_AS_ROLE, Change.HOLDS), (_HAVING, Change.HELD)):
        for m in pattern.finditer(text, start, end):
            opening = _SENTENCE_SUBJECT.match(text, start, m.start())
            owner = m.span("owner") if "owner" in pattern.groupindex and m.group("owner") else None
            if opening is not None:
                found.append(Clause(subject=opening.span("subject"), post=m.span("post"), change=change, owner=owner))
    for m in _MEMBERS.finditer(text, start, end):
        at = m.start("names")
        for sep in [*_LISTED.finditer(text, at, m.end("names")), None]:
            stop = sep.start() if sep is not None else len(text[: m.end("names")].rstrip())
            if stop > at:
                found.append(Clause(subject=(at, stop), post=m.span("post"), change=Change.HOLDS))
            if sep is not None:
                at = sep.end()
    # a post written as held before ("Before that, she was ...") is not also held now
    held = {c.post[0] for c in found if c.change is Change.HELD}
    return sorted((c for c in found if c.change is Change.HELD or c.post[0] not in held), key=lambda c: c.subject)


_PREPOSITION = re.compile(r"\b(?P<prep>in|from|since|until|till|by|at\s+the\s+end\s+of|on)\s+")
_YEAR = re.compile(r"(?:19|20)\d\d\b")
_MONTH_ALONE = re.compile(r"(?:" + "|".join(m.capitalize() for m in MONTH_NAMES) + r")\b(?![ \t]+\d)")
"""A month written without its year ("from April")."""


FUTURE = re.compile(r"\b(?:will|shall|(?:is|are)\s+(?:set\s+|due\s+)?to)\b")
"""A clause telling what is to come ("will take over", "is set to step down")."""


def written_when(text: str, start: int, end: int, near: date | None = None, future: bool = False) -> When:
    """The first time written in ``text[start:end]`` after a preposition ("in April 2031", "from 1
    April 2031", "since 2028", "from April"): the preposition, the day (a month's first day for a
    month and year, a year's first day for a year; for a month alone, its first day nearest to
    ``near``, the item's date, or the first on or after it in a ``future`` clause), where it ends,
    and whether the year is written."""
    for m in _PREPOSITION.finditer(text, start, end):
        dates = [d for d in find_dates(text, m.end(), end) if d.start == m.end() and d.year is not None]
        prep = " ".join(m.group("prep").split())
        if dates:
            written = dates[0]
            return prep, written.value or date(written.year or 1, written.month, 1), written.end, True
        year = _YEAR.match(text, m.end(), end)
        if year is not None:
            return prep, date(int(year.group()), 1, 1), year.end(), True
        month = _MONTH_ALONE.match(text, m.end(), end)
        if month is not None and near is not None:
            number = MONTH_NAMES.index(month.group().lower()) + 1
            days = [date(year, number, 1) for year in (near.year - 1, near.year, near.year + 1)]
            if future:
                days = [day for day in days if day >= near.replace(day=1)]
            return prep, min(days, key=lambda day: abs(day - near)), month.end(), False
    return None
