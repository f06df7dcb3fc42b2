"""The shipped ontology, its alignments, the SHACL shapes and the quality-check queries.

The files live in the ``ontology``, ``ontology.alignments`` and ``queries.qc`` resource
directories; this module reads them with :mod:`importlib.resources`, turns Turtle syntax errors
into :class:`~graph.errors.LoaderError` (file, line, column), and offers a syntactic check of
the OWL 2 RL profile (:func:`owl2rl_violations`) so that the ontology stays within what a rule
reasoner can close completely.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from importlib import import_module
from importlib.resources import files
from importlib.resources.abc import Traversable
from importlib.resources.readers import MultiplexedPath
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from graph.errors import LoaderError
from graph.namespaces import PREFIXES

__all__ = ["load_turtle", "ontology_graph", "owl2rl_violations", "qc_queries", "shapes_graph"]


# --------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------


def _resource_dir(package: str) -> Traversable:
    """The directory of a resource package (the ontology and query folders are namespace packages).

    An editable install puts a path-hook placeholder among a namespace package's paths, which
    :func:`importlib.resources.files` rejects on Python 3.11; the real directories are used then.
    """
    try:
        return files(package)
    except NotADirectoryError:
        paths = dict.fromkeys(Path(p) for p in import_module(package).__path__ if Path(p).is_dir())
        return MultiplexedPath(*paths)


def _resources(package: str, suffix: str) -> list[Traversable]:
    """The files of ``package`` whose names end with ``suffix``, sorted by name."""
    found = [r for r in _resource_dir(package).iterdir() if r.is_file() and r.name.endswith(suffix)]
    return sorted(found, key=lambda r: r.name)


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def load_turtle(resource: Traversable, graph: Graph) -> None:
    """Parse the Turtle file ``resource`` into ``graph``.

    The text is first checked with Oxigraph's parser, which reports every syntax error with its
    line and column (rdflib's parser fails on some with an ``IndexError``); a bad file raises
    :class:`LoaderError` naming the file and the 1-based line. rdflib then builds the triples,
    so literals come out as rdflib writes them elsewhere (a plain string has no datatype).
    """
    text = resource.read_text(encoding="utf-8")
    try:
        deque(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE), maxlen=0)
    except SyntaxError as exc:
        where = f" (column {exc.offset})" if exc.offset is not None else ""
        raise LoaderError(Path(str(resource)), f"not valid Turtle: {exc.msg}{where}", line=exc.lineno) from exc
    graph.parse(data=text, format="turtle")


def ontology_graph(*, alignments: bool = True) -> Graph:
    """The core ontology, with the alignments to external vocabularies unless told otherwise."""
    graph = _new_graph()
    load_turtle(_resource_dir("ontology").joinpath("core.ttl"), graph)
    if alignments:
        for resource in _resources("ontology.alignments", ".ttl"):
            load_turtle(resource, graph)
    return graph


def shapes_graph() -> Graph:
    """The SHACL shapes every build must conform to."""
    graph = _new_graph()
    load_turtle(_resource_dir("ontology").joinpath("shapes.ttl"), graph)
    return graph


def qc_queries() -> dict[str, str]:
    """Quality-check query name (file name without ``.rq``) -> SPARQL text, sorted by name.

    Each query returns the rows that violate its rule, with the columns ``?focus ?message``.
    """
    return {r.name.removesuffix(".rq"): r.read_text(encoding="utf-8") for r in _resources("queries.qc", ".rq")}


# --------------------------------------------------------------------------------------------
# OWL 2 RL profile check
# --------------------------------------------------------------------------------------------

_RESERVED_NAMESPACES = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_BUILT_IN: frozenset[URIRef] = frozenset(
    URIRef(str(ns) + name) for ns in (RDF, RDFS, OWL, XSD) for name in ns.__annotations__
)
"""Every term of the RDF, RDFS, OWL and XSD vocabularies."""

_RL_DATATYPE_NAMES = (
    "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger",
    "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "float", "double", "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN",
    "boolean", "hexBinary", "base64Binary", "anyURI", "dateTime", "dateTimeStamp",
)  # fmt: skip
_RL_DATATYPES: frozenset[URIRef] = frozenset(
    [RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, *(XSD[name] for name in _RL_DATATYPE_NAMES)]
)
"""The datatypes OWL 2 RL supports (OWL 2 Profiles, section 4.3)."""

_AXIOM_PREDICATES = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
    OWL.disjointWith,
    OWL.propertyDisjointWith,
    OWL.propertyChainAxiom,
)
"""Predicates whose subject an ontology defines; a built-in term may not be defined again."""

_NEVER_RL = {
    OWL.minCardinality: "a minimum cardinality restriction",
    OWL.minQualifiedCardinality: "a minimum qualified cardinality restriction",
    OWL.cardinality: "an exact cardinality restriction",
    OWL.qualifiedCardinality: "an exact qualified cardinality restriction",
    OWL.hasSelf: "a self restriction (owl:hasSelf)",
}
"""Class expressions OWL 2 RL allows in no position."""

_SUB, _SUPER, _EQUIV = "subclass", "superclass", "equivalent-class"


class _Checker:
    """Collects the OWL 2 RL violations of one graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.violations: set[str] = set()

    # -- rendering --------------------------------------------------------------------------

    def show(self, node: Node, depth: int = 0) -> str:
        """A readable form of ``node``: a prefixed name, a literal, or a bracketed blank node."""
        if not isinstance(node, BNode):
            return node.n3(self.graph.namespace_manager)
        if depth > 2:
            return "[...]"
        if (node, RDF.first, None) in self.graph:
            return "(" + " ".join(self.show(m, depth + 1) for m in Collection(self.graph, node)) + ")"
        pairs = [
            f"{self.show(p)} {self.show(o, depth + 1)}"
            for p, o in sorted(self.graph.predicate_objects(node))
            if (p, o) != (RDF.type, OWL.Restriction)
        ]
        return "[" + " ; ".join(pairs) + "]"

    def report(self, subject: Node, predicate: Node, obj: Node, reason: str) -> None:
        self.violations.add(f"{self.show(subject)} {self.show(predicate)} {self.show(obj)} : {reason}")

    # -- helpers ----------------------------------------------------------------------------

    def members(self, node: Node) -> list[Node]:
        return list(Collection(self.graph, node)) if isinstance(node, BNode) else []

    def value(self, node: Node, predicate: URIRef) -> Node | None:
        return self.graph.value(node, predicate)

    def is_data_property(self, prop: Node | None) -> bool:
        return prop is not None and (prop, RDF.type, OWL.DatatypeProperty) in self.graph

    def is_data_range(self, node: Node) -> bool:
        g = self.graph
        if (node, RDF.type, RDFS.Datatype) in g:
            return True
        if isinstance(node, URIRef):
            return node in _RL_DATATYPES or str(node).startswith(str(XSD))
        if any(g.value(node, p) is not None for p in (OWL.onDatatype, OWL.datatypeComplementOf)):
            return True
        one_of = g.value(node, OWL.oneOf)
        return one_of is not None and all(isinstance(m, Literal) for m in self.members(one_of))

    # -- class expressions ------------------------------------------------------------------

    def class_problems(self, node: Node, position: str, depth: int = 0) -> Iterator[str]:
        """Why ``node`` is not an OWL 2 RL class expression allowed in ``position``."""
        g = self.graph
        if depth > 20:
            return
        if isinstance(node, URIRef):
            if node == OWL.Thing:
                yield f"owl:Thing is not allowed as a {position} expression"
            return
        if isinstance(node, Literal):
            yield f"the literal {node.n3()} is not a class expression"
            return
        never = next((text for p, text in _NEVER_RL.items() if g.value(node, p) is not None), None)
        if never is not None:
            yield f"{never} is not allowed in OWL 2 RL"
            return
        if (operands := g.value(node, OWL.intersectionOf)) is not None:
            for member in self.members(operands):
                yield from self.class_problems(member, position, depth + 1)
        elif (operands := g.value(node, OWL.unionOf)) is not None:
            yield from self.operator(position, (_SUB,), "a union (owl:unionOf)")
            for member in self.members(operands):
                yield from self.class_problems(member, _SUB, depth + 1)
        elif (operand := g.value(node, OWL.complementOf)) is not None:
            yield from self.operator(position, (_SUPER,), "a complement (owl:complementOf)")
            yield from self.class_problems(operand, _SUB, depth + 1)
        elif g.value(node, OWL.oneOf) is not None:
            yield from self.operator(position, (_SUB,), "an enumeration (owl:oneOf)")
        elif (node, RDF.type, OWL.Restriction) in g or g.value(node, OWL.onProperty) is not None:
            yield from self.restriction_problems(node, position, depth)
        else:
            yield f"{self.show(node)} is not a class expression OWL 2 RL knows"

    def operator(self, position: str, allowed: tuple[str, ...], what: str) -> Iterator[str]:
        if position not in allowed:
            yield f"{what} is allowed only as a {' or '.join(allowed)} expression, not as a {position} expression"

    def restriction_problems(self, node: Node, position: str, depth: int) -> Iterator[str]:
        g = self.graph
        data = self.is_data_property(g.value(node, OWL.onProperty))
        if (filler := g.value(node, OWL.someValuesFrom)) is not None:
            yield from self.operator(position, (_SUB,), "an existential restriction (owl:someValuesFrom)")
            yield from self.filler_problems(filler, data, _SUB, depth)
        elif (filler := g.value(node, OWL.allValuesFrom)) is not None:
            yield from self.operator(position, (_SUPER,), "a universal restriction (owl:allValuesFrom)")
            yield from self.filler_problems(filler, data, _SUPER, depth)
        elif g.value(node, OWL.hasValue) is not None:
            return
        elif (bound := g.value(node, OWL.maxCardinality) or g.value(node, OWL.maxQualifiedCardinality)) is not None:
            yield from self.operator(position, (_SUPER,), "a maximum cardinality restriction")
            if not (isinstance(bound, Literal) and str(bound) in ("0", "1")):
                yield f"a maximum cardinality of {self.show(bound)} is not allowed (only 0 or 1)"
            qualifier = g.value(node, OWL.onClass) or g.value(node, OWL.onDataRange)
            if qualifier is not None:
                yield from self.filler_problems(qualifier, data, _SUB, depth)
        else:
            yield f"the restriction {self.show(node)} is not one OWL 2 RL knows"

    def filler_problems(self, filler: Node, data: bool, position: str, depth: int) -> Iterator[str]:
        if data or self.is_data_range(filler):
            yield from self.data_range_problems(filler)
        elif not (position == _SUB and filler == OWL.Thing):
            yield from self.class_problems(filler, position, depth + 1)

    def data_range_problems(self, node: Node) -> Iterator[str]:
        g = self.graph
        if isinstance(node, URIRef):
            declared = (node, RDF.type, RDFS.Datatype) in g and not str(node).startswith(_RESERVED_NAMESPACES)
            if node not in _RL_DATATYPES and not declared:
                yield f"the datatype {self.show(node)} is not in the OWL 2 RL datatype map"
        elif (operands := g.value(node, OWL.intersectionOf)) is not None:
            for member in self.members(operands):
                yield from self.data_range_problems(member)
        elif g.value(node, OWL.onDatatype) is not None or g.value(node, OWL.withRestrictions) is not None:
            yield "a datatype restriction (owl:withRestrictions facets) is not allowed in OWL 2 RL"
        elif g.value(node, OWL.datatypeComplementOf) is not None:
            yield "a datatype complement (owl:datatypeComplementOf) is not allowed in OWL 2 RL"
        elif g.value(node, OWL.unionOf) is not None:
            yield "a datatype union (owl:unionOf of data ranges) is not allowed in OWL 2 RL"
        elif g.value(node, OWL.oneOf) is not None:
            yield "an enumeration of literals (owl:oneOf) is not allowed in OWL 2 RL"
        else:
            yield f"{self.show(node)} is not a data range"

    # -- axioms -----------------------------------------------------------------------------

    def check_position(
        self, triples: Iterable[tuple[Node, Node, Node]], pick: Callable[[Node, Node], Node], position: str
    ) -> None:
        for s, p, o in triples:
            for reason in self.class_problems(pick(s, o), position):
                self.report(s, p, o, reason)

    def check_class_axioms(self) -> None:
        g = self.graph
        subclass = list(g.triples((None, RDFS.subClassOf, None)))
        self.check_position(subclass, lambda s, o: s, _SUB)
        self.check_position(subclass, lambda s, o: o, _SUPER)
        equivalent = list(g.triples((None, OWL.equivalentClass, None)))
        self.check_position(equivalent, lambda s, o: s, _EQUIV)
        self.check_position(equivalent, lambda s, o: o, _EQUIV)
        disjoint = list(g.triples((None, OWL.disjointWith, None)))
        self.check_position(disjoint, lambda s, o: s, _SUB)
        self.check_position(disjoint, lambda s, o: o, _SUB)
        self.check_position(g.triples((None, OWL.hasKey, None)), lambda s, o: s, _SUB)
        for s, p, o in g.triples((None, OWL.members, None)):
            if (s, RDF.type, OWL.AllDisjointClasses) in g:
                for member in self.members(o):
                    for reason in self.class_problems(member, _SUB):
                        self.report(s, p, o, reason)
        for s, p, o in g.triples((None, RDF.type, None)):
            if isinstance(o, BNode):
                for reason in self.class_problems(o, _SUPER):
                    self.report(s, p, o, f"class assertion: {reason}")

    def check_property_axioms(self) -> None:
        g = self.graph
        for s, p, o in g.triples((None, RDFS.domain, None)):
            for reason in self.class_problems(o, _SUPER):
                self.report(s, p, o, f"domain: {reason}")
        for s, p, o in g.triples((None, RDFS.range, None)):
            data = self.is_data_property(s) or self.is_data_range(o)
            reasons = self.data_range_problems(o) if data else self.class_problems(o, _SUPER)
            for reason in reasons:
                self.report(s, p, o, f"range: {reason}")
        for s, p, o in g.triples((None, RDF.type, OWL.ReflexiveProperty)):
            self.report(s, p, o, "reflexive properties are not allowed in OWL 2 RL")
        for s, p, o in g.triples((None, OWL.disjointUnionOf, None)):
            self.report(s, p, o, "a disjoint union (owl:disjointUnionOf) is not allowed in OWL 2 RL")
        for s, p, o in g.triples((None, RDF.type, OWL.InverseFunctionalProperty)):
            if self.is_data_property(s):
                self.report(s, p, o, "a datatype property cannot be inverse-functional in OWL 2")
        for s, p, o in g.triples((None, RDF.type, OWL.ObjectProperty)):
            if self.is_data_property(s):
                self.report(s, p, o, "a property cannot be both an object and a datatype property in OWL 2 DL")

    def check_reserved_vocabulary(self) -> None:
        g = self.graph
        for triple in g:
            for term in triple:
                if isinstance(term, URIRef) and str(term).startswith(_RESERVED_NAMESPACES) and term not in _BUILT_IN:
                    self.report(*triple, f"{self.show(term)} is not a term of the reserved RDF/RDFS/OWL/XSD vocabulary")
        for predicate in _AXIOM_PREDICATES:
            for s, p, o in g.triples((None, predicate, None)):
                if isinstance(s, URIRef) and str(s).startswith(_RESERVED_NAMESPACES):
                    self.report(s, p, o, f"the built-in term {self.show(s)} may not be redefined")


def owl2rl_violations(graph: Graph) -> list[str]:
    """The triples of ``graph`` that break the OWL 2 RL profile, each with the rule it breaks.

    A syntactic check of the constructs Turtle ontologies use: class expressions in subclass,
    superclass and equivalent-class positions (domains, ranges, disjointness, keys and class
    assertions included), restrictions and their cardinalities, data ranges and the RL datatype
    map, property characteristics outside RL, and misuse of the reserved vocabulary. Returns a
    sorted list of messages; empty when the graph is within the profile.
    """
    checker = _Checker(graph)
    checker.check_class_axioms()
    checker.check_property_axioms()
    checker.check_reserved_vocabulary()
    return sorted(checker.violations)
