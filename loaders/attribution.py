"""Attribution: who a figure of a document comes from.

A figure belongs to the report, dataset or body it is cited from, else to the person who states
it; :meth:`Attribution.source` reads, in this order:

1. the one report, then body, then person its sentence cites it from. A source is cited by name
   ("according to the LGA", "figures published by the DfE", "DfE's own data show", "Phase 7
   found", "the LGA, which represents councils, said", "..., said Cllr Jo Doe") or by a word
   standing for one named before ("the report found" -> the report named last, "the association
   says" -> the body named last whose name holds the word, else the body the item is about, "it
   added" and "the figures show" -> the source cited last, "she said" ->
   the person named last, "the former chair of X said" -> the person named last);
2. the one report its sentence names, unless as the baseline of a change ("up 8% since Phase 8");
3. the speaker of the quotation holding it;
4. the source the next sentence cites while pointing back to it ("... £9.2bn last year. The
   figures, compiled by the DfE, ...");
5. the source the nearest earlier sentence of its item citing one cites ("DfE figures reveal that
   councils spent ..." then "Councils also spent ...");
6. the author of the signed piece holding it;
7. what its item makes plain: the one report named in the heading of its list, the report the
   item responds to, names in its title or (a report summary) names first, the one report the
   item cites or names at all, the one body it cites; else the one organisation its sentence or
   (unless the sentence speaks in the first person) its item names; else (not in the first
   person) the body the item is about, the first organisation it names. In a column or bulletin
   its author writes in the first person ("I met the editor ..."), a magazine or other media body it
   names is never that organisation: it publishes the piece, it does not state its figures.

A speaker citing their body's own figures ("recognises our estimation of the £3.1 billion gap")
gives them to the organisation their post is in (the body, for a unit of it) before all else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rdflib import URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK

from .extraction import Extraction, ItemRecord, Located
from .statements import INTRODUCED, SIGNED

_REPORT = (AK.Report,)
_ORGANISATION = (AK.Organisation, AK.OrganisationalUnit)
_PERSON = (AK.Person,)
_KINDS = (_REPORT, _ORGANISATION, _PERSON)
"""The kinds of source, in the order a sentence citing several is read."""

_VERB = (
    r"(?:shows?|showed|shown|found|finds?|reveal\w*|estimat\w*|suggest\w*|reports?|reported|indicat\w*"
    r"|highlight\w*|calculat\w*|predict\w*|warns?|warned|says|said|puts|put|claims?|claimed|adds|added"
    r"|notes|noted|states|stated|told|tells|explain(?:s|ed)|argues|argued|demonstrat\w*|conclude[sd]"
    r"|confirm(?:s|ed)|points?\s+out|pointed\s+out)\b"
)
"""Verbs citing a source's figures or words."""
_ADVERBS = r"(?:(?:also|previously|now|recently|today|already|earlier|further)\s+)*"
_APPOSITIVE = (
    r"(?:\s*,\s*(?:which|who|whose|the|a|an|its|his|her|their|[a-z][\w'-]*\s+(?:of|for|at|to)\b)[^,;:()\"]{0,120},"
    r"|\s+-\s+[^-;:()\"\n]{1,120}\s+-)?"
)
"""Words set off between commas or spaced dashes after a source ("the LGA, which represents councils,",
"Jo Doe, chair of the board,")."""
_CITED_BEFORE = re.compile(
    r"(?:\baccording\s+to|(?:figures|data|statistics|research|analysis|estimates|modelling|evidence|findings)\s+"
    r"(?:from|by|of)|(?:survey|study|review|report|census)\s+(?:by|from|of)"
    r"|\b(?:published|compiled|produced|gathered|collected|commissioned|conducted|carried\s+out|released|issued)"
    r"\s+(?:today\s+|this\s+week\s+|last\s+week\s+)?by|,\s*(?:said|says|added|adds|warned|warns))"
    r"\s+(?:the\s+)?(?:(?:latest|new|official|recent)\s+)*$",
    re.I,
)
"""Words citing the source named after them ("according to the LGA", "figures from the DfE",
"figures published by the LGA", ", said Cllr Jo Doe")."""


