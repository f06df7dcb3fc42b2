"""The extraction of one document: the graph the loaders write and the records they share.

Each loader module exposes ``extract(extraction)``; the pipeline in :mod:`loaders` runs them in
order on one :class:`Extraction` per document. Later loaders read what earlier ones recorded
(the items, the statements) through the typed records kept here, never by re-parsing text.

Every node a loader creates carries its provenance: ``ak:span`` (the one stretch of text a
fact was read from) or ``ak:mention`` (each place an entity is named). Both point to an
``ak:Span`` whose IRI is the document's IRI with an RFC 5147 ``#char=start,end`` fragment and
whose ``ak:quote`` is exactly ``text[start:end]``.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK

from .document import Document
from .entities import Mentions
from .text import TextLayer


@dataclass(frozen=True)
class Skip:
    """Something a loader saw but could not extract, reported in the build summary."""

    file: str
    offset: int
    loader: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, offset {self.offset}: [{self.loader}] {self.reason}"


@dataclass(frozen=True)
class ItemRecord:
    """An item of a document (a news story, a comment, a report commentary...)."""

    iri: URIRef
    start: int
    end: int
    title: str | None
    kind: URIRef
    date: date | None
    position: int
    """0-based order of the item in its document (a news archive lists newest first)."""


@dataclass(frozen=True)
class StatementRecord:
    """Words a named person said, as quoted in an item."""

    iri: URIRef
    start: int
    end: int
    speaker: URIRef
    item: URIRef | None
    post: URIRef | None


@dataclass(frozen=True)
class Reading:
    """How a fact was read: the rule (``ak:rule``) and how sure it is (``ak:confidence``, 0 to 1).

    What a stricter reading would leave out is kept with a confidence below
    :data:`DEFAULT_MIN_CONFIDENCE`, which the named queries show only when asked to."""

    rule: str
    confidence: float


DEFAULT_MIN_CONFIDENCE = 0.5
"""The confidence the named queries ask for unless told otherwise (their ``min_confidence``)."""


@dataclass(frozen=True)
class Located:
    """A node and the span it was read from (a fact) or named at (an entity mention)."""

    node: URIRef
    start: int
    end: int


@dataclass
class Extraction:
    """What the loaders extract from one document."""

    document: Document
    graph: Graph = field(default_factory=Graph)
    skipped: list[Skip] = field(default_factory=list)
    items: list[ItemRecord] = field(default_factory=list)
    statements: list[StatementRecord] = field(default_factory=list)
    facts: list[Located] = field(default_factory=list)
    """Every (fact, span) recorded by :meth:`provenance`, in call order."""
    mentions: list[Located] = field(default_factory=list)
    """Every (entity, span) recorded by :meth:`mention`, in call order."""

    def __post_init__(self) -> None:
        doc = self.document
        g = self.graph
        g.add((doc.iri, RDF.type, AK.SourceDocument))
        g.add((doc.iri, AK.fileName, Literal(doc.file_name)))
        g.add((doc.iri, AK.sha256, Literal(doc.sha256)))
        g.add((doc.iri, AK.charCount, Literal(len(doc.text), datatype=XSD.integer)))
        g.add((doc.iri, AK.text, Literal(doc.text)))

    @property
    def text(self) -> str:
        return self.document.text

    @cached_property
    def layer(self) -> TextLayer:
        """The document's text layer (furniture, paragraphs, sentences, quotations, tokens), built once."""
        return TextLayer(self.document.text)

    @cached_property
    def entities(self) -> Mentions:
        """The document's typed mentions (people, organisations, posts...), found once."""
        return Mentions(self.layer)

    def span(self, start: int, end: int) -> URIRef:
        """The ``ak:Span`` node for ``text[start:end]``, created on first use."""
        if not 0 <= start < end <= len(self.document.text):
            raise ValueError(f"span {start}-{end} outside {self.document.file_name} (length {len(self.text)})")
        iri = self.document.span_iri(start, end)
        g = self.graph
        if (iri, RDF.type, AK.Span) not in g:
            g.add((iri, RDF.type, AK.Span))
            g.add((iri, AK.document, self.document.iri))
            g.add((iri, AK.start, Literal(start, datatype=XSD.integer)))
            g.add((iri, AK.end, Literal(end, datatype=XSD.integer)))
            g.add((iri, AK.quote, Literal(self.document.text[start:end])))
        return iri

    def provenance(self, node: URIRef, start: int, end: int) -> URIRef:
        """Record that ``node`` (a fact: item, statement, finding...) was read from a span."""
        span = self.span(start, end)
        self.graph.add((node, AK.span, span))
        self.facts.append(Located(node, start, end))
        return span

    def read_by(self, node: URIRef, reading: Reading) -> None:
        """Record the rule ``node`` (a fact) was read by and its confidence."""
        self.graph.set((node, AK.rule, Literal(reading.rule)))
        self.graph.set((node, AK.confidence, Literal(Decimal(str(reading.confidence)), datatype=XSD.decimal)))

    def mention(self, entity: URIRef, start: int, end: int) -> URIRef:
        """Record that ``entity`` (a person, organisation, report, policy...) is named here."""
        span = self.span(start, end)
        self.graph.add((entity, AK.mention, span))
        self.mentions.append(Located(entity, start, end))
        return span

    def mentions_within(self, start: int, end: int) -> list[Located]:
        """The entity mentions lying wholly inside ``start``..``end``, in text order."""
        return sorted((m for m in self.mentions if start <= m.start and m.end <= end), key=lambda m: (m.start, m.end))

    def skip(self, loader: str, offset: int, reason: str) -> None:
        self.skipped.append(Skip(self.document.file_name, offset, loader, reason))

    def item_at(self, offset: int) -> ItemRecord | None:
        """The item whose extent holds ``offset``, if any."""
        return _enclosing(self.items, offset)

    def statement_at(self, offset: int) -> StatementRecord | None:
        """The statement whose quoted text holds ``offset``, if any."""
        return _enclosing(self.statements, offset)


_Record = TypeVar("_Record", ItemRecord, StatementRecord)


def _enclosing(records: Sequence[_Record], offset: int) -> _Record | None:
    ordered = sorted(records, key=lambda r: r.start)
    index = bisect.bisect_right([r.start for r in ordered], offset) - 1
    if index >= 0 and ordered[index].start <= offset < ordered[index].end:
        return ordered[index]
    return None
