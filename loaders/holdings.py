"""Holdings: who held which post, and when.

Two steps:

* :func:`add_stated_holding` (document phase): a role written at a person ("X, ADCS President,
  said", "X, ADCS President 2020/21") is a stated holding (``ak:inferred false``, ``ak:span`` on
  the role phrase). With a written term ("2020/21", "21/22", "for 2021/22") it holds for that
  association year (1 April to 31 March); otherwise it holds at the item's date, and on an
  undated page it has no interval. Each carries the ``ak:rule`` and ``ak:confidence`` of its
  role phrase.
  A holding whose start or end the text writes ("will take over as president in April 2031",
  "stood down as chair in March 2030") has that open interval; the linker leaves it as written.
* the corpus phase: :func:`gather` reads, in each document on its own, what the linker needs (the
  observations below, the posts' roles and organisations, the confidence of each piece of
  evidence, the spans of stated holdings), and :func:`derive` decides on the facts of all the
  documents together, giving the triples to add and the ones to remove (:func:`link` does both on
  one merged graph): one holding per person, post and term.
  Each statement made in a role, and each stated holding, says when the person held the post:
  on its item's date, or, for an undated item of a newest-first archive, between the dates of
  the nearest dated items after and before it. For the association's one-year offices
  (President, Vice President; the year runs 1 April to 31 March) the years every observation
  of a person allows are intersected (a written term fixes the year); one person per office
  and year (a year one holder is certain of is taken from the others' candidates); a Vice
  President presides the year after (used only to choose among years still open); an item
  newer than every dated item is taken to fall in the year of the newest dated one. Two
  people left in one year: the better attested keeps it, a tie gives neither. Successive
  holders of one office are linked with ``ak:predecessor``/``ak:successor``. Other posts hold
  from the earliest to the latest date their observations allow. Such holdings are
  ``ak:inferred true`` with ``ak:evidence`` to the statements and stated holdings they rest
  on, unless a stated holding already has the same person, post and term (it then gains the
  evidence and stays stated). What cannot be decided is skipped with the reason.

A person seen in a post only where nothing dates it (an undated document) gets a holding with
no interval. IRIs: ``id:holding/{person}/{post path}/{term}`` with the term as "2020-21", the
interval "start_end" when there is no term, or "undated"; intervals are
``id:interval/{start or ..}_{end or ..}``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from graph.namespaces import AK, ID, resource

from .extraction import Extraction, ItemRecord, Skip
from .people import PersonName
from .posts import RolePhrase

LOADER = "holdings"
UNDATED = "undated"
"""The term segment of a holding's IRI when nothing dates it."""
DERIVED = "holding derived from the dated statements and stated holdings of the person in the post"
"""The ``ak:rule`` of an inferred holding; its ``ak:confidence`` is that of its surest evidence."""
ONE_YEAR_ROLES = frozenset({AK.President, AK.VicePresident})
"""Offices held for one association year, April to March."""


