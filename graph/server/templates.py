"""The pages' templates (``graph/web/templates``), the filters they use, and the pages' Content-Security-Policy."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates

from ..namespaces import ID, sparql_term

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
"""The pages' templates and static files."""


def href(iri: str) -> str:
    """The local page of a graph resource: ``/id/...`` for ``id:`` IRIs, else ``/resource?iri=...``."""
    if iri.startswith(str(ID)) and "#" not in iri:
        return "/id/" + quote(iri[len(str(ID)) :], safe="/:@!$&'()*+,;=-._~")
    return "/resource?" + urlencode({"iri": iri})


def figure(value: str) -> str:
    """A decimal as a reader writes it (3100000000 as 3,100,000,000; 12.50 as 12.5); other text as it is."""
    try:
        return f"{Decimal(value).normalize():,f}"
    except InvalidOperation:
        return value


def page_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    # IRIs are shown as a query accepts them (person:sam-carter, or <...>), to be pasted into one as they are
    templates.env.globals.update(href=href, sparql_term=sparql_term, figure=figure, urlencode=urlencode)
    return templates


CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; form-action 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'self'"
)
"""The pages' Content-Security-Policy: scripts and styles are the site's own files, nothing is fetched
from elsewhere, and only the site's own pages may frame a page."""

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
}
"""Headers on every response: no type sniffing, framed only by the site, and page URLs (which hold
queries) never sent to other sites as referrers."""
