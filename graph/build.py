"""Build: load the corpus through the loaders, reason, validate, store, and only then commit.

Two pipelines give the same graph (tests check it) and the same validation results:

- **streaming** (``--reasoning rl-fast``, the default, or ``none``; :mod:`graph.streaming`): the
  documents one at a time through the workers, the corpus-wide steps on the staged store, so
  memory does not grow with the corpus; a build of a store it recorded redoes only what the
  changed documents touch, and :func:`add` adds documents the same way;
- **reference** (``--reasoning owl-rl``): the whole graph in memory (rdflib), reasoned by owlrl
  and validated by pyshacl; the oracle the streaming pipeline is tested against.

Stages, each timed in the summary: ``extract``, ``reason`` and ``validate`` (for a streaming
build, the seconds the workers spent on each, summed over documents, plus the corpus-wide
steps), ``link`` (the corpus loaders), ``store`` (writing). Any error before the commit
discards the staged generation and leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import os
from functools import partial
from pathlib import Path

from rdflib import Graph

import loaders
from loaders.document import DEFAULT_MAX_DOCUMENT_BYTES

from .errors import LoaderError, StoreError, UnreadableGenerationError
from .namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from .ontology import ontology_graph, shapes_graph
from .pipeline import (
    CORPUS_PATTERN,
    BuildSummary,
    Clock,
    Progress,
    Settings,
    Silent,
    corpus_files,
    in_workers,
    refuse_invalid,
)
from .reason import Reasoning, infer
from .store import StoreConfig, open_store
from .streaming import build_all, recorded, update
from .validate import validate

__all__ = ["CORPUS_PATTERN", "BuildSummary", "Progress", "add", "build", "corpus_files"]


def _settings(
    reasoning: Reasoning,
    alignments: bool,
    allow_invalid: bool,
    jobs: int | None,
    max_document_bytes: int,
    progress: Progress | None,
) -> Settings:
    return Settings(
        reasoning=reasoning,
        alignments=alignments,
        allow_invalid=allow_invalid,
        jobs=jobs or os.cpu_count() or 1,
        max_document_bytes=max_document_bytes,
        progress=progress or Silent(),
    )


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

    When the store holds a streaming build of the same ontology, loaders and reasoning, only the
    documents whose content changed (or that are new) are extracted again, and the facts of the
    documents no longer in the corpus are removed; the result is the graph a full build gives.

    Raises :class:`LoaderError` for unusable documents and :class:`ShapeError` when the graph
    does not validate (unless ``allow_invalid``); in both cases the store is left untouched.
    """
    files = corpus_files(corpus)
    settings = _settings(reasoning, alignments, allow_invalid, jobs, max_document_bytes, progress)
    if reasoning is Reasoning.OWL_RL:
        return _reference_build(files, store, settings)
    known = recorded(store, settings)
    if known is None:
        return build_all(files, store, settings)
    changed = [f for f in files if known.get(f.name) != hashlib.sha256(f.read_bytes()).hexdigest()]
    try:
        return update(changed, set(known) - {f.name for f in files}, store, settings)
    except UnreadableGenerationError:  # a damaged store is built afresh, as if it were empty
        return build_all(files, store, settings)


def add(
    files: list[Path],
    *,
    store: StoreConfig,
    allow_invalid: bool = False,
    jobs: int | None = None,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    progress: Progress | None = None,
) -> BuildSummary:
    """Add ``files`` to the graph in ``store`` (a document of the same file name is replaced),
    incrementally, with the reasoning and alignments the store was built with.

    Raises :class:`StoreError` when the store holds no streaming build to add to.
    """
    for path in files:
        if not path.is_file():
            raise LoaderError(path, "file not found")
    for reasoning in (Reasoning.RL_FAST, Reasoning.NONE):
        for alignments in (True, False):
            settings = _settings(reasoning, alignments, allow_invalid, jobs, max_document_bytes, progress)
            if recorded(store, settings) is not None:
                return update(files, set(), store, settings)
    raise StoreError(
        f"{store} holds no graph built by `adcs-kg build` with this version's loaders and ontology "
        "(or it is a remote store): build it first, then add documents"
    )


# -- the reference pipeline: one graph in memory, owlrl, pyshacl --------------------------------


def _reference_build(files: list[Path], config: StoreConfig, settings: Settings) -> BuildSummary:
    clock = Clock(settings.progress)
    with clock.stage("extract", len(files)):
        extract = partial(loaders.extract_document, max_bytes=settings.max_document_bytes)
        found = in_workers(extract, files, jobs=settings.jobs, progress=settings.progress)
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
        refuse_invalid(validation, settings)
        staged.commit()
    return BuildSummary(
        documents=len(files),
        items=sum(r.items for r in results),
        triples=triples,
        seconds=clock.seconds,
        skipped=tuple(skipped),
        validation=validation,
    )
