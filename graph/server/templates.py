"""The pages' templates (``graph/web/templates``), the filters they use, and the pages' Content-Security-Policy."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates

from ..namespaces import ID
from ..results import PREFIX_IRIS

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
"""The pages' templates and static files."""


def href(iri: str) -> str:
    """The local page of a graph resource: ``/id/...`` for ``id:`` IRIs, else ``/resource?iri=...``."""
    if iri.startswith(str(ID)) and "#" not in iri:
        return "/id/" + quote(iri[len(str(ID)) :], safe="/:@!$&'()*+,;=-._~")
    return "/resource?" + urlencode({"iri": iri})


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in the prefix table, else the IRI."""
    for prefix, namespace in PREFIX_IRIS.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and re.fullmatch(r"[\w./-]*[\w-]", local):
            return f"{prefix}:{local}"
    return iri


def figure(value: str) -> str:
    """A decimal as a reader writes it (3100000000 as 3,100,000,000; 12.50 as 12.5); other text as it is."""
    try:
        return f"{Decimal(value).normalize():,f}"
    except InvalidOperation:
        return value


def page_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    templates.env.globals.update(href=href, compact=compact, figure=figure, urlencode=urlencode)
    return templates


CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; form-action 'self'; connect-src 'self'; base-uri 'none'"
)
