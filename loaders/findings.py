"""Findings: every numeric claim of a document as an ``ak:Finding``.

For each quantity :func:`loaders.quantities.scan` finds in a sentence, the loader reads:

* the measure: what is counted, a noun phrase normalised by :func:`normalise_measure`
  (determiners and "the number of" dropped, simple plurals made singular, the domain every
  figure is about, "... to children's social care", left out) and minted as
  ``id:measure/{slug}``, so that one measure named in two documents is one ``ak:Measure``;
  the measures of the statutory children's social care statistics go by one name however they
  are written ("children in care", "looked after children" are "children looked after"); its
  words are recorded with ``ext.mention``;
* the direction, the comparator, from/to values or a range (see :mod:`loaders.quantities`);
* the period as written (``ak:periodLabel``) and as an ``ak:Interval`` when its dates can be
  computed; a bulleted figure without one takes the period of the heading above its list;
* a number written without a unit after a change, as the level it reached ("increased by 9%,
  to an estimated 2.6 million"), is a count of the changed measure; the level a change started
  from ("from 71,800 in 2005/06 to 170,000", "35.8%, up from 34.4%") is a finding of its own, a
  level with its own period; a bare number is a count of the measure before it where it compares,
  ranks or breaks it down ("compared with 71,800", "the highest in X - 10,745 - followed by Y with
  10,013", "13 of which ... - 11 from ... and two from ...", "75% of councils (112)");
* the direction of a figure coordinated with a change ("an additional 3,000 ... and 1,900 ...")
  is that change's when it states none of its own;
* the source: the report, body or person it is cited from, else the speaker of the statement
  holding it, else what its item makes plain (:class:`loaders.attribution.Attribution`).

The finding's ``ak:span`` is the sentence; its IRI is ``id:finding/{doc}/{start}/{end}`` with
the offsets of the numeric expression. Numbers that are not claims (dates, years, list and
section numbers, identifiers, ages, telephone numbers) and small counts spelled out in running
prose ("two reasons") are left out silently; a number that may be a claim but has no unit or
no readable measure is reported with ``ext.skip``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK, resource, slug

from .attribution import Attribution
from .extraction import Extraction
from .holdings import add_interval
from .lexicon import words
from .quantities import (
    FUNCTION_WORDS,
    IDENTIFIER_NOUNS,
    MONTHS,
    Direction,
    Period,
    Quantity,
    Rejection,
    Unit,
    direction_near,
    find_period,
    periods_in,
    scan,
    states_no_change,
    word_set,
)

LOADER = "findings"

# --------------------------------------------------------------------------- sentences and clauses

_CLAUSE_BREAK = re.compile(r"[;:()\[\]]|,(?!\d{3})|\s-\s|\"")


def clause(plain: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The clause of ``sentence`` around ``start``..``end``: between commas, semicolons, colons,
    brackets, quotation marks or spaced dashes."""
    breaks = [m for m in _CLAUSE_BREAK.finditer(plain, sentence[0], sentence[1])]
    left = max((m.end() for m in breaks if m.end() <= start), default=sentence[0])
    right = min((m.start() for m in breaks if m.start() >= end), default=sentence[1])
    return left, right


# --------------------------------------------------------------------------- measures

_TOKEN = re.compile(r"[A-Za-z][\w'-]*\w|[A-Za-z]|\d[\d,./]*\d[A-Za-z]*|\d[A-Za-z]*|[^\s\w]")
"""Words, numbers (with the scale written onto them: "2bn", "3m") and single marks."""
_DIRECTION_NOUNS = word_set(
    """increase increases rise rises growth uplift reduction reductions decrease decreases fall falls
    decline declines drop drops cut cuts change changes"""
)
_LEADING = word_set(
    """the a an this that these those its their our his her my your all any some each every both of
    total overall additional further extra more fewer less new estimated predicted real terms average
    mean such latest recent most reducing increasing cutting raising having being reporting showing
    seeing including making facing with from by in on to for"""
)
_STOP_AFTER = word_set(
    """since between by compared than during over per at which that although while whereas but
    because as if when where is are was were has have had will would could should can may might must
    shall predicted estimated forecast represents representing said says not they it we he she you i
    them us this there these those its their our do does did be been being or nor so yet until
    before after including despite compared"""
)
_SKIP_BEFORE = word_set(
    """has have had is are was were be been being will would could can may might should must to by at of
    reach reached reaching risen rise rose increased increase increasing decreased decrease fallen fell
    fall grown grew dropped declined reduced reducing reduce cut cuts now currently still an a the need
    needs needed facing face faced total totalled stood stands stand from up down with average
    spend spent spending cost costs costing over under more less than nearly almost around about
    some just only approximately roughly estimated additional further extra reduction between charge
    charges charged pay pays paid exceed exceeds exceeded top tops topped hit hits receive receives
    received seen saw see experienced recorded rising falling increasing decreasing growing went gone
    go goes rocketed soared surged plummeted slumped climbed jumped"""
)
_BOUNDARY_BEFORE = word_set(
    """that which who whom when while if because as said says show shows showed suggest suggests
    represents represent represented means meant
    suggesting estimate estimates found find finds reported report reports there it we they this
    these those and but there's i he she you also is are was were has have had will would could
    can may might should must said compared"""
)
_COPULA = word_set("is are was were")
_ADVERBS = word_set("now currently still also already being")
_PRONOUNS = word_set("this it they that these those which whom what who")
_AUXILIARIES = word_set("been being be")
_LINKING_END = re.compile(r"\s*(?:(?:of|at|by|to|is|was|were|are)\s*)?")
"""What may stand between a period ending the words before a figure and the figure ("over two years of")."""
_NOT_PLURAL = word_set(
    """this thus its his has was is does goes us yes always perhaps towards afterwards whereas
    sometimes besides series species news means across less process status analysis crisis basis
    various previous serious numerous famous"""
)
_MAX_WORDS = 12
_DETERMINERS = word_set("the a an this these those")
_PREPOSITIONS = word_set("of in on to for with from into by about against at and or")
_AGE_WORDS = word_set("under over aged")
_PEOPLE_WORDS = word_set("children child people pupils babies adults population persons")
_ING_NOUNS = word_set(
    """funding housing safeguarding training spending wellbeing well-being schooling fostering parenting
    offending commissioning building meeting hearing setting staffing earnings savings learning
    caseloads wellbeing"""
)
_POPULATION = word_set(
    """council authority local children child family young people school home provider staff worker
    social carer pupil respondent director leader parent adopter delegate practitioner member region
    agency partner team area"""
)
_PREDICATE_ADVERBS = word_set("often usually typically regularly routinely never always increasingly")
_CHANGE_VERBS = word_set(
    "rose risen fell fallen grew grown increased decreased dropped declined reached doubled tripled halved"
    " rocketed soared surged plummeted slumped climbed jumped"
)
_PAST_VERBS = word_set("told said came went saw gave took felt thought knew became began")
_PARTICIPLES = word_set("made done taken given seen known held kept left put set paid found brought")
_PREDICATE_VERBS = words("predicate_verbs")
"""Verbs that end a counted noun phrase after its plural head ("pupils attend"), from the lexicon."""