def office_year(day: date) -> int:
    """The first calendar year of the April-March association year holding ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def year_interval(first_year: int) -> tuple[date, date]:
    return date(first_year, 4, 1), date(first_year + 1, 3, 31)


def year_key(first_year: int) -> str:
    return f"{first_year}-{(first_year + 1) % 100:02d}"


def interval_key(start: date | None, end: date | None) -> str:
    return f"{start.isoformat() if start else '..'}_{end.isoformat() if end else '..'}"


def _post_path(post: URIRef) -> str:
    return str(post).removeprefix(str(ID) + "post/")


def _person_slug(person: URIRef) -> str:
    return str(person).removeprefix(str(ID) + "person/")


def holding_iri(person: URIRef, post: URIRef, when: str) -> URIRef:
    """``id:holding/{person}/{post path}/{term or interval}``."""
    return resource("holding", _person_slug(person), _post_path(post), when)


def add_interval(graph: Graph, start: date | None, end: date | None) -> URIRef:
    iri = resource("interval", interval_key(start, end))
    graph.add((iri, RDF.type, AK.Interval))
    if start is not None:
        graph.add((iri, AK.startDate, Literal(start, datatype=XSD.date)))
    if end is not None:
        graph.add((iri, AK.endDate, Literal(end, datatype=XSD.date)))
    return iri


def add_stated_holding(
    ext: Extraction,
    person: URIRef,
    name: PersonName,
    phrase: RolePhrase,
    item: ItemRecord | None,
    tenure: tuple[date | None, date | None] | None = None,
) -> URIRef:
    """Write the holding a role phrase states: for its written term, else from or until the dates
    the text gives (``tenure``: "took over as president in April 2031"), else at the item's date,
    else with no interval (an undated page; the linker may date it from the person's other
    observations)."""
    start: date | None
    end: date | None
    if phrase.term is not None:
        start, end = phrase.term.interval
        when = phrase.term.key
    elif tenure is not None and tenure != (None, None):
        start, end = tenure
        when = interval_key(start, end)
    elif item is not None and item.date is not None:
        start = end = item.date
        when = interval_key(start, end)
    else:
        start = end = None
        when = UNDATED
    iri = holding_iri(person, phrase.post, when)
    g = ext.graph
    if (iri, AK.span, None) in g:
        return iri
    g.add((iri, RDF.type, AK.Holding))
    g.add((iri, AK.holder, person))
    g.add((iri, AK.post, phrase.post))
    g.add((iri, AK.inferred, Literal(False)))
    if start is not None or end is not None:
        g.add((iri, AK.during, add_interval(g, start, end)))
    if phrase.term is not None:
        g.add((iri, AK.termLabel, Literal(phrase.term.label)))
    ext.provenance(iri, phrase.start, phrase.end)
    ext.read_by(iri, phrase.reading)
    return iri


# --- corpus phase --------------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    """A person seen in a post (a statement made in the role, or a stated holding), and when:
    between ``low`` and ``high`` (either may be unknown), or in the written term's year."""

    person: URIRef
    post: URIRef
    evidence: URIRef
    low: date | None
    high: date | None
    written_year: int | None
    where: str
    """Document file name, for skip notes."""
    label: str
    """"Person as Post", for skip notes."""


def _literal_date(graph: Graph, node: object, prop: URIRef) -> date | None:
    value = graph.value(node, prop) if isinstance(node, URIRef) else None
    if isinstance(value, Literal) and isinstance(value.toPython(), date):
        result: date = value.toPython()
        return result
    return None


