"""The SPARQL 1.1 endpoint and web interface of adcs-kg (``adcs-kg serve``).

One FastAPI application (:func:`create_app`) serves:

- ``/sparql``: the SPARQL 1.1 Protocol (query by GET, form POST or ``application/sparql-query``;
  content negotiation with q-values or ``format=``; ``default-graph-uri``/``named-graph-uri``),
  and, at the same URL without a query, a SPARQL Service Description with the VoID description
  of the dataset (triples per named graph, classes, properties, source documents), which
  ``/.well-known/void`` serves alone;
- SPARQL Update (on ``/sparql``) and the Graph Store Protocol (``/store``), only when the server
  was started with a token, and then only for requests bearing it;
- ``/api/queries`` (the named queries as a JSON API), ``/health`` and ``/metrics`` (Prometheus);
- the web pages: home, named-query forms, a SPARQL editor, a linked-data page for every
  resource (``/id/...`` and ``/resource?iri=...``) showing its facts and the quotes they came from,
  and the pictures of :mod:`graph.viz` (``/viz/...``: a resource's neighbourhood, embedded in its
  page; the officer timeline; a measure across reports).

The package's modules, each holding one concern:

- :mod:`.app`: :func:`create_app` (routers, error handlers, metrics middleware) and :func:`serve`;
- :mod:`.config`: :class:`ServerConfig`; :mod:`.service`: the :class:`~.service.Service` routes share;
- :mod:`.workers`: where queries and pictures run (worker processes, or a remote store);
- :mod:`.negotiation`: which format a request gets; the formats' writers are :mod:`graph.results`';
- :mod:`.describe`: VoID and the SPARQL Service Description; :mod:`.metrics`: Prometheus counters;
- :mod:`.writer`: updates and Graph Store Protocol changes; :mod:`.bodies`: reading request bodies;
- :mod:`.templates`: the pages' templates and filters;
- :mod:`.routes`: one ``APIRouter`` per family (protocol, graph_store, api, pages, resources, pictures).
"""

from .app import create_app, serve
from .config import ENV_TOKEN, ServerConfig

__all__ = ["ENV_TOKEN", "ServerConfig", "create_app", "serve"]
