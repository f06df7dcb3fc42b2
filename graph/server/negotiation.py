"""Content negotiation: which format a request gets (``format=``, else Accept with q-values), and the response.

The formats themselves, and their writers, are :mod:`graph.results`'; a 406 names those available.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fastapi import Request
from fastapi.responses import Response
from rdflib import Graph

from ..errors import ProtocolError
from ..results import GRAPH_FORMATS, Answer, MediaFormat, formats_for, serialize, serialize_graph
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


def answer_response(answer: Answer, media: MediaFormat, *, max_rows: int) -> Response:
    body = serialize(answer, media)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-SPARQL-MaxRows"] = str(max_rows)
    return Response(body, media_type=media.media_type, headers=headers)


def answer_for(request: Request, answer: Answer, *, max_rows: int, given_format: str | None = None) -> Response:
    """An answer in the format the request asks for (``format=``, else Accept)."""
    requested = given_format or request.query_params.get("format")
    media = negotiate(formats_for(answer), request.headers.get("accept"), requested)
    return answer_response(answer, media, max_rows=max_rows)


def prefers_html(request: Request, offered: Iterable[MediaFormat]) -> bool:
    accept = request.headers.get("accept", "")
    if not accept or request.query_params.get("format"):
        return False
    ranges = accept_ranges(accept)
    html_q = max((q for r, q, _ in ranges if r == "text/html"), default=0.0)
    return html_q > 0 and html_q >= max(quality(f.media_type, [x for x in ranges if x[0] != "*/*"]) for f in offered)


def described(request: Request, graph: Graph) -> Response:
    media = negotiate(GRAPH_FORMATS, request.headers.get("accept"), request.query_params.get("format"))
    body = serialize_graph(graph.serialize(format="nt", encoding="utf-8"), media)
    return Response(body, media_type=media.media_type, headers={"Vary": "Accept"})
