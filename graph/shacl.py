"""The shapes compiled: SHACL Core validation of one focus node at a time, as pyshacl does it.

pyshacl validates a whole rdflib graph in memory, and most of its time goes to finding each
focus node's values in that graph. :class:`Shapes` evaluates the same constraint components with
the same semantics (pyshacl's, where SHACL leaves a choice: how literals compare, what counts as
a string, which datatypes are checked) on whatever can describe a node: the triples of one
document while the build streams it, or the staged store for the nodes several documents
describe. It implements the components ``ontology/shapes.ttl`` uses and refuses a shapes graph
using any other, naming it; a test checks that it reports what pyshacl reports on fixtures
breaking every shape.

Evaluating a node reads the descriptions of other nodes too (the classes of its values, the
values along a sequence path). :class:`Reads` collects the reads whose answer could change if
another document described that node as well, so a build knows which nodes a document alone
cannot decide (a class found stays found; a class not found, or a count, may not).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Protocol

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .errors import ShapeError

_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
}
"""The constraint parameters implemented, and the component each belongs to."""
_STRUCTURE = frozenset({RDF.type, SH.path, SH.property, SH.message, SH.targetClass, SH.flags, RDFS.comment, RDFS.label})
_DATATYPE_VALUES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}
"""The Python value a well-formed literal of each datatype has (pyshacl's check; others pass)."""


class Description(Protocol):
    """What the shapes read of the data: a node's values of a property, and its classes."""

    def values(self, node: Node, predicate: Node) -> Collection[Node]: ...

    def types(self, node: Node) -> Collection[Node]: ...


@dataclass(frozen=True)
class Violation:
    """One validation result, as pyshacl reports it."""

    focus: Node
    shape: Node
    """The shape whose constraint is broken (``sh:sourceShape``)."""
    named: Node
    """The node shape it is, or the one holding it (an anonymous property shape is named by it)."""
    component: URIRef
    path: Node | None
    value: Node | None
    message: Literal | None


@dataclass
class Reads:
    """The nodes other than the focus whose description an evaluation read in a way another
    document's triples could change."""

    focus: Node
    nodes: set[Node] = field(default_factory=set)

    def read(self, node: Node) -> None:
        if node != self.focus:
            self.nodes.add(node)


@dataclass
class _Shape:
    node: Node
    named: Node
    path: Node | None
    steps: tuple[Node, ...]
    message: Literal | None
    constraints: list[tuple[URIRef, Node, object]]
    """(parameter, its value as written, its value compiled)."""
    properties: list[_Shape]


class Shapes:
    """The shapes graph compiled, with the class hierarchy of the ontology."""

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self._graph = shapes
        self._superclasses: dict[Node, set[Node]] = {}
        direct: dict[Node, set[Node]] = {}
        for graph in (ontology, shapes):
            for sub, sup in graph.subject_objects(RDFS.subClassOf):
                direct.setdefault(sub, set()).add(sup)
        for cls in direct:
            seen, stack = {cls}, [cls]
            while stack:
                for sup in direct.get(stack.pop(), ()):
                    if sup not in seen:
                        seen.add(sup)
                        stack.append(sup)
            self._superclasses[cls] = seen
        self._compiled: dict[Node, _Shape] = {}
        self._targeting: dict[Node, list[_Shape]] = {}
        self.targets: dict[Node, list[_Shape]] = {}
        for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
            for cls in shapes.objects(node_shape, SH.targetClass):
                self.targets.setdefault(cls, []).append(self._shape(node_shape))
        self.reads: set[Node] = {RDF.type}
        """The predicates (and ``rdf:type``) whose values the validation of a node reads on other nodes."""
        self.depth = max((self._reach(shape, 0) for shapes in self.targets.values() for shape in shapes), default=0)
        """How many links away from a node its validation reads other nodes' descriptions."""

    # -- compiling ----------------------------------------------------------------------------

    def _shape(self, node: Node, named: Node | None = None) -> _Shape:
        if node in self._compiled:
            return self._compiled[node]
        g = self._graph
        path = g.value(node, SH.path)
        steps: tuple[Node, ...] = ()
        if isinstance(path, URIRef):
            steps = (path,)
        elif path is not None:
            steps = tuple(RdfList(g, path))
            if not steps or not all(isinstance(s, URIRef) for s in steps):
                raise ShapeError(f"shape {node}: only predicate and sequence paths are implemented")
        shape = _Shape(node, named or node, path, steps, None, [], [])
        self._compiled[node] = shape
        messages = list(g.objects(node, SH.message))
        shape.message = messages[0] if messages and isinstance(messages[0], Literal) else None
        for p, o in sorted(g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
            if p == SH.property:
                shape.properties.append(self._shape(o, shape.named))
            elif isinstance(p, URIRef) and p in _COMPONENTS:
                shape.constraints.append((p, o, self._parameter(node, p, o)))
            elif p not in _STRUCTURE:
                raise ShapeError(f"shape {node} uses {p}, which the build's validator does not implement")
        return shape

    def _reach(self, shape: _Shape, hops: int) -> int:
        """The farthest hop at which evaluating ``shape`` on a node ``hops`` links away reads a
        description; collects the predicates read away from the focus into :attr:`reads`."""
        for i, step in enumerate(shape.steps):
            if hops + i > 0:
                self.reads.add(step)
        at = hops + len(shape.steps)
        farthest = max(hops, at - 1)
        for parameter, _, compiled in shape.constraints:
            if parameter == SH["class"]:
                farthest = max(farthest, at)
            elif parameter in (SH["or"], SH.xone, SH["not"]):
                members: list[_Shape] = compiled if isinstance(compiled, list) else [compiled]  # type: ignore[list-item]
                farthest = max([farthest, at, *(self._reach(m, at) for m in members)])
        for prop in shape.properties:
            farthest = max(farthest, self._reach(prop, at))
        return farthest

    def _parameter(self, node: Node, p: URIRef, o: Node) -> object:
        g = self._graph
        if p in (SH["or"], SH.xone):
            return [self._shape(member) for member in RdfList(g, o)]
        if p == SH["not"]:
            return self._shape(o)
        if p == SH["in"]:
            return frozenset(RdfList(g, o))
        if p == SH.pattern:
            flags = str(g.value(node, SH.flags) or "").lower()
            return re.compile(str(o), (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0))
        if p in (SH.minCount, SH.maxCount, SH.minLength):
            return int(o) if isinstance(o, Literal) else 0
        return o

    # -- evaluating ---------------------------------------------------------------------------

    def is_instance(self, description: Description, node: Node, cls: Node) -> bool:
        """``node rdf:type/rdfs:subClassOf* cls`` (a literal is an instance of nothing)."""
        if isinstance(node, Literal):
            return False
        return any(t == cls or cls in self._superclasses.get(t, ()) for t in description.types(node))

    def shapes_of(self, description: Description, node: Node) -> list[_Shape]:
        """The node shapes targeting ``node`` through its classes."""
        found: dict[Node, _Shape] = {}
        for t in description.types(node):
            if t not in self._targeting:
                classes = self._superclasses.get(t, set()) | {t}
                self._targeting[t] = [shape for cls in classes for shape in self.targets.get(cls, ())]
            for shape in self._targeting[t]:
                found[shape.node] = shape
        return list(found.values())

    def validate(self, description: Description, node: Node, reads: Reads | None = None) -> list[Violation]:
        """What the shapes targeting ``node`` report on it."""
        reads = reads or Reads(node)
        results: list[Violation] = []
        for shape in self.shapes_of(description, node):
            results += self._evaluate(description, shape, node, reads)
        return results

    def _value_nodes(self, description: Description, shape: _Shape, focus: Node, reads: Reads) -> set[Node]:
        if not shape.steps:
            return {focus}
        nodes = {focus}
        for step in shape.steps:
            following: set[Node] = set()
            for node in nodes:
                reads.read(node)
                following.update(description.values(node, step))
            nodes = following
        return nodes

    def conforms(self, description: Description, shape: _Shape, focus: Node, reads: Reads) -> bool:
        return not self._evaluate(description, shape, focus, reads)

    def _evaluate(self, description: Description, shape: _Shape, focus: Node, reads: Reads) -> list[Violation]:
        values = self._value_nodes(description, shape, focus, reads)
        results: list[Violation] = []

        def report(component: URIRef, value: Node | None) -> None:
            results.append(Violation(focus, shape.node, shape.named, component, shape.path, value, shape.message))

        for parameter, written, compiled in shape.constraints:
            component = _COMPONENTS[parameter]
            for value in self._broken(description, parameter, written, compiled, focus, values, reads):
                report(component, value)
        for prop in shape.properties:
            results += self._evaluate(description, prop, focus, reads)
        return results

    def _broken(
        self,
        description: Description,
        parameter: URIRef,
        written: Node,
        compiled: object,
        focus: Node,
        values: set[Node],
        reads: Reads,
    ) -> Iterable[Node | None]:
        """The values breaking one constraint (``None`` for a result with no ``sh:value``)."""
        if parameter == SH.minCount:
            return [None] if len(values) < int(compiled) else []  # type: ignore[call-overload]
        if parameter == SH.maxCount:
            return [None] if len(values) > int(compiled) else []  # type: ignore[call-overload]
        if parameter == SH.hasValue:
            return [] if written in values else [None]
        if parameter in (SH.lessThan, SH.lessThanOrEquals, SH.equals):
            others = set(description.values(focus, written))
            if parameter == SH.equals:
                return sorted(values ^ others, key=str)
            strict = parameter == SH.lessThan
            return [v for v in values for w in others if not _ordered(v, w, strict=strict)]
        if parameter == SH["class"]:
            broken = []
            for v in values:
                if not self.is_instance(description, v, written):
                    reads.read(v)
                    broken.append(v)
            return broken
        if parameter in (SH["or"], SH.xone, SH["not"]):
            members: Sequence[_Shape] = compiled if isinstance(compiled, list) else [compiled]  # type: ignore[list-item]
            broken = []
            for v in values:
                if parameter == SH["or"]:
                    ok = any(self.conforms(description, m, v, reads) for m in members)
                elif parameter == SH.xone:
                    ok = sum(self.conforms(description, m, v, reads) for m in members) == 1
                else:
                    ok = not self.conforms(description, members[0], v, reads)
                if not ok:
                    broken.append(v)
            return broken
        return [v for v in values if not _value_conforms(parameter, written, compiled, v)]


def _value_conforms(parameter: URIRef, written: Node, compiled: object, v: Node) -> bool:
    """The value-by-value components, as pyshacl evaluates them."""
    if parameter == SH.datatype:
        return _has_datatype(v, written)
    if parameter == SH["in"]:
        return v in compiled  # type: ignore[operator]
    if parameter in (SH.minLength, SH.pattern):
        if isinstance(v, BNode):
            return False
        text = (
            str(v.value)
            if isinstance(v, Literal)
            and v.value is not None
            and v.datatype
            in (
                None,
                RDF.langString,
                XSD.string,
            )
            else str(v)
        )
        if parameter == SH.minLength:
            return bool(len(text) >= int(compiled))  # type: ignore[call-overload]
        return bool(compiled.match(text))  # type: ignore[attr-defined]
    if parameter in (SH.minInclusive, SH.maxInclusive):
        if not isinstance(v, Literal) or not isinstance(written, Literal):
            return False
        if isinstance(written.value, str) != isinstance(v.value, str):
            return False
        try:
            order = compare_literal(v, written)  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False
        return bool(order >= 0) if parameter == SH.minInclusive else bool(order <= 0)
    raise ShapeError(f"{parameter} is not a value constraint")  # unreachable: _COMPONENTS lists them


def _has_datatype(v: Node, datatype: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == datatype:
        return not getattr(v, "ill_typed", False) and _well_formed(v, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return _well_formed(v, datatype)
    if datatype == RDF.langString and v.language:
        return _well_formed(v, datatype)
    return False


def _well_formed(v: Literal, datatype: Node) -> bool:
    expected = _DATATYPE_VALUES.get(datatype)  # type: ignore[call-overload]
    if expected is None:
        return True
    return isinstance(v.value, expected)


def _ordered(v: Node, w: Node, *, strict: bool) -> bool:
    """``v < w`` (or ``<=``) as pyshacl compares the values of two properties."""
    if isinstance(v, BNode) or isinstance(w, BNode):
        raise ShapeError("sh:lessThan and sh:lessThanOrEquals cannot compare blank nodes")
    a, b = _comparable(v), _comparable(w)
    if isinstance(a, str) != isinstance(b, str):
        return False
    return bool(a < b) if strict else bool(a <= b)  # type: ignore[operator]


def _comparable(node: Node) -> object:
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value
    return node


class GraphDescription:
    """A node's values and classes in an in-memory index of triples (one document's, say)."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]], ontology: Graph | None = None) -> None:
        self.index: dict[Node, dict[Node, set[Node]]] = {}
        for graph_triples in (triples, ontology.triples((None, RDF.type, None)) if ontology is not None else ()):
            for s, p, o in graph_triples:
                self.index.setdefault(s, {}).setdefault(p, set()).add(o)

    def values(self, node: Node, predicate: Node) -> Collection[Node]:
        return self.index.get(node, {}).get(predicate, ())

    def types(self, node: Node) -> Collection[Node]:
        return self.values(node, RDF.type)
