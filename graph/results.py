"""Query results, independent of the engine that produced them, and every format they are written in.

:class:`Answer` is what a query gives: rows of :class:`Cell` (SELECT), a boolean (ASK) or
N-Triples (CONSTRUCT, DESCRIBE). pyoxigraph's and rdflib's results are both read into it
(:func:`answer_from_ox`, :func:`answer_from_rdflib`), so the CLI and the server hold one model.

The writers are shared too: :func:`serialize_results` writes the SPARQL 1.1 results formats of
:data:`RESULT_FORMATS` (JSON, XML, CSV, TSV), :func:`serialize_graph` the RDF formats of
:data:`GRAPH_FORMATS` (Turtle, N-Triples, JSON-LD, RDF/XML). The server picks one by content
negotiation; the CLI by ``--format`` (:func:`write_result`), plus its own table of
:func:`rows`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node

from .namespaces import PREFIXES

PREFIX_IRIS: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
"""The project's prefixes as plain strings (prefix -> namespace IRI)."""


class Form(StrEnum):
    """What a query returns."""

    SELECT = "SELECT"
    ASK = "ASK"
    GRAPH = "GRAPH"  # CONSTRUCT and DESCRIBE


class TermKind(StrEnum):
    """The kinds of RDF term, named as in the SPARQL JSON results format."""

    URI = "uri"
    BNODE = "bnode"
    LITERAL = "literal"
    TRIPLE = "triple"


@dataclass(frozen=True)
class Cell:
    """One RDF term of a result, independent of the library that produced it."""

    kind: TermKind
    value: str
    datatype: str | None = None
    language: str | None = None


Row = tuple[Cell | None, ...]


@dataclass(frozen=True)
class Answer:
    """The result of a query: rows (SELECT), a boolean (ASK) or N-Triples (CONSTRUCT, DESCRIBE)."""

    form: Form
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool = False
    ntriples: bytes = b""
    truncated: bool = False

    def records(self) -> list[dict[str, Cell]]:
        """The rows as variable -> cell mappings (unbound variables left out)."""
        return [{v: c for v, c in zip(self.variables, row, strict=True) if c is not None} for row in self.rows]

    def columns(self, kept: Iterable[str]) -> Answer:
        """A SELECT answer with only the variables ``kept``, in that order."""
        indexes = [self.variables.index(c) for c in kept]
        return Answer(
            Form.SELECT,
            tuple(self.variables[i] for i in indexes),
            tuple(tuple(row[i] for i in indexes) for row in self.rows),
            truncated=self.truncated,
        )


# -- from and to the RDF libraries ----------------------------------------------------------

_STRING_TYPES = {str(XSD.string), str(RDF.langString)}


