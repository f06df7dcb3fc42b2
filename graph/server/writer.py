"""The update writer: SPARQL Update and Graph Store Protocol changes applied to an embedded store.

A change runs on a copy of the graph in memory, then is stored as a new generation, so readers
see the graph before or after it, never during.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..errors import ProtocolError, QuerySyntaxError
from ..namespaces import GRAPH
from ..results import PREFIX_IRIS
from ..store import EmbeddedStore, StoreConfig, syntax_error

UPDATES_GRAPH = GRAPH.updates
"""Where SPARQL Update writes triples addressed to the default graph (queries see the union)."""


class GraphWriter:
    """Applies changes to an embedded store: on a copy in memory, then stored as a new generation.

    In the copy, the default graph holds :data:`UPDATES_GRAPH`, so an update that names no graph
    writes there; queries keep seeing the union of all named graphs.
    """

    def __init__(self, config: StoreConfig) -> None:
        self._store = EmbeddedStore(config)
        self._lock = asyncio.Lock()

    def _load(self) -> ox.Store:
        memory = ox.Store()
        if self._store.exists():
            dump = self._store.raw().dump(format=ox.RdfFormat.N_QUADS)
            memory.bulk_load(dump, format=ox.RdfFormat.N_QUADS)
            updates = ox.NamedNode(str(UPDATES_GRAPH))
            for quad in list(memory.quads_for_pattern(None, None, None, updates)):
                memory.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
            memory.remove_graph(updates)
        return memory

    def _save(self, memory: ox.Store) -> None:
        graphs: dict[URIRef, Graph] = {}
        names: list[tuple[URIRef, ox.NamedNode | ox.DefaultGraph]] = [
            (URIRef(g.value), g) for g in memory.named_graphs() if isinstance(g, ox.NamedNode)
        ]
        for name, node in [*names, (UPDATES_GRAPH, ox.DefaultGraph())]:
            graph = graphs.setdefault(name, Graph())
            data = memory.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)
            if data:
                graph.parse(data=data, format="nt")
        self._store.replace({name: g for name, g in graphs.items() if len(g) or name != UPDATES_GRAPH})

    def _apply(self, change: Callable[[ox.Store], None]) -> None:
        memory = self._load()
        change(memory)
        self._save(memory)

    async def apply(self, change: Callable[[ox.Store], None]) -> None:
        """Run ``change`` on a copy of the graph and store the result atomically."""
        async with self._lock:
            await asyncio.to_thread(self._apply, change)


def run_update(update: str) -> Callable[[ox.Store], None]:
    def change(memory: ox.Store) -> None:
        try:
            memory.update(update, prefixes=PREFIX_IRIS)
        except SyntaxError as exc:
            error = syntax_error(exc)
            raise QuerySyntaxError(error.message, line=error.line, column=error.column, source="update") from exc
        except OSError as exc:  # what LOAD (when allowed) could not fetch or read
            raise ProtocolError(502, f"the update could not load its data: {exc}") from exc

    return change


def put_graph(name: str, data: bytes, rdf_format: ox.RdfFormat, *, replace: bool) -> Callable[[ox.Store], None]:
    def change(memory: ox.Store) -> None:
        graph = ox.NamedNode(name)
        try:
            quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in ox.parse(data, format=rdf_format)]
        except SyntaxError as exc:
            raise ProtocolError(400, f"the request body does not parse as {rdf_format.name}: {exc.msg}") from exc
        if replace and memory.contains_named_graph(graph):
            memory.remove_graph(graph)
        memory.extend(quads)

    return change


def delete_graph(name: str) -> Callable[[ox.Store], None]:
    def change(memory: ox.Store) -> None:
        graph = ox.NamedNode(name)
        if not memory.contains_named_graph(graph):
            raise ProtocolError(404, f"there is no graph {name}")
        memory.remove_graph(graph)

    return change
