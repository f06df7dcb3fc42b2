"""Attribution: who a figure of a document comes from.

A figure belongs to the report, dataset or body it is cited from ("DfE's own data show",
"according to the LGA", "Phase 7 found", "the Panel's review found"), else to the speaker of the
statement quoting it; failing both, to what its item makes plain (see :func:`source_of`).
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK

from .extraction import Extraction, ItemRecord


def source_of(
    ext: Extraction, plain: str, sentence: tuple[int, int], offset: int, heading: tuple[int, int] | None = None
) -> URIRef | None:
    """Who the number comes from: the one report or body its sentence cites it from ("according
    to the LGA", "DfE's own data show", "Phase 7 found"), else the one report its sentence names,
    else the speaker of the statement holding it, else the one report named in the heading of its
    list ("Phase 1 - Between Oct-Dec 2007 and..."), or the report its item responds to, names in
    its title or, for a report summary, names first, or the one report its item cites figures from
    or names at all, or the one body its item cites figures from; else the one organisation named
    in its sentence or item."""
    sentence_reports = _named(ext, sentence, _REPORT)
    for cited in (_cited(ext, plain, sentence, _REPORT), _cited(ext, plain, sentence, _ORGANISATION), sentence_reports):
        if len(cited) == 1:
            return next(iter(cited))
    statement = ext.statement_at(offset)
    if statement is not None:
        return statement.speaker
    item = ext.item_at(offset)
    carried = _carried(ext, plain, sentence, item)
    if carried is not None:
        return carried
    reports = []
    if heading is not None:
        reports.append(_named(ext, heading, _REPORT))
    organisations = [_named(ext, sentence, _ORGANISATION)]
    if item is not None:
        responds = {
            r for r in ext.graph.objects(item.iri, AK.respondsTo) if isinstance(r, URIRef) and _typed(ext, r, _REPORT)
        }
        title_end = ext.text.find("\n", item.start, item.end)
        title_end = item.end if title_end < 0 else title_end
        reports += [responds, _named(ext, (item.start, title_end), _REPORT)]
        if item.kind == AK.ReportSummary:
            summarised = [m.node for m in ext.mentions_within(title_end, item.end) if _typed(ext, m.node, _REPORT)]
            reports.append(set(summarised[:1]))
        reports.append(_item_citations(ext, plain, item, _REPORT))
        reports.append(_named(ext, (item.start, item.end), _REPORT))
        reports.append(_item_citations(ext, plain, item, _ORGANISATION))
        if not _FIRST_PERSON.search(ext.text, *sentence):
            organisations.append(_named(ext, (item.start, item.end), _ORGANISATION))
    for named in (*reports, *organisations):
        if len(named) == 1:
            return next(iter(named))
    return None


_CITED_BEFORE = re.compile(
    r"\b(?:according\s+to|(?:figures|data|statistics|research|analysis|estimates|modelling|evidence|findings)\s+"
    r"(?:from|by|of)|(?:survey|study|review|report|census)\s+(?:by|from|of))"
    r"\s+(?:the\s+)?(?:latest\s+)?$",
    re.I,
)
"""Words citing the source named after them ("according to the LGA", "figures from the DfE")."""
_CITED_AFTER = re.compile(
    r"(?:[’']s?)?\s*(?:\([A-Z]{2,8}\)\s*)?(?:own\s+|latest\s+|new\s+|annual\s+|recent\s+)*"
    r"(?:(?:data|figures|statistics|research|analysis|survey|review|report|estimates?|modelling|census|study)\s+)?"
    r"(?:(?:for|on|of|about)(?:\s+[\w/‘’'-]+){1,20}?\s+)?"
    r"(?:also\s+)?(?:has\s+|have\s+|had\s+)?(?:shows?|showed|shown|found|finds?|reveal\w*|estimat\w*|suggest\w*"
    r"|reports?|reported|indicat\w*|highlight\w*|calculat\w*|predict\w*|warns?|warned|says|said|puts|put)\b",
    re.I,
)
"""Words after a source citing it ("DfE's own data show", "Phase 7 found", "the Panel's review found"),
the figures or the report perhaps qualified first ("DfE figures for what councils spent ... reveal",
"the Phase 4 report on 'Pressures Research' has shown")."""


def _carried(ext: Extraction, plain: str, sentence: tuple[int, int], item: ItemRecord | None) -> URIRef | None:
    """The one report or body the nearest earlier sentence of the item (or of the document, outside
    items) that cites one cites its figures from: "Department for Education figures ... reveal that
    councils spent ...", then "Councils also spent ..." go on giving that department's figures."""
    start = item.start if item is not None else 0
    for earlier in reversed(ext.layer.sentences_in(start, sentence[0])):
        span = (earlier.start, earlier.end)
        for kinds in (_REPORT, _ORGANISATION):
            cited = _cited(ext, plain, span, kinds)
            if cited:
                return next(iter(cited)) if len(cited) == 1 else None
    return None


def _item_citations(ext: Extraction, plain: str, item: ItemRecord, kinds: tuple[URIRef, ...]) -> set[URIRef]:
    """The reports or bodies (``kinds``) the sentences of ``item`` cite figures from: an item reporting
    one body's analysis ("..., analysis by the LGA suggested") gives its other figures to that body."""
    cited: set[URIRef] = set()
    for sentence in ext.layer.sentences_in(item.start, item.end):
        cited |= _cited(ext, plain, (sentence.start, sentence.end), kinds)
    return cited


def _cited(ext: Extraction, plain: str, sentence: tuple[int, int], kinds: tuple[URIRef, ...]) -> set[URIRef]:
    """The reports or bodies of ``kinds`` the sentence cites its figures from."""
    return {
        m.node
        for m in ext.mentions_within(*sentence)
        if _typed(ext, m.node, kinds)
        and (_CITED_BEFORE.search(plain, sentence[0], m.start) or _CITED_AFTER.match(plain, m.end))
    }


_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
"""A sentence in the first person states the author's figures, not those of a body named elsewhere."""
_REPORT = (AK.Report,)
_ORGANISATION = (AK.Organisation, AK.OrganisationalUnit)


def _named(ext: Extraction, span: tuple[int, int], kinds: tuple[URIRef, ...]) -> set[URIRef]:
    return {m.node for m in ext.mentions_within(*span) if _typed(ext, m.node, kinds)}


def _typed(ext: Extraction, node: URIRef, kinds: tuple[URIRef, ...]) -> bool:
    return any((node, RDF.type, kind) in ext.graph for kind in kinds)
