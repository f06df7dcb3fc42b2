"""The embedded store: a directory on this machine holding pyoxigraph (RocksDB) *generations*::

    STORE/
      current -> generations/01795548000000000000-1234   (symlink, switched atomically)
      generations/...                               (one pyoxigraph store per build)
      build.lock                                    (one writer at a time)

A build stages a new generation, flushes and closes it, and only then switches ``current`` with
an atomic rename, so a failed or killed build (even by SIGKILL) never touches the graph readers
see. An update applies in place to the current generation, in one RocksDB transaction (a
one-triple update takes well under a millisecond, whatever the size of the graph); ``current`` is
then renewed (the same target, a new link), which tells readers to reopen. Readers open the
current generation read-only and reopen when ``current`` changes.

Queries run on pyoxigraph's SPARQL engine; results come back as rdflib objects so the rest of
the code works with rdflib. The default graph of every query is the union of the named graphs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Node

from ..errors import StoreError, UnreadableGenerationError
from ..namespaces import PREFIXES, UPDATES_GRAPH
from ..results import PREFIX_IRIS, Answer, Cell, answer_from_ox, ox_cell, ox_term, rdflib_term
from ..sparql import syntax_error
from .base import ProgressCallback, Staging, Store, StoreConfig

_UPDATE_BEFORE = f"ADD SILENT GRAPH <{UPDATES_GRAPH}> TO DEFAULT ;\n"
"""Put before an update: the updates graph becomes the default graph the update writes to..."""
_MOVE_BACK = f"MOVE SILENT DEFAULT TO GRAPH <{UPDATES_GRAPH}>"
_UPDATE_AFTER = (f"\n;\n{_MOVE_BACK}", f"\n{_MOVE_BACK}")
"""...and put after it: the default graph goes back into the updates graph. The second form is for
an update that ends with its own ``;``. All of it is one request, so one transaction."""


def _query(store: ox.Store, sparql: str, bindings: Mapping[str, Identifier] | None, where: Path) -> Result:
    """A SPARQL query on ``store`` (default graph: the union), parameters bound, results as rdflib's."""
    dataset = Dataset(store=OxigraphStore(store=store), default_union=True)
    try:
        return dataset.query(sparql, initNs=PREFIXES, initBindings=dict(bindings or {}))
    except SyntaxError as exc:
        raise syntax_error(exc) from exc
    except OSError as exc:
        raise StoreError(f"query failed on the store at {where}: {exc}") from exc


class Generation(Staging):
    """A new generation being written, held under the build lock until committed or discarded.

    Beyond :class:`Staging`, a streaming build writes it piece by piece (``load``, ``add``,
    ``remove``, ``update``) and reads single nodes back (``quads``); ``path`` is its directory,
    where the build keeps its record of the documents beside the graph.
    """

    def __init__(self, owner: EmbeddedStore, path: Path, store: ox.Store, lock: contextlib.ExitStack) -> None:
        self._owner = owner
        self.path = path
        self._store: ox.Store | None = store
        self._lock = lock

    def __enter__(self) -> Generation:
        return self

    @property
    def done(self) -> bool:
        return self._store is None

    def _open(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"the staged generation {self.path} was already committed or discarded")
        return self._store

    def query(self, sparql: str) -> Result:
        return _query(self._open(), sparql, None, self.path)

    def load(self, ntriples: bytes, graph: URIRef) -> None:
        """Bulk-load N-Triples into one named graph."""
        try:
            self._open().bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot write to the new generation in {self.path}: {exc}") from exc

    def add(self, triples: Iterable[tuple[Node, Node, Node]], graph: URIRef) -> None:
        name = ox.NamedNode(graph)
        self._open().extend(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), name) for s, p, o in triples)  # type: ignore[arg-type]

    def remove(self, triples: Iterable[tuple[Node, Node, Node]], graph: URIRef) -> None:
        store, name = self._open(), ox.NamedNode(graph)
        for s, p, o in triples:
            store.remove(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), name))  # type: ignore[arg-type]

    def update(self, sparql: str) -> None:
        self._open().update(sparql)

    def contains(self, triple: tuple[Node, Node, Node]) -> bool:
        """Whether any of its named graphs holds ``triple``."""
        s, p, o = (_ox_term(t) for t in triple)
        return next(iter(self._open().quads_for_pattern(s, p, o, None)), None) is not None  # type: ignore[arg-type]

    def quads(
        self, subject: Node | None = None, obj: Node | None = None, graph: URIRef | None = None
    ) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """The quads with ``subject`` (or ``obj``) in ``graph`` (or any graph), as rdflib terms."""
        found = self._open().quads_for_pattern(
            _ox_term(subject) if subject is not None else None,  # type: ignore[arg-type]
            None,
            _ox_term(obj) if obj is not None else None,
            ox.NamedNode(graph) if graph is not None else None,
        )
        for quad in found:
            s, p, o = (rdflib_term(ox_cell(t)) for t in (quad.subject, quad.predicate, quad.object))
            yield s, p, o, URIRef(quad.graph_name.value)  # type: ignore[union-attr]

    def objects(self, subject: Node, predicate: Node) -> set[Node]:
        """The objects of ``subject`` and ``predicate`` in any of its named graphs."""
        found = self._open().quads_for_pattern(_ox_term(subject), _ox_term(predicate), None, None)  # type: ignore[arg-type]
        return {rdflib_term(ox_cell(quad.object)) for quad in found}

    def graph(self, name: URIRef) -> Graph:
        """A copy of one of its named graphs (to send a build made here to a remote store)."""
        data = self._open().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        return Graph().parse(data=data, format="nt")

    def triple_counts(self) -> dict[URIRef, int]:
        return _triple_counts(self._open())

    def commit(self) -> None:
        store = self._open()
        try:
            store.flush()
        except OSError as exc:
            self.discard()
            raise StoreError(f"cannot write a new generation in {self._owner.path}: {exc}") from exc
        self._store = None
        del store
        with self._lock:
            self._owner.switch_to(self.path)
            self._owner.remove_stale_generations()

    def discard(self) -> None:
        self._store = None
        with self._lock:
            shutil.rmtree(self.path, ignore_errors=True)