@dataclass(frozen=True)
class Phrase:
    """The words naming a measure: where they are written and the normalised name."""

    start: int
    end: int
    name: str


def normalise_measure(words: list[str]) -> str:
    """A measure's name: leading determiners, quantifiers and "number of" removed, articles
    dropped, lower case (acronyms kept), simple plurals made singular.

    >>> normalise_measure("the number of Initial Contacts".split())
    'initial contact'
    >>> normalise_measure("DCSs".split())
    'DCS'
    """
    kept = [_PLURAL_ACRONYM.sub(r"\1", w) for w in _strip_leading(words)]  # "DCSs": DCS
    out = [_lemma(w if w.isupper() and len(w) > 1 else w.lower()) for w in kept if w.lower() not in ("a", "an", "the")]
    name = _DOMAIN_SCOPE.sub("", " ".join(out)) or " ".join(out)
    return next((shared for pattern, shared in _SHARED_MEASURES if pattern.fullmatch(name)), name)


_PLURAL_ACRONYM = re.compile(r"^([A-Z]{2,})s$")
"""An acronym made plural ("DCSs", "LAs"): its singular is the acronym."""
_DOMAIN_SCOPE = re.compile(
    r"(?:\s+(?:made|received|undertaken|provided))?\s+(?:to|for|in|on|across|within|by)\s+(?:local\s+authority\s+)?"
    r"children'?s\s+(?:social\s+care|service)(?:\s+department)?$"
    r"|\s+(?:undertaken|carried\s+out|completed|conducted|made)\s+by\s+(?:council|local\s+authorit(?:y|ie))s?$"
)
"""The domain every figure of the genre is about ("... to children's social care", "... for
children's services", "... undertaken by councils"), left out of measure names so that one
measure is one node."""

_CHILDREN = r"(?:children|child|young\s+people|children\s+and\s+young\s+people)"
_PERIOD_END = r"(?:\s+at\s+(?:the\s+)?(?:period|year)\s+end)?"
_SHARED_MEASURES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        (rf"(?:{_CHILDREN}\s+(?:who\s+(?:are|were)\s+)?(?:looked\s+after|in\s+care)|looked\s+after\s+children"
         rf"|care\s+population){_PERIOD_END}", "children looked after"),
        (rf"(?:{_CHILDREN}\s+(?:(?:who\s+(?:are|were)\s+)?subjects?\s+(?:of|to)|on|needing|with)\s+)?"
         rf"child\s+protection\s+plan{_PERIOD_END}", "children subject of child protection plan"),
        (r"(?:initial\s+)?contact", "initial contact"),
        (r"(?:section\s+47|s\.?\s?47|child\s+protection)\s+(?:enquiry|inquiry)"
         r"|(?:enquiry|inquiry)\s+into\s+child\s+protection\s+concern", "section 47 enquiry"),
        (rf"(?:{_CHILDREN}\s+(?:who\s+were\s+)?subjects?\s+of\s+)?initial\s+child\s+protection\s+conference",
         "initial child protection conference"),
    )
)  # fmt: skip
"""Measures of the statutory children's social care statistics, which reports of the genre name
in many ways ("children in care", "looked after children", "children looked after at period
end"): each set of surface forms, read after normalisation, is one shared measure."""


def _strip_leading(words: list[str]) -> list[str]:
    i = 0
    while i < len(words):
        lower = words[i].lower()
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if (lower in ("number", "numbers", "level", "levels", "amount", "volume") and nxt == "of") or (
            lower in _DIRECTION_NOUNS and nxt in ("in", "of", "to", "for")
        ):
            i += 2
        elif lower in _LEADING:
            i += 1
        else:
            break
    return words[i:]