def ox_cell(term: object) -> Cell:
    """A pyoxigraph term as a cell."""
    if isinstance(term, ox.NamedNode):
        return Cell(TermKind.URI, term.value)
    if isinstance(term, ox.BlankNode):
        return Cell(TermKind.BNODE, term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return Cell(TermKind.LITERAL, term.value, None if datatype in _STRING_TYPES else datatype, term.language)
    return Cell(TermKind.TRIPLE, str(term))


def rdflib_cell(term: Node) -> Cell:
    """An rdflib term as a cell."""
    if isinstance(term, URIRef):
        return Cell(TermKind.URI, str(term))
    if isinstance(term, BNode):
        return Cell(TermKind.BNODE, str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return Cell(TermKind.LITERAL, str(term), None if datatype in _STRING_TYPES else datatype, term.language)
    return Cell(TermKind.TRIPLE, str(term))


def ox_term(cell: Cell) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A cell as a pyoxigraph term."""
    if cell.kind == TermKind.URI:
        return ox.NamedNode(cell.value)
    if cell.kind == TermKind.BNODE:
        return ox.BlankNode(cell.value)
    if cell.language:
        return ox.Literal(cell.value, language=cell.language)
    return ox.Literal(cell.value, datatype=ox.NamedNode(cell.datatype) if cell.datatype else None)


def rdflib_term(cell: Cell) -> Identifier:
    """A cell as an rdflib term."""
    if cell.kind == TermKind.URI:
        return URIRef(cell.value)
    if cell.kind == TermKind.BNODE:
        return BNode(cell.value)
    return Literal(cell.value, lang=cell.language, datatype=URIRef(cell.datatype) if cell.datatype else None)


def answer_from_ox(results: object, max_rows: int) -> Answer:
    """pyoxigraph query results read into an answer of at most ``max_rows`` rows (or triples)."""
    if isinstance(results, ox.QueryBoolean):
        return Answer(Form.ASK, boolean=bool(results))
    if isinstance(results, ox.QuerySolutions):
        variables = tuple(v.value for v in results.variables)
        rows: list[Row] = []
        for solution in results:
            if len(rows) == max_rows:
                return Answer(Form.SELECT, variables, tuple(rows), truncated=True)
            rows.append(tuple(None if solution[v] is None else ox_cell(solution[v]) for v in variables))
        return Answer(Form.SELECT, variables, tuple(rows))
    assert isinstance(results, ox.QueryTriples)
    triples: list[ox.Triple] = []
    for triple in results:
        if len(triples) == max_rows:
            break
        triples.append(triple)
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Answer(Form.GRAPH, ntriples=ntriples, truncated=len(triples) == max_rows and next(results, None) is not None)


def answer_from_rdflib(result: Result, max_rows: int | None = None) -> Answer:
    """An rdflib query result read into an answer, of at most ``max_rows`` rows (or triples) when given."""
    if result.type == "ASK":
        return Answer(Form.ASK, boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        variables = tuple(str(v) for v in result.vars or [])
        rows = tuple(
            tuple(None if row.get(v) is None else rdflib_cell(row[v]) for v in result.vars or [])
            for row in result.bindings[:max_rows]
        )
        return Answer(Form.SELECT, variables, rows, truncated=len(result.bindings) > len(rows))
    graph = result.graph
    assert graph is not None
    triples = list(graph)
    kept = Graph()
    for triple in triples[:max_rows]:
        kept.add(triple)
    ntriples = kept.serialize(format="nt", encoding="utf-8")
    return Answer(Form.GRAPH, ntriples=ntriples, truncated=len(triples) > len(kept))


# -- formats -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaFormat:
    """A format an answer can be written in, with the names ``format=`` and ``--format`` accept."""

    media_type: str
    names: tuple[str, ...]
    graph: bool  # an RDF graph format (CONSTRUCT, DESCRIBE) rather than a results format
    label: str


RESULT_FORMATS = (
    MediaFormat("application/sparql-results+json", ("json", "srj", "application/json"), False, "JSON"),
    MediaFormat("application/sparql-results+xml", ("xml", "srx"), False, "XML"),
    MediaFormat("text/csv", ("csv",), False, "CSV"),
    MediaFormat("text/tab-separated-values", ("tsv",), False, "TSV"),
)
GRAPH_FORMATS = (
    MediaFormat("text/turtle", ("turtle", "ttl"), True, "Turtle"),
    MediaFormat("application/n-triples", ("nt", "ntriples", "n-triples"), True, "N-Triples"),
    MediaFormat("application/ld+json", ("jsonld", "json-ld", "json", "application/json"), True, "JSON-LD"),
    MediaFormat("application/rdf+xml", ("rdfxml", "rdf", "xml"), True, "RDF/XML"),
)
OX_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
"""The pyoxigraph format of each graph media type."""


def formats_for(answer: Answer) -> tuple[MediaFormat, ...]:
    """The formats an answer can be written in."""
    return GRAPH_FORMATS if answer.form is Form.GRAPH else RESULT_FORMATS


def text(cell: Cell | None) -> str:
    """A term as plain text (the SPARQL CSV rule): the IRI, the lexical form, ``_:label``, or empty."""
    if cell is None:
        return ""
    if cell.kind == TermKind.BNODE:
        return f"_:{cell.value}"
    return cell.value


def rows(answer: Answer) -> tuple[list[str], list[list[str]]]:
    """Column names and rows of a SELECT answer as plain text."""
    return list(answer.variables), [[text(c) for c in row] for row in answer.rows]


def _json_term(cell: Cell) -> dict[str, str]:
    if cell.kind == TermKind.LITERAL:
        term = {"type": "literal", "value": cell.value}
        if cell.language:
            term["xml:lang"] = cell.language
        elif cell.datatype:
            term["datatype"] = cell.datatype
        return term
    return {"type": cell.kind, "value": cell.value}


def _xml_term(cell: Cell) -> str:
    if cell.kind == TermKind.LITERAL:
        if cell.language:
            return f"<literal xml:lang={quoteattr(cell.language)}>{escape(cell.value)}</literal>"
        if cell.datatype:
            return f"<literal datatype={quoteattr(cell.datatype)}>{escape(cell.value)}</literal>"
        return f"<literal>{escape(cell.value)}</literal>"
    return f"<{cell.kind}>{escape(cell.value)}</{cell.kind}>"


def _nt_term(cell: Cell) -> str:
    """A term in N-Triples syntax (the TSV results format)."""
    if cell.kind == TermKind.TRIPLE:
        return cell.value
    return str(ox_term(cell))


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


def _json_results(answer: Answer) -> bytes:
    if answer.form is Form.ASK:
        return json.dumps({"head": {}, "boolean": answer.boolean}).encode()
    bindings = [{v: _json_term(c) for v, c in record.items()} for record in answer.records()]
    document = {"head": {"vars": list(answer.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode()


def _xml_results(answer: Answer) -> bytes:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in answer.variables)
    if answer.form is Form.ASK:
        body = f"<boolean>{str(answer.boolean).lower()}</boolean>"
    else:
        results = "".join(
            "<result>"
            + "".join(f"<binding name={quoteattr(v)}>{_xml_term(c)}</binding>" for v, c in record.items())
            + "</result>"
            for record in answer.records()
        )
        body = f"<results>{results}</results>"
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head>{head}</head>{body}</sparql>\n"
    ).encode()


def serialize_results(answer: Answer, media: MediaFormat) -> bytes:
    """A SELECT or ASK answer in one of :data:`RESULT_FORMATS`."""
    if media.media_type == "application/sparql-results+json":
        return _json_results(answer)
    if media.media_type == "application/sparql-results+xml":
        return _xml_results(answer)
    if answer.form is Form.ASK:
        return f"{str(answer.boolean).lower()}\n".encode()
    if media.media_type == "text/csv":
        lines = [",".join(_csv_field(v) for v in answer.variables)]
        lines += [",".join(_csv_field(text(c)) for c in row) for row in answer.rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if c is None else _nt_term(c) for c in row) for row in answer.rows]
    return ("\n".join(lines) + "\n").encode()


def _used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    iris = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    return {p: ns for p, ns in PREFIX_IRIS.items() if any(iri.startswith(ns) for iri in iris)}


def serialize_graph(ntriples: bytes, media: MediaFormat) -> bytes:
    """N-Triples re-serialised in one of :data:`GRAPH_FORMATS`: sorted by subject, with the prefixes it uses."""
    triples = sorted((quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)), key=str)
    prefixes = _used_prefixes(triples) if media.media_type in {"text/turtle", "application/rdf+xml"} else None
    return ox.serialize(triples, format=OX_FORMATS[media.media_type], prefixes=prefixes) or b""


def serialize(answer: Answer, media: MediaFormat) -> bytes:
    """An answer in ``media``, one of :func:`formats_for` it."""
    return serialize_graph(answer.ntriples, media) if answer.form is Form.GRAPH else serialize_results(answer, media)


class ResultFormat(StrEnum):
    """The output formats of the CLI: a table drawn on the terminal, or a results format."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


def write_result(answer: Answer, result_format: ResultFormat) -> str:
    """An answer as CSV, TSV or JSON text (a graph as JSON-LD, or Turtle); the CLI draws TABLE itself."""
    formats = formats_for(answer)
    name = "json" if result_format is ResultFormat.JSON else result_format.value
    if answer.form is Form.GRAPH and result_format is not ResultFormat.JSON:
        name = "turtle"
    media = next(f for f in formats if name in f.names)
    return serialize(answer, media).decode("utf-8")
