"""Stores: where a built graph lives and how it is read and replaced.

A store is either embedded (a directory on this machine, the default) or remote (a SPARQL 1.1
query endpoint with an update endpoint, see :mod:`graph.remote`); both implement
:class:`Store`, so every command works unchanged on either.

The embedded store is a directory of pyoxigraph (RocksDB) *generations*::

    STORE/
      current -> generations/01795548000000000000-1234   (symlink, switched atomically)
      generations/...                               (one pyoxigraph store per build)
      build.lock                                    (one build at a time)

A build writes a new generation, flushes and closes it, and only then switches ``current``
with an atomic rename, so a failed or killed build (even by SIGKILL) never touches the graph
readers see. Readers open the current generation read-only and reopen when it changes.

Queries run on pyoxigraph's SPARQL engine; results come back as rdflib objects so the rest of
the code works with rdflib. The default graph of every query is the union of the named graphs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from .errors import QuerySyntaxError, StoreError
from .namespaces import PREFIXES

ProgressCallback = Callable[[int, int], None]
"""Called with (done, total) as work advances."""

ENV_STORE = "ADCS_KG_STORE"
"""Environment variable naming the store (a path or a query-endpoint URL) when ``--store`` is not given."""
ENV_UPDATE_URL = "ADCS_KG_UPDATE_URL"
"""Environment variable naming a remote store's SPARQL 1.1 update endpoint."""
ENV_GSP_URL = "ADCS_KG_GSP_URL"
"""Environment variable naming a remote store's Graph Store Protocol endpoint."""


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/adcs-kg/store``, else ``~/.local/share/adcs-kg/store``."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "adcs-kg" / "store"


@dataclass(frozen=True)
class StoreConfig:
    """Where the graph lives: a directory (embedded) or the URL of a SPARQL 1.1 query endpoint.

    A remote store also needs ``update_url`` to be written to; ``gsp_url`` (Graph Store
    Protocol) makes loading faster where the server has it. Credentials are never part of the
    configuration: they come from the environment only (see :mod:`graph.remote`).
    """

    location: str | Path
    update_url: str | None = None
    gsp_url: str | None = None

    @property
    def is_remote(self) -> bool:
        return str(self.location).startswith(("http://", "https://"))

    @property
    def path(self) -> Path:
        """The directory of an embedded store."""
        if self.is_remote:
            raise StoreError(f"{self.location} is a remote store, not a directory")
        return Path(self.location)

    def __str__(self) -> str:
        return str(self.location)

    @classmethod
    def default(cls) -> StoreConfig:
        """From ``$ADCS_KG_STORE`` (and the update and GSP URLs' variables), else the default directory."""
        return cls(
            os.environ.get(ENV_STORE) or default_store_path(),
            update_url=os.environ.get(ENV_UPDATE_URL) or None,
            gsp_url=os.environ.get(ENV_GSP_URL) or None,
        )


class Store(Protocol):
    """What every store offers; the rest of adcs-kg uses only this."""

    config: StoreConfig

    def exists(self) -> bool:
        """Whether a graph has been built in the store."""

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query on the union of the named graphs, parameters bound as terms."""

    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph."""

    def triple_counts(self) -> dict[URIRef, int]:
        """Triples per named graph."""

    def replace(self, graphs: Mapping[URIRef, Graph], *, on_progress: ProgressCallback | None = None) -> None:
        """Replace the project's named graphs with ``graphs``, atomically for readers."""


_POSITION = re.compile(r"^error at (\d+):(\d+)(?:-\d+:\d+)?: ")


def syntax_error(exc: SyntaxError) -> QuerySyntaxError:
    """Translate pyoxigraph's parse error ("error at LINE:COLUMN: message") with its position."""
    message = str(exc.msg or exc)
    match = _POSITION.match(message)
    if match is None:
        return QuerySyntaxError(message)
    return QuerySyntaxError(message[match.end() :], line=int(match[1]), column=int(match[2]))


