"""The home page, the named-query forms and the SPARQL editor."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...errors import ProtocolError, QueryParameterError, QuerySyntaxError
from ...namespaces import AK, sparql_prefixes
from ...query import example_queries, named_queries, named_query
from ...results import GRAPH_FORMATS, Answer, Form, formats_for, serialize_graph
from ..bodies import single_values
from ..service import ServiceDep

router = APIRouter(include_in_schema=False)



@router.get("/", include_in_schema=False)
async def home(request: Request, service: ServiceDep) -> Response:
    census = await service.census()
    context = {
        "census": census,
        "classes": [(c, n) for c, n in census.classes if c.startswith(str(AK))],
        "queries": list(named_queries().values()),
        "writable": bool(service.config.token),
        "measures": await service.measures(),
    }
    return service.page(request, "home.html", context)


@router.get("/queries/{name}", include_in_schema=False)
async def named_page(request: Request, name: str, service: ServiceDep) -> Response:
    query = named_query(name)
    given = single_values(request)
    values = {p.name: given[p.name] for p in query.params if given.get(p.name)}
    context: dict[str, Any] = {"query": query, "values": values, "answer": None, "links": None, "error": None}
    status = 200
    if query.runnable(values):
        try:
            context["answer"], context["links"] = await service.run_named_linked(query, values)
        except QueryParameterError as exc:
            context["error"], status = str(exc), 400
    context["download"] = "/api/queries/" + quote(name) + "?" + urlencode(values)
    return service.page(request, "named.html", context, status=status)


@router.get("/editor", include_in_schema=False)
async def editor(request: Request, service: ServiceDep) -> Response:
    text = request.query_params.get("query")
    examples = example_queries()
    context: dict[str, Any] = {
        "text": text or next(iter(examples.values())),
        "examples": examples,
        "named": [q for q in named_queries().values() if not q.params],
        "prefixes": sparql_prefixes(),
    }
    status = 200
    if text:
        context["permalink"] = "/editor?" + urlencode({"query": text})
        try:
            context.update(_editor_results(text, await service.run(text)))
        except QuerySyntaxError as exc:
            context["error"], status = f"malformed {exc}", 400
        except ProtocolError as exc:
            context["error"], status = str(exc), exc.status
    return service.page(request, "editor.html", context, status=status)


def _editor_results(text: str, answer: Answer) -> dict[str, Any]:
    """What the editor shows of an answer: the rows (or Turtle) and download links in every format."""
    links = [(f.label, "/sparql?" + urlencode({"query": text, "format": f.media_type})) for f in formats_for(answer)]
    shown: dict[str, Any] = {"answer": answer, "formats": links}
    if answer.form is Form.GRAPH:
        shown["turtle"] = serialize_graph(answer.ntriples, GRAPH_FORMATS[0]).decode()
    return shown
