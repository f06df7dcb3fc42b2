"""The pictures of :mod:`graph.viz`: a resource's neighbourhood, the officer timeline, a measure's chart."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...sparql import absolute_iri
from ..service import Service, ServiceDep
from ..templates import CSP
from ..workers import Drawing, View

router = APIRouter(include_in_schema=False)

_CHART_STYLES = "style-src 'self' 'unsafe-inline'"
_PICTURE_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
"""The pictures are self-contained documents (inline script and style, nothing fetched)."""


async def _picture(service: Service, drawing: Drawing) -> Response:
    drawn = await service.engine.draw(drawing)
    return Response(drawn.body, media_type=drawn.media_type, headers={"Content-Security-Policy": _PICTURE_CSP})


@router.get("/viz/neighbourhood", include_in_schema=False)
async def neighbourhood(iri: str, service: ServiceDep) -> Response:
    return await _picture(service, Drawing(View.NEIGHBOURHOOD, absolute_iri(iri, "iri")))


@router.get("/viz/officers.svg", include_in_schema=False)
async def officers_svg(service: ServiceDep) -> Response:
    return await _picture(service, Drawing(View.OFFICERS))


@router.get("/viz/measure.svg", include_in_schema=False)
async def measure_svg(measure: str, service: ServiceDep) -> Response:
    return await _picture(service, Drawing(View.MEASURE, measure))


async def _chart_page(request: Request, service: Service, drawing: Drawing, context: dict[str, Any]) -> Response:
    svg = (await service.engine.draw(drawing)).body.decode()
    context["svg"] = svg[svg.index("<svg") :]  # inline, so that its links open in the page
    # matplotlib styles the SVG with style elements and attributes
    return service.page(request, "chart.html", context, csp=CSP.replace("style-src 'self'", _CHART_STYLES))


@router.get("/viz/officers", include_in_schema=False)
async def officers_page(request: Request, service: ServiceDep) -> Response:
    context = {"title": "ADCS officers by year", "download": "/viz/officers.svg", "measures": None}
    return await _chart_page(request, service, Drawing(View.OFFICERS), context)


@router.get("/viz/measure", include_in_schema=False)
async def measure_page(request: Request, service: ServiceDep, measure: str = "") -> Response:
    measures = await service.measures()
    chosen = measure or (measures[0][0] if measures else "")
    context = {
        "title": f"{chosen} across reports" if chosen else "Measures across reports",
        "download": "/viz/measure.svg?" + urlencode({"measure": chosen}),
        "measures": measures,
        "measure": chosen,
    }
    return await _chart_page(request, service, Drawing(View.MEASURE, chosen), context)
