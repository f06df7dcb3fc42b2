"""Validation: SHACL shapes (pyshacl) and quality-check queries (pyoxigraph) over a graph.

Shapes use SHACL Core only; rules Core cannot express (a span's quote must be the document's
text at its offsets) are the quality-check queries in ``queries/qc/``, each returning the rows
that break its rule. Both kinds of result are reported alike, with the source text of the
offending node where it came from a document. The quality checks run where the graph is
stored (a build runs them on its staged generation), not on a copy.

Two validators give the same results: pyshacl on a whole graph in memory (:func:`validate`,
the reference), and the compiled shapes of :mod:`graph.shacl` node by node, which a streaming
build runs per document and on the staged store (:func:`report`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Protocol

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.query import Result, ResultRow
from rdflib.term import Node

from .errors import QuerySyntaxError, ShapeError
from .namespaces import AK, PREFIXES
from .ontology import qc_queries
from .shacl import Description, Violation
from .sparql import bind_rows


class ReportFormat(StrEnum):
    HUMAN = "human"
    TURTLE = "turtle"
    JSON = "json"


@dataclass(frozen=True)
class SourceQuote:
    """Where a node came from: a file, character offsets and the exact text there."""

    file: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class ValidationResult:
    """One violation: which shape or check, on which node, of which constraint, and why."""

    shape: str
    focus: str
    constraint: str
    message: str
    path: str | None = None
    value: str | None = None
    sources: tuple[SourceQuote, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: tuple[ValidationResult, ...]
    shacl_report: Graph

    def render(self, report_format: ReportFormat) -> str:
        if report_format is ReportFormat.TURTLE:
            for prefix, namespace in PREFIXES.items():
                self.shacl_report.bind(prefix, namespace)
            return self.shacl_report.serialize(format="turtle")
        if report_format is ReportFormat.JSON:
            return json.dumps({"conforms": self.conforms, "results": [asdict(r) for r in self.results]}, indent=2)
        return self._human()

    def _human(self) -> str:
        if self.conforms:
            return "The graph conforms to the shapes and passes every quality check."
        by_shape: dict[str, list[ValidationResult]] = defaultdict(list)
        for result in self.results:
            by_shape[result.shape].append(result)
        lines = [f"{len(self.results)} violation(s) of {len(by_shape)} shape(s) or check(s):"]
        for shape in sorted(by_shape):
            results = by_shape[shape]
            lines.append(f"\n{shape} ({len(results)})")
            for r in results:
                path = f" on {r.path}" if r.path else ""
                lines.append(f"  - {r.focus}{path}: {r.message} [{r.constraint}]")
                if r.value is not None:
                    lines.append(f"      value: {r.value}")
                for source in r.sources:
                    lines.append(f"      from {source.file} [{source.start}:{source.end}]: {source.quote!r}")
        return "\n".join(lines)


def _namespaces() -> NamespaceManager:
    names = NamespaceManager(Graph(bind_namespaces="none"))
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace, override=True, replace=True)
    return names


_NAMES = _namespaces()


def _short(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return _NAMES.normalizeUri(node)
    if isinstance(node, BNode):
        return "(blank node)"
    return str(node)


class GraphNodes:
    """A whole rdflib graph as a :class:`~graph.shacl.Description`."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def values(self, node: Node, predicate: Node) -> set[Node]:
        return set(self.graph.objects(node, predicate))

    def types(self, node: Node) -> set[Node]:
        return self.values(node, RDF.type)


def _one(description: Description, node: Node, predicate: Node) -> Node | None:
    return min(description.values(node, predicate), key=str, default=None)


def _sources(data: Description, node: Node) -> tuple[SourceQuote, ...]:
    spans = [node] if AK.Span in data.types(node) else []
    spans += sorted(data.values(node, AK.span), key=str) + sorted(data.values(node, AK.mention), key=str)
    quotes = []
    for span in spans[:3]:
        document = _one(data, span, AK.document)
        start, end, quote = (_one(data, span, p) for p in (AK.start, AK.end, AK.quote))
        file = _one(data, document, AK.fileName) if document is not None else None
        if isinstance(start, Literal) and isinstance(end, Literal):
            quotes.append(SourceQuote(str(file or document), int(start), int(end), str(quote or "")))
    return tuple(quotes)


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """A shape's name; an anonymous property shape is named by the node shape holding it."""
    if isinstance(shape, BNode):
        owner = shapes.value(None, SH.property, shape)
        if owner is not None:
            return _short(owner) or "(anonymous shape)"
    return _short(shape) or "(anonymous shape)"


