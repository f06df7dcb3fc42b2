"""Loaders: turn the source documents of the corpus into RDF in the adcs-kg ontology.

One module per kind of extracted fact. A document loader exposes ``extract(extraction)`` and
runs on one document at a time, in the order of :data:`DOCUMENT_LOADERS` (later loaders read
the records earlier ones left in the :class:`~loaders.extraction.Extraction`); documents are
independent, so the build extracts them in parallel. A corpus loader reads what it needs of
each document with its ``gather(graph)`` (in the extraction worker, beside the document loaders)
and decides once on the facts of every document with its ``derive(facts, skipped)``, which says
which triples to add and which to remove; so the build never needs the merged graph in memory.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from . import findings, holdings, items, mentions, organisations, policies, recommendations, reports, statements
from .document import DEFAULT_MAX_DOCUMENT_BYTES, read_document
from .extraction import Extraction, Skip

DocumentLoader = Callable[[Extraction], None]

DOCUMENT_LOADERS: tuple[tuple[str, DocumentLoader], ...] = (
    ("items", items.extract),
    ("organisations", organisations.extract),
    ("statements", statements.extract),
    ("reports", reports.extract),
    ("policies", policies.extract),
    ("findings", findings.extract),
    ("recommendations", recommendations.extract),
    ("mentions", mentions.extract),
)
"""(name, extract) in the order they run on each document."""



@dataclass(frozen=True)
class CorpusLoader:
    """A loader that decides on the whole corpus: ``gather`` per document, ``derive`` once."""

    name: str
    gather: Callable[[Graph], Any]
    derive: Callable[[Sequence[Any], list[Skip]], holdings.Linked]


CORPUS_LOADERS: tuple[CorpusLoader, ...] = (CorpusLoader("holdings", holdings.gather, holdings.derive),)
"""The corpus loaders, in the order they run; each one's facts are picklable (they cross processes)."""

CorpusFacts = dict[str, Any]
"""What each corpus loader gathered from one document, by loader name."""


@dataclass(frozen=True)
class DocumentResult:
    """What the loaders extracted from one document, in a form that crosses process boundaries."""

    file: str
    sha256: str
    """Of the file's bytes: a build re-extracts a document only when it changes."""
    ntriples: bytes
    items: int
    skipped: tuple[Skip, ...]
    corpus_facts: CorpusFacts

    def graph(self) -> Graph:
        return Graph().parse(data=self.ntriples, format="nt")


def run_document_loaders(path: Path, *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Extraction:
    """Run every document loader on one file; the extraction holds their graph and skips.

    Raises :class:`~graph.errors.LoaderError` when the file itself is unusable. A loader that
    fails on a document does not stop the others: its failure is reported as a skip.
    """
    extraction = Extraction(read_document(path, max_bytes=max_bytes))
    for name, loader in DOCUMENT_LOADERS:
        try:
            loader(extraction)
        except Exception as exc:  # a loader bug must not lose the other loaders' facts
            detail = traceback.format_exception_only(exc)[-1].strip()
            extraction.skip(name, 0, f"loader failed on this document: {detail}")
    return extraction


def extract_document(path: Path, *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> DocumentResult:
    """Run every document loader on one file, and gather the corpus loaders' facts from it."""
    extraction = run_document_loaders(path, max_bytes=max_bytes)
    facts = gather_corpus_facts(extraction.graph, path.name, extraction.skipped)
    return DocumentResult(
        file=path.name,
        sha256=extraction.document.sha256,
        ntriples=extraction.graph.serialize(format="nt", encoding="utf-8"),
        items=len(extraction.items),
        skipped=tuple(extraction.skipped),
        corpus_facts=facts,
    )


def gather_corpus_facts(graph: Graph, file: str, skipped: list[Skip]) -> CorpusFacts:
    """What every corpus loader needs of one document's triples; a loader that fails gathers nothing."""
    facts: CorpusFacts = {}
    for loader in CORPUS_LOADERS:
        try:
            facts[loader.name] = loader.gather(graph)
        except Exception as exc:  # as in extract_document
            detail = traceback.format_exception_only(exc)[-1].strip()
            skipped.append(Skip(file, 0, loader.name, f"loader failed on this document: {detail}"))
    return facts


def derive_corpus(documents: Sequence[CorpusFacts]) -> tuple[list[holdings.Linked], list[Skip]]:
    """Run every corpus loader on the facts of all documents: what each adds and removes, and what
    they skipped."""
    skipped: list[Skip] = []
    linked = []
    for loader in CORPUS_LOADERS:
        try:
            linked.append(loader.derive([d[loader.name] for d in documents if loader.name in d], skipped))
        except Exception as exc:  # as above: report, keep the rest
            detail = traceback.format_exception_only(exc)[-1].strip()
            skipped.append(Skip("(corpus)", 0, loader.name, f"loader failed: {detail}"))
    return linked, skipped


def link_corpus(graph: Graph) -> list[Skip]:
    """Run every corpus loader on one merged graph, in place; return what they skipped."""
    skipped: list[Skip] = []
    linked, linking = derive_corpus([gather_corpus_facts(graph, "(corpus)", skipped)])
    for change in linked:
        change.apply(graph)
    return skipped + linking
