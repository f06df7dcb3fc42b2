"""Reasoning: the OWL 2 RL closure of the asserted graph under the ontology.

owlrl is the reference implementation (``--reasoning owl-rl``): it closes one whole graph in
memory. The fast path (``rl-fast``) is :class:`Rules`, the ontology compiled into what its axioms
say about one instance triple: the ontology holds only axioms whose OWL 2 RL rules read a single
instance triple (class and property hierarchies, domains, ranges, inverses; ``cax-sco``,
``prp-dom``, ``prp-rng``, ``prp-spo1``, ``prp-inv``, ``prp-eqp``, ``cax-eqc``), except property
chains (``prp-spo2``, which join triples) and disjointness (``cax-dw``, ``cax-adc``, a
consistency check). So the closure of a corpus is the union of the closures of its documents,
each computed on its own (in the extraction workers, as the documents stream through), plus the
chains and the disjointness checks run once on the whole staged graph as SPARQL. An ontology
using any other construct is refused with its name, and a test checks that both reasoners give
the same inferred graph on fixtures using every axiom of the ontology and on the corpus.

The inferred graph holds what is new about the graph's resources (subjects in the ``id:``
namespace): the closure minus the asserted triples and the ontology, without ``x owl:sameAs x``.
What a closure derives about the vocabularies themselves (class and property hierarchies,
reflexive equivalences, axiomatic triples) is left out: the ontology graph holds the axioms, and
reasoners differ on those derivations while agreeing on the instance data.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import TypeVar

import owlrl
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.query import Result, ResultRow
from rdflib.term import Node

from .errors import ReasoningError
from .namespaces import ID
from .validate import Queryable


class Reasoning(StrEnum):
    """Which reasoner computes the inferred graph."""

    OWL_RL = "owl-rl"
    """owlrl's OWL 2 RL closure of the whole graph in memory (the reference; minutes at 100k triples)."""
    RL_FAST = "rl-fast"
    """The compiled rules of :class:`Rules`, per document as the build streams (the same inferred graph)."""
    NONE = "none"
    """No reasoning: the inferred graph is empty."""


Triple = tuple[Node, Node, Node]
T = TypeVar("T")


_RESOURCES = str(ID)


def is_news(triple: Triple) -> bool:
    """Whether a derived triple belongs in the inferred graph: it is about a resource of the graph."""
    s, p, o = triple
    return isinstance(s, URIRef) and s.startswith(_RESOURCES) and not (p == OWL.sameAs and s == o)


def infer(asserted: Graph, ontology: Graph, *, reasoning: Reasoning = Reasoning.OWL_RL) -> Graph:
    """The triples the reasoner derives from ``asserted`` and ``ontology`` that neither holds,
    for one whole graph in memory."""
    if reasoning is Reasoning.NONE:
        return Graph()
    if reasoning is Reasoning.RL_FAST:
        return Rules(ontology).infer(asserted)
    known = Graph()
    known += ontology
    known += asserted
    closure = Graph()
    closure += known
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False).expand(closure)
    except Exception as exc:  # owlrl raises bare exceptions on malformed axioms
        raise ReasoningError(f"owlrl failed: {exc}") from exc
    errors = sorted(str(message) for message in closure.objects(None, ERRNS.error))
    if errors:
        raise ReasoningError("the graph is inconsistent: " + "; ".join(errors[:5]))
    inferred = Graph()
    for triple in closure:
        if triple not in known and is_news(triple):
            inferred.add(triple)
    clashes = sorted(str(s) for s in inferred.subjects(RDF.type, OWL.Nothing))
    if clashes:
        raise ReasoningError(f"the graph is inconsistent: {', '.join(clashes[:5])} cannot exist")
    return inferred


_AXIOMS = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.inverseOf,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.propertyChainAxiom,
        OWL.disjointWith,
        OWL.members,
    }
)
"""The axioms :class:`Rules` compiles."""
_DECLARATIONS = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
        OWL.Ontology,
        OWL.AllDisjointClasses,
    }
)
"""The ``rdf:type`` objects of the OWL vocabulary that declare, without a rule of their own."""
_ANNOTATIONS = frozenset({OWL.imports, OWL.versionIRI, OWL.versionInfo, RDFS.label, RDFS.comment, RDFS.seeAlso})
_SCHEMA_NAMESPACES = (str(OWL), str(RDFS))