def _lemma(word: str) -> str:
    lower = word.lower()
    if len(word) <= 3 or not lower.endswith("s") or lower in _NOT_PLURAL or "'" in word or word.isupper():
        return word
    if lower.endswith(("ss", "us", "is", "ous")):
        return word
    if lower == "lives":
        return word[:-3] + "fe"
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


def _tokens(plain: str, start: int, end: int) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(plain, start, end)]


def phrase_after(plain: str, start: int, end: int) -> Phrase | None:
    """The noun phrase beginning at ``start`` (up to ``end``): "initial contacts", "children
    looked after", "referrals were sent to early help teams" (read as "referrals sent to..."),
    ending before a period ("people over 75 within ten years": "people over 75")."""
    end = next((p.start for p in periods_in(plain, start, end) if p.start > start), end)
    toks = _tokens(plain, start, end)
    i = 0
    while i < len(toks) and (toks[i].lower in _LEADING | {"in", "to", "on", "for"} or _change_of(toks, i)):
        i += 1
    i += _population_count(toks, i)
    picked: list[_Tok] = []
    while i < len(toks) and len(picked) < _MAX_WORDS:
        step = _phrase_step(toks, i, picked)
        if step == 0:
            break
        if step > 0:
            picked.append(toks[i])
        i += abs(step)
    return _phrase(_trim(picked))


def _change_of(toks: list[_Tok], i: int) -> bool:
    """True at a noun of change naming what changed after it ("a 25% increase in referrals"), not
    itself counted ("51 changes recorded")."""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    return toks[i].lower in _DIRECTION_NOUNS and nxt in ("in", "of", "to", "for", "on", "")


def _population_count(toks: list[_Tok], i: int) -> int:
    """How many tokens at ``i`` count the population a share is of, before the noun naming it: "88" in
    "two thirds of the 88 authorities", "England's 150" in "116 of England's 150 departments"."""
    place = i + 1 < len(toks) and toks[i].text[:1].isupper() and toks[i].lower.endswith("'s")
    first = i + 1 if place else i
    if first + 1 < len(toks) and re.fullmatch(r"\d[\d,]*", toks[first].text) and toks[first + 1].is_word:
        return first + 1 - i
    return 0


def _phrase_step(toks: list[_Tok], i: int, picked: list[_Tok]) -> int:
    """How the phrase goes on at token ``i``: 0 stops it, 1 takes the token, a negative number
    skips that many tokens (a copula in "children who are subject of...")."""
    tok = toks[i]
    prev = picked[-1].lower if picked else ""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if not picked and tok.lower in ("and", "or", "but"):
        return 0
    if tok.lower == "after" and prev == "looked":
        return 1
    if tok.lower == "be" and prev == "to" and _participle(nxt):
        return 1
    if tok.lower in ("who", "that") and nxt in _COPULA and picked:
        return -2
    if tok.lower in _COPULA and picked:
        return -_after_copula(toks, i)
    if (
        re.fullmatch(r"\d+", tok.text)
        and picked
        and (picked[-1].text[:1].isupper() or prev in _AGE_WORDS or prev in IDENTIFIER_NOUNS)
    ):
        return 1
    if tok.lower in _AGE_WORDS and re.fullmatch(r"\d+", nxt) and prev in _PEOPLE_WORDS | {"under", "over"}:
        return 1
    if tok.lower in ("and", "or") and nxt in ("over", "under") and picked and re.fullmatch(r"\d+", picked[-1].text):
        return 1
    if prev in ("and", "or") and tok.lower in ("over", "under"):
        return 1
    if not tok.is_word and tok.text != "'":
        return 0
    if tok.lower in _DETERMINERS and picked and prev not in _PREPOSITIONS:
        return 0
    if tok.lower in _CHANGE_VERBS and (not nxt or nxt in FUNCTION_WORDS):
        return 0
    if tok.lower in _ADVERBS | _PREDICATE_ADVERBS and picked:
        return 0
    if tok.lower in _STOP_AFTER or _period_starts(toks, i) or (tok.lower == "and" and _new_clause(toks, i)):
        return 0
    adjacent = bool(picked) and toks[i - 1] is picked[-1]
    return 0 if adjacent and _verb_after_plural(tok, prev, nxt) else 1


def _verb_after_plural(tok: _Tok, prev: str, nxt: str) -> bool:
    """True for "authorities reporting", "interviewees provided information": a verb after a
    plural head, not a participle that qualifies it ("assessments completed on time")."""
    if prev in _PEOPLE_WORDS and tok.lower in _PREDICATE_VERBS:
        return True
    if not prev.endswith("s") or prev.endswith(("'s", "ss")) or tok.lower in _ING_NOUNS:
        return False
    if tok.lower.endswith("ing"):
        return nxt not in ("in", "into", "on", "with", "for")
    if tok.lower in _PAST_VERBS or tok.lower in _PREDICATE_VERBS:
        return True
    if tok.lower.endswith("ed") or tok.lower in _PARTICIPLES:
        return nxt not in ("on", "in", "to", "by", "for", "within", "at", "under", "into", "after", "as", "with", "")
    return False


def _after_copula(toks: list[_Tok], i: int) -> int:
    """How many tokens to skip over "are now" in "children are now eligible..." (a predicate
    that names the measure), or 0 when the copula ends the phrase."""
    j = i + 1
    while j < len(toks) and toks[j].lower in _ADVERBS:
        j += 1
    if j >= len(toks):
        return 0
    then = toks[j + 1].lower if j + 1 < len(toks) else ""
    if toks[j].lower in ("in", "subject") or (_participle(toks[j].lower) and then in _PREPOSITIONS | {"after"}):
        return j - i
    return 0


