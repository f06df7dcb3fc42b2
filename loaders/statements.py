"""Statements: who said what in each item, in which role, and the people and posts that go with it.

Read per item, in text order:

* attributions: a speech verb ("said", "commented", "concluded", "went on to say"...) whose
  subject is a person, written as "X, ADCS President, said:", "ADCS President X said:",
  "the President of the ADCS, X, said", "Commenting on ..., X said:", "X, who chairs the ...
  Committee, said", "“...,” said X, ADCS President", "According to X, ROLE, “...”" (or "...:"),
  "She urged ministers to act: “...”" (the clause of saying running on to a colon), "..., X,
  who said:", "“...,” added Ms Roe" (a family name after the verb for the person the item
  named), or
  "she"/"he" for the person named last before it in the item outside quotations and not as the
  object of a preposition ("the departure of X"; a title such as "Mrs" or "Sir" that says
  otherwise passes the person over), else the one quoting; the family name ("Roe", "Mrs Roe",
  "Roe, ADCS President,") for a person already quoting or named in the item, the given name
  alone for the one person of that given name the item names; a title or a post's word alone
  ("The councillor said", "the president added") for the person the item named last with that
  title or a post of that word; or a post written as the subject with no name
  ("The former chair of the Wexmoor Commission – ... – said") for the person speaking in the item
  when it has given them no post yet. A description
  between commas that names no post ("X, an expert on adoption, said", "X, Education
  Secretary, said") leaves the speaker in no post (with a note when it looked like a role). The
  quotation after the verb (running over several paragraphs that each open with a quote mark,
  only the last closing) or the one just before it ("“...”, X said") is one statement; a
  quotation introduced by someone not named is no one's; a phrase quoted right after the verb
  that the reporter's sentence runs on after ("X (pictured) said “woolly aims” were not enough")
  is a woven phrase, not a statement;
* words after "said:" written without quote marks: the rest of the paragraph, or the prose
  paragraphs below it (the first, then those in the speaker's voice);
* quotations inside narrative sentences after an attribution (speech press releases): a
  statement of the person speaking in the item, unless the quotation is the title of a work
  ("the White Paper “A Smarter Approach to Sentencing”");
* signed pieces: a column, foreword or response ending in a signature ("X, ADCS President
  2020/21", or "X" then a role line, or "X is ADCS President and ..."), back across its
  sub-headings, or introduced as "Here, X, Chair of ..., responds to ..." or "X, ROLE, delivered
  the following speech": its body is one statement of the signatory; so is the body of a speech
  whose title names its speaker ("President's address by X", "X's keynote to ..."), when it is in
  the speaker's voice ("I", "we", "you"). A bare byline over a news article names its reporter,
  who says nothing;
* a quotation whose opening mark the page does not give, closed at the end of its paragraph and
  signed on the next line ("Cllr X, Chair, ..."): a statement of the signatory;
* interviews written as questions and answers ("Q: ...", then "X: ..." or "A: ..."): each answer
  is a statement of the person heading it, "A:" of the one person named before the first question;
* role appositions without a quotation ("ADCS President, X, has made ..."): the person and the
  post, but no statement;
* names the words around them show to be people's, in titles too ("Sir X Y", "Minister Y",
  "X Y's review", "the death of X Y"; :func:`loaders.people.cued_names`): the person only.

A role written at the person gives the post (:mod:`loaders.posts`) and a stated holding
(:mod:`loaders.holdings`); a role written as past ("former ADCS President X") a holding with no
interval. A post the title or lead names without a name ("the president of the ADCS has warned")
is the item's one speaker's, unless the item already gives them a post in that body. Anonymous
speakers ("an ADCS spokesperson said") and quotations no one is named for are skipped with the
reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from itertools import pairwise

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK, resource

from . import organisations as organisation_loader
from .entities import Mentions
from .extraction import Extraction, ItemRecord, Reading, StatementRecord
from .holdings import add_stated_holding
from .lexicon import flag, table
from .people import (
    PREFIXES,
    PUBLIC_OFFICE_NAMED,
    PersonName,
    add_person,
    cued_names,
    name_spans,
    parse_name,
    record_mentions,
)
from .posts import PAGE_BODY, OrganisationMention, RolePhrase, RoleReader, find_role_words
from .tenures import FUTURE, Change, When, find_clauses, written_when
from .text import Paragraph

LOADER = "statements"

def _verb_pattern(verb: str, takes_object: bool) -> str:
    written = r"\s+".join(re.escape(word) for word in verb.split())
    return written + (r"\s+(?:the\s+)?\w+" if takes_object else "")


SPEECH_VERB = re.compile(
    r"\b(?:(?:today|also|has|then)\s+)?(?P<verb>"
    + "|".join(
        _verb_pattern(row["verb"], flag(row["object"]))
        for row in sorted(table("speech_verbs"), key=lambda row: -len(row["verb"]))
    )
    + r")(?:\s+(?:today|that))?(?![\w-])",
    re.IGNORECASE,
)
"""A speech verb and what may stand between it and the quotation."""
ANONYMOUS = re.compile(r"\b(?:an?|the)\s+(?:[A-Z][\w’']*\s+)*(?:spokes(?:person|man|woman)|representative|source)\b")
ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
"""A cue naming the speaker of the quotation after the name ("According to X, ROLE, “...”")."""
INVERTED = re.compile(r"[,.!?]?[”\"’'],?[ \t]*$")
"""A speech verb right after a closing quote mark: its subject follows it."""
DESCRIPTION = re.compile(r",\s+(?:(?:an?|the)\s[^,;:.“”\"]{3,150}|who\s[^;:.“”\"]{3,150}|\d{1,3}),\s*")
"""An apposition that describes a speaker without naming a post ("X, an expert on adoption, said",
"X, the LGA's spokesperson for children, said", "X, who led the review, said", "X, 52, said"):
the person speaks, in no post."""
WHO_SAID = re.compile(r",\s*who\s+(?:also\s+|then\s+|has\s+|had\s+)?$")
"""A relative clause whose verb is the speech verb ("..., X, who said: “...”"): X speaks."""
BRACKETED = re.compile(r" \(([^()\n]{2,120})\)")
"""A role in brackets after a name ("Jo Doe (Chief Executive of the Anyshire Trust)")."""
HEADED_LINE = re.compile(r"[ \t]*(?:[a-z0-9]{1,3}[.)][ \t]+)?(?P<body>[^\n–—:]+?)[ \t]*[–—:-][ \t]+")
"""A line headed by a body, then the person ("b. Anyshire Board – Cllr Jo Doe (Chair)")."""
APPOSITION = re.compile(r",[ \t]+[^;:.“”\"\n]{2,120},[ \t]*")
"""Words between commas after a speaker's name that are no role this loader knows ("X, Education
Secretary, said", "X, former Chief Executive of ..., said")."""
ADVERBIAL = re.compile(
    r"(?<=,)\s*(?:(?:in|when|while|after)\s+)?(?:responding|commenting|reacting|speaking|writing|replying)\b"
    r"[^,;:.“”\"]{0,120}?\s*,?\s*$|(?<=,)\s*(?:in\s+a\s+statement|today|also)\s*,?\s*$"
)
"""An adverbial between a speaker's role and the verb ("X, ADCS President, in responding to the
survey said"): the role ends before it."""
RELATIVE = re.compile(r",\s*who\s+(?:is\s+(?:also\s+)?(?:the\s+)?|(?=chairs\b))")
"""A relative clause giving a speaker's post ("X, who is ADCS President, said", "X, who chairs the
... Committee, said")."""
PRONOUN = re.compile(r"(?:^|[\s,;(])(?P<pronoun>[Ss]he|[Hh]e)\s*$")
OPEN_QUOTES = "“\"‘'"
STOP_LINE = re.compile(
    r"^\s*(?:ENDS?|Ends?|Notes(?: to editors)?:?|Tags assigned to this article:?|Related Articles|"
    r"There are no tags|This (?:column|article) (?:first|was first|firsst)|Words:\s*\d+|View (?:speech|response)|"
    r"The full (?:speech|written address|report))",
    re.MULTILINE,
)
"""Lines that end the quoted or signed text of an item (press-release and archive furniture)."""
BYLINE = re.compile(
    r"(?:(?:[Dd]elivered|[Gg]iven|[Ww]ritten|[Pp]resented|[Ss]peech|[Aa]ddress|[Kk]eynote|[Bb]log|[Cc]olumn"
    r"|[Aa]rticle)\s+)?[Bb]y\s+|[Aa]uthor:\s*"
)
"""A byline opening the body of a piece ("By X, ROLE", "Delivered by X", "Author: X")."""
AUTHOR_INTRO = re.compile(
    r"\b(?:responds?|writes?|reflects?|looks?|sets? out)\b\s+(?:to|on|about|at|why|how)\b"
    r"|\b(?:delivered|delivers|gave|gives|made|makes)\s+(?:the\s+following|this)\s+(?:speech|address|keynote|lecture)\b"
)
"""What an author does in a sentence introducing their piece ("Here, X responds to ...", "X, ADCS
President, delivered the following speech to ...")."""
SPEECH_WORD = re.compile(r"\b(?:speech|address|keynote|lecture)\b", re.IGNORECASE)
"""What the genre calls a speech, in a title or the lead of an item."""
SPEECH_BY = re.compile(r"\s+(?:(?:given|delivered)\s+)?(?:by|from)\s+(?:[A-Z][\w’'-]*\s+){0,4}")
"""Between a speech word and its speaker's name in a title ("address by ADCS President Jo Doe")."""
SPEECH_OWNER = re.compile(r"['’]s?\s+(?:[a-z]+\s+){0,2}")
"""Between a speaker's name and their speech in a title ("Jo Doe's keynote", "Jo Doe's opening speech")."""
INTERVIEW_LINE = re.compile(
    r"[ \t]*(?:(?P<question>Q|Question)|(?P<answer>A|Answer)|(?P<name>(?:[A-Z][\w’'.-]*[ \t]+){0,3}[A-Z][\w’'-]+))"
    r"[ \t]*[:.][ \t]+(?=\S)"
)
"""The head of a line of an interview: a question, an answer, or the name of who answers."""
UNQUOTED_OPENING = re.compile(r":[ \t]*(?=[A-Z]|\s*$)")
"""A colon after a speech verb before words with no quote mark: a sentence, or the end of the paragraph."""
FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|[Uu]s|[Mm]y|[Yy]ou|[Yy]our)\b")
"""The voice of a speaker addressing an audience."""
TITLE_CUE = re.compile(
    r"\b(?:[Pp]aper|[Rr]eport|[Rr]eview|[Ss]trategy|[Pp]lan|[Gg]uidance|[Bb]ill|[Ss]urvey|[Bb]riefing|[Ee]ntitled"
    r"|[Cc]alled|[Tt]itled|launched|launches|published|publishes)[,:]?\s*$"
)
"""What stands just before a quoted title, which opens with a capital ("the White Paper “A Fairer
Approach”"); "the review “makes clear ...”" quotes the review's words."""
QUOTE_AFTER = Reading("quotation after its attribution", 0.95)
QUOTE_BEFORE = Reading("quotation before its attribution", 0.9)
ACCORDING_TO = Reading("quotation after 'according to' its speaker", 0.9)
NARRATIVE = Reading("quotation in the narrative of an item its speaker speaks in", 0.7)
WOVEN = Reading("phrase quoted inside a sentence of reported speech", 0.4)
OTHER_NAMED = Reading("quotation in a sentence that names someone else", 0.3)
SIGNED = Reading("piece signed by its author", 0.9)
INTRODUCED = Reading("piece introduced by its author or byline", 0.85)
INTERVIEW = Reading("answer in an interview headed with its speaker", 0.85)
UNQUOTED = Reading("words after 'said:' written without quote marks", 0.75)
TITLED_SPEECH = Reading("speech whose title names its speaker", 0.8)
HEADLINE_ROLE = Reading("post named without a name in the title or lead of its one speaker's item", 0.6)
DESCRIBED_POST = Reading("post written as the subject for the person speaking in the item", 0.6)
TENURE = Reading("post stated in a clause of the narrative", 0.8)
TENURE_YEAR_FROM_ITEM = Reading(
    "post stated in a clause of the narrative, the year of its time from the item's date", 0.7
)
FORMER_POST = Reading("post written as held before", 0.7)
AND_POST = re.compile(r"\s+and\s+(?:(?P<former>former|formerly)\s+|(?:current|currently)\s+)?(?=\w)")
"""What joins a second post to the one written at a name ("X, leader of Anyshire Council and current LGA
vice-chair", "X, DCS for Anyshire and formerly president of the ADSS")."""
POST_ENDS = re.compile(r"[,;:!?(]|\.(?:\s|$)")
"""What ends a post joined by "and": punctuation, a bracket, a full stop."""
DESCRIBED = re.compile(
    r"\s*(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:(?P<former>former|then|outgoing|previous|past)\s+)?"
    r"(?:(?:new|incoming|current|newly[- ]elected)\s+)?"
)
"""The opening of a post written as a subject ("The former ...", "Its new ...")."""
DEFINITE = re.compile(r"\s*(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)\s+(?=\w+\s*,?\s*$)")
"""The opening of a title or a post's word written alone as a subject ("The councillor said")."""
INTRODUCING_COLON = re.compile(r"[^.!?:;“”\"‘’\n]{1,100}(?P<mark>:)\s*(?P<open>[“\"‘])")
"""The rest of a clause of saying, up to the colon that introduces its quotation."""
ASIDE = re.compile(r"\s+[–—-]\s.*?\s[–—-]\s*$|\s*\([^()]*\)\s*$|,[^,]*,\s*$")
"""An aside between a described subject and its verb ("– which handed its work to X in 2029 –")."""
NAMED_NEXT = re.compile(r"[ \t,]*(?:[A-Z][a-z]+[ \t]+)+[A-Z][a-z]+")
"""A name right after a role phrase: the post is that person's."""
OBJECT_OF = re.compile(r"\b(?:in|at|from|to|of|for|with|by|on|near|across|into|around|across)\s+$")
"""A preposition just before a name: the name is its object, not the subject of a speech verb."""
TITLE_PRONOUNS = {row["canonical"]: row["pronoun"] for row in table("honorifics") if row["pronoun"]}
"""Titles that say whether "she" or "he" can stand for the person."""
RUNS_ON = re.compile(r"\s+[a-z]")
"""The reporter's sentence going on after a closing quote mark."""
MIN_NARRATIVE_WORDS = 4
"""Quoted phrases shorter than this inside narrative text are terms or titles, not statements."""