class Rules:
    """The ontology's OWL 2 RL rules over instance data, compiled (see the module's description).

    ``consequences`` gives what one instance triple entails with the ontology (its closure minus
    itself); ``chain_queries`` the SPARQL that finds what the property chains entail in a graph
    holding the closure so far; ``disjoint_classes`` the pairs nothing may belong to both of.
    """

    def __init__(self, ontology: Graph) -> None:
        _refuse_uncompiled(ontology)
        supers: dict[Node, set[Node]] = defaultdict(set)
        for declared in ontology.subjects(RDF.type, OWL.Class):
            supers[declared].add(OWL.Thing)  # scm-cls
        for sub, sup in ontology.subject_objects(RDFS.subClassOf):
            supers[sub].add(sup)
        for a, b in ontology.subject_objects(OWL.equivalentClass):
            supers[a].add(b)
            supers[b].add(a)
        self._superclasses = {c: _reachable(c, supers) for c in list(supers)}
        steps: dict[tuple[Node, bool], set[tuple[Node, bool]]] = defaultdict(set)
        for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
            for inverted in (False, True):
                steps[(sub, inverted)].add((sup, inverted))
        for a, b in ontology.subject_objects(OWL.equivalentProperty):
            for inverted in (False, True):
                steps[(a, inverted)].add((b, inverted))
                steps[(b, inverted)].add((a, inverted))
        for a, b in ontology.subject_objects(OWL.inverseOf):
            for inverted in (False, True):
                steps[(a, inverted)].add((b, not inverted))
                steps[(b, inverted)].add((a, not inverted))
        self._properties = {
            p: _reachable((p, False), steps) | {(p, False)} for p, inverted in list(steps) if not inverted
        }
        self._domains = self._closed_classes(ontology, RDFS.domain)
        self._ranges = self._closed_classes(ontology, RDFS.range)
        self.chains = [
            (prop, list(Collection(ontology, chain)))
            for prop, chain in ontology.subject_objects(OWL.propertyChainAxiom)
        ]
        pairs = {(a, b) for a, b in ontology.subject_objects(OWL.disjointWith)}
        for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
            members = [m for listed in ontology.objects(group, OWL.members) for m in Collection(ontology, listed)]
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        self.disjoint_classes = sorted(pairs, key=lambda pair: (str(pair[0]), str(pair[1])))
        self._plans: dict[Node, tuple[tuple[Node, bool, frozenset[Node], frozenset[Node]], ...]] = {}

    def _closed_classes(self, ontology: Graph, axiom: URIRef) -> dict[Node, frozenset[Node]]:
        found: dict[Node, set[Node]] = defaultdict(set)
        for prop, cls in ontology.subject_objects(axiom):
            found[prop].add(cls)
            found[prop].update(self._superclasses.get(cls, ()))
        return {prop: frozenset(classes) for prop, classes in found.items()}

    def _plan(self, p: Node) -> tuple[tuple[Node, bool, frozenset[Node], frozenset[Node]], ...]:
        """For a predicate: each property a triple of it entails (inverted or not), with its domains and ranges."""
        if p not in self._plans:
            if str(p).startswith(_SCHEMA_NAMESPACES) and p not in _ANNOTATIONS:
                raise ReasoningError(f"the data state {p}, schema the compiled rules do not reason over")
            self._plans[p] = tuple(
                (prop, inverted, self._domains.get(prop, frozenset()), self._ranges.get(prop, frozenset()))
                for prop, inverted in sorted(self._properties.get(p, {(p, False)}), key=str)
            )
        return self._plans[p]

    def consequences(self, triple: Triple) -> Iterator[Triple]:
        """What ``triple`` entails with the ontology, itself left out (``cax-sco`` with every declared
        class under ``owl:Thing`` by ``scm-cls``, ``prp-dom``, ``prp-rng``, ``prp-spo1``, ``prp-inv1/2``,
        ``prp-eqp1/2``, ``cax-eqc1/2``)."""
        s, p, o = triple
        if p == RDF.type:
            for cls in self._superclasses.get(o, ()):
                yield s, RDF.type, cls
            return
        for prop, inverted, domains, ranges in self._plan(p):
            subject, value = (o, s) if inverted else (s, o)
            if isinstance(subject, Literal):
                continue  # a literal is never a subject
            if prop != p or inverted:
                yield subject, prop, value
            for cls in domains:
                yield subject, RDF.type, cls
            if not isinstance(value, Literal):
                for cls in ranges:
                    yield value, RDF.type, cls

    def derive(self, triples: Iterable[Triple]) -> set[Triple]:
        """Everything ``triples`` entail, one at a time, that is about a resource of the graph
        (the triples themselves included when they entail themselves through an inverse)."""
        derived: set[Triple] = set()
        for triple in triples:
            derived.update(t for t in self.consequences(triple) if is_news(t))
        return derived

    def chain_queries(self) -> Iterator[tuple[Node, str]]:
        """For each property chain, its property and the SPARQL (``?start ?end``) that finds its pairs."""
        for prop, steps in self.chains:
            names = ["?start", *(f"?step{i}" for i in range(1, len(steps))), "?end"]
            patterns = " . ".join(f"{a} <{step}> {b}" for a, step, b in zip(names, steps, names[1:], strict=False))
            yield prop, f"SELECT DISTINCT ?start ?end WHERE {{ {patterns} }}"

    def chained(self, closure: Graph | Queryable) -> set[Triple]:
        """The triples the property chains give in ``closure`` (``prp-spo2``), with what they entail."""
        found: set[Triple] = set()
        for prop, sparql in self.chain_queries():
            for row in _rows(closure.query(sparql)):
                triple = (row[0], prop, row[1])
                if is_news(triple):
                    found.add(triple)
                found.update(self.derive([triple]))
        return found

    def disjointness_query(self) -> str:
        """SPARQL for what belongs to two disjoint classes (``cax-dw``, ``cax-adc``): ``?node ?one ?other``."""
        values = " ".join(f"(<{a}> <{b}>)" for a, b in self.disjoint_classes)
        return f"SELECT ?node ?one ?other WHERE {{ VALUES (?one ?other) {{ {values} }} ?node a ?one, ?other }} LIMIT 5"

    def check_consistency(self, closure: Graph | Queryable) -> None:
        """Raise :class:`ReasoningError` if something belongs to two disjoint classes or to ``owl:Nothing``."""
        both = _rows(closure.query(self.disjointness_query()))
        clashes = [f"{row[0]} is both {row[1]} and {row[2]}" for row in both]
        nothing = _rows(closure.query(f"SELECT ?node WHERE {{ ?node a <{OWL.Nothing}> }} LIMIT 5"))
        clashes += [f"{row[0]} cannot exist" for row in nothing]
        if clashes:
            raise ReasoningError("the graph is inconsistent: " + "; ".join(clashes))

    def infer(self, asserted: Graph) -> Graph:
        """The inferred graph of one whole graph in memory: the same as :func:`infer` with owlrl."""
        closure = Graph()
        closure += asserted
        for triple in self.derive(asserted):
            closure.add(triple)
        while True:
            new = [t for t in self.chained(closure) if t not in closure]
            if not new:
                break
            for triple in new:
                closure.add(triple)
        self.check_consistency(closure)
        inferred = Graph()
        for triple in closure:
            if triple not in asserted and is_news(triple):
                inferred.add(triple)
        return inferred


def _rows(result: Result) -> Iterator[ResultRow]:
    for row in result:
        assert isinstance(row, ResultRow)
        yield row


def _reachable(start: T, edges: Mapping[T, set[T]]) -> set[T]:
    """What ``edges`` reach from ``start``, ``start`` itself left out unless a cycle returns to it."""
    seen: set[T] = set()
    queue = deque(edges.get(start, ()))
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        queue.extend(edges.get(node, ()))
    return seen


def _refuse_uncompiled(ontology: Graph) -> None:
    """An axiom :class:`Rules` does not compile would make its closure incomplete: refused, named."""
    for _s, p, o in ontology:
        if p == RDF.type and str(o).startswith(str(OWL)) and o not in _DECLARATIONS:
            raise ReasoningError(f"the ontology uses {o}, which rl-fast does not reason with (use --reasoning owl-rl)")
        if str(p).startswith(_SCHEMA_NAMESPACES) and p not in _AXIOMS | _ANNOTATIONS:
            raise ReasoningError(f"the ontology uses {p}, which rl-fast does not reason with (use --reasoning owl-rl)")
