"""Named queries (``queries/*.rq``, and the pages' own in ``queries/pages/``) and how they are run.

Each named query starts with a header the CLI and the endpoint list it from::

    #+ summary: Who held a post on a date
    #+ description: Every holding of the post whose name matches, with its interval.
    #+ params: post (string, ADCS President) - the post's name; date (date, 2021-06-01) - the day
    #+ columns: person, post, organisation, start, end
    #+ links: person -> holder, post -> postIri, organisation -> org

A parameter declared ``min_confidence (decimal, 0.3, default 0.5)`` may be left out: its default
is bound.

Parameters are bound as RDF terms by the engine (pyoxigraph substitutions, or a VALUES
block serialised term by term for a remote endpoint), never pasted into the query text.
pyoxigraph substitutes only variables the query projects, so a query projects its parameters;
``columns`` (a public contract) names the variables its rows hold, in order: a parameter is a
column only when listed there (``who_held`` returns the post as asked). ``links`` (optional)
names, for a column that shows a resource by its name, title or file, the projected variable
holding the resource's IRI, so that the pages link the cell to the resource's page; the link
variables are not columns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier

from .errors import QueryParameterError, UnknownQueryError
from .resources import DataDir, data_dir
from .results import Answer, Form, TermKind, answer_from_rdflib
from .sparql import iri_problem, shortened


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
            problem = iri_problem(value)
            if problem:
                raise ValueError(problem)
            return URIRef(value)
        except (ValueError, InvalidOperation) as exc:
            why = f": {exc}" if self.type is ParamType.IRI else ""
            raise QueryParameterError(
                f"parameter {self.name!r} must be a {self.type.value} (e.g. {self.example!r}), "
                f"not {shortened(value)!r}{why}"
            ) from exc


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    description: str
    params: tuple[QueryParam, ...]
    columns: tuple[str, ...]
    text: str
    links: tuple[tuple[str, str], ...] = ()
    """(column, variable): the variable holding the IRI of the resource the column's cells name."""

    def contract_columns(self, projected: Iterable[str]) -> tuple[str, ...]:
        """The declared ``columns``, checked against the variables a run of the query projected."""
        missing = [c for c in self.columns if c not in set(projected)]
        if missing:
            raise UnknownQueryError(f"query {self.name!r} declares columns it does not project: {', '.join(missing)}")
        return self.columns

    def answer(self, answer: Answer) -> Answer:
        """What a run of the query gives: a SELECT answer cut to its declared ``columns``."""
        if answer.form is not Form.SELECT:
            return answer
        return answer.columns(self.contract_columns(answer.variables))

    def resource_links(self, answer: Answer) -> tuple[tuple[str | None, ...], ...]:
        """Per row of a SELECT answer as the query projected it, per declared column, the IRI of the
        resource the cell names (its ``links`` variable), or None."""
        if answer.form is not Form.SELECT:
            return ()
        missing = [v for _, v in self.links if v not in answer.variables]
        if missing:
            raise UnknownQueryError(f"query {self.name!r} links columns to variables it does not project: {missing}")
        linked = dict(self.links)
        indexes = [answer.variables.index(linked[c]) if c in linked else None for c in self.columns]
        cells = [[None if i is None else row[i] for i in indexes] for row in answer.rows]
        return tuple(tuple(c.value if c is not None and c.kind is TermKind.URI else None for c in row) for row in cells)

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
_LINK = re.compile(r"^\s*(\w+)\s*->\s*(\w+)\s*$")


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
    columns = tuple(c.strip() for c in " ".join(fields["columns"]).split(",") if c.strip())
    links = []
    for part in filter(str.strip, " ".join(fields.get("links", [])).split(",")):
        match = _LINK.match(part)
        if not match or match[1] not in columns:
            raise UnknownQueryError(f"query {name!r}: cannot read link {part.strip()!r} (write: column -> variable)")
        links.append((match[1], match[2]))
    return NamedQuery(
        name=name,
        summary=" ".join(fields["summary"]),
        description=" ".join(fields.get("description", [])),
        params=tuple(params),
        columns=columns,
        text=text,
        links=tuple(links),
    )


def named_queries(where: DataDir = DataDir.QUERIES) -> dict[str, NamedQuery]:
    """Every named query of the package (``queries/*.rq``, or another directory of them), by name."""
    return dict(_read_queries(where))


@functools.cache
def _read_queries(where: DataDir) -> tuple[tuple[str, NamedQuery], ...]:
    """The named queries of a directory of the package, read once: its files do not change while it runs
    (the server looks one up for every request to the API)."""
    paths = sorted(data_dir(where).glob("*.rq"))
    return tuple((path.stem, parse_named_query(path.stem, path.read_text(encoding="utf-8"))) for path in paths)


def example_queries() -> dict[str, str]:
    """The web editor's example queries (``queries/examples/*.rq``, in file order): summary -> text."""
    return {
        query.summary: "\n".join(line for line in query.text.splitlines() if not line.startswith("#+"))
        for query in named_queries(DataDir.EXAMPLE_QUERIES).values()
    }


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise UnknownQueryError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


class Queryable(Protocol):
    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result: ...


def run_named(store: Queryable, query: NamedQuery, values: Mapping[str, str]) -> Answer:
    """Run a named query with its parameters bound as RDF terms; the rows hold its ``columns``."""
    return query.answer(answer_from_rdflib(store.query(query.text, bindings=query.bindings(values))))
