"""The streaming pipeline: documents one at a time through the workers, the corpus-wide steps on
the staged store; and the incremental build, which redoes only what changed documents touch.

A full build (:func:`build_all`):

1. each document, in a worker: the document loaders, what the corpus loaders need of it, what it
   entails on its own (:meth:`~graph.reason.Rules.derive`), and the shapes on the nodes it
   describes (:class:`~graph.shacl.Shapes`), with the reads another document could change;
2. the main process writes its asserted and inferred triples into the staged generation in
   batches, and records what it described (:class:`~graph.record.BuildRecord`);
3. the corpus loaders decide on the facts of every document; their change is written, with what
   it changes of the inferred graph;
4. the property chains, until they add nothing, and the disjointness checks, as SPARQL;
5. the nodes several documents describe (and those whose reads reach another document's nodes)
   are validated on the staged store, the others keep their document's results; the quality
   checks run on the staged store.

An incremental build (:func:`update`) copies the current generation (RocksDB hard links) and its
record, extracts only the new and changed documents, recomputes the asserted triples of every
node a removed, changed or added document described (from what the remaining documents and the
corpus loaders say of it), the inferred triples of every node whose asserted triples changed (and
of the ends of property chains that changed), and validates again the nodes whose description
changed and the nodes that read them; everything else keeps its triples and its results. The
result is the graph a full build gives (a test checks it for additions, changes and deletions).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib import import_module
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

import loaders
from loaders.extraction import Skip

from .namespaces import ASSERTED_GRAPH, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH
from .ontology import ontology_graph, shapes_graph
from .pipeline import BuildSummary, Clock, Settings, in_workers, refuse_invalid
from .reason import Reasoning, Rules, Triple
from .record import CORPUS_CHUNK, RECORD_FILE, BuildRecord
from .shacl import GraphDescription, Reads, Shapes, Violation
from .store import EmbeddedStore, Generation, StoreConfig, open_store
from .validate import ValidationReport, report, run_quality_checks

# -- in the workers ------------------------------------------------------------------------------


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


def prepare_worker(reasoning: Reasoning, alignments: bool) -> None:
    global _WORKER
    ontology = ontology_graph(alignments=alignments)
    rules = Rules(ontology) if reasoning is Reasoning.RL_FAST else None
    _WORKER = (rules, Shapes(shapes_graph(), ontology), ontology)


def ntriples(triples: Iterable[Triple]) -> bytes:
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
    """Extract, reason over and validate one document (in a worker prepared by :func:`prepare_worker`)."""
    assert _WORKER is not None, "the worker was not prepared"
    rules, shapes, ontology = _WORKER
    started = time.perf_counter()
    extraction = loaders.run_document_loaders(path, max_bytes=max_bytes)
    facts = loaders.gather_corpus_facts(extraction.graph, path.name, extraction.skipped)
    asserted = set(extraction.graph)
    asserted_nt = ntriples(asserted)
    extracted = time.perf_counter()
    inferred = rules.derive(asserted) - asserted if rules is not None else set()
    inferred_nt = ntriples(inferred)
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


# -- in the main process -------------------------------------------------------------------------


class _Batches:
    """Writes N-Triples into the staged generation in batches of about ``size`` bytes per graph."""

    def __init__(self, staged: Generation, clock: Clock, size: int = 32 * 1024 * 1024) -> None:
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
            self._cache[key] = self.staged.objects(node, predicate) if isinstance(node, URIRef) else set()
        return self._cache[key]

    def types(self, node: Node) -> set[Node]:
        return self.values(node, RDF.type)


def _graph_nodes(triples: Iterable[Triple]) -> set[Node]:
    return {n for t in triples for n in (t[0], t[2]) if isinstance(n, URIRef) and n.startswith(str(ID))}


def _refresh_inferred(staged: Generation, rules: Rules, nodes: Iterable[Node]) -> set[tuple[Node, Node]]:
    """Recompute what is inferred about ``nodes`` from the asserted triples that mention them (all
    a node's consequences come from those, the chains apart); the (node, predicate) pairs changed."""
    changed: set[tuple[Node, Node]] = set()
    for node in nodes:
        about = [(s, p, o) for s, p, o, _ in staged.quads(subject=node, graph=ASSERTED_GRAPH)]
        mentioning = about + [(s, p, o) for s, p, o, _ in staged.quads(obj=node, graph=ASSERTED_GRAPH)]
        derived = {t for t in rules.derive(mentioning) if t[0] == node} - set(about)
        current = {(s, p, o) for s, p, o, _ in staged.quads(subject=node, graph=INFERRED_GRAPH)}
        staged.remove(current - derived, INFERRED_GRAPH)
        staged.add(derived - current, INFERRED_GRAPH)
        changed.update((node, p) for _, p, _ in current ^ derived)
    return changed


def _close_chains(staged: Generation, rules: Rules) -> set[Triple]:
    """Add what the property chains give on the whole staged graph until they give nothing new; what they gave."""
    added: set[Triple] = set()
    while True:
        new = [t for t in rules.chained(staged) if not staged.contains(t)]
        if not new:
            return added
        staged.add(new, INFERRED_GRAPH)
        added.update(new)


_DROP_INFERRED_ASSERTED = f"""DELETE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}
WHERE {{ GRAPH <{ASSERTED_GRAPH}> {{ ?s ?p ?o }} GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}"""
"""What one document infers and another states is asserted, not inferred."""


def fingerprint(settings: Settings) -> str:
    """What a recorded build depends on besides its documents: the reasoning, the ontology, the
    shapes, the quality checks and the loaders. A build of a store recorded with another
    fingerprint starts afresh."""
    digest = hashlib.sha256(f"{settings.reasoning}|{settings.alignments}".encode())
    for package in ("ontology", "ontology.alignments", "queries.qc", "loaders", "loaders.lexicons"):
        for path in sorted(Path(p) for p in import_module(package).__path__):
            for file in sorted(path.glob("*")):
                if file.suffix in {".ttl", ".rq", ".py", ".tsv"}:
                    digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


@dataclass
class _Corpus:
    """What the corpus loaders changed, as the record keeps it."""

    added: Graph
    removed: set[Triple]

    @classmethod
    def derive(cls, facts: list[loaders.CorpusFacts]) -> tuple[_Corpus, list[Skip]]:
        linked, skipped = loaders.derive_corpus(facts)
        added = Graph()
        removed: set[Triple] = set()
        for change in linked:
            added += change.added
            removed |= change.removed
        return cls(added, removed), skipped


@dataclass(frozen=True)
class _Run:
    """What one streaming build works with."""

    staged: Generation
    record: BuildRecord
    rules: Rules | None
    shapes: Shapes
    clock: Clock
    settings: Settings


def build_all(files: list[Path], config: StoreConfig, settings: Settings) -> BuildSummary:
    """A full streaming build of ``files`` into the store ``config`` names."""
    clock = Clock(settings.progress)
    ontology = ontology_graph(alignments=settings.alignments)
    rules = Rules(ontology) if settings.reasoning is Reasoning.RL_FAST else None
    shapes = Shapes(shapes_graph(), ontology)
    with tempfile.TemporaryDirectory(prefix="adcs-kg-build-") as scratch:
        local = EmbeddedStore(StoreConfig(Path(scratch) / "store")) if config.is_remote else EmbeddedStore(config)
        with local.stage({ONTOLOGY_GRAPH: ontology}) as staged:
            record = BuildRecord(staged.path)
            try:
                record.set("fingerprint", fingerprint(settings))
                summary = _stream_into(files, _Run(staged, record, rules, shapes, clock, settings))
                refuse_invalid(summary.validation, settings)
                record.commit()
            finally:
                record.close()
            if config.is_remote:
                with clock.stage("store", shown=False):
                    open_store(config).replace({g: staged.graph(g) for g in summary.triples})
                staged.discard()
            else:
                staged.commit()
    return _summary(summary, clock)


def _summary(summary: BuildSummary, clock: Clock) -> BuildSummary:
    return BuildSummary(
        documents=summary.documents,
        items=summary.items,
        triples=summary.triples,
        seconds=clock.seconds,
        skipped=summary.skipped,
        validation=summary.validation,
    )


def _stream_into(files: list[Path], run: _Run) -> BuildSummary:
    batches = _Batches(run.staged, run.clock)
    facts: list[loaders.CorpusFacts] = []
    violations: dict[str, list[Violation]] = defaultdict(list)
    run.settings.progress.stage("extract", len(files))
    for doc in _streamed(files, run.settings):
        for stage, seconds in doc.seconds.items():
            run.clock.seconds[stage] += seconds
        with run.clock.stage("store", shown=False):
            _record(run.record, doc)
        batches.add(ASSERTED_GRAPH, doc.asserted)
        batches.add(INFERRED_GRAPH, doc.inferred)
        facts.append(doc.corpus_facts)
        for v in doc.violations:
            violations[str(v.focus)].append(v)
    batches.flush()
    with run.clock.stage("link"):
        corpus, linking = _Corpus.derive(facts)
        run.record.set("corpus", (ntriples(corpus.added), corpus.removed, linking))
        run.staged.add(corpus.added, ASSERTED_GRAPH)
        run.staged.remove(corpus.removed, ASSERTED_GRAPH)
        described = {s for s, _, _ in corpus.added} | _graph_nodes(corpus.removed)
        if run.rules is not None:
            derived = run.rules.derive(corpus.added)
            run.staged.add(derived, INFERRED_GRAPH)
            _refresh_inferred(run.staged, run.rules, _graph_nodes(corpus.removed))
            described |= {s for s, _, _ in derived}
    with run.clock.stage("reason"):
        if run.rules is not None:
            described |= {s for s, _, _ in _close_chains(run.staged, run.rules)}
            run.staged.update(_DROP_INFERRED_ASSERTED)
            run.rules.check_consistency(run.staged)
        run.record.add_subjects(CORPUS_CHUNK, ((str(s), None) for s in described))
    with run.clock.stage("validate"):
        nodes = StoreNodes(run.staged)
        found: list[Violation] = []
        again: set[str] = set()
        for focus in run.record.to_validate_on_the_store():
            if focus in violations:
                again.add(focus)
            found += run.shapes.validate(nodes, URIRef(focus))
        found += [v for focus, kept in violations.items() if focus not in again for v in kept]
        quality = run_quality_checks(run.staged)
        run.record.set("results", (found, quality))
        validation = report(found, quality, data=nodes)
    return _stored_summary(run.staged, run.record, validation, linking)


def _stored_summary(
    staged: Generation, record: BuildRecord, validation: ValidationReport, linking: list[Skip]
) -> BuildSummary:
    documents = list(record.documents())
    counts = staged.triple_counts()
    return BuildSummary(
        documents=len(documents),
        items=sum(d.items for d in documents),
        triples={g: counts.get(g, 0) for g in (ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH)},
        seconds={},
        skipped=tuple(s for d in documents for s in d.skipped) + tuple(linking),
        validation=validation,
    )


def _streamed(files: list[Path], settings: Settings) -> Iterator[StreamedDocument]:
    return in_workers(
        partial(stream_document, max_bytes=settings.max_document_bytes),
        files,
        jobs=settings.jobs,
        progress=settings.progress,
        prepare=partial(prepare_worker, settings.reasoning, settings.alignments),
    )


def _record(record: BuildRecord, doc: StreamedDocument) -> None:
    chunk = record.add_document(doc.file, doc.sha256, doc.items, doc.skipped, doc.corpus_facts)
    record.add_subjects(chunk, doc.subjects)
    record.add_reads(chunk, doc.reads)


# -- incremental builds --------------------------------------------------------------------------


def recorded(config: StoreConfig, settings: Settings) -> dict[str, str] | None:
    """The documents (file name -> content hash) the store's current graph was built from, when
    a streaming build with the same fingerprint recorded it; else None (a full build is needed)."""
    if config.is_remote or settings.reasoning is Reasoning.OWL_RL:
        return None
    generation = EmbeddedStore(config).current_generation()
    if generation is None or not BuildRecord.exists(generation):
        return None
    record = BuildRecord(generation)
    try:
        if record.get("fingerprint") != fingerprint(settings):
            return None
        return {d.file: d.sha256 for d in record.documents()}
    finally:
        record.close()


def update(files: list[Path], deleted: set[str], config: StoreConfig, settings: Settings) -> BuildSummary:
    """Add or replace ``files`` and remove the documents named in ``deleted``, incrementally."""
    clock = Clock(settings.progress)
    ontology = ontology_graph(alignments=settings.alignments)
    rules = Rules(ontology) if settings.reasoning is Reasoning.RL_FAST else None
    shapes = Shapes(shapes_graph(), ontology)
    with EmbeddedStore(config).stage_copy(beside=[RECORD_FILE]) as staged:
        record = BuildRecord(staged.path)
        try:
            summary = _update_into(files, deleted, _Run(staged, record, rules, shapes, clock, settings))
            refuse_invalid(summary.validation, settings)
            record.commit()
        finally:
            record.close()
        staged.commit()
    return _summary(summary, clock)


def _update_into(files: list[Path], deleted: set[str], run: _Run) -> BuildSummary:
    with run.clock.stage("reason", shown=False):
        chains_before = run.rules.chained(run.staged) if run.rules is not None else set()
    run.settings.progress.stage("extract", len(files))
    streamed = list(_streamed(files, run.settings))
    for doc in streamed:
        for stage, seconds in doc.seconds.items():
            run.clock.seconds[stage] += seconds
    with run.clock.stage("store"):
        replaced = deleted | {doc.file for doc in streamed}
        affected: set[str] = set()
        for entry in run.record.documents():
            if entry.file in replaced:
                affected.update(subject for subject, _ in run.record.chunk_subjects(entry.chunk))
                run.record.remove_document(entry.chunk)
        for doc in streamed:
            _record(run.record, doc)
            affected.update(subject for subject, _ in doc.subjects)
    with run.clock.stage("link"):
        added_before, removed_before, _ = run.record.get("corpus")
        before = _Corpus(Graph().parse(data=added_before, format="nt"), removed_before)
        corpus, linking = _Corpus.derive([d.facts for d in run.record.documents()])
        run.record.set("corpus", (ntriples(corpus.added), corpus.removed, linking))
        moved = set(before.added) ^ set(corpus.added) | (before.removed ^ corpus.removed)
        affected.update(str(s) for s, _, _ in moved)
    with run.clock.stage("store"):
        rewritten = _rewrite_asserted(run.staged, run.record, corpus, affected)
    with run.clock.stage("reason"):
        nodes = _graph_nodes(rewritten)
        changed = {(s, p) for s, p, _ in rewritten}
        if run.rules is not None:
            changed |= _refresh_inferred(run.staged, run.rules, nodes)
            chains_after = run.rules.chained(run.staged)
            ends = _graph_nodes(chains_before ^ chains_after)
            changed |= _refresh_inferred(run.staged, run.rules, ends)
            changed |= {(s, p) for s, p, _ in _close_chains(run.staged, run.rules)}
            nodes |= ends
            run.rules.check_consistency(run.staged)
        run.record.clear_chunk(CORPUS_CHUNK)
        described = {s for s, _, _ in corpus.added} | _graph_nodes(corpus.removed)
        described |= {s for s, _, _ in chains_after} if run.rules is not None else set()
        run.record.add_subjects(CORPUS_CHUNK, ((str(s), None) for s in described))
    with run.clock.stage("validate"):
        touched = nodes | {URIRef(s) for s in affected} | _readers(run.staged, run.shapes, changed)
        again = {n for n in touched if isinstance(n, URIRef)}
        kept, quality_kept = run.record.get("results")
        found = [v for v in kept if v.focus not in again]
        description = StoreNodes(run.staged)
        for focus in sorted(again, key=str):
            found += run.shapes.validate(description, focus)
        quality = [q for q in quality_kept if q.focus not in again]
        quality += run_quality_checks(run.staged, only=again)
        run.record.set("results", (found, quality))
        validation = report(found, quality, data=description)
    return _stored_summary(run.staged, run.record, validation, linking)


def _rewrite_asserted(staged: Generation, record: BuildRecord, corpus: _Corpus, subjects: Iterable[str]) -> set[Triple]:
    """Make the asserted triples of each of ``subjects`` what the documents and the corpus loaders
    now say of it; the triples added or removed."""
    added: dict[Node, set[Triple]] = defaultdict(set)
    for triple in corpus.added:
        added[triple[0]].add(triple)
    changed: set[Triple] = set()
    for subject in sorted(subjects):
        node = URIRef(subject)
        lines = b"".join(record.asserted_about(subject))
        target = set(Graph().parse(data=lines, format="nt")) if lines else set()
        target = (target - corpus.removed) | added.get(node, set())
        current = {(s, p, o) for s, p, o, _ in staged.quads(subject=node, graph=ASSERTED_GRAPH)}
        staged.remove(current - target, ASSERTED_GRAPH)
        staged.add(target - current, ASSERTED_GRAPH)
        changed |= current ^ target
    return changed


def _readers(staged: Generation, shapes: Shapes, changed: set[tuple[Node, Node]]) -> set[Node]:
    """The nodes whose validation read a node's changed classes or values (see :attr:`Shapes.reads`)."""
    frontier: set[Node] = {node for node, predicate in changed if predicate in shapes.reads}
    found: set[Node] = set()
    for _ in range(shapes.depth):
        referring: set[Node] = {s for node in frontier for s, _, _, _ in staged.quads(obj=node)}
        frontier = referring - found
        found |= frontier
    return found