def _participle(word: str) -> bool:
    return bool(re.search(r"(?:ed|ing|ble)$", word)) or word in _PARTICIPLES


def _period_starts(toks: list[_Tok], i: int) -> bool:
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    if toks[i].lower in ("in", "by", "since", "until") and nxt.lower() in MONTHS:
        return True
    return (toks[i].lower in ("in", "to", "of", "and", "from") and bool(re.match(r"\d", nxt))) or (
        toks[i].lower in ("in", "over") and nxt.lower() in ("the", "each", "recent")
        and i + 2 < len(toks) and toks[i + 2].lower in ("past", "last", "previous", "next", "same", "of")
    )  # fmt: skip


def _new_clause(toks: list[_Tok], i: int) -> bool:
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or not nxt.is_word or nxt.lower in FUNCTION_WORDS:
        return True
    return nxt.lower.endswith(("ing", "ed")) and nxt.lower not in _ING_NOUNS


def _trim(picked: list[_Tok]) -> list[_Tok]:
    while picked and picked[-1].lower in (FUNCTION_WORDS | {"who", "with"}) - {"after", "over"}:
        picked = picked[:-1]
    return picked


def _phrase(picked: list[_Tok]) -> Phrase | None:
    words = [t.text for t in picked]
    if not words or words[0].lower() in _PRONOUNS | _AUXILIARIES:
        return None  # "it", "been completed": no noun phrase
    name = normalise_measure(words)
    if not re.search(r"[a-z]{3}", name.lower()) or all(
        w in _GENERIC | _TIME_DETERMINERS | {"same"} for w in name.split()
    ):
        return None  # "the figure", "the same date": what kind of number, or when, not what it counts
    return Phrase(picked[0].start, picked[-1].end, name)


def phrase_before(plain: str, start: int, end: int) -> Phrase | None:
    """The subject before a quantity in ``start``..``end``: "the number of referrals has
    increased by" -> "referral"; "investment of" -> "investment"; a period ending the span is not
    part of it ("funding over three years") unless nothing else is."""
    ending = [p for p in periods_in(plain, start, end) if _LINKING_END.fullmatch(plain, p.end, end)]
    if ending and ending[-1].start > start:
        found = _phrase_ending(plain, start, ending[-1].start)
        if found is not None:
            return found
    return _phrase_ending(plain, start, end)


def _phrase_ending(plain: str, start: int, end: int) -> Phrase | None:
    """The words of a measure ending at ``end``, read back from it no further than ``start``."""
    toks = _tokens(plain, start, end)
    i = len(toks) - 1
    while i >= 0 and (toks[i].lower in _SKIP_BEFORE or toks[i].lower in _DIRECTION_NOUNS):
        i -= 1
    if _time_phrase_ends_at(toks, i):
        i -= 3  # "budget allocation for that year of 12%": the period is not the measure
    picked: list[_Tok] = []
    while i >= 0 and len(picked) < _MAX_WORDS:
        tok = toks[i]
        named = re.fullmatch(r"\d+", tok.text) and i > 0 and toks[i - 1].lower in _NUMBERED_NOUNS
        if not named and ((not tok.is_word and tok.text != "'") or tok.lower in _BOUNDARY_BEFORE):
            break
        picked.insert(0, tok)
        i -= 1
        if tok.lower in _DETERMINERS and (i < 0 or toks[i].lower not in _PREPOSITIONS):
            break
    return _phrase(_trim(picked))


_NUMBERED_NOUNS = _AGE_WORDS | IDENTIFIER_NOUNS
"""Words a number after them belongs to, inside a measure: an age ("aged 16"), an identifier
("section 47 enquiries")."""
_TIME_WORDS = word_set("year month quarter week period")
_TIME_DETERMINERS = word_set("that this each every a the")


def _time_phrase_ends_at(toks: list[_Tok], i: int) -> bool:
    """True when tokens ``i - 2``..``i`` are a period such as "for that year"."""
    return (
        i >= 2
        and toks[i].lower in _TIME_WORDS
        and toks[i - 1].lower in _TIME_DETERMINERS
        and toks[i - 2].lower in ("for", "in", "during", "over")
    )


def number_of_phrase(plain: str, start: int, end: int) -> Phrase | None:
    """What "the number of X" counts, for a number written without a unit after it."""
    found = list(re.finditer(r"\bnumbers?\s+of\s+", plain[start:end], re.I))
    return phrase_after(plain, start + found[-1].end(), end) if found else None


# --------------------------------------------------------------------------- headings and periods


def _heading_line(text: str, lines: list[tuple[int, int, bool]], offset: int) -> tuple[int, int] | None:
    """For a bulleted line: the heading or lead-in line above its list."""
    index = max((i for i, (s, _, _) in enumerate(lines) if s <= offset), default=-1)
    if index < 0 or not lines[index][2]:
        return None
    for start, end, bullet in reversed(lines[:index]):
        if bullet:
            continue
        if end - start > 160 and not text[start:end].rstrip().endswith(":"):
            return None
        return start, end
    return None


