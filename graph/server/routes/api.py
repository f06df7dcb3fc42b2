"""The JSON API: ``/api/queries`` (list and run the named queries), ``/health``, ``/metrics``, the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from ...errors import QueryTimeoutError, StoreError
from ...query import NamedQuery, ParamType, named_queries, named_query
from ...results import RESULT_FORMATS
from ..bodies import single_values
from ..service import ServiceDep

router = APIRouter()


def _describe_query(query: NamedQuery) -> dict[str, Any]:
    params = [{"name": p.name, "type": p.type.value, "example": p.example, "meaning": p.meaning} for p in query.params]
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "params": params,
        "url": f"/api/queries/{query.name}",
    }


_OPENAPI_TYPES = {
    ParamType.STRING: {"type": "string"},
    ParamType.DATE: {"type": "string", "format": "date"},
    ParamType.IRI: {"type": "string", "format": "uri"},
    ParamType.INTEGER: {"type": "integer"},
    ParamType.DECIMAL: {"type": "number"},
    ParamType.BOOLEAN: {"type": "boolean"},
}


_BAD_PARAMETER = {"description": "A missing or malformed parameter; the message names it"}


def _parameter_errors_are_400(schema: dict[str, Any]) -> None:
    """Say what the server answers to a bad parameter (a 400 naming it), not the framework's 422."""
    for operation in (o for path in schema["paths"].values() for o in path.values()):
        if operation["responses"].pop("422", None) is not None or operation.get("parameters"):
            operation["responses"]["400"] = _BAD_PARAMETER
    for unused in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(unused, None)


def openapi_with_named_queries(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The OpenAPI document, with a path of its own for each named query and its parameters."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            generic = schema["paths"]["/api/queries/{name}"]["get"]
            output = {
                "name": "format",
                "in": "query",
                "required": False,
                "description": "csv, tsv, json or xml (instead of an Accept header)",
                "schema": {"type": "string", "enum": ["csv", "tsv", "json", "xml"]},
            }
            for query in named_queries().values():
                parameters = [
                    {
                        "name": p.name,
                        "in": "query",
                        "required": p.default is None,
                        "description": p.meaning,
                        "schema": {**_OPENAPI_TYPES[p.type], "example": p.example},
                    }
                    for p in query.params
                ]
                operation = {
                    "summary": query.summary,
                    "description": query.description,
                    "operationId": f"named_query_{query.name}",
                    "tags": ["named queries"],
                    "parameters": [*parameters, output],
                    "responses": dict(generic["responses"]),
                }
                schema["paths"][f"/api/queries/{query.name}"] = {"get": operation}
            _parameter_errors_are_400(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    return document


@router.get("/api/queries", summary="The named queries and their parameters")
async def api_queries() -> list[dict[str, Any]]:
    return [_describe_query(q) for q in named_queries().values()]


@router.get(
    "/api/queries/{name}",
    summary="Run a named query; its parameters are query-string parameters (see /api/queries)",
    response_class=Response,
    responses={200: {"content": {f.media_type: {} for f in RESULT_FORMATS}}},
)
async def api_query(request: Request, name: str, service: ServiceDep) -> Response:
    query = named_query(name)
    bindings = service.bound(query, single_values(request, ignored={"format"}))
    return await service.respond(request, query.text, named=query, bindings=bindings)


@router.get("/health", summary="Whether the store is reachable, and its triple count")
async def health(service: ServiceDep) -> JSONResponse:
    """Answered apart from the query pool (see :meth:`Service.fixed`): runaway queries never delay it."""
    try:
        census = await service.census()
    except (StoreError, QueryTimeoutError, TimeoutError) as exc:
        detail = str(exc) or f"the store did not answer within {service.config.timeout:g} s"
        return JSONResponse({"status": "unavailable", "detail": detail}, status_code=503)
    triples = census.triples
    return JSONResponse({"status": "ok", "store": str(service.config.store), "triples": triples})


@router.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
async def prometheus(service: ServiceDep) -> PlainTextResponse:
    return PlainTextResponse(service.metrics.render(), media_type="text/plain; version=0.0.4")