def _citing_after(comma: str) -> re.Pattern[str]:
    """Words after a source citing it, with ``comma`` allowed before the verb."""
    return re.compile(
        rf"(?:[’']s?)?\s*(?:\([A-Z]{{2,8}}\)\s*)?{_APPOSITIVE}\s*(?:own\s+|latest\s+|new\s+|annual\s+|recent\s+)*"
        r"(?:(?:data|figures|statistics|research|analysis|survey|review|report|estimates?|modelling|census|study)\s+)?"
        r"(?:(?:for|on|of|about|published|produced|released|compiled)(?:\s+[\w/‘’'-]+){1,20}?\s+)?"
        rf"{comma}\s*{_ADVERBS}(?:has\s+|have\s+|had\s+)?{_ADVERBS}{_VERB}",
        re.I,
    )


_CITED_AFTER = _citing_after("")
"""Words after a source citing it ("DfE's own data show", "Phase 7 found", "the Panel's review found",
"the LGA has previously warned"), the figures or the report perhaps qualified first ("DfE figures for
what councils spent ... reveal", "the Phase 4 report on 'Pressures Research' has shown", "the
Stability Index produced by this office shows")."""
_SAID_AFTER = _citing_after(",?")
"""As :data:`_CITED_AFTER` after a person, who may close the apposition naming them ("The chair of
the board, Jo Doe, said"); a body doing so is the one a post belongs to ("Jo Doe, chair of the LGA, said")."""

_REPORT_NOUNS = r"report|survey|study|review|inquiry|paper|census|index|audit|evaluation|consultation"
_EVIDENCE_NOUNS = r"research|analysis|data|figures|statistics|findings|estimates|returns|modelling|evidence"
_BODY_NOUNS = (
    r"association|organisation|council|department|body|charity|committee|commission|group|board|regulator"
    r"|watchdog|inspectorate|network|union|office|partnership|trust|society|panel|alliance|federation|institute"
)
_REFERENCE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]hese|[Ii]ts|[Tt]heir)\s+"
    r"(?:(?:latest|new|same|annual|own|recent|full|final|interim|original|updated|official)\s+)*"
    rf"(?:(?P<report>{_REPORT_NOUNS})|(?P<evidence>{_EVIDENCE_NOUNS})|(?P<body>{_BODY_NOUNS}))\b"
    r"|\b(?P<it>[Ii]t)\b|\b(?P<person>[Hh]e|[Ss]he)\b"
)
"""A word standing for a source named before: "the report", "the association", "it", "she"."""
_ROLE_SAYS = re.compile(
    r"\b[Tt]he\s+(?:(?:former|new|outgoing|incoming|current)\s+)?"
    r"(?:chair(?:man|woman)?|president|director|chief\s+executive|minister|secretary|leader|head|spokes(?:wo)?man)\b"
    rf"[^,;:.\"]{{0,80}}?{_APPOSITIVE}\s*{_ADVERBS}(?:has\s+|had\s+)?(?:said|says|told|tells|warned|warns|added|adds)\b"
)
"""A person described by their post as the subject of a verb of saying ("The former chair of the
Commission ... said that")."""
_BASELINE = re.compile(
    r"\b(?:on|over|against)\s+(?:the\s+)?(?:(?:previous|last|earlier|same)\s+)?$"
    r"|\b(?:since|than|compared\s+(?:with|to)|relative\s+to)\b[^,;:.()]*$",
    re.I,
)
"""Words making a report the baseline of a change, not its source ("up 8% since Phase 8", "increased
3% on Phase 8", "compared to the first two phases of research commissioned by ADCS")."""
_POST_OF = re.compile(
    r"\b(?:chair(?:man|woman)?|president|director|chief\s+executive|head|leader|member|secretary|minister"
    r"|spokes(?:wo)?man|spokesperson|officer|lead)\s+(?:of|at|for)\s+(?:the\s+)?$",
    re.I,
)
"""Words making a body the one a post belongs to ("the former chair of the Commission ... said"),
whose holder speaks, not the body."""
_POINTS_BACK = re.compile(
    r"\s*[\"']?(?:(?:[Tt]he|[Tt]hese|[Tt]hose|[Tt]his|[Ss]uch)\s+(?:(?:latest|new|official)\s+)?"
    r"(?:figures?|data|statistics|numbers|findings|estimates?|analysis)\b"
    r"|(?:[Tt]his|[Tt]hat|[Tt]hese|[Tt]hey)\s+(?:(?:is|are|was|were)\s+according\s+to|comes?\s+from|came\s+from)\b)"
)
"""A sentence opening by pointing back to the figures before it ("The figures, compiled by ...")."""
_OUR_EVIDENCE = re.compile(
    r"\b(?:our|our\s+own)\s+(?:latest\s+|new\s+)?(?:analysis|estimates?|estimation|research|figures|data|survey"
    r"|modelling|calculations?|findings)\b",
    re.I,
)
"""A speaker citing their body's own figures ("recognises our estimation of the £3.1 billion gap")."""
_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
"""A sentence in the first person states the author's figures, not those of a body named elsewhere."""
_AUTHOR_SPEAKS = re.compile(r"\b(?:I|I['’](?:ve|m|d))\b")
"""The author speaking in the first person singular."""
_SIGNED_READINGS = frozenset({SIGNED.rule, INTRODUCED.rule})
"""Statements that are a whole signed piece, not a quotation: a figure its author cites from a body
named before is that body's."""


