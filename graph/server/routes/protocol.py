"""``/sparql`` (SPARQL 1.1 Protocol: query, update with the token, service description) and ``/.well-known/void``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...errors import ProtocolError
from ...results import GRAPH_FORMATS, RESULT_FORMATS
from ...sparql import check_limits, keywords, with_using
from ..bodies import charset_text, form_fields, media_type, read_body
from ..describe import service_description, void
from ..negotiation import described, negotiate, prefers_html
from ..service import Service, ServiceDep

router = APIRouter()


@dataclass(frozen=True)
class ProtocolRequest:
    """The operation of a SPARQL Protocol request and its parameters."""

    query: str | None
    update: str | None
    params: tuple[tuple[str, str], ...]

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.params if k == name]


async def protocol_request(request: Request, max_body: int) -> ProtocolRequest:
    """The query or update of a request (GET parameters, a form, or a body), checked against the protocol."""
    params = list(request.query_params.multi_items())
    if request.method == "POST":
        body = await read_body(request, max_body)
        media = media_type(request)
        if media == "application/x-www-form-urlencoded":
            params += form_fields(charset_text(body))
        elif media == "application/sparql-query":
            params.append(("query", charset_text(body)))
        elif media == "application/sparql-update":
            params.append(("update", charset_text(body)))
        else:
            raise ProtocolError(
                415,
                f"unsupported media type {media or '(none)'!r}: send application/sparql-query, "
                "application/sparql-update or application/x-www-form-urlencoded",
            )
    queries = [v for k, v in params if k == "query"]
    updates = [v for k, v in params if k == "update"]
    if len(queries) > 1 or len(updates) > 1:
        raise ProtocolError(400, "give exactly one 'query' (or 'update') parameter, not several")
    if queries and updates:
        raise ProtocolError(400, "a request holds either a query or an update, not both")
    if request.method == "GET" and updates:
        raise ProtocolError(400, "an update must be sent with POST")
    return ProtocolRequest(queries[0] if queries else None, updates[0] if updates else None, tuple(params))


def endpoint_url(request: Request) -> str:
    """The URL of the SPARQL endpoint: the base IRI of the queries and updates sent to it."""
    return str(request.base_url) + "sparql"


async def _update(request: Request, service: Service, operation: ProtocolRequest) -> Response:
    service.authorise(request)
    assert operation.update is not None
    check_limits(operation.update, source="update")  # nothing deeper than the limits is parsed here
    words = keywords(operation.update)
    if not service.config.allow_load and "LOAD" in words:
        raise ProtocolError(403, "LOAD is disabled on this server")
    if not service.config.allow_service and "SERVICE" in words:
        raise ProtocolError(403, "SERVICE (federated query) is disabled on this server")
    text = with_using(operation.update, operation.values("using-graph-uri"), operation.values("using-named-graph-uri"))
    await service.writable(request).update(text, base_iri=endpoint_url(request))
    return Response(status_code=204)


def _without_query(request: Request) -> None:
    """Refuse (400) a GET without a query that does not accept the service description either."""
    try:
        negotiate(GRAPH_FORMATS, request.headers.get("accept"), request.query_params.get("format"))
    except ProtocolError as exc:
        offered = ", ".join(f.media_type for f in GRAPH_FORMATS)
        raise ProtocolError(
            400,
            "missing 'query' parameter (without one, GET /sparql answers the service description, "
            f"in one of: {offered})",
        ) from exc


async def sparql(request: Request, service: ServiceDep) -> Response:
    operation = await protocol_request(request, service.config.max_body)
    if operation.update is not None:
        return await _update(request, service, operation)
    if operation.query is None:
        if request.method == "POST":
            raise ProtocolError(400, "missing 'query' (or 'update') parameter")
        if prefers_html(request, GRAPH_FORMATS):
            return RedirectResponse("/editor", status_code=303)
        _without_query(request)
        base, census = str(request.base_url), await service.census()
        return described(request, service_description(base, census, service.config) + void(base, census))
    if request.method == "GET" and prefers_html(request, RESULT_FORMATS + GRAPH_FORMATS):
        return RedirectResponse("/editor?" + urlencode({"query": operation.query}), status_code=303)
    given = operation.values("format")
    return await service.respond(
        request,
        operation.query,
        given_format=given[0] if given else None,
        default_graphs=operation.values("default-graph-uri"),
        named_graphs=operation.values("named-graph-uri"),
        base_iri=endpoint_url(request),
    )


# one route per method, so that each has an OpenAPI operation id of its own
for method, operation_id, what in (
    ("GET", "sparql_query_get", "query"),
    ("POST", "sparql_query_or_update_post", "query, or update with the token"),
):
    router.add_api_route(
        "/sparql",
        sparql,
        methods=[method],
        operation_id=operation_id,
        summary=f"SPARQL 1.1 Protocol: {what}; without a query, the service description",
        response_class=Response,
    )


@router.get("/.well-known/void", summary="VoID description of the dataset", response_class=Response)
async def void_description(request: Request, service: ServiceDep) -> Response:
    return described(request, void(str(request.base_url), await service.census()))
