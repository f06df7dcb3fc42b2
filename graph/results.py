"""Query results, independent of the engine that produced them, and every format they are written in.

:class:`Answer` is what a query gives: rows of :class:`Cell` (SELECT), a boolean (ASK) or
N-Triples (CONSTRUCT, DESCRIBE). pyoxigraph's and rdflib's results are both read into it
(:func:`answer_from_ox`, :func:`answer_from_rdflib`), so the CLI and the server hold one model.

Every format is written by pyoxigraph's writers: :func:`serialize_results` writes an answer in
the SPARQL 1.1 results formats of :data:`RESULT_FORMATS` (JSON, XML, CSV, TSV),
:func:`serialize_graph` in the RDF formats of :data:`GRAPH_FORMATS` (Turtle, N-Triples,
JSON-LD, RDF/XML), and :func:`write_ox` writes pyoxigraph's own results without reading them
into an answer first (what the server's query workers send). The server picks a format by content
negotiation; the CLI by ``--format`` (:func:`write_result`), plus its own table of :func:`rows`.
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

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
OX_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
"""The pyoxigraph format of each results media type."""


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


def _nt_term(cell: Cell) -> str:
    """A term in N-Triples syntax (the TSV results format)."""
    if cell.kind == TermKind.TRIPLE:
        return f"<<( {cell.value} )>>"
    return str(ox_term(cell))


def _tsv(answer: Answer) -> bytes:
    """A SELECT or ASK answer in the TSV results format (a boolean as ``true`` or ``false``)."""
    if answer.form is Form.ASK:
        return str(answer.boolean).lower().encode()
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if c is None else _nt_term(c) for c in row) for row in answer.rows]
    return ("\n".join(lines) + "\n").encode()


def serialize_results(answer: Answer, media: MediaFormat) -> bytes:
    """A SELECT or ASK answer in one of :data:`RESULT_FORMATS`, written by pyoxigraph's writers.

    The answer reaches them as TSV (one line per row, every term in N-Triples syntax), the one
    results format written here.
    """
    tsv = _tsv(answer)
    run = functools.partial(ox.parse_query_results, tsv, format=ox.QueryResultsFormat.TSV)
    return write_ox(run, media, max_rows=len(answer.rows), bounded=True).body


class _OutputFullError(Exception):
    """Raised into a pyoxigraph writer to stop it: the output holds all it may."""


class _Lines(io.BytesIO):
    """An output for pyoxigraph's writers keeping its first ``lines`` lines, that stops the writer when more follow."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self._lines = lines
        self.cut = False
        """Whether the writer had more to write than was kept."""

    def write(self, data: bytes | bytearray | memoryview, /) -> int:  # type: ignore[override]
        chunk = bytes(data)
        if not chunk:
            return 0
        if self._lines == 0:
            self.cut = True
            raise _OutputFullError
        newlines = chunk.count(b"\n")
        if newlines < self._lines:
            self._lines -= newlines
            return super().write(chunk)
        end = -1
        for _ in range(self._lines):
            end = chunk.index(b"\n", end + 1)
        super().write(chunk[: end + 1])
        self._lines = 0
        if end + 1 < len(chunk):
            self.cut = True
            raise _OutputFullError
        return len(chunk)


class _Rows(io.BytesIO):
    """An output for pyoxigraph's writers that counts a ``mark`` written at each boundary between rows (and
    perhaps inside a value), and stops the writer once it has counted more than ``most``."""

    def __init__(self, mark: bytes, most: int) -> None:
        super().__init__()
        self._mark = mark
        self._left = most
        self._tail = b""
        self.cut = False
        """Whether the writer was stopped."""

    def write(self, data: bytes | bytearray | memoryview, /) -> int:  # type: ignore[override]
        chunk = self._tail + bytes(data)  # a mark may straddle two writes
        self._left -= chunk.count(self._mark)
        self._tail = chunk[len(chunk) - len(self._mark) + 1 :]
        if self._left < 0:
            self.cut = True
            raise _OutputFullError
        return super().write(data)