@dataclass(frozen=True)
class _Cited:
    """What one sentence cites: its reports, bodies and people, and the source it carries on."""

    sources: tuple[frozenset[URIRef], ...]
    """The reports, bodies and people (one set each) it cites figures or words from."""
    carried: URIRef | None
    """The one report or body cited last up to this sentence in its item, if one."""


class Attribution:
    """The sources of the figures of one document."""

    def __init__(self, ext: Extraction) -> None:
        self.ext = ext
        self.plain = ext.layer.plain

    @cached_property
    def _sources(self) -> list[Located]:
        """The mentions of reports, bodies and people, in text order; a person's surname inside the
        mention of their full name is not a mention of its own ("Jo Doe" is one person, not "Doe" too)."""
        people = [m for m in self.ext.mentions if _typed(self.ext, m.node, _PERSON)]
        found = [
            m
            for m in self.ext.mentions
            if any(_typed(self.ext, m.node, kinds) for kinds in _KINDS)
            and not any(p.start <= m.start and m.end <= p.end and p.end - p.start > m.end - m.start for p in people)
        ]
        return sorted(found, key=lambda m: (m.start, m.end))

    @cached_property
    def _sentences(self) -> dict[int, _Cited]:
        """What each sentence cites, by its start, read in text order so that "it" and "the figures"
        stand for the source cited before them."""
        found: dict[int, _Cited] = {}
        carried: URIRef | None = None
        item: ItemRecord | None = None
        for sentence in self.ext.layer.sentences:
            here = self.ext.item_at(sentence.start)
            if here != item:
                item, carried = here, None
            span = (sentence.start, sentence.end)
            sources = self._cited(span, item, carried)
            if sources[0] or sources[1]:
                cited = sources[0] or sources[1]
                carried = next(iter(cited)) if len(cited) == 1 else None
            found[sentence.start] = _Cited(sources, carried)
        return found

    def source(self, sentence: tuple[int, int], offset: int, heading: tuple[int, int] | None = None) -> URIRef | None:
        """Who the figure at ``offset`` of ``sentence`` comes from (see the module docstring);
        ``heading`` is the heading or lead-in line of the list holding it."""
        ext = self.ext
        item = ext.item_at(offset)
        statement = ext.statement_at(offset)
        if statement is not None and _OUR_EVIDENCE.search(self.plain, *sentence):
            body = self._body_of(statement.post)
            if body is not None:
                return body
        here = self._sentences.get(sentence[0])
        for cited in here.sources if here is not None else ():
            if len(cited) == 1:
                return next(iter(cited))
        named = {m.node for m in self._within(sentence, _REPORT) if not self._baseline(sentence, m)}
        if len(named) == 1:
            return next(iter(named))
        signed = statement is not None and str(ext.graph.value(statement.iri, AK.rule)) in _SIGNED_READINGS
        if statement is not None and not signed:
            return statement.speaker
        for found in (self._pointed_back(sentence), self._carried(sentence)):
            if found is not None:
                return found
        if statement is not None:
            return statement.speaker
        return self._from_item(sentence, item, heading)

    def _body_of(self, post: URIRef | None) -> URIRef | None:
        """The organisation a post is in (the body a unit of it is in: "the LGA" for the chair of its board)."""
        body = self.ext.graph.value(post, AK.postIn) if post is not None else None
        parent = self.ext.graph.value(body, AK.unitOf) if body is not None else None
        found = parent if parent is not None else body
        return found if isinstance(found, URIRef) else None

    def _principal(self, item: ItemRecord | None) -> URIRef | None:
        """The body an item is about: the first organisation it names."""
        if item is None:
            return None
        named = self._within((item.start, item.end), _ORGANISATION)
        return named[0].node if named else None

    # --- citations in a sentence ------------------------------------------------------------

    def _within(self, span: tuple[int, int], kinds: tuple[URIRef, ...]) -> list[Located]:
        return [m for m in self._sources if span[0] <= m.start and m.end <= span[1] and _typed(self.ext, m.node, kinds)]

    def _cited(
        self, sentence: tuple[int, int], item: ItemRecord | None, carried: URIRef | None
    ) -> tuple[frozenset[URIRef], ...]:
        """The reports, bodies and people (one set each) the sentence cites figures or words from,
        by name or by a word standing for one (``carried``: the source cited before it)."""
        referred = self._referred(sentence, item, carried)
        return tuple(
            frozenset(self._cited_by_name(sentence, kinds) | {n for n in referred if _typed(self.ext, n, kinds)})
            for kinds in _KINDS
        )

    def _cited_by_name(self, span: tuple[int, int], kinds: tuple[URIRef, ...]) -> set[URIRef]:
        """The sources of ``kinds`` the sentence ``span`` cites by name."""
        plain = self.plain
        after = _SAID_AFTER if kinds is _PERSON else _CITED_AFTER
        return {
            m.node
            for m in self._within(span, kinds)
            if (_CITED_BEFORE.search(plain, span[0], m.start) or after.match(plain, m.end))
            and not self._baseline(span, m)
            and not (kinds is _ORGANISATION and _POST_OF.search(plain, max(span[0], m.start - 40), m.start))
        }

    def _referred(self, sentence: tuple[int, int], item: ItemRecord | None, carried: URIRef | None) -> set[URIRef]:
        """The sources words of ``sentence`` stand for as they cite them ("the report found", "it added")."""
        plain, found = self.plain, set()
        for m in _REFERENCE.finditer(plain, sentence[0], sentence[1]):
            if _CITED_AFTER.match(plain, m.end()) or _CITED_BEFORE.search(plain, sentence[0], m.start()):
                found.add(self._antecedent(m, item, carried))
        for m in _ROLE_SAYS.finditer(plain, sentence[0], sentence[1]):
            if not self._within((m.start(), m.end()), _PERSON):
                found.add(self._last(_PERSON, m.start(), item))
        return {node for node in found if node is not None}

    def _antecedent(self, m: re.Match[str], item: ItemRecord | None, carried: URIRef | None) -> URIRef | None:
        """What a referring word stands for: the report or body named last (one whose name holds the
        word first), the person named last, or for "it" and the evidence nouns the source cited last."""
        if m.group("person"):
            return self._last(_PERSON, m.start(), item)
        if m.group("report"):
            noun = m.group("report").lower()
            return self._last(_REPORT, m.start(), item, noun) or self._last(_REPORT, m.start(), item)
        if m.group("body"):
            return self._last(_ORGANISATION, m.start(), item, m.group("body").lower()) or self._principal(item)
        return carried

    def _last(self, kinds: tuple[URIRef, ...], before: int, item: ItemRecord | None, word: str = "") -> URIRef | None:
        """The source of ``kinds`` named last before ``before`` in the item (whose name holds ``word``)."""
        start = item.start if item is not None else 0
        for m in reversed(self._within((start, before), kinds)):
            if word in self.ext.text[m.start : m.end].lower():
                return m.node
        return None

    def _baseline(self, sentence: tuple[int, int], mention: Located) -> bool:
        return bool(_BASELINE.search(self.plain, max(sentence[0], mention.start - 80), mention.start))

    # --- citations around a sentence --------------------------------------------------------

    def _pointed_back(self, sentence: tuple[int, int]) -> URIRef | None:
        """The one report or body the next sentence of the paragraph cites while opening by pointing back."""
        paragraph = self.ext.layer.paragraph_at(sentence[0])
        if paragraph is None:
            return None
        following = self.ext.layer.sentences_in(sentence[1], paragraph.end)
        if not following or not _POINTS_BACK.match(self.plain, following[0].start):
            return None
        cited = self._sentences[following[0].start].sources
        sources = cited[0] or cited[1]
        return next(iter(sources)) if len(sources) == 1 else None

    def _carried(self, sentence: tuple[int, int]) -> URIRef | None:
        """The one report or body the nearest earlier sentence of the item (or of the document, outside
        items) citing one cites: "Department for Education figures ... reveal that councils spent ...",
        then "Councils also spent ..." go on giving that department's figures."""
        earlier = self.ext.layer.sentences_in(0, sentence[0])
        if not earlier or self.ext.item_at(earlier[-1].start) != self.ext.item_at(sentence[0]):
            return None
        return self._sentences[earlier[-1].start].carried

    # --- what the item makes plain -----------------------------------------------------------

    def _from_item(
        self, sentence: tuple[int, int], item: ItemRecord | None, heading: tuple[int, int] | None
    ) -> URIRef | None:
        ext = self.ext
        reports = []
        if heading is not None:
            reports.append(_nodes(self._within(heading, _REPORT)))
        organisations = [_nodes(self._within(sentence, _ORGANISATION))]
        if item is not None:
            responds = {
                r
                for r in ext.graph.objects(item.iri, AK.respondsTo)
                if isinstance(r, URIRef) and _typed(ext, r, _REPORT)
            }
            title_end = ext.text.find("\n", item.start, item.end)
            title_end = item.end if title_end < 0 else title_end
            reports += [responds, _nodes(self._within((item.start, title_end), _REPORT))]
            if item.kind == AK.ReportSummary:
                summarised = [m.node for m in self._within((title_end, item.end), _REPORT)]
                reports.append(set(summarised[:1]))
            reports.append(self._item_citations(item, _REPORT))
            reports.append(_nodes(self._within((item.start, item.end), _REPORT)))
            reports.append(self._item_citations(item, _ORGANISATION))
            if not _FIRST_PERSON.search(ext.text, *sentence):
                organisations.append(_nodes(self._within((item.start, item.end), _ORGANISATION)))
        if item is not None and self._authored(item):  # the magazine its author writes of ("in our magazine")
            organisations = [{o for o in named if (o, AK.kind, AK.Media) not in ext.graph} for named in organisations]
        for named in (*reports, *organisations):
            if len(named) == 1:
                return next(iter(named))
        principal = self._principal(item)
        if _FIRST_PERSON.search(ext.text, *sentence) or not any(principal in named for named in organisations):
            return None
        return principal

    def _authored(self, item: ItemRecord) -> bool:
        """Whether ``item`` is written by its author in the first person singular outside quotations
        ("I met the editor ..."): a column or bulletin, whose figures are its author's."""
        layer = self.ext.layer
        return any(
            layer.quotation_at(m.start()) is None for m in _AUTHOR_SPEAKS.finditer(self.ext.text, item.start, item.end)
        )

    def _item_citations(self, item: ItemRecord, kinds: tuple[URIRef, ...]) -> set[URIRef]:
        """The reports or bodies (``kinds``) the sentences of ``item`` cite by name: an item reporting
        one body's analysis ("..., analysis by the LGA suggested") gives its other figures to that body."""
        cited: set[URIRef] = set()
        for sentence in self.ext.layer.sentences_in(item.start, item.end):
            cited |= self._cited_by_name((sentence.start, sentence.end), kinds)
        return cited


def _nodes(mentions: list[Located]) -> set[URIRef]:
    return {m.node for m in mentions}


def _typed(ext: Extraction, node: URIRef, kinds: tuple[URIRef, ...]) -> bool:
    return any((node, RDF.type, kind) in ext.graph for kind in kinds)
