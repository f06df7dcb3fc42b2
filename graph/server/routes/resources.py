"""Linked-data pages: every IRI of the graph as HTML (facts, quotes, posts, claims) or RDF by Accept.

The page of a resource runs the page queries of :data:`RESOURCE_SECTIONS` (``queries/pages/``),
its RDF is ``resource_graph``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...errors import ProtocolError
from ...namespaces import AK, ID, sparql_term
from ...results import GRAPH_FORMATS, Cell, TermKind
from ...sparql import absolute_iri
from ..negotiation import prefers_html
from ..service import Service, ServiceDep, page_query
from ..templates import href

router = APIRouter()

RESOURCE_SECTIONS = ("summary", "facts", "sources", "holdings", "holders", "statements", "claims", "incoming")
"""The page queries whose rows make up a resource's page."""


def incoming_shown() -> int:
    """How many of the resources referring to a resource its page lists at most (the ``incoming`` query's LIMIT)."""
    limit = re.search(r"\bLIMIT\s+(\d+)", page_query("incoming").text)
    assert limit is not None, "the incoming query has no LIMIT"
    return int(limit[1])


@dataclass(frozen=True)
class Group:
    """Records that share some columns (a sentence, an item), in their order; ``first`` holds the shared ones."""

    first: dict[str, Cell]
    members: tuple[dict[str, Cell], ...]


def grouped(records: Iterable[dict[str, Cell]], *columns: str) -> list[Group]:
    """``records`` grouped by the values of ``columns``, groups in the order they first appear."""
    groups: dict[tuple[str, ...], list[dict[str, Cell]]] = {}
    for record in records:
        groups.setdefault(tuple(record[c].value if c in record else "" for c in columns), []).append(record)
    return [Group(members[0], tuple(members)) for members in groups.values()]


async def _resource(request: Request, service: Service, iri: str) -> Response:
    this = {"this": Cell(TermKind.URI, absolute_iri(iri, "iri"))}
    if not prefers_html(request, GRAPH_FORMATS):
        answer = await service.run(page_query("resource_graph").text, bindings=this)
        if not answer.ntriples.strip():
            raise ProtocolError(404, f"the graph says nothing about {iri}")
        return service.answer(request, answer)
    answers = await service.run_all([page_query(key).text for key in RESOURCE_SECTIONS], bindings=this)
    sections = {key: answer.records() for key, answer in zip(RESOURCE_SECTIONS, answers, strict=True)}
    if not sections["facts"] and not sections["incoming"]:
        raise ProtocolError(404, f"the graph says nothing about {iri}")
    claims = sections.pop("claims")
    labels = [r["label"].value for r in sections["summary"] if "label" in r]
    page = href(iri) + ("&" if "?" in href(iri) else "?")
    context = {
        "iri": iri,
        "label": labels[0] if labels else sparql_term(iri),
        "types": sorted({r["type"].value for r in sections["summary"] if "type" in r}),
        "neighbourhood": "/viz/neighbourhood?" + urlencode({"iri": iri}),
        "incoming_shown": incoming_shown(),
        "downloads": [(f.label, page + urlencode({"format": f.media_type})) for f in GRAPH_FORMATS],
        **sections,
        # a sentence often gives several figures; an item often quotes its speaker several times
        "findings": grouped((r for r in claims if r["type"].value == str(AK.Finding)), "doc", "start", "end"),
        "recommendations": grouped(
            (r for r in claims if r["type"].value == str(AK.Recommendation)), "doc", "start", "end"
        ),
        "statements": grouped(sections["statements"], "item", "date", "post"),
    }
    page_response = service.page(request, "resource.html", context)
    page_response.headers["Vary"] = "Accept"  # the same URL gives RDF to other clients
    return page_response


@router.get("/id/{path:path}", summary="A graph resource (id: IRI): HTML, or RDF by Accept", response_class=Response)
async def identified(request: Request, path: str, service: ServiceDep) -> Response:
    return await _resource(request, service, str(ID) + path)


@router.get("/resource", summary="Any IRI of the graph: HTML, or RDF by Accept", response_class=Response)
async def any_resource(request: Request, iri: str, service: ServiceDep) -> Response:
    return await _resource(request, service, iri)