class ItemDates:
    """The items of the graph: their documents, positions and dates (stated or derived)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.where: dict[URIRef, tuple[URIRef, int]] = {}
        self.dated: dict[URIRef, dict[int, date]] = defaultdict(dict)
        for item in graph.subjects(RDF.type, AK.Item):
            doc, position = graph.value(item, AK.inDocument), graph.value(item, AK.position)
            if not isinstance(item, URIRef) or not isinstance(doc, URIRef) or not isinstance(position, Literal):
                continue
            self.where[item] = (doc, int(position.toPython()))
            day = _literal_date(graph, item, AK.date)
            if day is not None:
                self.dated[doc][int(position.toPython())] = day

    def bounds(self, item: URIRef) -> tuple[date | None, date | None]:
        """The item's date, or the dates of the nearest dated items after and before it in a
        newest-first document (the item lies between them)."""
        if item not in self.where:
            return None, None
        doc, position = self.where[item]
        dated = self.dated[doc]
        if position in dated:
            return dated[position], dated[position]
        newer = max((p for p in dated if p < position), default=None)
        older = min((p for p in dated if p > position), default=None)
        return (dated[older] if older is not None else None), (dated[newer] if newer is not None else None)

    def file_of(self, item: URIRef | None) -> str:
        doc = self.where[item][0] if item in self.where else None
        name = self.graph.value(doc, AK.fileName) if doc is not None else None
        return str(name) if name is not None else "corpus"


def _label(graph: Graph, person: URIRef, post: URIRef) -> str:
    return f"{graph.value(person, AK.name) or person} as {graph.value(post, AK.name) or post}"


def _uris(nodes: Iterable[object]) -> set[URIRef]:
    return {n for n in nodes if isinstance(n, URIRef)}


def observations(graph: Graph, items: ItemDates) -> list[Observation]:
    """Every statement made in a role and every stated holding of the graph, in IRI order."""
    found: list[Observation] = []
    for statement in sorted(_uris(graph.subjects(RDF.type, AK.Statement))):
        post, person, item = (graph.value(statement, p) for p in (AK.inRole, AK.speaker, AK.inItem))
        if not (isinstance(post, URIRef) and isinstance(person, URIRef) and isinstance(statement, URIRef)):
            continue
        item_iri = item if isinstance(item, URIRef) else None
        day = _literal_date(graph, statement, AK.date)
        low, high = (day, day) if day else items.bounds(item_iri) if item_iri else (None, None)
        label = _label(graph, person, post)
        found.append(Observation(person, post, statement, low, high, None, items.file_of(item_iri), label))
    for holding in sorted(_uris(graph.subjects(AK.inferred, Literal(False)))):
        post, person, interval = (graph.value(holding, p) for p in (AK.post, AK.holder, AK.during))
        if not (isinstance(post, URIRef) and isinstance(person, URIRef) and isinstance(holding, URIRef)):
            continue
        start, end = _literal_date(graph, interval, AK.startDate), _literal_date(graph, interval, AK.endDate)
        if (start is None) != (end is None):
            continue  # a tenure's written start or end: as exact as the text, nothing to derive
        written = office_year(start) if start and graph.value(holding, AK.termLabel) is not None else None
        span = graph.value(holding, AK.span)
        doc = graph.value(span, AK.document) if span is not None else None
        name = graph.value(doc, AK.fileName) if doc is not None else None
        label = _label(graph, person, post)
        found.append(Observation(person, post, holding, start, end, written, str(name or "corpus"), label))
    return found


@dataclass
class Decided:
    """A holding decided by the linker: person, post, term (or interval) and its evidence."""

    person: URIRef
    post: URIRef
    start: date | None
    end: date | None
    key: str
    evidence: list[URIRef]


@dataclass
class Candidates:
    """The years a person may have held a one-year office, narrowed by each observation."""

    person: URIRef
    post: URIRef
    observations: list[Observation]
    years: set[int]
    open_low: int | None = None
    """Only a lower bound was known (items newer than every dated item): the earliest year."""
    open_high: int | None = None


def _years(o: Observation, universe: range) -> tuple[set[int], bool]:
    """The office years an observation allows, and whether only one side was bounded."""
    if o.written_year is not None:
        return {o.written_year}, False
    low = office_year(o.low) if o.low else universe.start
    high = office_year(o.high) if o.high else universe.stop - 1
    return set(range(low, high + 1)), (o.low is None) != (o.high is None)


def _candidates(post: URIRef, seen: list[Observation], universe: range, skipped: list[Skip]) -> list[Candidates]:
    by_person: dict[URIRef, list[Observation]] = defaultdict(list)
    for o in seen:
        by_person[o.person].append(o)
    result = []
    for person, obs in sorted(by_person.items()):
        allowed = [_years(o, universe) for o in obs]
        closed = [years for years, one_sided in allowed if not one_sided and years != set(universe)]
        years = set(universe).intersection(*closed) if closed else set(universe)
        if not years and not closed:
            continue  # no dated observation: left to the undated holdings
        if not years:
            votes = Counter(y for ys in closed for y in ys)
            top = max(votes.values())
            years = {y for y, n in votes.items() if n == top}
            skipped.append(Skip(obs[0].where, 0, LOADER, f"{obs[0].label}: observations disagree on the year"))
        open_years = [ys for ys, one_sided in allowed if one_sided]
        narrowed = years.intersection(*open_years) if open_years else years
        years = narrowed or years
        cand = Candidates(person, post, obs, years)
        lows = [o for o in obs if o.low is not None and o.high is None and o.written_year is None]
        highs = [o for o in obs if o.high is not None and o.low is None and o.written_year is None]
        cand.open_low = min((office_year(o.low) for o in lows if o.low), default=None) if not closed else None
        cand.open_high = max((office_year(o.high) for o in highs if o.high), default=None) if not closed else None
        result.append(cand)
    return result


@dataclass(frozen=True)
class PostFacts:
    """What the linker needs to know of a post: its role and its organisation."""

    role: URIRef | None
    organisation: URIRef | None


@dataclass
class HoldingFacts:
    """What the linker reads of one document (or, merged, of a corpus)."""

    observations: list[Observation] = field(default_factory=list)
    posts: dict[URIRef, PostFacts] = field(default_factory=dict)
    confidence: dict[URIRef, Decimal] = field(default_factory=dict)
    """The ``ak:confidence`` of each statement and stated holding (the linker's evidence)."""
    spans: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    """The spans of each holding read from text."""
    stated: set[URIRef] = field(default_factory=set)
    """The holdings stated in the text (``ak:inferred false``)."""

    @classmethod
    def merged(cls, parts: Iterable[HoldingFacts]) -> HoldingFacts:
        whole = cls()
        for part in parts:
            whole.observations += part.observations
            whole.posts.update(part.posts)
            whole.confidence.update(part.confidence)
            for holding, spans in part.spans.items():
                whole.spans.setdefault(holding, set()).update(spans)
            whole.stated |= part.stated
        # statements first, then stated holdings, each in IRI order: as read from one graph
        whole.observations.sort(key=lambda o: (o.evidence in whole.stated, str(o.evidence), o.where))
        return whole


def _uri(node: Node | None) -> URIRef | None:
    return node if isinstance(node, URIRef) else None


def gather(graph: Graph) -> HoldingFacts:
    """What the linker needs from ``graph`` (one document's triples, or a merged graph's)."""
    observed = observations(graph, ItemDates(graph))
    evidence = {o.evidence for o in observed}
    posts = {o.post for o in observed}
    return HoldingFacts(
        observations=observed,
        posts={p: PostFacts(_uri(graph.value(p, AK.role)), _uri(graph.value(p, AK.postIn))) for p in sorted(posts)},
        confidence={
            e: c.toPython() for e in sorted(evidence) if isinstance(c := graph.value(e, AK.confidence), Literal)
        },
        spans={
            h: _uris(graph.objects(h, AK.span))
            for h in sorted(_uris(graph.subjects(RDF.type, AK.Holding)))
            if (h, AK.span, None) in graph
        },
        stated=_uris(graph.subjects(AK.inferred, Literal(False))),
    )


def _narrow(posts: dict[URIRef, PostFacts], cands: list[Candidates]) -> None:
    """Constraint propagation: one holder per office and year; a Vice President presides the
    year after (applied only where it leaves a year)."""
    changed = True
    while changed:
        changed = False
        for c in cands:
            if len(c.years) != 1:
                continue
            (year,) = c.years
            for other in cands:
                if other is not c and other.post == c.post and len(other.years) > 1 and year in other.years:
                    other.years.discard(year)
                    changed = True
            for other in cands:
                if other.person != c.person or len(other.years) <= 1:
                    continue
                if posts[other.post].organisation != posts[c.post].organisation:
                    continue
                step = _succession_step(posts, c.post, other.post)
                if step is not None and year + step in other.years:
                    other.years = {year + step}
                    changed = True


def _succession_step(posts: dict[URIRef, PostFacts], known: URIRef, other: URIRef) -> int | None:
    """+1 from a vice presidency to the presidency, -1 back; else None."""
    roles = (posts[known].role, posts[other].role)
    if roles == (AK.VicePresident, AK.President):
        return 1
    if roles == (AK.President, AK.VicePresident):
        return -1
    return None


def _decide_years(cands: list[Candidates], skipped: list[Skip]) -> list[Decided]:
    chosen: dict[tuple[URIRef, int], list[Candidates]] = defaultdict(list)
    taken: set[tuple[URIRef, int]] = {(c.post, next(iter(c.years))) for c in cands if len(c.years) == 1}
    for c in cands:
        year: int | None = next(iter(c.years)) if len(c.years) == 1 else None
        if year is None:
            for guess in (c.open_low, c.open_high):
                if guess is not None and guess in c.years and (c.post, guess) not in taken:
                    year = guess
                    taken.add((c.post, guess))
                    break
        if year is None:
            skipped.append(Skip(c.observations[0].where, 0, LOADER, f"{c.observations[0].label}: year not determined"))
            continue
        chosen[(c.post, year)].append(c)
    decided = []
    for (post, year), holders in sorted(chosen.items(), key=lambda c: (str(c[0][0]), c[0][1])):
        winner = _best_attested(holders)
        for c in holders:
            if c is not winner:
                skipped.append(
                    Skip(
                        c.observations[0].where,
                        0,
                        LOADER,
                        f"{c.observations[0].label} in {year_key(year)}: "
                        "another holder of this one-year office is as well or better attested",
                    )
                )
        if winner is None:
            continue
        kept = [o for o in winner.observations if year in _years(o, range(year, year + 1))[0]]
        start, end = year_interval(year)
        decided.append(Decided(winner.person, post, start, end, year_key(year), sorted({o.evidence for o in kept})))
    return decided


def _best_attested(holders: list[Candidates]) -> Candidates | None:
    """The one holder with the most written terms, then the most observations; None on a tie."""

    def weight(c: Candidates) -> tuple[int, int]:
        return sum(o.written_year is not None for o in c.observations), len(c.observations)

    ranked = sorted(holders, key=weight, reverse=True)
    if len(ranked) > 1 and weight(ranked[0]) == weight(ranked[1]):
        return None
    return ranked[0]


def _tenures(post: URIRef, seen: list[Observation], skipped: list[Skip]) -> list[Decided]:
    """Posts held for no fixed term: from the earliest to the latest date the observations allow."""
    result = []
    by_person: dict[URIRef, list[Observation]] = defaultdict(list)
    for o in seen:
        by_person[o.person].append(o)
    for person, obs in sorted(by_person.items()):
        days = sorted(d for o in obs for d in (o.low, o.high) if d is not None)
        if not days:
            skipped.append(Skip(obs[0].where, 0, LOADER, f"{obs[0].label}: no dated observation"))
            continue
        key = interval_key(days[0], days[-1])
        result.append(Decided(person, post, days[0], days[-1], key, sorted({o.evidence for o in obs})))
    return result


def _undated(obs: list[Observation], decided: list[Decided]) -> list[Decided]:
    """People seen in a post only where no date is known: a holding with no interval."""
    held = {(d.person, d.post) for d in decided}
    by_pair: dict[tuple[URIRef, URIRef], list[URIRef]] = defaultdict(list)
    dated = {(o.person, o.post) for o in obs if o.low or o.high or o.written_year is not None}
    for o in obs:
        if (o.person, o.post) not in held | dated:
            by_pair[(o.person, o.post)].append(o.evidence)
    return [
        Decided(person, post, None, None, UNDATED, sorted(set(ev))) for (person, post), ev in sorted(by_pair.items())
    ]


def decide(posts: dict[URIRef, PostFacts], obs: list[Observation], skipped: list[Skip]) -> list[Decided]:
    """The holdings (person, post, term) the observations support."""
    known = [d for o in obs for d in (o.low, o.high) if d is not None]
    universe = range(office_year(min(known)) - 1, office_year(max(known)) + 2) if known else range(0, 0)
    by_post: dict[URIRef, list[Observation]] = defaultdict(list)
    for o in obs:
        by_post[o.post].append(o)
    decided: list[Decided] = []
    cands: list[Candidates] = []
    for post, seen in sorted(by_post.items()):
        if posts[post].role in ONE_YEAR_ROLES:
            cands += _candidates(post, seen, universe, skipped)
        else:
            decided += _tenures(post, seen, skipped)
    _narrow(posts, cands)
    decided += _decide_years(cands, skipped)
    return decided + _undated(obs, decided)


def _write(added: Graph, facts: HoldingFacts, d: Decided) -> URIRef:
    iri = holding_iri(d.person, d.post, d.key)
    added.add((iri, RDF.type, AK.Holding))
    added.add((iri, AK.holder, d.person))
    added.add((iri, AK.post, d.post))
    if iri not in facts.stated:
        added.add((iri, AK.inferred, Literal(True)))
        if d.start is not None or d.end is not None:
            added.add((iri, AK.during, add_interval(added, d.start, d.end)))
        sure = [facts.confidence[e] for e in d.evidence if e in facts.confidence]
        added.add((iri, AK.rule, Literal(DERIVED)))
        added.add((iri, AK.confidence, Literal(max(sure, default=Decimal(1)), datatype=XSD.decimal)))
    for evidence in d.evidence:
        if evidence != iri:
            added.add((iri, AK.evidence, evidence))
    return iri


def _link_successions(added: Graph, posts: dict[URIRef, PostFacts], written: Iterable[tuple[Decided, URIRef]]) -> None:
    by_post: dict[URIRef, list[tuple[Decided, URIRef]]] = defaultdict(list)
    for d, iri in written:
        by_post[d.post].append((d, iri))
    for post, held in by_post.items():
        dated = sorted(
            ((d, d.start, d.end, iri) for d, iri in held if d.start is not None and d.end is not None),
            key=lambda h: (h[1], h[2], str(h[3])),
        )
        one_year = posts[post].role in ONE_YEAR_ROLES
        for (a, a_start, a_end, a_iri), (b, b_start, _, b_iri) in pairwise(dated):
            adjacent = b_start.year == a_start.year + 1 if one_year else a_end < b_start
            if adjacent and a.person != b.person:
                added.add((b_iri, AK.predecessor, a_iri))
                added.add((a_iri, AK.successor, b_iri))


@dataclass(frozen=True)
class Linked:
    """What the corpus phase changes: triples to add, and triples of the documents to remove."""

    added: Graph
    removed: frozenset[tuple[Node, Node, Node]]

    def apply(self, graph: Graph) -> None:
        """Make the change in ``graph`` (the merged graph of the documents it was derived from)."""
        for triple in self.removed:
            graph.remove(triple)
        graph += self.added


def derive(parts: Sequence[HoldingFacts], skipped: list[Skip]) -> Linked:
    """The holdings, intervals and successions the corpus's statements support (``added``), and the
    extra spans of a stated holding read in several documents, which keeps one, the first by IRI
    (``removed``)."""
    facts = HoldingFacts.merged(parts)
    added = Graph()
    written = [(d, _write(added, facts, d)) for d in decide(facts.posts, facts.observations, skipped)]
    _link_successions(added, facts.posts, written)
    removed = frozenset((h, AK.span, extra) for h, spans in facts.spans.items() for extra in sorted(spans)[1:])
    return Linked(added, removed)


def link(graph: Graph, skipped: list[Skip]) -> None:
    """Run the corpus phase on one merged graph, in place."""
    derive([gather(graph)], skipped).apply(graph)
