"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol, every method behind the token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...errors import ProtocolError
from ...results import GRAPH_FORMATS, OX_FORMATS, Cell, TermKind
from ...sparql import absolute_iri
from ..bodies import media_type, read_body
from ..service import Service, ServiceDep

router = APIRouter()


def _target_graph(request: Request) -> str | None:
    """The graph a Graph Store Protocol request names (None for ``?default``)."""
    graph = request.query_params.get("graph")
    if graph is None and "default" not in request.query_params:
        raise ProtocolError(400, "name the graph: ?graph=IRI, or ?default")
    return None if graph is None else absolute_iri(graph, "graph")


@router.get("/store", summary="Graph Store Protocol: read a graph (token required)", response_class=Response)
async def store_get(request: Request, service: ServiceDep) -> Response:
    service.authorise(request)
    graph = _target_graph(request)
    if graph is None:
        return await service.respond(request, "CONSTRUCT WHERE { ?s ?p ?o }")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    return await service.respond(request, construct, bindings={"g": Cell(TermKind.URI, graph)})


async def _store_write(request: Request, service: Service, *, replace: bool) -> Response:
    service.authorise(request)
    graph = _target_graph(request)
    if graph is None:
        raise ProtocolError(405, "the default graph is the union of the named graphs: write to a named graph")
    media = media_type(request)
    formats = {f.media_type: OX_FORMATS[f.media_type] for f in GRAPH_FORMATS}
    if media not in formats:
        raise ProtocolError(415, f"send the graph as one of: {', '.join(formats)}")
    body = await read_body(request, service.config.max_body)
    created = await service.writable(request).put(graph, body, formats[media], replace=replace)
    return Response(status_code=201 if created else 204)


@router.put("/store", summary="Graph Store Protocol: replace (204) or create (201) a named graph (token required)")
async def store_put(request: Request, service: ServiceDep) -> Response:
    return await _store_write(request, service, replace=True)


@router.post(
    "/store", summary="Graph Store Protocol: add triples to a named graph, created (201) if new (token required)"
)
async def store_post(request: Request, service: ServiceDep) -> Response:
    return await _store_write(request, service, replace=False)


@router.delete("/store", summary="Graph Store Protocol: drop a named graph (token required)")
async def store_delete(request: Request, service: ServiceDep) -> Response:
    graph = _target_graph(request)
    if graph is None:
        raise ProtocolError(405, "the default graph is the union of the named graphs: drop named graphs")
    await service.writable(request).delete(graph)
    return Response(status_code=204)
