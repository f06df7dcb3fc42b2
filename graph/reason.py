"""Reasoning: the OWL 2 RL closure of the asserted graph under the ontology.

owlrl is the reference implementation. ``reasonable`` (a Rust OWL 2 RL reasoner) is the fast
path; the ontology avoids the constructs it is incomplete on (``owl:intersectionOf``), the
property chains it does not apply are applied here between its runs, and a test checks that
both give the same inferred graph on the test corpus.

The inferred graph holds what is new about the graph's resources (subjects in the ``id:``
namespace): the closure minus the asserted triples and the ontology, without ``x owl:sameAs x``.
What a closure derives about the vocabularies themselves (class and property hierarchies,
reflexive equivalences, axiomatic triples) is left out: the ontology graph holds the axioms, and
reasoners differ on those derivations while agreeing on the instance data.
"""

from __future__ import annotations

from enum import StrEnum

import owlrl
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, XSD
from rdflib.term import Node

from .errors import ReasoningError
from .namespaces import ID


class Reasoning(StrEnum):
    """Which reasoner computes the inferred graph."""

    OWL_RL = "owl-rl"
    """owlrl's OWL 2 RL closure (the reference; about two minutes at 100k triples)."""
    RL_FAST = "rl-fast"
    """The ``reasonable`` OWL 2 RL reasoner (seconds at 100k triples)."""
    NONE = "none"
    """No reasoning: the inferred graph is empty."""


def _is_news(triple: tuple[Node, Node, Node]) -> bool:
    s, p, o = triple
    return isinstance(s, URIRef) and str(s).startswith(str(ID)) and not (p == OWL.sameAs and s == o)


def _plain_strings(triple: tuple[Node, Node, Node]) -> tuple[Node, Node, Node]:
    """``reasonable`` returns simple literals typed ``xsd:string``; rdflib keeps them untyped."""
    s, p, o = triple
    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))
    return s, p, o


def infer(asserted: Graph, ontology: Graph, *, reasoning: Reasoning = Reasoning.OWL_RL) -> Graph:
    """The triples the reasoner derives from ``asserted`` and ``ontology`` that neither holds."""
    inferred = Graph()
    if reasoning is Reasoning.NONE:
        return inferred
    known = Graph()
    known += ontology
    known += asserted
    if reasoning is Reasoning.OWL_RL:
        closure = Graph()
        closure += known
        try:
            owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False).expand(closure)
        except Exception as exc:  # owlrl raises bare exceptions on malformed axioms
            raise ReasoningError(f"owlrl failed: {exc}") from exc
        errors = sorted(str(message) for message in closure.objects(None, ERRNS.error))
        if errors:
            raise ReasoningError("the graph is inconsistent: " + "; ".join(errors[:5]))
        derived = (t for t in closure if t not in known)
    else:
        closure = _fast_closure(known, _property_chains(ontology))
        derived = (t for t in closure if t not in known)
    for triple in derived:
        if _is_news(triple):
            inferred.add(triple)
    _check_consistency(inferred)
    return inferred


def _property_chains(ontology: Graph) -> list[tuple[Node, list[Node]]]:
    """Each property defined by an ``owl:propertyChainAxiom``, with the properties of its chain."""
    return [
        (prop, list(Collection(ontology, chain))) for prop, chain in ontology.subject_objects(OWL.propertyChainAxiom)
    ]


def _chained(graph: Graph, chains: list[tuple[Node, list[Node]]]) -> set[tuple[Node, Node, Node]]:
    """The triples the property chains give over ``graph`` (OWL 2 RL rule prp-spo2)."""
    found: set[tuple[Node, Node, Node]] = set()
    for prop, steps in chains:
        if not steps:
            continue
        pairs = set(graph.subject_objects(steps[0]))
        for step in steps[1:]:
            pairs = {(start, end) for start, middle in pairs for end in graph.objects(middle, step)}
        found.update((start, prop, end) for start, end in pairs)
    return found


def _fast_closure(known: Graph, chains: list[tuple[Node, list[Node]]]) -> Graph:
    """``reasonable``'s closure of ``known``, with the property chains it does not apply (prp-spo2)
    added and the closure taken again until neither adds anything."""
    import reasonable

    closure = Graph()
    closure += known
    while True:
        reasoner = reasonable.PyReasoner()
        try:
            reasoner.from_graph(closure)
            for triple in map(_plain_strings, reasoner.reason()):
                closure.add(triple)
        except Exception as exc:  # the Rust binding raises plain exceptions
            raise ReasoningError(f"reasonable failed: {exc}") from exc
        new = [t for t in _chained(closure, chains) if t not in closure]
        if not new:
            return closure
        for triple in new:
            closure.add(triple)


def _check_consistency(inferred: Graph) -> None:
    """OWL 2 RL signals a contradiction by typing something owl:Nothing."""
    clashes = sorted(str(s) for s in inferred.subjects(RDF.type, OWL.Nothing))
    if clashes:
        raise ReasoningError(f"the graph is inconsistent: {', '.join(clashes[:5])} cannot exist")
