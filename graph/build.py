"""Build: load the corpus through the loaders, reason, stage, validate, and only then commit.

Stages, each timed in the summary:

1. ``extract``  every document through the document loaders, in parallel across cores;
2. ``link``     the corpus loaders on the merged graph;
3. ``reason``   the OWL 2 RL closure (:mod:`graph.reason`);
4. ``store``    the graphs written once, into a staged store generation (:mod:`graph.store`);
5. ``validate`` SHACL shapes (pyshacl, in place) and the quality checks, run on the staged store,
   which is then committed: switched in atomically.

Each stage's result is written once: no stage re-serialises another's. Any error before the
commit discards the staged generation and leaves the store as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from rdflib import Graph, URIRef

import loaders
from loaders.document import DEFAULT_MAX_DOCUMENT_BYTES
from loaders.extraction import Skip

from .errors import LoaderError, ShapeError
from .namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from .ontology import ontology_graph, shapes_graph
from .reason import Reasoning, infer
from .store import StoreConfig, open_store
from .validate import ReportFormat, ValidationReport, validate

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


def _extract_all(
    files: list[Path], *, jobs: int, max_bytes: int, progress: Progress
) -> list[loaders.DocumentResult]:
    extract = partial(loaders.extract_document, max_bytes=max_bytes)
    results: dict[Path, loaders.DocumentResult] = {}
    errors: dict[Path, LoaderError] = {}
    if jobs <= 1 or len(files) == 1:
        for path in files:
            try:
                results[path] = extract(path)
            except LoaderError as exc:
                errors[path] = exc
            progress.advance()
    else:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context) as pool:
            futures = {pool.submit(extract, path): path for path in files}
            for future in as_completed(futures):
                path = futures[future]
                try:
                    results[path] = future.result()
                except LoaderError as exc:
                    errors[path] = exc
                progress.advance()
    if errors:
        ordered = [errors[p] for p in sorted(errors)]
        if len(ordered) == 1:
            raise ordered[0]
        listing = "\n".join(f"  {e}" for e in ordered)
        raise LoaderError(files[0].parent, f"{len(ordered)} documents could not be loaded:\n{listing}")
    return [results[p] for p in files]


def build(
    corpus: Path,
    *,
    store: StoreConfig,
    reasoning: Reasoning = Reasoning.OWL_RL,
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
    progress = progress or _Silent()
    seconds: dict[str, float] = {}

    @contextmanager
    def stage(name: str, total: int | None = None) -> Iterator[None]:
        progress.stage(name, total)
        started = time.perf_counter()
        yield
        seconds[name] = time.perf_counter() - started

    files = corpus_files(corpus)
    with stage("extract", len(files)):
        results = _extract_all(
            files, jobs=jobs or os.cpu_count() or 1, max_bytes=max_document_bytes, progress=progress
        )
        asserted = Graph()
        for result in results:
            asserted.parse(data=result.ntriples, format="nt")
    with stage("link"):
        skipped = [s for r in results for s in r.skipped] + loaders.link_corpus(asserted)
    with stage("reason"):
        ontology = ontology_graph(alignments=alignments)
        inferred = infer(asserted, ontology, reasoning=reasoning)
    graphs = {ASSERTED_GRAPH: asserted, INFERRED_GRAPH: inferred, ONTOLOGY_GRAPH: ontology}
    triples = {name: len(g) for name, g in graphs.items()}
    last = 0

    def stored(done: int, _total: int) -> None:
        nonlocal last
        progress.advance(done - last)
        last = done

    with stage("store", sum(triples.values())):
        staged = open_store(store).stage(graphs, on_progress=stored)
    with staged:
        with stage("validate"):
            # the graphs are in the staged store now, so the asserted graph itself becomes the
            # graph pyshacl validates (in place): the inferred triples join it, no copy is made
            asserted += inferred
            report = validate(asserted, ontology=ontology, shapes=shapes_graph(), store=staged)
        if not report.conforms and not allow_invalid:
            raise ShapeError(
                f"the graph does not conform ({len(report.results)} violations); the store was not changed",
                report_text=report.render(ReportFormat.HUMAN),
            )
        staged.commit()
    return BuildSummary(
        documents=len(files),
        items=sum(r.items for r in results),
        triples=triples,
        seconds=seconds,
        skipped=tuple(skipped),
        validation=report,
    )
