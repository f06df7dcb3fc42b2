"""The update writer: SPARQL Update and Graph Store Protocol changes, applied through the :class:`Store` interface.

Every change is one ``Store.update`` (applied in place, in one transaction), so readers see the
graph before or after it, never during. A Graph Store Protocol request becomes the update it
means (``DROP`` and ``INSERT``); the writer runs one change at a time, so that whether a graph
existed before a ``PUT`` is what the ``PUT`` replaced.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import pyoxigraph as ox

from ..errors import ProtocolError, StoreError
from ..sparql import keywords
from ..store import Store

_T = TypeVar("_T")


def _ntriples(data: bytes, rdf_format: ox.RdfFormat) -> str:
    """A request body's triples as N-Triples; 400 when it does not parse."""
    try:
        triples = [quad.triple for quad in ox.parse(data, format=rdf_format)]
    except SyntaxError as exc:
        raise ProtocolError(400, f"the request body does not parse as {rdf_format.name}: {exc.msg}") from exc
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


class GraphWriter:
    """Applies updates and Graph Store Protocol changes to a store, one at a time."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = asyncio.Lock()

    async def _one_at_a_time(self, change: Callable[[], _T]) -> _T:
        async with self._lock:
            return await asyncio.to_thread(change)

    def _holds(self, name: str) -> bool:
        return bool(self._store.query(f"ASK {{ GRAPH <{name}> {{ ?s ?p ?o }} }}").askAnswer)

    async def update(self, update: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update, its relative IRIs resolved against ``base_iri``; 502 when its LOAD fails."""

        def change() -> None:
            try:
                self._store.update(update, base_iri=base_iri)
            except StoreError as exc:
                if "LOAD" in keywords(update):  # what LOAD (when allowed) could not fetch or read
                    raise ProtocolError(502, f"the update could not load its data: {exc}") from exc
                raise

        await self._one_at_a_time(change)

    async def put(self, name: str, data: bytes, rdf_format: ox.RdfFormat, *, replace: bool) -> bool:
        """Add ``data`` to the graph ``name`` (replacing it when ``replace``); whether that created the graph."""
        triples = _ntriples(data, rdf_format)

        def change() -> bool:
            existed = self._holds(name)
            drop = f"DROP SILENT GRAPH <{name}> ;\n" if replace else ""
            # an INSERT template, not INSERT DATA: some servers refuse blank nodes in INSERT DATA
            self._store.update(f"{drop}INSERT {{ GRAPH <{name}> {{\n{triples}}} }} WHERE {{}}")
            return not existed

        return await self._one_at_a_time(change)

    async def delete(self, name: str) -> None:
        """Drop the graph ``name``; 404 when there is none."""

        def change() -> None:
            if not self._holds(name):
                raise ProtocolError(404, f"there is no graph {name}")
            self._store.update(f"DROP GRAPH <{name}>")

        await self._one_at_a_time(change)