def _sorted(results: list[ValidationResult]) -> list[ValidationResult]:
    return sorted(results, key=lambda r: (r.shape, r.focus, r.constraint, r.path or "", r.value or ""))


def _shacl_results(data: Description, shapes: Graph, report: Graph) -> list[ValidationResult]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        results.append(
            ValidationResult(
                shape=_shape_name(shapes, report.value(node, SH.sourceShape)),
                focus=_short(focus) or "?",
                constraint=_short(report.value(node, SH.sourceConstraintComponent)) or "?",
                message=str(report.value(node, SH.resultMessage) or "constraint violated"),
                path=_short(report.value(node, SH.resultPath)),
                value=_short(report.value(node, SH.value)),
                sources=_sources(data, focus) if focus is not None else (),
            )
        )
    return _sorted(results)


class Queryable(Protocol):
    """Where a query runs: a store, or a staged graph not yet committed."""

    def query(self, sparql: str) -> Result: ...


@dataclass(frozen=True)
class QualityResult:
    """One row of a quality check: the check, the node it is about, and why."""

    check: str
    focus: Node
    message: str

    def result(self, data: Description) -> ValidationResult:
        return ValidationResult(
            shape=f"qc:{self.check}",
            focus=_short(self.focus) or "?",
            constraint="quality check",
            message=self.message,
            sources=_sources(data, self.focus),
        )


def run_quality_checks(store: Queryable, *, only: Collection[URIRef] | None = None) -> list[QualityResult]:
    """Run every ``queries/qc`` query on ``store`` (default graph = union); one result per row.
    With ``only``, the rows about those nodes (their ``?focus``)."""
    results: list[QualityResult] = []
    if only is not None and not only:
        return results
    for name, text in sorted(qc_queries().items()):
        if only is not None:
            text = bind_rows(text, "focus", sorted(only, key=str))
        try:
            rows = store.query(text)
        except QuerySyntaxError as exc:
            raise ShapeError(f"quality check {name} does not parse: {exc}") from exc
        for row in rows:
            assert isinstance(row, ResultRow)
            focus = row["focus"]
            focus_node: Node = focus if isinstance(focus, URIRef) else Literal(str(focus))
            message = row.get("message")
            results.append(QualityResult(name, focus_node, str(message) if message is not None else name))
    return results


def validate(data: Graph, *, ontology: Graph, shapes: Graph, store: Queryable) -> ValidationReport:
    """Validate ``data`` (asserted + inferred triples) against the shapes and quality checks.

    pyshacl validates ``data`` in place: the ontology's triples are added to it, no copy is made.
    ``store`` holds the same triples for the quality-check queries (pyoxigraph's engine is much
    faster than rdflib's on them): the store itself, or the staged graph of a build.
    """
    for prefix, namespace in PREFIXES.items():
        data.namespace_manager.bind(prefix, namespace, override=True, replace=True)
    try:
        shacl_conforms, report, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            inplace=True,
            abort_on_first=False,
            allow_warnings=True,
        )
    except Exception as exc:  # pyshacl raises its own and plain exceptions on broken shapes
        raise ShapeError(f"SHACL validation could not run: {exc}") from exc
    assert isinstance(report, Graph)
    nodes = GraphNodes(data)
    quality = [q.result(nodes) for q in run_quality_checks(store)]
    return ValidationReport(
        conforms=bool(shacl_conforms) and not quality,
        results=tuple(_shacl_results(nodes, shapes, report) + quality),
        shacl_report=report,
    )


def report(violations: list[Violation], quality: list[QualityResult], *, data: Description) -> ValidationReport:
    """The report of the compiled shapes' ``violations`` and of the quality checks' rows, with
    sources read from ``data``: the same report :func:`validate` gives."""
    graph = Graph()
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    results = []
    for v in violations:
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, v.focus))
        graph.add((node, SH.resultSeverity, SH.Violation))
        graph.add((node, SH.sourceConstraintComponent, v.component))
        for p, o in ((SH.resultPath, v.path), (SH.value, v.value), (SH.resultMessage, v.message)):
            if o is not None:
                graph.add((node, p, o))
        results.append(
            ValidationResult(
                shape=_short(v.named) or "(anonymous shape)",
                focus=_short(v.focus) or "?",
                constraint=_short(v.component) or "?",
                message=str(v.message or "constraint violated"),
                path=_short(v.path),
                value=_short(v.value),
                sources=_sources(data, v.focus),
            )
        )
    graph.add((root, SH.conforms, Literal(not violations)))
    checked = [q.result(data) for q in sorted(quality, key=lambda q: (q.check, str(q.focus), q.message))]
    return ValidationReport(
        conforms=not violations and not quality, results=tuple(_sorted(results) + checked), shacl_report=graph
    )
