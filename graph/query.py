"""Named queries (``queries/*.rq``) and the formats query results are written in.

Each named query starts with a header the CLI and the endpoint list it from::

    #+ summary: Who held a post on a date
    #+ description: Every holding of the post whose name matches, with its interval.
    #+ params: post (string, ADCS President) - the post's name; date (date, 2021-06-01) - the day
    #+ columns: person, post, organisation, start, end

A parameter declared ``min_confidence (decimal, 0.3, default 0.5)`` may be left out: its default
is bound.

Parameters are bound as RDF terms by the engine (pyoxigraph substitutions, or a VALUES
block serialised term by term for a remote endpoint), never pasted into the query text.
pyoxigraph substitutes only variables the query projects, so a query projects its parameters;
``columns`` (a public contract) names the variables its rows hold, in order: a parameter is a
column only when listed there (``who_held`` returns the post as asked).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node

from .errors import QueryParameterError, UnknownQueryError
from .resources import DataDir, data_dir


class ParamType(StrEnum):
    STRING = "string"
    DATE = "date"
    IRI = "iri"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: ParamType
    example: str
    meaning: str
    default: str | None = None
    """The value used when the parameter is not given; None when it must be given."""

    def term(self, value: str) -> Identifier:
        """The RDF term for a value given as text; :class:`QueryParameterError` if malformed."""
        try:
            if self.type is ParamType.STRING:
                return Literal(value)
            if self.type is ParamType.DATE:
                return Literal(date.fromisoformat(value), datatype=XSD.date)
            if self.type is ParamType.INTEGER:
                return Literal(int(value), datatype=XSD.integer)
            if self.type is ParamType.DECIMAL:
                return Literal(Decimal(value), datatype=XSD.decimal)
            if self.type is ParamType.BOOLEAN:
                if value.lower() not in {"true", "false"}:
                    raise ValueError(value)
                return Literal(value.lower() == "true", datatype=XSD.boolean)
            if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+", value):
                raise ValueError(value)
            return URIRef(value)
        except (ValueError, InvalidOperation) as exc:
            raise QueryParameterError(
                f"parameter {self.name!r} must be a {self.type.value} (e.g. {self.example!r}), not {value!r}"
            ) from exc


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    description: str
    params: tuple[QueryParam, ...]
    columns: tuple[str, ...]
    text: str

    def contract_columns(self, projected: Iterable[str]) -> tuple[str, ...]:
        """The declared ``columns``, checked against the variables a run of the query projected."""
        missing = [c for c in self.columns if c not in set(projected)]
        if missing:
            raise UnknownQueryError(f"query {self.name!r} declares columns it does not project: {', '.join(missing)}")
        return self.columns

    def bindings(self, values: Mapping[str, str]) -> dict[str, Identifier]:
        """Check ``values`` against the declared parameters and turn them into RDF terms."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            expected = ", ".join(declared) or "none"
            names = ", ".join(map(repr, unknown))
            raise QueryParameterError(f"query {self.name!r} has no parameter {names} (parameters: {expected})")
        missing = [p for p in self.params if p.name not in values and p.default is None]
        if missing:
            needed = "; ".join(f"{p.name} ({p.type.value}, e.g. {p.example!r})" for p in missing)
            raise QueryParameterError(f"query {self.name!r} needs parameter(s): {needed}")
        given = {p.name: p.default for p in self.params if p.default is not None} | dict(values)
        return {name: declared[name].term(value) for name, value in given.items()}

    def runnable(self, values: Mapping[str, str]) -> bool:
        """Whether ``values`` give every parameter that has no default."""
        return all(p.name in values or p.default is not None for p in self.params)


_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s?(.*)$")
_PARAM = re.compile(r"^\s*(\w+)\s*\(\s*(\w+)\s*,\s*([^),]*)(?:,\s*default\s+([^)]*))?\)\s*(?:-\s*(.*))?$")
"""``name (type, example)`` or ``name (type, example, default VALUE)``, then ``- meaning``."""


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read the ``#+`` header of a named query."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if match:
            fields.setdefault(match[1].lower(), []).append(match[2].strip())
    for required in ("summary", "columns"):
        if required not in fields:
            raise UnknownQueryError(f"query {name!r} has no '#+ {required}:' header")
    params = []
    declared = " ".join(fields.get("params", ["none"])).strip()
    if declared.lower() not in {"", "none"}:
        for part in declared.split(";"):
            match = _PARAM.match(part)
            if not match or match[2] not in ParamType.__members__.values():
                raise UnknownQueryError(f"query {name!r}: cannot read parameter declaration {part.strip()!r}")
            meaning = (match[5] or "").strip()
            default = match[4].strip() if match[4] is not None else None
            params.append(QueryParam(match[1], ParamType(match[2]), match[3].strip(), meaning, default))
    return NamedQuery(
        name=name,
        summary=" ".join(fields["summary"]),
        description=" ".join(fields.get("description", [])),
        params=tuple(params),
        columns=tuple(c.strip() for c in " ".join(fields["columns"]).split(",") if c.strip()),
        text=text,
    )


def named_queries() -> dict[str, NamedQuery]:
    """Every named query of the package (``queries/*.rq``), by name."""
    found = {}
    for path in sorted(data_dir(DataDir.QUERIES).glob("*.rq")):
        found[path.stem] = parse_named_query(path.stem, path.read_text(encoding="utf-8"))
    return found


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise UnknownQueryError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


class Queryable(Protocol):
    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result: ...


def run_named(store: Queryable, query: NamedQuery, values: Mapping[str, str]) -> Result:
    """Run a named query with its parameters bound as RDF terms; the rows hold its ``columns``."""
    result = store.query(query.text, bindings=query.bindings(values))
    if result.type != "SELECT":
        return result
    projected = {str(v): v for v in result.vars or []}
    kept = [projected[c] for c in query.contract_columns(projected)]
    trimmed = Result("SELECT")
    trimmed.vars = kept
    trimmed.bindings = [{v: row[v] for v in kept if v in row} for row in result.bindings]
    return trimmed


class ResultFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


def cell(node: Node | None) -> str:
    """A result value as plain text (SPARQL CSV style): the IRI, the lexical form, or empty."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def rows(result: Result) -> tuple[list[str], list[list[str]]]:
    """Column names and rows of a SELECT result as text."""
    columns = [str(v) for v in result.vars or []]
    table = [[cell(row.get(v)) for v in result.vars or []] for row in result.bindings]
    return columns, table


def write_result(result: Result, result_format: ResultFormat) -> str:
    """A SELECT/ASK result as CSV, TSV or SPARQL JSON text (the CLI draws TABLE itself)."""
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        if result_format is ResultFormat.JSON:
            return json.dumps({"head": {}, "boolean": answer})
        return f"{str(answer).lower()}\n"
    if result.type != "SELECT":
        graph = result.graph
        assert graph is not None
        return graph.serialize(format="json-ld" if result_format is ResultFormat.JSON else "turtle")
    if result_format is ResultFormat.JSON:
        serialized = result.serialize(format="json")
        assert serialized is not None
        return serialized.decode("utf-8")
    columns, table = rows(result)
    buffer = io.StringIO()
    if result_format is ResultFormat.TSV:
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    else:
        writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(table)
    return buffer.getvalue()