def _heading_period(text: str, heading: tuple[int, int] | None) -> Period | None:
    """The period the heading of a bulleted figure states ("Phase 2 - From 2007/8 to 2009/10")."""
    found = periods_in(text, *heading) if heading is not None else []
    return found[-1] if found else None


def _lines(plain: str) -> list[tuple[int, int, bool]]:
    return [
        (m.start(), m.end(), bool(re.match(r"[ \t]*(?:[-•·]|\d+[.)])\s", m.group())))
        for m in re.finditer(r"[^\n]*\S[^\n]*", plain)
    ]


# --------------------------------------------------------------------------- the loader


@dataclass(frozen=True)
class _Read:
    """One quantity read in its sentence."""

    quantity: Quantity
    sentence: tuple[int, int]
    measure: Phrase


def extract(ext: Extraction) -> None:
    """Add an ``ak:Finding`` for each numeric claim of the document to ``ext.graph``."""
    text = ext.text
    plain = ext.layer.plain
    lines = _lines(plain)
    sources = Attribution(ext)
    last: _Read | None = None
    for sentence in ((s.start, s.end) for s in ext.layer.sentences):
        previous: list[_Read] = []
        for found in scan(text[sentence[0] : sentence[1]]):
            read = _read(
                ext, plain, sentence, _shift(found, sentence[0]), previous or _antecedent(plain, last, sentence)
            )
            if read is not None:
                previous.append(read)
        statistics = [r for r in previous if not _casual(plain, r)]
        used = sentence[0]
        written: _Written | None = None
        for i, read in enumerate(previous):
            if read in statistics or _counts_people(read) or (statistics and not _qualifying(plain, read)):
                until = previous[i + 1].quantity.start if i + 1 < len(previous) else sentence[1]
                coordinated = written is not None and _coordinated(plain, written.read.quantity, read.quantity)
                carried = written.direction if written is not None and coordinated else None
                this = _write(ext, plain, (lines, sources), read, (used, until), carried)
                if written is not None and _reaches(plain, written, this):
                    ext.graph.add((written.finding, AK.levelReached, this.finding))
                _write_earlier(ext, plain, (lines, sources), read)
                used, written = this.used, this
        last = previous[-1] if previous else last


def _write_earlier(
    ext: Extraction, plain: str, around: tuple[list[tuple[int, int, bool]], Attribution], read: _Read
) -> None:
    """The level a change started from, where it is written ("from 71,800 in 2005/06 to 170,000",
    "34.9%, down from 37.8%"): a finding of its own of the same measure, with its own period."""
    q = read.quantity
    if q.earlier is None or q.from_value is None:
        return
    start, end = q.earlier
    level = Quantity(start, end, q.unit, q.from_value, direction=Direction.NO_CHANGE)
    _write(ext, plain, around, _Read(level, read.sentence, read.measure), (start, read.sentence[1]))


@dataclass(frozen=True)
class _Written:
    """A finding written to the graph, as the next one of its sentence sees it."""

    read: _Read
    finding: URIRef
    direction: Direction
    kind: URIRef
    used: int
    """Where the words it used end (its number or its period)."""


def _reaches(plain: str, change: _Written, level: _Written) -> bool:
    """True when ``level`` is the level the change ``change`` reached, written right after it
    ("rose by a fifth to 61,250", "increased by 9%, to an estimated 2.6 million")."""
    if change.kind != AK.Change or level.kind != AK.Level or change.read.measure.name != level.read.measure.name:
        return False
    gap = plain[change.read.quantity.end : level.read.quantity.start]
    return bool(_LEVEL_AFTER_CHANGE.fullmatch(re.sub(r"^[\s,]*(?:\([^()]*\)[\s,]*)?", "", gap)))


def _coordinated(plain: str, first: Quantity, second: Quantity) -> bool:
    """True when ``second`` is a figure of the same unit joined to ``first`` by "and" or a comma
    ("an additional 3,000 looked after children and 1,900 child protection plans"): a change
    stated once for both."""
    gap = plain[first.end : second.start]
    return first.unit is second.unit and len(gap) <= 60 and bool(re.search(r",|\band\b", gap))


def _casual(plain: str, read: _Read) -> bool:
    """True for a small count spelled out in running prose ("two reasons", "four priorities"):
    a statistic only beside other numbers of its sentence, or when it counts people or bodies."""
    q = read.quantity
    spelled = not re.search(r"\d", plain[q.start : q.end])
    return spelled and q.unit is Unit.COUNT and q.value is not None and q.value <= 10


def _qualifying(plain: str, read: _Read) -> bool:
    """True when a small count spelled out beside figures is words of a phrase after a
    preposition ("dividing services into two sections"), not one of the figures ("19 interviews
    and four case studies", "opened eight hubs")."""
    before = re.search(r"([a-z]+)\s*$", plain[read.sentence[0] : read.quantity.start].lower())
    return bool(before and before.group(1) in _PREPOSITIONS - {"and", "or"} | {"between", "across", "among", "within"})


def _counts_people(read: _Read) -> bool:
    return bool(set(read.measure.name.split()[:3]) & _POPULATION)


def _antecedent(plain: str, last: _Read | None, sentence: tuple[int, int]) -> list[_Read]:
    """The last finding of the sentence before, when this one opens by pointing back to it
    ("That is more than double...", "The figure has risen by a quarter...")."""
    if last is None or sentence[0] - last.sentence[1] > 3:
        return []
    points_back = _POINTS_BACK.match(plain, sentence[0]) or _OF_THAT.search(plain, sentence[0], sentence[1])
    return [last] if points_back else []