class EmbeddedStore(Store):
    """A persistent pyoxigraph store on disk: replaced one whole generation at a time, updated in place."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self.path = config.path
        self._opened: tuple[tuple[int, int], ox.Store] | None = None
        """The generation open for reading, and the (inode, mtime) of the ``current`` link that named it."""
        self._writer: tuple[Path, ox.Store] | None = None

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
        try:  # a new link (even to the same generation) means: reopen
            link = os.lstat(self._current_link)
        except FileNotFoundError:
            link = None
        version = None if link is None else (link.st_ino, link.st_mtime_ns)
        if self._opened is not None and version == self._opened[0]:
            return self._opened[1]  # the link is the one opened: no path to resolve
        generation = self.current_generation()  # resolved after the link was read: a switch between means reopen
        if generation is None or version is None:
            raise StoreError(f"no graph has been built in {self.path} yet: run `adcs-kg build` first")
        self._opened = (version, self._open_read_only(generation))
        return self._opened[1]

    @staticmethod
    def _open_read_only(generation: Path, attempts: int = 5) -> ox.Store:
        """Open ``generation`` for reading; retried, as a writer's compaction may remove files meanwhile."""
        for attempt in range(attempts):
            try:
                return ox.Store.read_only(str(generation))
            except (OSError, RuntimeError) as exc:  # RocksDB reports a file removed under it as corruption
                if attempt == attempts - 1:
                    raise StoreError(f"cannot open the store at {generation}: {exc}") from exc
                time.sleep(0.01 * 2**attempt)
        raise AssertionError("unreachable")

    def results(
        self,
        sparql: str,
        *,
        bindings: Sequence[tuple[str, Cell]] = (),
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query straight on pyoxigraph; its results, read as they are iterated or written.

        The dataset is the union of the named graphs unless ``default_graphs`` or ``named_graphs``
        say otherwise (the protocol's ``default-graph-uri`` and ``named-graph-uri``); parameters
        are pyoxigraph substitutions; relative IRIs resolve against ``base_iri``; the project's
        prefixes are predeclared. A syntax error is pyoxigraph's ``SyntaxError``, for the caller
        to place.
        """
        dataset: dict[str, Any] = {"use_default_graph_as_union": True}
        if default_graphs or named_graphs:
            dataset = {
                "default_graph": [ox.NamedNode(g) for g in default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs],
            }
        return self._store().query(
            sparql,
            base_iri=base_iri,
            prefixes=PREFIX_IRIS,
            substitutions={ox.Variable(name): ox_term(cell) for name, cell in bindings},
            **dataset,
        )

    def answer(
        self,
        sparql: str,
        *,
        max_rows: int,
        bindings: Sequence[tuple[str, Cell]] = (),
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> Answer:
        """:meth:`results` read into the one result model, at most ``max_rows`` rows."""
        results = self.results(
            sparql, bindings=bindings, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri
        )
        return answer_from_ox(results, max_rows)

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query on the union of the named graphs; parameters are bound, not pasted.

        The prefixes of :data:`~graph.namespaces.PREFIXES` are predeclared.
        """
        return _query(self._store(), sparql, bindings, self.path)

    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph as an rdflib Graph."""
        data = self._store().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))
        return Graph().parse(data=data, format="nt")

    def triple_counts(self) -> dict[URIRef, int]:
        """Triples per named graph."""
        return _triple_counts(self._store())

    # -- writing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _build_lock(self) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        lock_path = self.path / "build.lock"
        handle: IO[str]
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

    def stage(self, graphs: Mapping[URIRef, Graph], *, on_progress: ProgressCallback | None = None) -> Generation:
        """Write ``graphs`` (name -> triples) as a new generation; nothing readers see changes until commit."""
        lock = contextlib.ExitStack()
        lock.enter_context(self._build_lock())
        with lock.pop_all() as held:
            self._generations.mkdir(parents=True, exist_ok=True)
            self.remove_stale_generations()
            # names sort in creation order: nanoseconds since the epoch, zero-padded
            generation = self._generations / f"{time.time_ns():020d}-{os.getpid()}"
            try:
                store = ox.Store(str(generation))
                total = sum(len(g) for g in graphs.values())
                done = 0
                for name, graph in graphs.items():
                    store.bulk_extend(_ox_quads(graph, ox.NamedNode(str(name))))
                    done += len(graph)
                    if on_progress:
                        on_progress(done, total)
            except (OSError, ValueError) as exc:
                shutil.rmtree(generation, ignore_errors=True)
                raise StoreError(f"cannot write a new generation in {self.path}: {exc}") from exc
            return Generation(self, generation, store, held.pop_all())

    def stage_copy(self, *, beside: Sequence[str] = ()) -> Generation:
        """A new generation holding a copy of the current one (RocksDB's checkpoint: hard links,
        so it takes moments whatever the size), with the files named in ``beside`` copied along;
        the current generation is not touched until commit."""
        lock = contextlib.ExitStack()
        lock.enter_context(self._build_lock())
        with lock.pop_all() as held:
            current = self.current_generation()
            if current is None:
                raise StoreError(f"no graph has been built in {self.path} yet: run `adcs-kg build` first")
            self.remove_stale_generations()
            generation = self._generations / f"{time.time_ns():020d}-{os.getpid()}"
            try:
                ox.Store.read_only(str(current)).backup(str(generation))
                for name in beside:
                    shutil.copy2(current / name, generation / name)
                store = ox.Store(str(generation))
            except (OSError, RuntimeError) as exc:
                shutil.rmtree(generation, ignore_errors=True)
                raise UnreadableGenerationError(f"cannot copy the current generation of {self.path}: {exc}") from exc
            return Generation(self, generation, store, held.pop_all())

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update in place to the current generation, in one transaction.

        In the update the default graph is :data:`~graph.namespaces.UPDATES_GRAPH`, so one that
        names no graph writes there; queries keep seeing the union of all named graphs. A
        syntax error is reported at its position in ``sparql``.
        """
        with self._build_lock():
            generation = self.current_generation()
            if generation is None:
                raise StoreError(f"no graph has been built in {self.path} yet: run `adcs-kg build` first")
            store = self._writable(generation)
            error: SyntaxError | None = None
            for after in _UPDATE_AFTER:
                try:
                    store.update(_UPDATE_BEFORE + sparql + after, base_iri=base_iri, prefixes=PREFIX_IRIS)
                except SyntaxError as exc:
                    error = error or exc
                    continue
                except OSError as exc:
                    raise StoreError(f"the update could not be applied to {generation}: {exc}") from exc
                self._sync_log(generation)
                self.switch_to(generation)
                return
            assert error is not None
            raise syntax_error(error, source="update", lines_before=_UPDATE_BEFORE.count("\n")) from error

    def _writable(self, generation: Path) -> ox.Store:
        """The current generation opened for writing (kept open: opening costs tens of milliseconds)."""
        if self._writer is None or self._writer[0] != generation:
            self._writer = None
            try:
                self._writer = (generation, ox.Store(str(generation)))
            except OSError as exc:
                raise StoreError(f"cannot open {generation} for writing (is another process writing?): {exc}") from exc
        return self._writer[1]

    @staticmethod
    def _sync_log(generation: Path) -> None:
        """Make the update durable: fsync RocksDB's write-ahead logs (a full flush takes 100 ms or more)."""
        for log in generation.glob("*.log"):
            with contextlib.suppress(FileNotFoundError):
                descriptor = os.open(log, os.O_RDONLY)
                try:
                    os.fsync(descriptor)
                finally:
                    os.close(descriptor)

    def switch_to(self, generation: Path) -> None:
        """Point ``current`` at ``generation`` with a new link (readers reopen), atomically and durably."""
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

    def remove_stale_generations(self) -> None:
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


def _triple_counts(store: ox.Store) -> dict[URIRef, int]:
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    assert isinstance(result, ox.QuerySolutions)
    return {URIRef(row["g"].value): int(row["n"].value) for row in result}


def _ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as pyoxigraph's (the staged graph is written term by term, not re-parsed)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if isinstance(term, Literal):
        datatype = ox.NamedNode(term.datatype) if term.datatype and not term.language else None
        return ox.Literal(term, language=term.language, datatype=datatype)
    raise StoreError(f"{term!r} cannot be stored: only IRIs, blank nodes and literals can")


def _ox_quads(graph: Graph, name: ox.NamedNode) -> Iterator[ox.Quad]:
    for s, p, o in graph:
        yield ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), name)  # type: ignore[arg-type]