def _kept(write: Callable[[_Lines | _Rows], object], output: _Lines | _Rows) -> tuple[bytes, bool]:
    """What ``write`` writes into ``output``, as far as it lets it, and whether the writer was stopped."""
    with contextlib.suppress(_OutputFullError):
        write(output)
    return output.getvalue(), output.cut


def _tsv_columns(tsv: bytes, variables: Sequence[str], columns: Sequence[str]) -> bytes:
    """TSV results with only ``columns``, in that order (a tab inside a term is escaped in TSV)."""
    indexes = [list(variables).index(c) for c in columns]
    lines = tsv.split(b"\n")[:-1]
    kept = [b"\t".join(fields[i] for i in indexes) for fields in (line.split(b"\t") for line in lines)]
    return b"\n".join(kept) + b"\n"


@dataclass(frozen=True)
class Written:
    """An answer written for a client: its media type, its bytes, and whether it was cut at the row limit."""

    media_type: str
    body: bytes
    truncated: bool = False


_ROW_MARKS = {
    "application/sparql-results+json": (b"},{", 1),
    "application/sparql-results+xml": (b"<result>", 0),
    "text/csv": (b"\r\n", -1),
}
"""A mark written between two rows in each results format (JSON), at each row (XML), or at the end of
each line (CSV, its header included), and how many rows at most a writing holds beyond the marks it
holds. Inside a value the mark is escaped (XML) or may be written (JSON, CSV): the marks count the
rows exactly or too many, never too few."""


_LINES = ("text/csv", "text/tab-separated-values")
"""The results formats of lines: a boolean written in one ends its line, as a row does."""


def write_ox(
    run: Callable[[], object],
    media: MediaFormat,
    *,
    max_rows: int,
    columns: Sequence[str] | None = None,
    bounded: bool = False,
) -> Written:
    """The results of a query (``run`` runs it on pyoxigraph) written by pyoxigraph in ``media``, at
    most ``max_rows`` rows or triples.

    Solutions are written straight into ``media`` when all the columns are kept and the query
    cannot give more than ``max_rows`` rows: its own LIMIT says so (``bounded``), or the marks
    between its rows, counted as they are written, stay within the limit (:data:`_ROW_MARKS`; the
    writing stops as soon as they do not). Otherwise they are written as TSV, one line per row,
    cut after ``max_rows`` rows (the query stops there, and is run a second time when a first
    writing was stopped), cut to ``columns`` when given, and rewritten in ``media``. Triples are
    written as N-Triples, cut after ``max_rows``, and rewritten sorted by subject with the prefixes
    they use (:func:`serialize_graph`).
    """
    results = run()
    kind = media.media_type
    if isinstance(results, ox.QueryBoolean):
        boolean = results.serialize(format=OX_RESULTS[kind]) or b""
        return Written(kind, boolean + b"\n" if kind in _LINES else boolean)
    if isinstance(results, ox.QueryTriples):
        triples = results
        ntriples, cut = _kept(lambda out: triples.serialize(out, format=ox.RdfFormat.N_TRIPLES), _Lines(max_rows))
        return Written(kind, serialize_graph(ntriples, media), cut)
    assert isinstance(results, ox.QuerySolutions)
    if columns is None and kind in _ROW_MARKS:
        direct = results
        if bounded:
            return Written(kind, direct.serialize(format=OX_RESULTS[kind]) or b"")
        mark, beyond = _ROW_MARKS[kind]
        body, cut = _kept(lambda out: direct.serialize(out, format=OX_RESULTS[kind]), _Rows(mark, max_rows - beyond))
        if not cut:
            return Written(kind, body)
        results = run()
        assert isinstance(results, ox.QuerySolutions)
    solutions = results
    variables = [v.value for v in solutions.variables]
    tsv, cut = _kept(lambda out: solutions.serialize(out, format=ox.QueryResultsFormat.TSV), _Lines(max_rows + 1))
    if columns is not None:
        tsv = _tsv_columns(tsv, variables, columns)
    if kind != "text/tab-separated-values":
        tsv = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=OX_RESULTS[kind]) or b""
    return Written(kind, tsv, cut)


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