_POINTS_BACK = re.compile(
    r"[\"']?(?:(?:that|this|it)\s+(?:is|was|represents|means)|th(?:e|is)\s+(?:figure|total|number|rate))\b", re.I
)
_OF_THAT = re.compile(r"\bof\s+(?:that|this|it)\b", re.I)
_GENERIC = word_set(
    "figure total number rate amount level sum year month quarter week day period decade time today tomorrow yesterday"
    " date"
)
"""Names that say what kind of number a figure is, or when, but not what it counts."""


def _shift(found: Quantity | Rejection, by: int) -> Quantity | Rejection:
    if isinstance(found, Rejection):
        return Rejection(found.start + by, found.end + by, found.reason, found.report)
    noun = None if found.noun_start is None else found.noun_start + by
    earlier = None if found.earlier is None else (found.earlier[0] + by, found.earlier[1] + by)
    return replace(found, start=found.start + by, end=found.end + by, noun_start=noun, earlier=earlier)


def _read(
    ext: Extraction, plain: str, sentence: tuple[int, int], found: Quantity | Rejection, previous: list[_Read]
) -> _Read | None:
    if isinstance(found, Rejection):
        if found.report:
            ext.skip(LOADER, found.start, f"{found.reason}: {ext.text[found.start : found.end]!r}")
        return None
    quantity = found
    left, right = clause(plain, sentence, quantity.start, quantity.end)
    if quantity.bare and not _count_context(
        plain, [p for p in previous if p.sentence == sentence], (sentence[0], left), quantity
    ):
        ext.skip(LOADER, quantity.start, f"number without a unit: {ext.text[quantity.start : quantity.end]!r}")
        return None
    measure = _measure(plain, sentence, (left, right), quantity, previous)
    if measure is None:
        ext.skip(LOADER, quantity.start, f"no measure found for {ext.text[quantity.start : quantity.end]!r}")
        return None
    return _Read(quantity, sentence, measure)


def _count_context(plain: str, previous: list[_Read], starts: tuple[int, int], quantity: Quantity) -> bool:
    """A number written without a unit is a count when its clause counts ("the number of...",
    "of whom 1,200"), when it is a yearly rate, or when it follows a count ("(119) of all"); a
    change from one number to another when its sentence opens with what it counts ("the number of
    X - carried out when ... - has increased from 111,700 to 198,790"). ``starts`` are those of the
    sentence and of the clause."""
    sentence_start, left = starts
    before = plain[left : quantity.start].lower()
    after = plain[quantity.end : quantity.end + 30].lower()
    if quantity.from_value is not None and number_of_phrase(plain, sentence_start, quantity.start):
        return True
    if _IN_THE_NUMBER.match(plain, quantity.end):
        return True
    if re.search(r"\b(?:numbers?|average)\s+of\b|\bof\s+whom\b|\b(?:a\s+further|an\s+additional|another)\s*$", before):
        return True
    if re.match(r"\)?\s*(?:per|a|each)\s+(?:year|annum|month|week|day)\b|\)?\s+of\s+(?:all|the|[a-z]\w*'s)\b", after):
        return True
    counted_before = bool(previous) and previous[-1].quantity.unit is Unit.COUNT
    if counted_before and (
        _COMPARED_WITH.search(before) or _RANKED.search(plain, max(0, quantity.start - 80), quantity.start)
    ):
        return True
    if (counted_before and _BREAKDOWN.match(plain, quantity.end)) or _bracketed_after(plain, previous, quantity):
        return True
    if re.match(r"\s+-\s+[\d.,]+\s*(?:%|per\s?cent)\s+-\s", after):
        return True  # "113 - 75 per cent - spent more": a count and its share
    if (_LEVEL_VERB.search(before) or quantity.from_value is not None) and phrase_before(plain, left, quantity.start):
        return True
    if re.search(r"[A-Za-z][\w' -]{1,60}:\s*$", plain[max(0, left - 64) : quantity.start]):
        return True
    if previous and previous[-1].quantity.unit is Unit.COUNT and previous[-1].quantity.end > left - 40:
        return True
    gap = plain[previous[-1].quantity.end : quantity.start].lower().lstrip(" ,") if previous else ""
    reached = _LEVEL_AFTER_CHANGE.fullmatch(before) or _LEVEL_AFTER_CHANGE.fullmatch(gap)
    return bool(previous and previous[-1].quantity.end > left - 40 and reached)


_COMPARED_WITH = re.compile(r"\b(?:compared\s+(?:with|to)|against|up\s+from|down\s+from)\s*$")
"""A figure set against the one before ("170,000 children ... in 2015/16, compared with 71,800 in 2005/06")."""
_RANKED = re.compile(
    r"\b(?:highest|lowest|largest|smallest|most|fewest)\s+(?:number|total|figure|count)?\s*(?:in|at|for|was)\s+"
    r"[A-Z][\w' ]{0,40}?\s*[-:,(]?\s*$|\bfollowed\s+by\s+[A-Z][\w' ]{0,40}?\s+(?:with|at|on)\s*$"
)
"""A count of the measure before ranked by place ("the highest number in Leeds - 10,745 - followed by
Wakefield with 10,013")."""
_IN_THE_NUMBER = re.compile(r"\s+in\s+the\s+(?:total\s+)?numbers?\s+of\s+", re.I)
"""After a change written without a unit: what it changed ("a rise of almost 24,000 in the number of X")."""
_BREAKDOWN = re.compile(r"\s+(?:from|which|who|of\s+(?:which|whom|them)|were|was)\b")
"""A count breaking down the count before it ("13 of which were filled by assistant directors - 11 from
within the same council and two from another area - and seven which were filled by ...")."""


