"""The floor of the endpoint benchmark: the least a FastAPI app over pyoxigraph does to answer SPARQL.

``GET /sparql?query=...`` runs the query on the store (the default graph the union of the named
graphs) and answers SPARQL JSON results; nothing else: no limits, no isolation, no negotiation,
no other format. ``endpoint_load.py`` runs it beside ``adcs-kg serve`` and Oxigraph's own server,
with the same uvicorn settings as ``adcs-kg serve``.

    python bench/minimal_endpoint.py --store STORE/current --port 8001
"""

from __future__ import annotations

import argparse

import pyoxigraph as ox
import uvicorn
from fastapi import FastAPI, Response


def minimal_app(location: str) -> FastAPI:
    store = ox.Store.read_only(location)
    app = FastAPI()

    @app.get("/sparql")
    def sparql(query: str) -> Response:
        results = store.query(query, use_default_graph_as_union=True)
        body = results.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", required=True, help="a pyoxigraph store directory (a generation)")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        minimal_app(args.store),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":
    main()