@dataclass
class Speaker:
    """A person speaking in an item, and the role the item gives them."""

    person: URIRef
    name: PersonName
    role: RolePhrase | None = None


@dataclass
class ItemState:
    """What has been read of one item so far."""

    item: ItemRecord | None
    start: int
    end: int
    current: Speaker | None = None
    speakers: dict[URIRef, Speaker] = field(default_factory=dict)
    quoted: list[tuple[int, int]] = field(default_factory=list)
    named: set[tuple[int, int]] = field(default_factory=set)
    """Name spans already read as a speaker."""
    last_named: list[tuple[int, Speaker]] = field(default_factory=list)
    """Where each person of the item was named, in reading order (for pronouns)."""
    tenure_bodies: dict[URIRef, OrganisationMention] = field(default_factory=dict)
    """The body of the last post a clause of the narrative gave each person: the body of a post the
    narrative gives them later without one ("has stepped up from his role as assistant director")."""

    def named_last(self, before: int) -> Speaker | None:
        """The person named last before offset ``before``."""
        earlier = [(at, speaker) for at, speaker in self.last_named if at < before]
        return max(earlier, key=lambda named: named[0])[1] if earlier else None


class _OrganisationLoader:
    """The mention stage's organisations and the organisation loader's writer behind the
    :class:`loaders.posts.Organisations` lookups."""

    def __init__(self, entities: Mentions) -> None:
        self.entities = entities

    def find(self, text: str, start: int = 0, end: int | None = None) -> Sequence[OrganisationMention]:
        return self.entities.organisations_in(start, end)

    def add(self, ext: Extraction, mention: OrganisationMention) -> URIRef:
        if not isinstance(mention, organisation_loader.OrganisationMention):
            raise TypeError(f"not an organisation loader mention: {mention!r}")
        return organisation_loader.add_organisation(ext, mention)

    def council_of_place(self, place: str, start: int, end: int) -> OrganisationMention:
        return organisation_loader.council_of_place(place, start, end)


