"""Validation: SHACL shapes (pyshacl) and quality-check queries (pyoxigraph) over a graph.

Shapes use SHACL Core only; rules Core cannot express (a span's quote must be the document's
text at its offsets) are the quality-check queries in ``queries/qc/``, each returning the rows
that break its rule. Both kinds of result are reported alike, with the source text of the
offending node where it came from a document. The quality checks run where the graph is
stored (a build runs them on its staged generation), not on a copy.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Protocol

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.query import Result, ResultRow
from rdflib.term import Node

from .errors import QuerySyntaxError, ShapeError
from .namespaces import AK, PREFIXES
from .ontology import qc_queries


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
            return json.dumps(
                {"conforms": self.conforms, "results": [asdict(r) for r in self.results]}, indent=2
            )
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


def _short(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    if isinstance(node, BNode):
        return "(blank node)"
    return str(node)


def _sources(data: Graph, node: Node) -> tuple[SourceQuote, ...]:
    spans = [node] if (node, RDF.type, AK.Span) in data else []
    spans += list(data.objects(node, AK.span)) + list(data.objects(node, AK.mention))
    quotes = []
    for span in spans[:3]:
        document = data.value(span, AK.document)
        start, end, quote = (data.value(span, p) for p in (AK.start, AK.end, AK.quote))
        file = data.value(document, AK.fileName) if document is not None else None
        if isinstance(start, Literal) and isinstance(end, Literal):
            quotes.append(SourceQuote(str(file or document), int(start), int(end), str(quote or "")))
    return tuple(quotes)


def _shape_name(data: Graph, shapes: Graph, shape: Node | None) -> str:
    """A shape's name; an anonymous property shape is named by the node shape holding it."""
    if isinstance(shape, BNode):
        owner = shapes.value(None, SH.property, shape)
        if owner is not None:
            return _short(data, owner) or "(anonymous shape)"
    return _short(data, shape) or "(anonymous shape)"


def _shacl_results(data: Graph, shapes: Graph, report: Graph) -> list[ValidationResult]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        results.append(
            ValidationResult(
                shape=_shape_name(data, shapes, report.value(node, SH.sourceShape)),
                focus=_short(data, focus) or "?",
                constraint=_short(data, report.value(node, SH.sourceConstraintComponent)) or "?",
                message=str(report.value(node, SH.resultMessage) or "constraint violated"),
                path=_short(data, report.value(node, SH.resultPath)),
                value=_short(data, report.value(node, SH.value)),
                sources=_sources(data, focus) if focus is not None else (),
            )
        )
    return sorted(results, key=lambda r: (r.shape, r.focus, r.constraint, r.path or ""))


class Queryable(Protocol):
    """Where the quality checks run: a store, or a staged graph not yet committed."""

    def query(self, sparql: str) -> Result: ...


def run_quality_checks(store: Queryable, data: Graph) -> list[ValidationResult]:
    """Run every ``queries/qc`` query on ``store`` (default graph = union); one result per row."""
    results = []
    for name, text in sorted(qc_queries().items()):
        try:
            rows = store.query(text)
        except QuerySyntaxError as exc:
            raise ShapeError(f"quality check {name} does not parse: {exc}") from exc
        for row in rows:
            assert isinstance(row, ResultRow)
            focus = row["focus"]
            focus_node: Node = focus if isinstance(focus, URIRef) else Literal(str(focus))
            message = row.get("message")
            results.append(
                ValidationResult(
                    shape=f"qc:{name}",
                    focus=_short(data, focus_node) or "?",
                    constraint="quality check",
                    message=str(message) if message is not None else name,
                    sources=_sources(data, focus_node),
                )
            )
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
    quality = run_quality_checks(store, data)
    return ValidationReport(
        conforms=bool(shacl_conforms) and not quality,
        results=tuple(_shacl_results(data, shapes, report) + quality),
        shacl_report=report,
    )

