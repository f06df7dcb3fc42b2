"""Build: load the corpus through the loaders, reason, validate, store, and only then commit.

Two pipelines give the same graph (tests check it) and the same validation results:

- **streaming** (``--reasoning rl-fast`` or ``none``; the default). Each document goes through
  one worker process: the document loaders, then the compiled rules of
  :class:`~graph.reason.Rules` (what the document entails on its own), then the compiled shapes
  of :class:`~graph.shacl.Shapes` on the nodes it describes; the main process writes its asserted
  and inferred triples into a staged store generation in batches and records what it described
  (:mod:`graph.record`). Once every document is in: the corpus loaders decide on the facts each
  document gave (no merged graph), their change is written, the property chains and the
  disjointness checks run as SPARQL on the staged store, the nodes several documents describe are
  validated there, and the quality checks run there. Memory holds one batch of documents at a
  time, whatever the size of the corpus. A build of a store that holds a recorded build
  re-extracts only the documents whose content changed (see :func:`update`).
- **reference** (``--reasoning owl-rl``): the whole graph in memory (rdflib), reasoned by owlrl
  and validated by pyshacl; the oracle the streaming pipeline is tested against.

Stages, each timed in the summary: ``extract``, ``reason`` and ``validate`` (for a streaming
build, the seconds the workers spent on each, summed over documents, plus the corpus-wide
steps), ``link`` (the corpus loaders), ``store`` (writing). Any error before the commit
discards the staged generation and leaves the store as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

import loaders
from loaders.document import DEFAULT_MAX_DOCUMENT_BYTES
from loaders.extraction import Skip

from .errors import LoaderError, ShapeError
from .namespaces import ASSERTED_GRAPH, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH
from .ontology import ontology_graph, shapes_graph
from .reason import Reasoning, Rules, Triple, infer
from .record import CORPUS_CHUNK, BuildRecord
from .shacl import GraphDescription, Reads, Shapes, Violation
from .store import EmbeddedStore, Generation, StoreConfig, open_store
from .validate import ReportFormat, ValidationReport, report, validate

CORPUS_PATTERN = "*.txt"
"""Which files of a corpus directory are source documents."""


class Progress(Protocol):
    """Receives the build's progress; the CLI draws it as progress bars."""

    def stage(self, name: str, total: int | None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class _Silent:
    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


@dataclass(frozen=True)
class BuildSummary:
    documents: int
    items: int
    triples: dict[URIRef, int]
    """Triples per named graph (asserted, inferred, ontology)."""
    seconds: dict[str, float]
    """Wall-clock seconds per stage."""
    skipped: tuple[Skip, ...]
    validation: ValidationReport


def corpus_files(corpus: Path) -> list[Path]:
    """The source documents of a corpus directory, in name order."""
    if not corpus.is_dir():
        raise LoaderError(corpus, "corpus directory not found")
    files = sorted(p for p in corpus.glob(CORPUS_PATTERN) if p.is_file())
    if not files:
        raise LoaderError(corpus, f"no source documents ({CORPUS_PATTERN}) in the corpus directory")
    return files


def _raise_load_errors(files: list[Path], errors: dict[Path, LoaderError]) -> None:
    if not errors:
        return
    ordered = [errors[p] for p in sorted(errors)]
    if len(ordered) == 1:
        raise ordered[0]
    listing = "\n".join(f"  {e}" for e in ordered)
    raise LoaderError(files[0].parent, f"{len(ordered)} documents could not be loaded:\n{listing}")


R = TypeVar("R")


def _in_workers(
    work: Callable[[Path], R],
    files: list[Path],
    *,
    jobs: int,
    progress: Progress,
    prepare: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``work`` on each file, in ``jobs`` worker processes (or in this one), results as they come.

    At most two files per worker are in flight, so finished results do not pile up in memory.
    Every file is tried; those that cannot be loaded are reported together at the end.
    """
    errors: dict[Path, LoaderError] = {}
    if jobs <= 1 or len(files) == 1:
        if prepare is not None:
            prepare()
        for path in files:
            try:
                yield work(path)
            except LoaderError as exc:
                errors[path] = exc
            progress.advance()
    else:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context, initializer=prepare) as pool:
            waiting = iter(files)
            running: dict[Future[R], Path] = {}
            for path in waiting:
                running[pool.submit(work, path)] = path
                if len(running) >= 2 * jobs:
                    break
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    path = running.pop(future)
                    try:
                        yield future.result()
                    except LoaderError as exc:
                        errors[path] = exc
                    progress.advance()
                    following = next(waiting, None)
                    if following is not None:
                        running[pool.submit(work, following)] = following
    _raise_load_errors(files, errors)


def build(
    corpus: Path,
    *,
    store: StoreConfig,
    reasoning: Reasoning = Reasoning.RL_FAST,
    alignments: bool = True,
    allow_invalid: bool = False,
    jobs: int | None = None,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build the graph of ``corpus`` and replace the graph in ``store`` with it.

    Raises :class:`LoaderError` for unusable documents and :class:`ShapeError` when the graph
    does not validate (unless ``allow_invalid``); in both cases the store is left untouched.
    """
    files = corpus_files(corpus)
    settings = _Settings(
        reasoning=reasoning,
        alignments=alignments,
        allow_invalid=allow_invalid,
        jobs=jobs or os.cpu_count() or 1,
        max_document_bytes=max_document_bytes,
        progress=progress or _Silent(),
    )
    if reasoning is Reasoning.OWL_RL:
        return _reference_build(files, store, settings)
    return _streaming_build(files, store, settings)


@dataclass(frozen=True)
class _Settings:
    reasoning: Reasoning
    alignments: bool
    allow_invalid: bool
    jobs: int
    max_document_bytes: int
    progress: Progress


class _Clock:
    """Seconds per stage, and the progress bars' stages."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = dict.fromkeys(("extract", "link", "reason", "validate", "store"), 0.0)

    @contextmanager
    def stage(self, name: str, total: int | None = None, *, shown: bool = True) -> Iterator[None]:
        if shown:
            self.progress.stage(name, total)
        started = time.perf_counter()
        yield
        self.seconds[name] += time.perf_counter() - started


def _refuse_invalid(report: ValidationReport, settings: _Settings) -> None:
    if not report.conforms and not settings.allow_invalid:
        raise ShapeError(
            f"the graph does not conform ({len(report.results)} violations); the store was not changed",
            report_text=report.render(ReportFormat.HUMAN),
        )


# -- the reference pipeline: one graph in memory, owlrl, pyshacl --------------------------------


def _reference_build(files: list[Path], config: StoreConfig, settings: _Settings) -> BuildSummary:
    clock = _Clock(settings.progress)
    with clock.stage("extract", len(files)):
        extract = partial(loaders.extract_document, max_bytes=settings.max_document_bytes)
        found = _in_workers(extract, files, jobs=settings.jobs, progress=settings.progress)
        results = sorted(found, key=lambda r: r.file)
        asserted = Graph()
        for result in results:
            asserted.parse(data=result.ntriples, format="nt")
    with clock.stage("link"):
        linked, linking = loaders.derive_corpus([r.corpus_facts for r in results])
        for change in linked:
            change.apply(asserted)
        skipped = [s for r in results for s in r.skipped] + linking
    with clock.stage("reason"):
        ontology = ontology_graph(alignments=settings.alignments)
        inferred = infer(asserted, ontology, reasoning=settings.reasoning)
    graphs = {ASSERTED_GRAPH: asserted, INFERRED_GRAPH: inferred, ONTOLOGY_GRAPH: ontology}
    triples = {name: len(g) for name, g in graphs.items()}
    last = 0

    def stored(done: int, _total: int) -> None:
        nonlocal last
        settings.progress.advance(done - last)
        last = done

    with clock.stage("store", sum(triples.values())):
        staged = open_store(config).stage(graphs, on_progress=stored)
    with staged:
        with clock.stage("validate"):
            # the graphs are in the staged store now, so the asserted graph itself becomes the
            # graph pyshacl validates (in place): the inferred triples join it, no copy is made
            asserted += inferred
            validation = validate(asserted, ontology=ontology, shapes=shapes_graph(), store=staged)
        _refuse_invalid(validation, settings)
        staged.commit()
    return BuildSummary(
        documents=len(files),
        items=sum(r.items for r in results),
        triples=triples,
        seconds=clock.seconds,
        skipped=tuple(skipped),
        validation=validation,
    )


# -- the streaming pipeline ----------------------------------------------------------------------


@dataclass(frozen=True)
class StreamedDocument:
    """What a worker sends back for one document: its triples, what it describes, what it breaks."""

    file: str
    sha256: str
    items: int
    skipped: tuple[Skip, ...]
    corpus_facts: loaders.CorpusFacts
    asserted: bytes
    """N-Triples."""
    inferred: bytes
    """N-Triples: what the document entails on its own that it does not state."""
    subjects: list[tuple[str, bytes | None]]
    """Each node it describes, with the asserted N-Triples about it (None: only inferred ones)."""
    violations: list[Violation]
    reads: list[tuple[str, str]]
    """(focus, node): see :class:`graph.shacl.Reads`."""
    seconds: dict[str, float]


_WORKER: tuple[Rules | None, Shapes, Graph] | None = None
"""The compiled rules and shapes of a worker process (compiled once per process)."""


def _prepare_worker(reasoning: Reasoning, alignments: bool) -> None:
    global _WORKER
    ontology = ontology_graph(alignments=alignments)
    rules = Rules(ontology) if reasoning is Reasoning.RL_FAST else None
    _WORKER = (rules, Shapes(shapes_graph(), ontology), ontology)


def _ntriples(triples: Iterable[Triple]) -> bytes:
    """N-Triples, written as rdflib's serializer writes each triple (without building a graph)."""
    return "".join(map(_nt_row, triples)).encode()


def _by_subject(ntriples: bytes) -> dict[str, list[bytes]]:
    """N-Triples lines grouped by subject (an IRI: every subject of the graph is one)."""
    lines: dict[str, list[bytes]] = defaultdict(list)
    for line in ntriples.splitlines(keepends=True):
        if line.startswith(b"<"):
            lines[line[1 : line.index(b">")].decode()].append(line)
    return lines


def stream_document(path: Path, *, max_bytes: int) -> StreamedDocument:
    """Extract, reason over and validate one document (in a worker prepared by ``_prepare_worker``)."""
    assert _WORKER is not None, "the worker was not prepared"
    rules, shapes, ontology = _WORKER
    started = time.perf_counter()
    extraction = loaders.run_document_loaders(path, max_bytes=max_bytes)
    facts = loaders.gather_corpus_facts(extraction.graph, path.name, extraction.skipped)
    asserted = set(extraction.graph)
    asserted_nt = extraction.graph.serialize(format="nt", encoding="utf-8")
    extracted = time.perf_counter()
    inferred = rules.derive(asserted) - asserted if rules is not None else set()
    inferred_nt = _ntriples(inferred)
    reasoned = time.perf_counter()
    description = GraphDescription([*asserted, *inferred], ontology)
    violations: list[Violation] = []
    reads: list[tuple[str, str]] = []
    subjects = {s for s, _, _ in asserted} | {s for s, _, _ in inferred}
    for node in sorted(subjects, key=str):
        node_reads = Reads(node)
        violations += shapes.validate(description, node, node_reads)
        reads += [(str(node), str(n)) for n in node_reads.nodes]
    by_subject = _by_subject(asserted_nt)
    rows = [(str(s), b"".join(by_subject[str(s)]) if str(s) in by_subject else None) for s in subjects]
    validated = time.perf_counter()
    return StreamedDocument(
        file=path.name,
        sha256=extraction.document.sha256,
        items=len(extraction.items),
        skipped=tuple(extraction.skipped),
        corpus_facts=facts,
        asserted=asserted_nt,
        inferred=inferred_nt,
        subjects=rows,
        violations=violations,
        reads=reads,
        seconds={"extract": extracted - started, "reason": reasoned - extracted, "validate": validated - reasoned},
    )


class _Batches:
    """Writes N-Triples into the staged generation in batches of about ``size`` bytes per graph."""

    def __init__(self, staged: Generation, clock: _Clock, size: int = 32 * 1024 * 1024) -> None:
        self.staged, self.clock, self.size = staged, clock, size
        self.pending: dict[URIRef, list[bytes]] = defaultdict(list)
        self.bytes: dict[URIRef, int] = defaultdict(int)

    def add(self, graph: URIRef, ntriples: bytes) -> None:
        self.pending[graph].append(ntriples)
        self.bytes[graph] += len(ntriples)
        if self.bytes[graph] >= self.size:
            self.flush(graph)

    def flush(self, *graphs: URIRef) -> None:
        for graph in graphs or tuple(self.pending):
            if self.pending[graph]:
                with self.clock.stage("store", shown=False):
                    self.staged.load(b"".join(self.pending[graph]), graph)
            self.pending[graph], self.bytes[graph] = [], 0


class StoreNodes:
    """The staged store as a :class:`~graph.shacl.Description`, read one node and property at a time."""

    def __init__(self, staged: Generation) -> None:
        self.staged = staged
        self._cache: dict[tuple[Node, Node], set[Node]] = {}

    def values(self, node: Node, predicate: Node) -> set[Node]:
        key = (node, predicate)
        if key not in self._cache:
            if len(self._cache) > 200_000:
                self._cache.clear()
            found = self.staged.objects(node, predicate) if isinstance(node, URIRef) else set()
            self._cache[key] = found
        return self._cache[key]

    def types(self, node: Node) -> set[Node]:
        return self.values(node, RDF.type)


def _graph_nodes(triples: Iterable[Triple]) -> set[Node]:
    return {n for t in triples for n in (t[0], t[2]) if isinstance(n, URIRef) and str(n).startswith(str(ID))}


def _refresh_inferred(staged: Generation, rules: Rules, nodes: Iterable[Node]) -> None:
    """Recompute what is inferred about ``nodes`` from the asserted triples that mention them
    (all a node's consequences come from those, chains apart)."""
    for node in nodes:
        mentioning = [(s, p, o) for s, p, o, _ in staged.quads(subject=node, graph=ASSERTED_GRAPH)]
        mentioning += [(s, p, o) for s, p, o, _ in staged.quads(obj=node, graph=ASSERTED_GRAPH)]
        derived = {t for t in rules.derive(mentioning) if t[0] == node}
        current = {(s, p, o) for s, p, o, _ in staged.quads(subject=node, graph=INFERRED_GRAPH)}
        staged.remove(current - derived, INFERRED_GRAPH)
        staged.add(derived - current, INFERRED_GRAPH)


def _close_chains(staged: Generation, rules: Rules, record: BuildRecord) -> None:
    """Add what the property chains give on the whole staged graph, until they give nothing new."""
    while True:
        new = [t for t in rules.chained(staged) if not staged.contains(t)]
        if not new:
            return
        staged.add(new, INFERRED_GRAPH)
        record.add_subjects(CORPUS_CHUNK, ((str(s), None) for s in {t[0] for t in new}))


_DROP_INFERRED_ASSERTED = f"""DELETE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}
WHERE {{ GRAPH <{ASSERTED_GRAPH}> {{ ?s ?p ?o }} GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}"""
"""What one document infers and another states is asserted, not inferred."""


def _streaming_build(files: list[Path], config: StoreConfig, settings: _Settings) -> BuildSummary:
    clock = _Clock(settings.progress)
    ontology = ontology_graph(alignments=settings.alignments)
    rules = Rules(ontology) if settings.reasoning is Reasoning.RL_FAST else None
    shapes = Shapes(shapes_graph(), ontology)
    with tempfile.TemporaryDirectory(prefix="adcs-kg-build-") as scratch:
        local = EmbeddedStore(StoreConfig(Path(scratch) / "store")) if config.is_remote else EmbeddedStore(config)
        with local.stage({ONTOLOGY_GRAPH: ontology}) as staged:
            record = BuildRecord(staged.path)
            try:
                summary = _stream_into(files, staged, record, rules, shapes, clock, settings)
                _refuse_invalid(summary.validation, settings)
                record.commit()
            finally:
                record.close()
            if config.is_remote:
                with clock.stage("store", shown=False):
                    open_store(config).replace({g: staged.graph(g) for g in summary.triples})
                staged.discard()
            else:
                staged.commit()
    return BuildSummary(
        documents=summary.documents,
        items=summary.items,
        triples=summary.triples,
        seconds=clock.seconds,
        skipped=summary.skipped,
        validation=summary.validation,
    )


def _stream_into(
    files: list[Path],
    staged: Generation,
    record: BuildRecord,
    rules: Rules | None,
    shapes: Shapes,
    clock: _Clock,
    settings: _Settings,
) -> BuildSummary:
    batches = _Batches(staged, clock)
    facts: list[loaders.CorpusFacts] = []
    skipped: dict[str, tuple[Skip, ...]] = {}
    violations: dict[str, list[Violation]] = defaultdict(list)
    items = 0
    settings.progress.stage("extract", len(files))
    work = partial(stream_document, max_bytes=settings.max_document_bytes)
    for doc in _in_workers(
        work,
        files,
        jobs=settings.jobs,
        progress=settings.progress,
        prepare=partial(_prepare_worker, settings.reasoning, settings.alignments),
    ):
        for stage, seconds in doc.seconds.items():
            clock.seconds[stage] += seconds
        with clock.stage("store", shown=False):
            chunk = record.add_document(doc.file, doc.sha256, doc.items, doc.skipped, doc.corpus_facts)
            record.add_subjects(chunk, doc.subjects)
            record.add_reads(chunk, doc.reads)
        batches.add(ASSERTED_GRAPH, doc.asserted)
        batches.add(INFERRED_GRAPH, doc.inferred)
        facts.append(doc.corpus_facts)
        skipped[doc.file] = doc.skipped
        items += doc.items
        for v in doc.violations:
            violations[str(v.focus)].append(v)
    batches.flush()
    with clock.stage("link"):
        linked, linking = loaders.derive_corpus(facts)
        for change in linked:
            _write_corpus_change(staged, record, rules, change.added, change.removed)
    with clock.stage("reason"):
        if rules is not None:
            _close_chains(staged, rules, record)
            staged.update(_DROP_INFERRED_ASSERTED)
            rules.check_consistency(staged)
    with clock.stage("validate"):
        validation = _validate_staged(staged, record, shapes, violations)
    counts = staged.triple_counts()
    return BuildSummary(
        documents=len(files),
        items=items,
        triples={g: counts.get(g, 0) for g in (ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH)},
        seconds=clock.seconds,
        skipped=tuple(s for file in sorted(skipped) for s in skipped[file]) + tuple(linking),
        validation=validation,
    )


def _write_corpus_change(
    staged: Generation, record: BuildRecord, rules: Rules | None, added: Graph, removed: Iterable[Triple]
) -> None:
    """Write what the corpus loaders add and remove, with what it changes of the inferred graph."""
    removed = list(removed)
    staged.add(added, ASSERTED_GRAPH)
    staged.remove(removed, ASSERTED_GRAPH)
    derived = rules.derive(added) if rules is not None else set()
    staged.add(derived, INFERRED_GRAPH)
    touched = _graph_nodes(removed)
    if rules is not None:
        _refresh_inferred(staged, rules, touched)
    described = {s for s, _, _ in added} | {s for s, _, _ in derived} | touched
    record.add_subjects(CORPUS_CHUNK, ((str(s), None) for s in described))


def _validate_staged(
    staged: Generation, record: BuildRecord, shapes: Shapes, by_document: dict[str, list[Violation]]
) -> ValidationReport:
    """The documents' own results where a document alone decides, the store's elsewhere."""
    nodes = StoreNodes(staged)
    found: list[Violation] = []
    revalidated: set[str] = set()
    for focus in record.to_validate_on_the_store():
        if focus in by_document:
            revalidated.add(focus)
        found += shapes.validate(nodes, URIRef(focus))
    for focus, results in by_document.items():
        if focus not in revalidated:
            found += results
    return report(found, store=staged, data=nodes)