def _bracketed_after(plain: str, previous: list[_Read], quantity: Quantity) -> bool:
    """True for a number in brackets right after a figure: the count of its share ("75% of councils (112)")."""
    return bool(
        previous
        and plain[quantity.start - 1 : quantity.start] == "("
        and plain[quantity.end : quantity.end + 1] == ")"
        and 0 <= quantity.start - previous[-1].quantity.end <= 24
    )


_LEVEL_AFTER_CHANGE = re.compile(
    r"\s*(?:up|down)?\s*to\s+(?:an?\s+)?(?:estimated|total\s+of|record|almost|nearly|around|about|over|more\s+than)?\s*"
)
"""The level a change reached, after it ("increased by 9%, to an estimated 2.6 million"): a count
of what changed."""


_LEVEL_VERB = re.compile(
    r"\b(?:increased|rose|risen|fell|fallen|grew|grown|decreased|dropped|declined)\s+to\s+(?:an?\s+)?(?:record\s+)?$"
    r"|\b(?:reached|totall?ed|stood\s+at|stands\s+at)\s*$"
)


def _measure(
    plain: str, sentence: tuple[int, int], bounds: tuple[int, int], quantity: Quantity, previous: list[_Read]
) -> Phrase | None:
    """What ``quantity`` measures, tried in order: "the number of X" for a bare count; the noun
    it counts; the phrase after it ("25% increase in X", "£2bn funding gap") or the subject
    before it ("X has fallen by 12%"), the subject first after "by", "to", "at", "reached"...;
    the measure of the finding before it in the sentence ("..., an increase of 94%"); the end of
    the clause before ("the timeliness of care proceedings, down from 50 weeks...")."""
    left, right = bounds
    counted = number_of_phrase(plain, left, quantity.start) if quantity.bare else None
    if counted is None and quantity.bare and quantity.from_value is not None:
        counted = number_of_phrase(plain, sentence[0], quantity.start)
    in_the_number = _IN_THE_NUMBER.match(plain, quantity.end) if quantity.bare else None
    if counted is None and in_the_number is not None:  # "a rise of almost 24,000 in the number of X"
        counted = phrase_after(plain, in_the_number.end(), sentence[1])
    if counted:
        return counted
    if (
        previous
        and quantity.bare
        and (
            _RANKED.search(plain, max(0, quantity.start - 80), quantity.start)
            or _BREAKDOWN.match(plain, quantity.end)
            or _bracketed_after(plain, previous, quantity)
        )
    ):
        return previous[-1].measure
    if quantity.noun_start is not None:
        # a noun in quotes ('40 "twin hatters"') lies past the clause break its quote mark makes
        found = phrase_after(
            plain, quantity.noun_start, clause(plain, sentence, quantity.noun_start, quantity.noun_start)[1]
        )
        if found:
            return found
    start = quantity.end
    aside = re.match(r"\s*\([^()]{0,40}\)", plain[start:])
    if aside:
        start += aside.end()
        right = clause(plain, sentence, start, start)[1]
    lead = _AFTER_LEAD.match(plain, start, right)
    after_ok = not (_OF_ANAPHOR.match(plain, start, right) or _period_next(plain, start, right))
    after = phrase_after(plain, lead.end() if lead else start, right) if after_ok else None
    before = phrase_before(plain, left, quantity.start)
    found = (before or after) if _VERBAL_LEAD.search(plain, left, quantity.start) else (after or before)
    if found:
        return found
    if previous:
        return previous[-1].measure
    if left > sentence[0]:
        return phrase_before(plain, *clause(plain, sentence, left - 2, left - 1))
    return None


_AFTER_LEAD = re.compile(
    r"\s*(?:(?:per|a|each)\s+\w+\b\s*)*(?:as\s+(?:many|much|likely|high|large)\s+)?(?:of|in|on|for|to)?\b", re.I
)
_OF_ANAPHOR = re.compile(r"\s*of\s+(?:whom|which|them|these|those|this|that|it)\b", re.I)
_VERBAL_LEAD = re.compile(
    r"\b(?:by|to|at|reach(?:ed|es)?|totall?ed|stood\s+at|was|were|is|are|of\s+\w+\s+was)\s*$", re.I
)


def _period_next(plain: str, start: int, end: int) -> bool:
    return any(p.start - start < 6 for p in periods_in(plain, start, end))