class EmbeddedStore:
    """A persistent pyoxigraph store on disk, replaced one whole generation at a time."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self.path = config.path
        self._opened: tuple[Path, ox.Store] | None = None

    # -- reading --------------------------------------------------------------------------

    @property
    def _current_link(self) -> Path:
        return self.path / "current"

    @property
    def _generations(self) -> Path:
        return self.path / "generations"

    def current_generation(self) -> Path | None:
        """The directory of the graph readers see, or None when nothing was built yet."""
        link = self._current_link
        if not link.is_symlink():
            return None
        target = link.resolve()
        return target if target.is_dir() else None

    def exists(self) -> bool:
        return self.current_generation() is not None

    def _store(self) -> ox.Store:
        generation = self.current_generation()
        if generation is None:
            raise StoreError(f"no graph has been built in {self.path} yet: run `adcs-kg build` first")
        if self._opened is None or self._opened[0] != generation:
            try:
                self._opened = (generation, ox.Store.read_only(str(generation)))
            except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB found the files corrupted
                raise StoreError(f"cannot open the store at {generation}: {exc}") from exc
        return self._opened[1]

    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store of the current generation (read-only)."""
        return self._store()

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query on the union of the named graphs; parameters are bound, not pasted.

        The prefixes of :data:`~graph.namespaces.PREFIXES` are predeclared.
        """
        dataset = Dataset(store=OxigraphStore(store=self._store()), default_union=True)
        try:
            return dataset.query(sparql, initNs=PREFIXES, initBindings=dict(bindings or {}))
        except SyntaxError as exc:
            raise syntax_error(exc) from exc
        except OSError as exc:
            raise StoreError(f"query failed on the store at {self.path}: {exc}") from exc

    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph as an rdflib Graph."""
        data = self._store().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))
        return Graph().parse(data=data, format="nt")

    def triple_counts(self) -> dict[URIRef, int]:
        """Triples per named graph."""
        result = self._store().query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        assert isinstance(result, ox.QuerySolutions)
        return {URIRef(row["g"].value): int(row["n"].value) for row in result}

    # -- writing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _build_lock(self) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        lock_path = self.path / "build.lock"
        with open(lock_path, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                message = f"another build is writing to {self.path}; try again when it has ended"
                raise StoreError(message) from exc
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def replace(self, graphs: Mapping[URIRef, Graph], *, on_progress: ProgressCallback | None = None) -> None:
        """Replace the whole graph with ``graphs`` (name -> triples), atomically for readers."""
        with self._build_lock():
            self._generations.mkdir(parents=True, exist_ok=True)
            self._remove_stale_generations()
            # names sort in creation order: nanoseconds since the epoch, zero-padded
            generation = self._generations / f"{time.time_ns():020d}-{os.getpid()}"
            try:
                store = ox.Store(str(generation))
                total = sum(len(g) for g in graphs.values())
                done = 0
                for name, graph in graphs.items():
                    data = graph.serialize(format="nt", encoding="utf-8")
                    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
                    done += len(graph)
                    if on_progress:
                        on_progress(done, total)
                store.flush()
                del store
            except (OSError, ValueError) as exc:
                shutil.rmtree(generation, ignore_errors=True)
                raise StoreError(f"cannot write a new generation in {self.path}: {exc}") from exc
            self._switch_to(generation)
            self._remove_stale_generations()

    def _switch_to(self, generation: Path) -> None:
        temporary = self.path / f"current.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        os.symlink(os.path.relpath(generation, self.path), temporary)
        os.replace(temporary, self._current_link)
        directory = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _remove_stale_generations(self) -> None:
        """Delete generations that are neither current nor the one before it (readers may hold it)."""
        current = self.current_generation()
        generations = sorted(p for p in self._generations.iterdir() if p.is_dir())
        keep = set()
        if current is not None:
            keep.add(current)
            older = [p for p in generations if p.name < current.name]
            keep.update(older[-1:])
        for path in generations:
            if path not in keep:
                shutil.rmtree(path, ignore_errors=True)


def open_store(config: StoreConfig) -> Store:
    """The store a configuration names: remote for an http(s) URL, else embedded."""
    if config.is_remote:
        from .remote import RemoteStore

        return RemoteStore(config)
    return EmbeddedStore(config)
