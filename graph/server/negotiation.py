"""Content negotiation: which format a request gets (``format=``, else Accept with q-values), and the response.

The formats themselves, and their writers, are :mod:`graph.results`'; a 406 names those available.
What a request asks for travels as :class:`Wanted` to where the answer is written: a query
worker writes pyoxigraph's results straight into the format (:func:`written`), so the server
process only passes the bytes on (:func:`written_response`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response
from rdflib import Graph

from ..errors import ProtocolError
from ..query import NamedQuery
from ..results import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Answer,
    MediaFormat,
    Written,
    formats_for,
    serialize,
    serialize_graph,
    write_ox,
)
from ..sparql import shortened


def accept_ranges(accept: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) of an Accept header."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((pieces[0].lower(), q, position))
    return ranges


def quality(media_type: str, ranges: Sequence[tuple[str, float, int]]) -> float:
    """The q of the most specific range matching ``media_type`` (0 when none does)."""
    kind = media_type.split("/")[0]
    for candidates in ([media_type], [f"{kind}/*"], ["*/*"]):
        matched = [q for r, q, _ in ranges if r in candidates]
        if matched:
            return max(matched)
    return 0.0


@functools.lru_cache(maxsize=256)
def negotiate(formats: Sequence[MediaFormat], accept: str | None, requested: str | None) -> MediaFormat:
    """The format to answer in: ``format=`` if given, else the best by Accept (q-values); 406 when none fits."""
    offered = ", ".join(f"{f.media_type} ({', '.join(n for n in f.names if '/' not in n)})" for f in formats)
    if requested:
        wanted = requested.strip().lower()
        for candidate in formats:
            if wanted == candidate.media_type or wanted in candidate.names:
                return candidate
        message = f"format {shortened(requested)!r} is not available for this result; available: {offered}"
        raise ProtocolError(406, message)
    if not accept:
        return formats[0]
    ranges = accept_ranges(accept)
    # aliases clients send for JSON results and JSON-LD
    ranges += [(f.media_type, q, p) for r, q, p in ranges for f in formats if r in f.names and "/" in r]
    best = max(formats, key=lambda f: (quality(f.media_type, ranges), -formats.index(f)))
    if quality(best.media_type, ranges) <= 0:
        # the Accept header is not echoed: it may be long, and the client has it
        raise ProtocolError(406, f"none of the media types the request accepts is available; available: {offered}")
    return best


@dataclass(frozen=True)
class Wanted:
    """How a request wants its answer written: its Accept header, the ``format=`` it gave, the named query it ran.

    A named query's answer holds only the query's declared columns.
    """

    accept: str | None = None
    requested: str | None = None
    named: NamedQuery | None = None

    @classmethod
    def of(cls, request: Request, given_format: str | None = None, named: NamedQuery | None = None) -> Wanted:
        requested = given_format or request.query_params.get("format")
        return cls(request.headers.get("accept"), requested, named)

    def media(self, formats: Sequence[MediaFormat]) -> MediaFormat:
        return negotiate(tuple(formats), self.accept, self.requested)


def written(run: Callable[[], object], wanted: Wanted, *, limit: int | None, max_rows: int) -> Written:
    """The results of a query (``run`` runs it on pyoxigraph; ``limit`` is its own LIMIT) written as
    ``wanted`` asks, at most ``max_rows`` rows or triples (see :func:`~graph.results.write_ox`)."""
    results = run()
    first = [results]

    def again() -> object:  # the results already obtained first, a new run after
        return first.pop() if first else run()

    if isinstance(results, ox.QueryTriples):
        return write_ox(again, wanted.media(GRAPH_FORMATS), max_rows=max_rows)
    columns = None
    if wanted.named is not None and isinstance(results, ox.QuerySolutions):
        columns = wanted.named.contract_columns([v.value for v in results.variables])
    bounded = limit is not None and limit <= max_rows
    return write_ox(again, wanted.media(RESULT_FORMATS), max_rows=max_rows, columns=columns, bounded=bounded)


def written_answer(answer: Answer, wanted: Wanted) -> Written:
    """An answer written as ``wanted`` asks (an answer already holds at most the rows allowed)."""
    if wanted.named is not None:
        answer = wanted.named.answer(answer)
    media = wanted.media(formats_for(answer))
    return Written(media.media_type, serialize(answer, media), answer.truncated)


def written_response(answer: Written, *, max_rows: int) -> Response:
    """The response carrying a written answer; a cut one says so in ``X-SPARQL-MaxRows``."""
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-SPARQL-MaxRows"] = str(max_rows)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def prefers_html(request: Request, offered: Iterable[MediaFormat]) -> bool:
    accept = request.headers.get("accept", "")
    if "html" not in accept.lower() or request.query_params.get("format"):
        return False
    ranges = accept_ranges(accept)
    html_q = max((q for r, q, _ in ranges if r == "text/html"), default=0.0)
    return html_q > 0 and html_q >= max(quality(f.media_type, [x for x in ranges if x[0] != "*/*"]) for f in offered)


def described(request: Request, graph: Graph) -> Response:
    media = negotiate(GRAPH_FORMATS, request.headers.get("accept"), request.query_params.get("format"))
    body = serialize_graph(graph.serialize(format="nt", encoding="utf-8"), media)
    return Response(body, media_type=media.media_type, headers={"Vary": "Accept"})
