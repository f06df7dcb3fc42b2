"""Loaders: turn the source documents of the corpus into RDF in the adcs-kg ontology.

One module per kind of extracted fact. A document loader exposes ``extract(extraction)`` and
runs on one document at a time, in the order of :data:`DOCUMENT_LOADERS` (later loaders read
the records earlier ones left in the :class:`~loaders.extraction.Extraction`); documents are
independent, so the build extracts them in parallel. A corpus loader exposes
``link(graph, skipped)`` and runs once on the merged graph of all documents.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from . import findings, holdings, items, mentions, organisations, policies, recommendations, reports, statements
from .document import DEFAULT_MAX_DOCUMENT_BYTES, read_document
from .extraction import Extraction, Skip

DocumentLoader = Callable[[Extraction], None]
CorpusLoader = Callable[[Graph, list[Skip]], None]

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

CORPUS_LOADERS: tuple[tuple[str, CorpusLoader], ...] = (("holdings", holdings.link),)
"""(name, link) in the order they run on the merged graph."""


@dataclass(frozen=True)
class DocumentResult:
    """What the loaders extracted from one document, in a form that crosses process boundaries."""

    file: str
    ntriples: bytes
    items: int
    skipped: tuple[Skip, ...]

    def graph(self) -> Graph:
        return Graph().parse(data=self.ntriples, format="nt")


def extract_document(path: Path, *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> DocumentResult:
    """Run every document loader on one file.

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
    return DocumentResult(
        file=path.name,
        ntriples=extraction.graph.serialize(format="nt", encoding="utf-8"),
        items=len(extraction.items),
        skipped=tuple(extraction.skipped),
    )


def link_corpus(graph: Graph) -> list[Skip]:
    """Run every corpus loader on the merged graph; return what they skipped."""
    skipped: list[Skip] = []
    for name, loader in CORPUS_LOADERS:
        try:
            loader(graph, skipped)
        except Exception as exc:  # as above: report, keep the rest
            detail = traceback.format_exception_only(exc)[-1].strip()
            skipped.append(Skip("(corpus)", 0, name, f"loader failed: {detail}"))
    return skipped