def _write(
    ext: Extraction,
    plain: str,
    around: tuple[list[tuple[int, int, bool]], Attribution],
    read: _Read,
    between: tuple[int, int],
    carried: Direction | None = None,
) -> _Written:
    """Add the finding ``read`` to the graph; return it with where the words it used end, its
    direction and its measure kind. ``around`` holds the document's lines and its sources.
    Its words lie ``between`` the end of the finding before it in the sentence (its number or
    period) and the number after it; with no direction of its own it takes the ``carried`` one of
    the figure it is coordinated with."""
    q, sentence = read.quantity, read.sentence
    lines, sources = around
    g = ext.graph
    finding = resource("finding", ext.document.id, q.start, q.end)
    g.add((finding, RDF.type, AK.Finding))
    ext.provenance(finding, *sentence)
    measure = resource("measure", slug(read.measure.name))
    g.add((measure, RDF.type, AK.Measure))
    g.set((measure, AK.name, Literal(read.measure.name)))
    if (measure, AK.mention, ext.document.span_iri(read.measure.start, read.measure.end)) not in g:
        ext.mention(measure, read.measure.start, read.measure.end)
    g.add((finding, AK.measure, measure))
    g.add((finding, AK.unit, AK[q.unit.value]))
    _write_values(ext, finding, q)
    left, right = clause(plain, sentence, q.start, q.end)
    left, right = max(left, between[0]), min(right, max(between[1], q.end))
    direction = direction_near(ext.text, q, clause_start=left, clause_end=right)
    if direction is Direction.NO_CHANGE and carried is not None and not states_no_change(plain, left, right):
        direction = carried
    g.add((finding, AK.direction, AK[direction.value]))
    if q.comparator is not None:
        g.add((finding, AK.comparator, AK[q.comparator.value]))
    period = find_period(ext.text, q, clause_start=left, clause_end=right, sentence_start=sentence[0])
    heading_line = _heading_line(ext.text, lines, sentence[0])
    heading = _heading_period(ext.text, heading_line)
    if period is None or (period.first is None and period.last is None and heading and heading.first):
        period = heading
    _write_period(ext, finding, period)
    _write_context(ext, sources, finding, sentence, q.start, heading_line)
    own_period = period is not None and q.end <= period.start and period.end <= sentence[1]
    kind = _measure_kind(plain, read, left, direction)
    g.add((finding, AK.kind, kind))
    return _Written(read, finding, direction, kind, period.end if period is not None and own_period else q.end)


_CHANGE_BEFORE = re.compile(
    r"(?:\bby|\b(?:increase|rise|fall|drop|decline|growth|reduction|cut|change|uplift|jump)s?\s+(?:of|by)"
    r"|\b(?:an?\s+)?(?:additional|extra|further)|\b(?:rose|risen|rising|fell|fallen|falling|grew|grown|increased"
    r"|decreased|dropped|declined|jumped|climbed|rocketed|soared|surged|plummeted|slumped|up|down))\s+"
    r"(?:(?:more|less|fewer)\s+than\s+|over\s+|almost\s+"
    r"|nearly\s+|around\s+|about\s+|some\s+|an?\s+)?$",
    re.I,
)
"""Words before a figure that make it the size of a change ("rose by", "an increase of", "an extra")."""
_CHANGE_AFTER = re.compile(
    r"[ \t]*(?:(?:year[- ]on[- ]year|annual)\s+)?(?:increase|rise|fall|drop|decline|growth|reduction|cut|jump|uplift"
    r"|more|fewer|less|extra|additional|higher|lower|up|down)\b",
    re.I,
)
"""Words after a figure that make it the size of a change ("a 14% rise", "1,200 more children")."""
_RATE_AFTER = re.compile(r"\s*per\s+(?:\d[\d,]*|hundred|thousand|head|capita|child|pupil|person)\b", re.I)
"""A figure per population ("52 per 10,000 children", "£900 per pupil")."""


def _measure_kind(plain: str, read: _Read, clause_start: int, direction: Direction) -> URIRef:
    """Whether the finding states a level, a change or a rate of its measure (see ``ak:MeasureKind``)."""
    q = read.quantity
    if _RATE_AFTER.search(plain[q.start : q.end + 24]) or re.search(r"\brates?\b", read.measure.name):
        return AK.Rate
    if q.from_value is not None or q.value is None:
        return AK.Level
    if q.unit is Unit.PERCENTAGE_POINT or (q.unit is Unit.RATIO and q.direction is not None):
        return AK.Change
    if direction is Direction.NO_CHANGE:
        return AK.Level
    before = plain[max(clause_start, q.start - 60) : q.start]
    if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(plain, q.end):
        return AK.Change
    return AK.Level


def _write_values(ext: Extraction, finding: URIRef, q: Quantity) -> None:
    g = ext.graph
    for prop, value in (
        (AK.value, q.value),
        (AK.minValue, q.low),
        (AK.maxValue, q.high),
        (AK.fromValue, q.from_value),
        (AK.toValue, q.to_value),
    ):
        if value is not None:
            g.add((finding, prop, _decimal(value)))


def _decimal(value: Decimal) -> Literal:
    return Literal(format(value, "f"), datatype=XSD.decimal)


def _write_period(ext: Extraction, finding: URIRef, period: Period | None) -> None:
    if period is None:
        return
    g = ext.graph
    g.add((finding, AK.periodLabel, Literal(period.label)))
    if period.first is None and period.last is None:
        return
    if period.first and period.last and period.first > period.last:
        ext.skip(LOADER, period.start, f"period {period.label!r} ends before it starts")
        return
    interval = add_interval(g, period.first, period.last)
    g.add((finding, AK.period, interval))


def _write_context(
    ext: Extraction,
    sources: Attribution,
    finding: URIRef,
    sentence: tuple[int, int],
    offset: int,
    heading: tuple[int, int] | None,
) -> None:
    g = ext.graph
    statement = ext.statement_at(offset)
    if statement is not None:
        g.add((finding, AK.inStatement, statement.iri))
    item = ext.item_at(offset)
    if item is not None:
        g.add((finding, AK.inItem, item.iri))
    source = sources.source(sentence, offset, heading)
    if source is not None:
        g.add((finding, AK.source, source))
