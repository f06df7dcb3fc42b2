"""Errors raised by adcs-kg.

Every error the package raises on purpose derives from :class:`AdcsKgError`; third-party
exceptions are translated at the boundary where they occur and chained with ``from``::

    AdcsKgError
    ├── LoaderError          a source document could not be read or segmented (file, line, offset)
    ├── ShapeError           the graph does not conform to the SHACL shapes or a quality check
    ├── QuerySyntaxError     a SPARQL query does not parse (line, column)
    │   └── QueryLimitError  a SPARQL text passes a parse limit (nesting, operators, length)
    ├── QueryParameterError  a named query was called with a missing, unknown or bad parameter
    ├── UnknownQueryError    no named query has that name
    ├── ReasoningError       the reasoner failed or found the graph inconsistent
    ├── StoreError           the store could not be opened, read or written (path or URL)
    ├── QueryTimeoutError    a query ran over the server's time limit, or found no free worker
    └── ProtocolError        an HTTP request the server refuses, with the status that says why
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class AdcsKgError(Exception):
    """Base of every error adcs-kg raises on purpose."""


@dataclass
class LoaderError(AdcsKgError):
    """A source document could not be loaded.

    ``offset`` is a character offset into the decoded text, or a byte offset when the file
    could not be decoded (``unit`` says which); ``line`` is 1-based.
    """

    file: Path
    message: str
    offset: int | None = None
    line: int | None = None
    unit: str = "character"

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f", line {self.line}"
        if self.offset is not None:
            where += f", {self.unit} offset {self.offset}"
        return f"{where}: {self.message}"


class ShapeError(AdcsKgError):
    """The graph does not conform to the shapes or a quality-check query."""

    def __init__(self, message: str, *, report_text: str = "") -> None:
        super().__init__(message)
        self.report_text = report_text


@dataclass
class QuerySyntaxError(AdcsKgError):
    """A SPARQL query does not parse; ``line`` and ``column`` are 1-based where known."""

    message: str
    line: int | None = None
    column: int | None = None
    source: str = "query"

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f", line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        return f"{where}: {self.message}"


class QueryLimitError(QuerySyntaxError):
    """A SPARQL query or update passes a parse limit of :mod:`graph.sparql`; the message names the limit."""


class QueryParameterError(AdcsKgError):
    """A named query was called with a missing, unknown or malformed parameter."""


class UnknownQueryError(AdcsKgError):
    """No named query has the requested name."""


class ReasoningError(AdcsKgError):
    """The reasoner failed, or found the graph inconsistent."""


class StoreError(AdcsKgError):
    """The store could not be opened, read or written; the message names the path or URL."""


class UnreadableGenerationError(StoreError):
    """The current generation cannot be read (damaged): a build starts afresh instead of from it."""


class QueryTimeoutError(AdcsKgError):
    """A query ran longer than the server allows, or no worker became free in that time."""


class ProtocolError(AdcsKgError):
    """A request the protocol refuses, with the HTTP status that says why."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = dict(headers or {})