_PLACE = re.compile(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}")
"""A place written as a body ("joined Anyshire in 2026"): up to three capitalised words."""


class StatementReader:
    """Reads the statements, speakers and posts of one document."""

    def __init__(self, ext: Extraction, roles: RoleReader) -> None:
        self.ext = ext
        self.roles = roles
        self.people: dict[URIRef, PersonName] = {}

    # --- people and roles ------------------------------------------------------------------

    def person(self, name: PersonName, start: int, end: int) -> URIRef:
        iri = add_person(self.ext, name, start, end)
        self.people.setdefault(iri, name)
        return iri

    def role(self, state: ItemState, phrase: RolePhrase | None, speaker: Speaker) -> RolePhrase | None:
        """Attach a role written at ``speaker`` (or keep the role the item gave them before)."""
        if phrase is None:
            return speaker.role
        self.roles.add(phrase)
        speaker.role = phrase
        add_stated_holding(self.ext, speaker.person, speaker.name, phrase, state.item)
        return phrase

    def speaker(self, state: ItemState, name: PersonName, start: int, end: int) -> Speaker:
        state.named.add((start, end))
        iri = self.person(name, start, end)
        known = state.speakers.get(iri)
        if known is None:
            known = state.speakers[iri] = Speaker(iri, name)
        state.last_named.append((start, known))
        return known

    def former_role(self, state: ItemState, speaker: Speaker, phrase: RolePhrase) -> None:
        """A post written as past ("former ADCS President X", "the former chair of X said"): a
        holding with no interval, not the post the person speaks in."""
        self.roles.add(phrase)
        add_stated_holding(self.ext, speaker.person, speaker.name, replace(phrase, reading=FORMER_POST), None)

    def role_after(
        self, start: int, end: int, owner: OrganisationMention | None = None, nearby: OrganisationMention | None = None
    ) -> RolePhrase | None:
        """A role phrase making up ``text[start:end]`` (after a name), at its longest (``owner``: the
        body of a post written without one; ``nearby``: the body of the post named just before)."""
        text = self.ext.text
        stops = [m.start() for m in re.finditer(r"[,.;:]|\s+and\s+|\n|\s(?=[a-z])", text[start:end])] + [end - start]
        for stop in sorted(set(stops), reverse=True):
            if stop > 0 and text[start : start + stop].strip(" ,"):
                phrase = self.roles.read(start, start + stop, owner=owner, nearby=nearby)
                if phrase is not None:
                    return phrase
        return None

    def in_organisation(self, start: int, end: int) -> bool:
        """A capitalised run inside an organisation's name ("... Additional Needs Policy Committee")."""
        return self.ext.entities.in_organisation(start, end)

    # --- subjects of speech verbs ------------------------------------------------------------

    def subject(self, state: ItemState, clause_start: int, verb_start: int) -> tuple[Speaker, RolePhrase | None] | None:
        """The person a speech verb is said by, from the clause before it."""
        text = self.ext.text
        clause = text[clause_start:verb_start]
        pronoun = PRONOUN.search(clause)
        if pronoun:
            at = clause_start + pronoun.start("pronoun")
            para = self.ext.layer.paragraph_at(at)
            if para is not None:  # people named with a post earlier in the paragraph come first
                self.read_appositions(state, para, until=at)
            speaker = self.antecedent(state, at, pronoun.group("pronoun").lower())
            return (speaker, speaker.role) if speaker else None
        relative = WHO_SAID.search(text, clause_start, verb_start)
        if relative is not None:
            return self.relative_subject(state, clause_start, relative.start())
        for start, end in name_spans(self.ext.layer, clause_start, verb_start):
            found = self.named_subject(state, clause_start, start, end, verb_start)
            if found is not None:
                return found
        titled = self.title_subject(state, clause_start, verb_start)
        if titled is not None:
            return titled, titled.role
        described = self.described_subject(state, clause_start, verb_start)
        if described is not None:
            return described
        if ANONYMOUS.search(clause):
            self.ext.skip(LOADER, clause_start, f"anonymous speaker: {clause.strip()!r}")
        return None

    def named_people(self, state: ItemState, before: int) -> list[tuple[int, int, PersonName, frozenset[str]]]:
        """The people the item names before ``before``, in text order, outside quotations and not
        as the object of a preposition ("the departure of Jo Doe"); a family name alone or with a
        title ("Mrs Doe", "Doe's") is given the full name written before it; with each, the titles
        the item writes it with."""
        text = self.ext.text
        found: list[tuple[int, int, PersonName, frozenset[str]]] = []
        taken = state.start
        for start, end in sorted(name_spans(self.ext.layer, state.start, before), key=lambda span: (span[0], -span[1])):
            if start < taken or self.ext.layer.quotation_at(start) is not None or self.in_organisation(start, end):
                continue
            name = parse_name(text[start:end])
            if name is None and " " not in text[start:end].strip():
                name = next((n for _, _, n, _ in reversed(found) if text[start:end].strip() == n.family), None)
            if name is None or OBJECT_OF.search(text, max(state.start, start - 8), start):
                continue
            titles = frozenset(name.prefixes)
            if not name.complete:
                full = next((f for f in reversed(found) if f[2].complete and f[2].family == name.family), None)
                name, titles = (full[2], titles | full[3]) if full is not None else (name, titles)
            found.append((start, end, name, titles))
            taken = end
        return found

    def antecedent(self, state: ItemState, at: int, pronoun: str) -> Speaker | None:
        """The person a pronoun before ``at`` stands for: the person named last before it (one
        whose title says otherwise passed over), else the one speaking in the item."""
        unlike = {title for title, said in TITLE_PRONOUNS.items() if said != pronoun}
        named = [(s, e, n) for s, e, n, titles in self.named_people(state, at) if not unlike & titles]
        spoken = [(s, k) for s, k in state.last_named if s < at and not unlike & set(k.name.prefixes)]
        last_spoken = max(spoken, key=lambda named: named[0]) if spoken else None
        if named and named[-1][2].complete and (last_spoken is None or named[-1][0] > last_spoken[0]):
            start, end, name = named[-1]
            return self.speaker(state, name, start, end)
        if last_spoken is not None:
            return last_spoken[1]
        return state.current or (next(iter(state.speakers.values())) if len(state.speakers) == 1 else None)

    def relative_subject(
        self, state: ItemState, clause_start: int, name_end: int
    ) -> tuple[Speaker, RolePhrase | None] | None:
        """The person named just before ", who said" (a full name, or a family name the item
        has named)."""
        text = self.ext.text
        for start, end in name_spans(self.ext.layer, clause_start, name_end):
            name = None if end != name_end or self.in_organisation(start, end) else parse_name(text[start:end])
            if name is not None and name.complete:
                speaker = self.speaker(state, name, start, end)
                return speaker, self.role(state, self.roles.read_before(clause_start, start), speaker)
            if end == name_end and " " not in text[start:end]:
                return self.family_name_subject(state, start, end, "")
        return None

    def title_subject(self, state: ItemState, clause_start: int, verb_start: int) -> Speaker | None:
        """A title or a post's word alone as the subject ("The councillor said", "the president
        added"): the person the item named last before it who has that title or a post of that
        word; no one when the item named no such person (an unnamed minister)."""
        text = self.ext.text
        opening = DEFINITE.match(text, clause_start, verb_start)
        if opening is None:
            return None
        written = text[opening.end() : verb_start].strip(" ,").lower()
        title = PREFIXES.get(written)
        words = [w for s, e, w in find_role_words(text, opening.end(), verb_start) if text[s:e].lower() == written]
        if title is None and not words:
            return None
        speakers = {speaker.name.canonical: speaker for speaker in state.speakers.values()}
        for start, end, name, titles in reversed(self.named_people(state, clause_start)):
            known = speakers.get(name.canonical)
            if (title is not None and title in titles | set(name.prefixes)) or (
                words and any(words[0].title.lower() in post.lower() for post in self.posts_of(name.iri, known))
            ):
                return self.speaker(state, name, start, end)
        return None

    def posts_of(self, person: URIRef, speaker: Speaker | None) -> list[str]:
        """The names of the posts the document has given ``person`` so far."""
        g = self.ext.graph
        posts = [str(g.value(g.value(holding, AK.post), AK.name)) for holding in g.subjects(AK.holder, person)]
        return posts + ([speaker.role.name] if speaker is not None and speaker.role is not None else [])

    def described_subject(
        self, state: ItemState, clause_start: int, verb_start: int
    ) -> tuple[Speaker, RolePhrase | None] | None:
        """A post written as the subject, with no name ("The former chair of the Wexmoor Care
        Commission – which ... – said", "The president of the association added"): the person the
        item is about at that point, the one speaking, when the item has given them no post yet (a
        person already in a post is not described by another)."""
        speaker = state.current
        if speaker is None or speaker.role is not None:
            return None
        text = self.ext.text
        opening = DESCRIBED.match(text, clause_start, verb_start)
        if opening is None:
            return None
        aside = ASIDE.search(text, opening.end(), verb_start)
        phrase = self.roles.read(opening.end(), aside.start() if aside else verb_start)
        if phrase is None or (phrase.organisation.start <= phrase.start and phrase.end <= phrase.organisation.end):
            return None  # no post, or a body named by its office ("The Children's Commissioner said")
        if opening.group("former"):
            self.former_role(state, speaker, phrase)
            return speaker, None
        return speaker, self.role(state, replace(phrase, reading=DESCRIBED_POST), speaker)

    def named_subject(
        self, state: ItemState, clause_start: int, start: int, end: int, verb_start: int
    ) -> tuple[Speaker, RolePhrase | None] | None:
        text = self.ext.text
        if OBJECT_OF.search(text, clause_start, start):
            return None  # "..., who has joined from a similar role in Anyshire, said": a place, not the speaker
        name = None if self.in_organisation(start, end) else parse_name(text[start:end])
        adverbial = ADVERBIAL.search(text, end, verb_start)
        verb_start = adverbial.start() if adverbial else verb_start
        bracket = BRACKETED.match(text, end, verb_start)  # "Jo Doe (pictured) said", "Jo Doe (Chair) said"
        bracketed = [] if bracket is None else [p for p in [self.roles.read(bracket.start(1), bracket.end(1))] if p]
        tail = text[bracket.end() if bracket else end : verb_start]
        if name is not None and not name.complete:  # "Cllr Roe said", after "Cllr Jo Roe" was named
            known = self.family_name_subject(state, start + text[start:end].rindex(name.family), end, tail)
            if known is not None:
                return known
        if name is None:
            return self.family_name_subject(state, start, end, tail)
        relative = RELATIVE.match(tail)
        role_start = verb_start - len(tail) + (relative.end() if relative else 0)
        after = self.roles_in(role_start, verb_start) if tail.strip(" ,\n") else bracketed
        if not after and tail.strip(" ,\n") and not DESCRIPTION.fullmatch(tail):
            if not APPOSITION.fullmatch(tail):
                return None
            self.ext.skip(LOADER, end, f"role {tail.strip(' ,')!r} not understood: {name.canonical} speaks in no post")
        before = None if after else self.roles.read_before(clause_start, start)
        speaker = self.speaker(state, name, start, end)
        if before is not None and self.former(before.start):  # "Former ADCS president Jo Doe said"
            self.former_role(state, speaker, before)
            before = None
        for extra in after[1:]:
            self.add_extra_role(state, name, start, end, extra)
        return speaker, self.role(state, after[0] if after else before, speaker)

    def inverted_subject(
        self, state: ItemState, para: Paragraph, verb: re.Match[str]
    ) -> tuple[Speaker, RolePhrase | None] | None:
        """The speaker named after the verb of a quotation just closed ("“...,” said X, ADCS
        President", "“...”, says ADCS President X")."""
        if not INVERTED.search(self.ext.text, para.start, verb.start()):
            return None
        found = self.subject_after(state, para, verb.end())
        return found[:2] if found else None

    def subject_after(
        self, state: ItemState, para: Paragraph, at: int
    ) -> tuple[Speaker, RolePhrase | None, int] | None:
        """The person named first after ``at`` (a role before or after the name allowed), and
        where the name and its role end."""
        text = self.ext.text
        limit = min(para.end, at + 200)
        for start, end in sorted(name_spans(self.ext.layer, at, limit), key=lambda span: (span[0], -span[1])):
            name = parse_name(text[start:end])
            if self.in_organisation(start, end):
                continue
            if (name is None or not name.complete) and not text[at:start].strip():  # "added Ms Roe", "said Roe"
                family = end - len(name.family) if name is not None else start
                known = self.family_name_subject(state, family, end, "")
                if known is not None:
                    return (*known, end)
            if name is None or not name.complete:
                continue
            before = self.roles.read_before(at, start) if text[at:start].strip() else None
            if text[at:start].strip() and before is None:
                return None
            after = self.role_after(end, limit) if text[end : end + 2] == ", " else None
            speaker = self.speaker(state, name, start, end)
            role = self.role(state, after or before, speaker)
            return speaker, role, self.coordinated(state, speaker, after, limit) if after else end
        return None

    def read_according(self, state: ItemState, para: Paragraph) -> None:
        """ "According to X, ADCS President, “...”": the quotation after the name is X's."""
        text = self.ext.text
        for cue in ACCORDING.finditer(text, para.start, para.end):
            found = self.subject_after(state, para, cue.end())
            opened = re.compile(r"[\s,:]*[“\"]").match(text, found[2], para.end) if found else None
            if found is None or opened is None:
                continue
            speaker, role, _ = found
            state.current = speaker
            quoted = self.quotation_from(state, opened.end() - 1)
            if quoted:
                self.statement(state, speaker, role, *quoted, ACCORDING_TO)

    def family_name_subject(
        self, state: ItemState, start: int, end: int, tail: str
    ) -> tuple[Speaker, RolePhrase | None] | None:
        """A family name alone ("Roe said", "Roe, who is director of children's services at
        Anyshire County Council, said", "Roe, ADCS President, said") for a person already speaking
        in the item, else for the one person of that family name (or, failing one, of that given
        name: "Jo said") the item has named."""
        relative = RELATIVE.match(tail) or re.match(r",\s*", tail)
        phrases = self.roles_in(end + relative.end(), end + len(tail.rstrip(" ,\n"))) if relative else []
        if tail.strip(" ,\n") and not phrases and not DESCRIPTION.fullmatch(tail):
            return None
        surface = self.ext.text[start:end].strip()
        for speaker in state.speakers.values():
            if speaker.name.family == surface:
                return speaker, self.role(state, phrases[0] if phrases else None, speaker)
        # a person the item named before, by family name or (one person only) by given name
        named = {n.canonical: (s, e, n) for s, e, n, _ in self.named_people(state, start) if n.complete}
        for part in ("family", "given"):
            matching = [found for found in named.values() if getattr(found[2], part) == surface]
            if len(matching) == 1:
                s, e, name = matching[0]
                speaker = self.speaker(state, name, s, e)
                return speaker, self.role(state, phrases[0] if phrases else None, speaker)
        return None

    # --- quotations --------------------------------------------------------------------------

    def quotation_from(self, state: ItemState, open_at: int) -> tuple[int, int] | None:
        """The quotation opening at ``open_at``, as the text layer reads it: to its closing mark,
        across the paragraphs that reopen it or close it, within the item."""
        quotation = self.ext.layer.quotation_opening(open_at)
        if quotation is None:
            return None
        if not quotation.closed:
            self.ext.skip(LOADER, open_at, "quotation has no closing quote mark; taken to the end of its paragraph")
        end = min(quotation.end, state.end)
        return (quotation.start, end) if end > quotation.start else None

    def opens_sentence(self, at: int) -> bool:
        """A quotation attributed after it ("“...”, she said") starts its sentence."""
        para = self.ext.layer.paragraph_at(at)
        return para is None or at == para.start or bool(re.search(r"[.!?:;]\s*$", self.ext.text[para.start : at]))

    def is_attribution(self, para: Paragraph) -> bool:
        body = self.ext.text[para.start : para.end]
        return body[:1] not in OPEN_QUOTES and bool(re.search(r"\b(?:said|says|commented)\s*:\s*$", body))

    def statement(
        self, state: ItemState, speaker: Speaker, role: RolePhrase | None, start: int, end: int, reading: Reading
    ) -> None:
        """Write one statement of ``speaker`` quoted at ``start``..``end``, read by ``reading``."""
        text = self.ext.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start or any(s <= start and end <= e for s, e in state.quoted):
            return
        if state.item is None:
            self.ext.skip(LOADER, start, "quotation outside any item: no statement written")
            return
        iri = resource("statement", self.ext.document.id, start, end)
        g = self.ext.graph
        g.add((iri, RDF.type, AK.Statement))
        g.add((iri, AK.speaker, speaker.person))
        g.add((iri, AK.inItem, state.item.iri))
        if role is not None:
            g.add((iri, AK.inRole, role.post))
        if state.item.date is not None:
            g.add((iri, AK.date, Literal(state.item.date, datatype=XSD.date)))
        self.ext.provenance(iri, start, end)
        self.ext.read_by(iri, reading)
        state.quoted.append((start, end))
        self.ext.statements.append(
            StatementRecord(iri, start, end, speaker.person, state.item.iri, role.post if role else None)
        )

    # --- items -------------------------------------------------------------------------------

    def read_item(self, state: ItemState) -> None:
        text = self.ext.text
        paras = self.ext.layer.paragraphs_in(state.start, state.end)
        heading = self.heading_end(state, paras)
        for para in paras:
            if para.start < heading:
                self.read_appositions(state, para)  # "Jo Doe, ADCS President, calls for ..."
                self.read_tenures(state, para)  # "Anyshire Council appoints Jo Doe as its new director"
                continue
            if STOP_LINE.match(text, para.start):
                state.current = None
                continue
            self.read_attributions(state, para)
            self.read_appositions(state, para)
            self.read_tenures(state, para)
            if state.current is None and len(state.speakers) == 1 and self.is_speech(state):
                state.current = next(iter(state.speakers.values()))
                self.narrative_quotes(state, para)
        self.read_signed_quotations(state, [p for p in paras if p.start >= heading])
        self.read_interview(state, paras)
        if state.current is None or not state.quoted:
            self.read_signature(state, paras, heading)
        for para in paras:
            if para.start < heading:
                continue
            if text[para.start] in OPEN_QUOTES and not any(s <= para.start + 1 < e for s, e in state.quoted):
                self.ext.skip(LOADER, para.start, "quotation with no named speaker")
        self.read_headline_role(state, paras, heading)
        for para in paras:
            self.read_cued_names(para)

    def read_headline_role(self, state: ItemState, paras: list[Paragraph], heading: int) -> None:
        """A post the title or lead names without a name ("ADCS president warns ...", "the
        president of the ADCS has warned") over an item with one named speaker: the speaker's, at a
        lower confidence, beside any other post the item gives them ("..., who is director of
        children's services at Anyshire County Council")."""
        if len(state.speakers) != 1:
            return
        speaker = next(iter(state.speakers.values()))
        text = self.ext.text
        lead = [p for p in paras if p.start < heading] + [p for p in paras if p.start >= heading][:2]
        for para in lead:
            for start, end, _ in find_role_words(text, para.start, para.end):
                if self.former(start):
                    continue
                phrase = self.role_after(start, min(para.end, start + 160))
                phrase = phrase or self.roles.read_before(max(para.start, start - 80), end)
                if phrase is None or not phrase.explicit_org or NAMED_NEXT.match(text, phrase.end):
                    continue
                if phrase.organisation.start <= phrase.start and phrase.end <= phrase.organisation.end:
                    continue  # a body named by its office ("the Children's Commissioner") is not its speaker
                # a post the item gives the speaker in the same body says it already
                if speaker.role is None or speaker.role.organisation.iri != phrase.organisation.iri:
                    self.role(state, replace(phrase, reading=HEADLINE_ROLE), speaker)
                return

    def heading_end(self, state: ItemState, paras: list[Paragraph]) -> int:
        """Where the item's title paragraph ends (people are not read from titles)."""
        title = state.item.title if state.item else None
        if title and paras and self.ext.text[paras[0].start : paras[0].end].startswith(title.strip()[:20]):
            return paras[0].end
        return state.start

    def read_attributions(self, state: ItemState, para: Paragraph) -> None:
        text = self.ext.text
        clause_start = para.start
        for verb in SPEECH_VERB.finditer(text, para.start, para.end):
            boundary = self.clause_start(para.start, verb.start())
            clause_start = max(clause_start, boundary)
            found = self.subject(state, clause_start, verb.start()) or self.inverted_subject(state, para, verb)
            clause_start = verb.end()
            if found is None:
                if text[verb.end() : verb.end() + 1] == ":":
                    state.current = None  # someone not named introduces the next quotation
                continue
            speaker, role = found
            state.current = speaker
            self.quotations_at(state, speaker, role, verb.start(), verb.end(), para)
        self.read_according(state, para)
        self.narrative_quotes(state, para)

    def clause_start(self, para_start: int, verb_start: int) -> int:
        """Where the clause holding a speech verb begins: after the last sentence end or quotation."""
        text = self.ext.text
        last = para_start
        for m in re.finditer(r"[.!?;]\s+(?=[A-Z“\"])|[”\"]", text[para_start:verb_start]):
            last = para_start + m.end()
        return last

    def quotations_at(
        self,
        state: ItemState,
        speaker: Speaker,
        role: RolePhrase | None,
        verb_start: int,
        verb_end: int,
        para: Paragraph,
    ) -> None:
        """The quotation just before an attribution ("“...”, she said") and the one after it."""
        text = self.ext.text
        closed = [q for q in self.ext.layer.quotations_in(state.start, verb_start) if q.closed and q.end >= para.start]
        last = closed[-1] if closed else None
        after = re.match(r"\s*(?P<mark>[:,]?)\s*(?P<open>[“\"‘'])", text[verb_end : min(len(text), state.end)])
        # "She urged ministers to act: “...”": the clause of saying runs on to a colon
        after = after or INTRODUCING_COLON.match(text[verb_end : min(len(text), state.end, para.end)])
        introduces = after is not None and after.group("mark") == ":"
        ends_before = last is not None and not re.search(r"[.!?]\s", text[last.end : verb_start])
        if last is not None and ends_before and not introduces and self.opens_sentence(last.open_at):
            self.statement(state, speaker, role, last.start, last.end, QUOTE_BEFORE)
        opened = verb_end + after.start("open") if after is not None else self.quote_after_headings(state, verb_end)
        if opened is not None:
            quoted = self.quotation_from(state, opened)
            # 'said “woolly words” were not enough': a phrase the reporter's sentence runs on after
            if quoted:
                runs_on = after is not None and not after.group("mark") and RUNS_ON.match(text, quoted[1] + 1)
                self.statement(state, speaker, role, *quoted, WOVEN if runs_on else QUOTE_AFTER)
        elif (unquoted := self.unquoted_after(state, verb_end, para)) is not None:
            self.statement(state, speaker, role, *unquoted, UNQUOTED)
        elif last is None and text[verb_end : verb_end + 1] == ":":
            self.ext.skip(LOADER, verb_start, f"attribution to {speaker.name.canonical} with no quotation after it")

    def unquoted_after(self, state: ItemState, verb_end: int, para: Paragraph) -> tuple[int, int] | None:
        """The words after "said:" written without quote marks: the rest of the paragraph, or the
        prose paragraphs below it (the first, then those in the speaker's voice)."""
        text = self.ext.text
        opening = UNQUOTED_OPENING.match(text, verb_end, para.end)
        if opening is None:
            return None
        if opening.end() < para.end:
            return opening.end(), para.end
        run: list[Paragraph] = []
        for below in self.ext.layer.paragraphs_in(para.end, state.end):
            if text[below.start] in OPEN_QUOTES or STOP_LINE.match(text, below.start) or not self.is_prose(below):
                break
            if run and not self.first_person(below.start, below.end):
                break
            run.append(below)
        return (run[0].start, run[-1].end) if run else None

    def quote_after_headings(self, state: ItemState, verb_end: int) -> int | None:
        """After "said:", the quotation may follow a sub-heading ("On placement sufficiency")."""
        text = self.ext.text
        if text[verb_end : verb_end + 1] != ":":
            return None
        for para in self.ext.layer.paragraphs_in(verb_end + 1, state.end):
            if text[para.start] in OPEN_QUOTES:
                return para.start
            if para.end - para.start > 80 or text[para.end - 1] in '.!?”"':
                return None
        return None

    def narrative_quotes(self, state: ItemState, para: Paragraph) -> None:
        """Quotations in narrative text after an attribution are the current speaker's words."""
        if state.current is None:
            return
        text = self.ext.text
        for start, end in self.quoted_fragments(para):
            if any(s <= start and end <= e for s, e in state.quoted):
                continue
            fragment = text[start:end]
            if len(fragment.split()) < MIN_NARRATIVE_WORDS:
                self.ext.skip(LOADER, start, f"short quoted phrase {fragment!r} taken for a term, not a statement")
                continue
            if fragment[:1].isupper() and TITLE_CUE.search(text, para.start, start - 1):
                self.ext.skip(LOADER, start, f"quoted {fragment!r} is the title of a work, not a statement")
                continue
            if self.woven(para, start):
                self.statement(state, state.current, state.current.role, start, end, WOVEN)
                continue
            if self.other_person_named(state, para, start):
                self.statement(state, state.current, state.current.role, start, end, OTHER_NAMED)
                continue
            self.statement(state, state.current, state.current.role, start, end, NARRATIVE)

    def woven(self, para: Paragraph, at: int) -> bool:
        """A quotation inside a sentence of reported speech ("X said services were “being pushed
        to breaking point”"): the words are the reporter's, a phrase of the speaker's quoted in them."""
        text = self.ext.text
        sentence_start = max(para.start, text.rfind(". ", para.start, at) + 1)
        verbs = list(SPEECH_VERB.finditer(text, sentence_start, at))
        verb = verbs[-1] if verbs else None
        return verb is not None and not re.fullmatch(r"\s*[:,]?\s*", text[verb.end() : at - 1])

    def quoted_fragments(self, para: Paragraph) -> Iterator[tuple[int, int]]:
        """What is quoted in ``para`` (a quotation running on past it, to its end)."""
        layer = self.ext.layer
        for quotation in layer.quotations_in(para.start, para.end):
            yield quotation.start, quotation.end
        running = layer.quotation_at(para.end - 1)
        if running is not None and running.open_at >= para.start and running.end > para.end:
            yield running.start, para.end

    def other_person_named(self, state: ItemState, para: Paragraph, at: int) -> bool:
        text = self.ext.text
        sentence_start = max(para.start, text.rfind(". ", para.start, at) + 1)
        for start, end in name_spans(self.ext.layer, sentence_start, at):
            name = None if self.in_organisation(start, end) else parse_name(text[start:end])
            speaking = state.current
            if (
                name is not None
                and speaking is not None
                and name.iri != speaking.person
                and (name.complete or name.family != speaking.name.family)  # "Mrs Roe" is Jo Roe
            ):
                return True
        # someone named by their post ("The Prime Minister wants ...", "the minister said")
        current = state.current.role if state.current is not None else None
        offices = [m.start() for m in PUBLIC_OFFICE_NAMED.finditer(text, sentence_start, at)]
        return any(
            current is None or not (current.start <= s < current.end)
            for s in [*(s for s, _, _ in find_role_words(text, sentence_start, at)), *offices]
        )

    def read_appositions(self, state: ItemState, para: Paragraph, until: int | None = None) -> None:
        """People named with a role beside them, where no speech verb made them speakers (in the
        paragraph, or in its part before ``until``)."""
        text = self.ext.text
        for start, end in sorted(name_spans(self.ext.layer, para.start, para.end if until is None else until)):
            name = parse_name(text[start:end])
            if (start, end) in state.named or name is None or not name.complete:
                continue
            if self.in_organisation(start, end) or any(s <= start < e for s, e in state.quoted):
                continue
            after = self.role_after(end, min(para.end, end + 160)) if text[end : end + 2] == ", " else None
            shared: list[RolePhrase] = []  # "Jo Doe, Founder and Chief Executive of the Wexmoor Trust"
            if after is None and text[end : end + 2] == ", ":
                stop = POST_ENDS.search(text, end + 2, para.end)
                shared = self.roles_in(end + 2, stop.start() if stop else para.end)
                after = shared[0] if shared else None
            bracket = BRACKETED.match(text, end, para.end)
            if after is None and bracket is not None:  # "Jo Doe (Chief Executive of the Anyshire Trust)"
                after = self.roles.read(bracket.start(1), bracket.end(1))
                line = HEADED_LINE.match(text, text.rfind("\n", para.start, start) + 1 or para.start, start)
                headed = line is not None and line.end() == start and (after is None or after.reading is PAGE_BODY)
                if headed and line is not None:  # "Anyshire Board – Cllr Jo Doe (Chair)"
                    aside = (line.end("body"), bracket.start(1))
                    after = self.roles.read(line.start("body"), bracket.end(1), aside=aside) or after
            before = self.roles.read_before(max(para.start, start - 160), start)
            former = before is not None and self.former(before.start)
            phrases = [p for p in (None if former else before, after) if p is not None]
            if not phrases and not former:
                continue
            speaker = self.speaker(state, name, start, end)
            if former and before is not None:
                self.former_role(state, speaker, before)
            for phrase in reversed(phrases):
                self.role(state, phrase, speaker)
            for phrase in shared[1:]:
                self.add_extra_role(state, name, start, end, phrase)
            if after is not None and not shared:
                self.coordinated(state, speaker, after, para.end)

    def coordinated(self, state: ItemState, speaker: Speaker, phrase: RolePhrase, limit: int) -> int:
        """Read a second post joined by "and" to ``phrase``, making up the words up to the next
        punctuation (and ``limit``), held now or, after "former", before; where the posts end."""
        text = self.ext.text
        stop = POST_ENDS.search(text, phrase.end, limit)
        limit = stop.start() if stop is not None else limit
        joint = AND_POST.match(text, phrase.end, limit)
        second = self.roles.read(joint.end(), limit) if joint else None
        if joint is None or second is None:
            return phrase.end
        if joint.group("former"):
            self.former_role(state, speaker, second)
        else:
            self.roles.add(second)
            add_stated_holding(self.ext, speaker.person, speaker.name, second, state.item)
        return second.end

    def read_tenures(self, state: ItemState, para: Paragraph) -> None:
        """Posts the narrative gives a person, with when they were taken up or left (see
        :mod:`loaders.tenures`), outside quotations."""
        text = self.ext.text
        for sentence in self.ext.layer.sentences_in(para.start, para.end):
            for clause in find_clauses(text, sentence.start, sentence.end):
                if self.ext.layer.quotation_at(clause.subject[0]) is not None:
                    continue
                subject = self.next_subject(state, sentence.end) if clause.subject_follows else clause.subject
                person = self.clause_person(state, *subject) if subject is not None else None
                owner = self.owner(clause.owner) if clause.owner is not None else None
                nearby = state.tenure_bodies.get(person[0]) if person is not None else None
                phrase = self.role_after(*clause.post, owner, nearby) if person is not None else None
                if person is None or phrase is None:
                    continue
                state.tenure_bodies[person[0]] = phrase.organisation
                near = state.item.date if state.item is not None else None
                future = bool(FUTURE.search(text, clause.subject[1], clause.post[0]))
                when = written_when(text, *(clause.when or (phrase.end, clause.post[1])), near, future)
                self.tenure(state, person[1](), phrase, clause.change, when)
                other = self.clause_person(state, *clause.other) if clause.other else None
                if other is not None and clause.other_change is not None:
                    self.tenure(state, other[1](), phrase, clause.other_change, when)

    def next_subject(self, state: ItemState, after: int) -> tuple[int, int] | None:
        """The full name the sentence after ``after`` opens with (the appointee of an appointment
        announced without a name)."""
        following = self.ext.layer.sentences_in(after, state.end)[:1]
        spans = sorted(name_spans(self.ext.layer, following[0].start, following[0].end)) if following else []
        if not spans or self.ext.text[following[0].start : spans[0][0]].strip():
            return None
        return max((s for s in spans if s[0] == spans[0][0]), key=lambda s: s[1])

    def owner(self, words: tuple[int, int]) -> OrganisationMention | None:
        """The body whose name ends ``words`` (before an appointing verb, after "joined"), or the one
        council the page names of the place ``words`` make up ("joined Anyshire in 2026 as ...")."""
        ends = [m for m in self.ext.entities.organisations_in(max(0, words[0] - 120), words[1]) if m.end == words[1]]
        if ends:
            return ends[-1]
        place = self.ext.text[words[0] : words[1]]
        council = self.roles.council_named(place, *words, guess=False) if _PLACE.fullmatch(place) else None
        return council[0] if council is not None else None

    def clause_person(
        self, state: ItemState, start: int, end: int
    ) -> tuple[URIRef, Callable[[], Speaker]] | None:
        """The person a clause's subject names (their IRI, and how to read them once the clause is
        known to state a post): a full name, a pronoun (the person named last), or a given or family
        name alone of a person the item has named."""
        text = self.ext.text
        written = text[start:end]
        known: Speaker | None = None
        if written.lower() in ("he", "she"):
            known = state.named_last(start) or state.current
        elif " " not in written or ((titled := parse_name(written)) is not None and not titled.complete):
            single = written.split()[-1]  # "Roe", "Cllr Roe"
            named = [k for k in state.speakers.values() if single in (k.name.given, k.name.family)]
            known = named[0] if len(named) == 1 else None
        else:
            for s, e in name_spans(self.ext.layer, start, end):
                name = None if e != end or self.in_organisation(s, e) else parse_name(text[s:e])
                if name is not None and name.complete:
                    return name.iri, partial(self.speaker, state, name, s, e)
        return (known.person, partial(lambda speaker: speaker, known)) if known is not None else None

    def tenure(self, state: ItemState, speaker: Speaker, phrase: RolePhrase, change: Change, when: When) -> None:
        """Write the holding a clause states: from the time written after a post taken up (or
        "since"), until the time written after a post left (or "until"), with no interval for a post
        held before, else at the item's date."""
        self.roles.add(phrase)
        prep, day = (when[0], when[1]) if when else ("", None)
        tenure: tuple[date | None, date | None] | None = None
        if change is Change.HELD and prep in ("from", "since"):  # "having served as ... from 2025"
            tenure = (day, None)
        elif change in (Change.TAKES, Change.HOLDS) and prep in ("in", "from", "on", "since"):
            tenure = (day, None) if change is Change.TAKES or prep == "since" else None
        elif prep in ("until", "till", "by", "at the end of", "in", "on") and change in (Change.LEAVES, Change.HOLDS):
            tenure = (None, day) if change is Change.LEAVES or prep in ("until", "till") else None
        item = None if change is Change.HELD else state.item
        # a post whose body was guessed keeps the lower confidence of that guess
        reading = phrase.reading if phrase.reading.confidence < TENURE.confidence else TENURE
        if when is not None and not when[3] and tenure is not None:  # "from April": its year from the item's
            reading = TENURE_YEAR_FROM_ITEM if reading is TENURE else reading
        add_stated_holding(self.ext, speaker.person, speaker.name, replace(phrase, reading=reading), item, tenure)

    def is_speech(self, state: ItemState) -> bool:
        """An item reporting a speech or address, whose quotations are the speaker's."""
        head = (state.item.title or "") if state.item else ""
        head += " " + self.ext.text[state.start : min(state.end, state.start + 400)]
        return bool(SPEECH_WORD.search(head))

    def former(self, at: int) -> bool:
        """A role written as past ("former ADCS President X") is not a holding at the item's date."""
        written = self.ext.text[max(0, at - 12) : at]
        return bool(re.search(r"\b(?:former|then|ex-|past|outgoing|previous)\s*$", written, re.IGNORECASE))

    def read_cued_names(self, para: Paragraph) -> None:
        """Names the words around them show to be people's ("Sir Michael Marmot", "Minister Ford",
        "Jo Bloggs’s review", "the death of Jo Bloggs"); read in titles too."""
        for name, start, end in cued_names(self.ext.text, para.start, para.end):
            if name.iri not in self.people and not self.in_organisation(start, end):
                self.person(name, start, end)

    # --- signed pieces -----------------------------------------------------------------------

    def read_signature(self, state: ItemState, paras: list[Paragraph], heading: int) -> None:
        """A column, foreword or article signed by a named person: its body is their statement."""
        body = [p for p in paras if p.start >= heading]
        for index, para in enumerate(body):
            signed = self.signature(state, body, index)
            if signed is None:
                continue
            speaker, role, sign_start = signed
            prose = self.prose_before(body[:index], sign_start)
            if prose is None:
                self.ext.skip(LOADER, para.start, f"signature of {speaker.name.canonical} with no text above it")
                return
            state.current = speaker
            self.statement(state, speaker, role, prose[0], prose[1], SIGNED)
            return
        for index, para in enumerate(body):
            intro = self.author_intro(state, para, index)
            if intro is not None:
                speaker, role = intro
                prose = self.prose_after(body[index + 1 :])
                if prose is not None:
                    state.current = speaker
                    self.statement(state, speaker, role, prose[0], prose[1], INTRODUCED)
                return
        titled = self.speech_title(state, [p for p in paras if p.start < heading] or paras[:1])
        prose = self.prose_after(body if heading > state.start else body[1:]) if titled is not None else None
        if titled is not None and prose is not None and self.first_person(*prose):
            state.current = titled
            self.statement(state, titled, titled.role, prose[0], prose[1], TITLED_SPEECH)

    def first_person(self, start: int, end: int) -> bool:
        """Whether ``start``..``end`` is in the speaker's own voice ("I", "we", "you" outside
        quotations), not a report about their speech."""
        return any(
            self.ext.layer.quotation_at(m.start()) is None for m in FIRST_PERSON.finditer(self.ext.text, start, end)
        )

    def speech_title(self, state: ItemState, head: list[Paragraph]) -> Speaker | None:
        """The speaker a title names for the speech the item gives ("President's address by Jo
        Doe", "Jo Doe's keynote to the conference", "Speech from Jo Doe, ADCS President")."""
        text = self.ext.text
        for para in head:
            for cue in SPEECH_WORD.finditer(text, para.start, para.end):
                for start, end in sorted(name_spans(self.ext.layer, para.start, para.end)):
                    name = None if self.in_organisation(start, end) else parse_name(text[start:end])
                    if name is None or not name.complete:
                        continue
                    by = start >= cue.end() and SPEECH_BY.fullmatch(text, cue.end(), start)
                    owned = end <= cue.start() and SPEECH_OWNER.fullmatch(text, end, cue.start())
                    if by or owned:
                        return self.speaker(state, name, start, end)
        return None

    def read_interview(self, state: ItemState, paras: list[Paragraph]) -> None:
        """An interview written as questions and answers ("Q: ...", then "Jo Doe: ..." or
        "A: ..."): each answer is a statement of the person it is headed with, "A:" of the one
        person the item named before its first question."""
        text = self.ext.text
        heads = [(para, INTERVIEW_LINE.match(text, para.start, para.end)) for para in paras]
        questions = [para for para, head in heads if head is not None and head.group("question")]
        if not questions:
            return
        before = {n.canonical: (s, e, n) for s, e, n, _ in self.named_people(state, questions[0].start) if n.complete}
        for para, head in heads:
            if head is None or head.group("question") or para.start < questions[0].start:
                continue
            speaker: Speaker | None = None
            if head.group("answer") and len(before) == 1:
                ((start, end, name),) = before.values()
                speaker = self.speaker(state, name, start, end)
            elif head.group("name"):
                speaker = self.interviewee(state, head.start("name"), head.end("name"))
            if speaker is not None:
                self.statement(state, speaker, speaker.role, head.end(), para.end, INTERVIEW)

    def interviewee(self, state: ItemState, start: int, end: int) -> Speaker | None:
        """The person heading an answer: a full name, or the family name of one the item named."""
        name = parse_name(self.ext.text[start:end])
        if name is not None and name.complete:
            return self.speaker(state, name, start, end)
        family = end - len(name.family) if name is not None else start
        known = self.family_name_subject(state, family, end, "")
        return known[0] if known else None

    def read_signed_quotations(self, state: ItemState, body: list[Paragraph]) -> None:
        """A quotation whose opening mark the page does not give (cut off above, or never written),
        closed at the end of its paragraph and signed on the next line ("Cllr Jo Doe, Chair, ..."):
        the paragraph is a statement of the signatory."""
        text = self.ext.text
        for index, (para, line) in enumerate(pairwise(body)):
            close_at = len(text[para.start : para.end].rstrip()) + para.start - 1
            if text[close_at] not in "”\"" or self.ext.layer.quotation_closing(close_at) is not None:
                continue
            if line.end - line.start > 220 or any(s <= para.start < e for s, e in state.quoted):
                continue
            spans = [(s, e) for s, e in name_spans(self.ext.layer, line.start, line.end) if s == line.start]
            for start, end in sorted(spans, key=lambda span: span[0] - span[1]):
                name = parse_name(text[start:end])
                if name is not None and name.complete and re.match(r"\s*(?:,|$)", text[end : line.end]):
                    signed = self.signature(state, body, index + 1)  # with the signatory's posts
                    speaker = state.current = signed[0] if signed else self.speaker(state, name, start, end)
                    self.statement(state, speaker, speaker.role, para.start, close_at, SIGNED)
                    break

    def signature(
        self, state: ItemState, body: list[Paragraph], index: int
    ) -> tuple[Speaker, RolePhrase | None, int] | None:
        """``body[index]`` as a signature: "Name, Role", "Name is Role ...", or "Name" over a role line."""
        text = self.ext.text
        para = body[index]
        line = text[para.start : para.end]
        if index == 0 or len(line) > 220:
            return None
        opening = name_spans(self.ext.layer, para.start, min(para.end, para.start + 80))
        spans = [(s, e) for s, e in opening if s == para.start]
        if not spans:
            return None
        name_start, rest_start = max(spans, key=lambda span: span[1])
        name = parse_name(text[name_start:rest_start])
        if name is None or not name.complete:
            return None
        rest = text[rest_start : para.end]
        phrase: RolePhrase | None = None
        joint = re.match(r"\s*,\s*|\s+is\s+|[ \t]*\n\s*", rest)
        if joint:
            phrases = self.roles_in(rest_start + joint.end(), para.end)
            if not phrases:
                return None
            phrase = phrases[0]
            for extra in phrases[1:]:
                self.add_extra_role(state, name, name_start, rest_start, extra)
        elif rest.strip():
            return None
        else:
            following = body[index + 1] if index + 1 < len(body) else None
            phrase = self.roles.read(following.start, following.end) if following else None
            if phrase is None:
                return None
        if not self.ends_section(body[index + 1 :], phrase):
            return None
        speaker = self.speaker(state, name, name_start, rest_start)
        return speaker, self.role(state, phrase, speaker), para.start

    def ends_section(self, rest: list[Paragraph], phrase: RolePhrase | None) -> bool:
        """A signature closes its piece: after it (and its role line) come only furniture, the end
        of the item, or the heading of the next section."""
        text = self.ext.text
        for position, para in enumerate(rest):
            if STOP_LINE.match(text, para.start):
                continue
            if position == 0 and phrase is not None and para.start <= phrase.start < para.end:
                continue
            return not self.is_prose(para)
        return True

    def roles_in(self, start: int, end: int) -> list[RolePhrase]:
        """The role phrases making up ``text[start:end]``: "ROLE", or roles joined by "and" ("ROLE and
        ROLE and ROLE"; a final full stop aside)."""
        text = self.ext.text
        stop = end - 1 if text[end - 1 : end] == "." else end
        whole = self.roles.read(start, stop)
        if whole is not None:
            return [whole]
        for joint in re.finditer(r"\s+and\s+(?=[A-Z])", text[start:stop]):
            rest = self.roles_in(start + joint.end(), stop)
            # "Founder and Chief Executive of the Wexmoor Trust": a first post with no body is the next one's
            owner = rest[0].organisation if rest and rest[0].explicit_org else None
            first = self.roles.read(start, start + joint.start(), owner=owner)
            if first is None:
                continue
            if not rest:
                self.ext.skip(LOADER, start + joint.end(), f"role {text[start + joint.end() : stop]!r} not understood")
            return [first, *rest]
        return []

    def add_extra_role(self, state: ItemState, name: PersonName, start: int, end: int, phrase: RolePhrase) -> None:
        speaker = self.speaker(state, name, start, end)
        self.roles.add(phrase)
        add_stated_holding(self.ext, speaker.person, speaker.name, phrase, state.item)

    def prose_before(self, paras: list[Paragraph], limit: int) -> tuple[int, int] | None:
        """The run of prose paragraphs just above ``limit``, across the sub-headings between them
        ("Recommendations", "For local authorities"), back to anything else."""
        text = self.ext.text
        kept = [p for p in paras if p.end <= limit]
        run: list[Paragraph] = []
        for para in reversed(kept):
            if STOP_LINE.match(text, para.start):
                continue
            if not (self.is_prose(para) or self.is_sub_heading(para)):
                break
            run.insert(0, para)
        while run and not self.is_prose(run[0]):
            run.pop(0)
        return (run[0].start, run[-1].end) if run else None

    def is_sub_heading(self, para: Paragraph) -> bool:
        body = self.ext.text[para.start : para.end]
        return len(body) <= 80 and "\n" not in body and body.rstrip()[-1:] not in '.!?”"’);,'

    def prose_after(self, paras: list[Paragraph]) -> tuple[int, int] | None:
        """The run of prose paragraphs from the first one on (head lines such as a dateline or a
        sub-heading before it are passed over)."""
        run: list[Paragraph] = []
        for para in paras:
            if STOP_LINE.match(self.ext.text, para.start) or not self.is_prose(para):
                if run or "\n" in self.ext.text[para.start : para.end] or para.end - para.start > 80:
                    break
                continue
            run.append(para)
        return (run[0].start, run[-1].end) if run else None

    def is_prose(self, para: Paragraph) -> bool:
        body = self.ext.text[para.start : para.end]
        return len(body) >= 60 and body.rstrip()[-1:] in '.!?”"’)'

    def author_intro(self, state: ItemState, para: Paragraph, index: int) -> tuple[Speaker, RolePhrase | None] | None:
        """ "Here, X, Chair of ..., responds to ...", or a byline at the top of the body ("By X,
        ADCS President", "Delivered by X, ..."): the piece below is X's."""
        text = self.ext.text
        byline = BYLINE.match(text[para.start : para.end]) if index <= 1 and para.end - para.start <= 300 else None
        if byline is not None:
            author = self.subject_after(state, para, para.start + byline.end())
            reporter = state.item is not None and state.item.kind == AK.NewsArticle
            if author is not None and author[1] is None and reporter:
                self.ext.skip(LOADER, para.start, f"{author[0].name.canonical} reports the news article: no statement")
                return None
            return author[:2] if author else None
        for verb in AUTHOR_INTRO.finditer(text, para.start, para.end):
            clause_start = self.clause_start(para.start, verb.start())
            found = self.subject(state, clause_start, verb.start())
            if found is not None:
                return found
        return None


def _items(ext: Extraction) -> list[ItemState]:
    if not ext.items:
        return [ItemState(None, 0, len(ext.text))]
    return [ItemState(item, item.start, item.end) for item in sorted(ext.items, key=lambda i: i.start)]


def extract(ext: Extraction) -> None:
    """Add the statements, speakers, posts and stated holdings of every item of the document."""
    reader = StatementReader(ext, RoleReader(ext, _OrganisationLoader(ext.entities)))
    states = _items(ext)
    for state in states:
        reader.read_item(state)
    for _, name in sorted(reader.people.items()):
        for state in states:
            record_mentions(ext, name, state.start, state.end)
