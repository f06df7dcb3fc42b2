"""People (name parsing, the person node, mentions) and posts (role phrases -> ak:Post)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK, ID, resource
from graph.query import named_query
from loaders.document import Document
from loaders.extraction import Extraction
from loaders.people import PersonName, add_person, cued_names, name_spans, parse_name, record_mentions
from loaders.posts import (
    COUNCIL_OF_PLACE,
    UNNAMED_COUNCIL,
    WRITTEN_ORGANISATION,
    RolePhrase,
    RoleReader,
    find_role_words,
    parse_term,
)
from loaders.text import TextLayer

QUERIES = Path(__file__).parents[2] / "queries"


def extraction(text: str) -> Extraction:
    return Extraction(Document(id="t", path=Path("t.txt"), text=text, sha256="0" * 64))


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Harriet Vane", PersonName("Harriet", "Vane")),
        ("Harriet Vane CBE", PersonName("Harriet", "Vane", (), ("CBE",))),
        ("Cllr Peter Wimsey", PersonName("Peter", "Wimsey", ("Cllr",))),
        ("Councillor Peter Wimsey", PersonName("Peter", "Wimsey", ("Cllr",))),
        ("Dame Agatha Dalgliesh DBE", PersonName("Agatha", "Dalgliesh", ("Dame",), ("DBE",))),
        ("Professor Lestrade", PersonName("", "Lestrade", ("Professor",))),
        ("Dr Mary J. Watson", PersonName("Mary", "Watson", ("Dr",))),
        ("Ann Lloyd-Jones", PersonName("Ann", "Lloyd-Jones")),
        ("Harriet Vane’s", PersonName("Harriet", "Vane")),
    ],
)
def test_parse_name_splits_titles_and_honours(surface: str, expected: PersonName) -> None:
    assert parse_name(surface) == expected


@pytest.mark.parametrize(
    "surface",
    ["Vane", "Department for Education", "Kent County Council", "Children's Services", "The Report", "ADCS President"],
)
def test_parse_name_refuses_what_is_not_a_personal_name(surface: str) -> None:
    assert parse_name(surface) is None


@pytest.mark.parametrize(
    ("text", "surface", "name"),
    [
        ("The Prime Minister Gladstone pledged it.", "Gladstone", PersonName("", "Gladstone")),
        ("Minister Hood MP - view speech", "Hood", PersonName("", "Hood")),
        ("Children’s Commissioner Ann de Bell wrote.", "Ann de Bell", PersonName("Ann", "de Bell")),
        ("as in Tom MacHood’s review several years ago", "Tom MacHood", PersonName("Tom", "MacHood")),
        ("Ann Bell's 2019 report on youth justice", "Ann Bell", PersonName("Ann", "Bell")),
        ("following the death of Lily Hood-Bell", "Lily Hood-Bell", PersonName("Lily", "Hood-Bell")),
        ("welcomed by Tom Hood MP yesterday", "Tom Hood MP", PersonName("Tom", "Hood", (), ("MP",))),
        (
            "Professor Dame Ann Bell chaired it.",
            "Professor Dame Ann Bell",
            PersonName("Ann", "Bell", ("Professor", "Dame")),
        ),
        ("Dame Ann de Bell wrote.", "Dame Ann de Bell", PersonName("Ann", "de Bell", ("Dame",))),
    ],
)
def test_cued_names_are_people_by_the_words_around_them(text: str, surface: str, name: PersonName) -> None:
    assert [(found, text[s:e]) for found, s, e in cued_names(text, 0, len(text))] == [(name, surface)]


@pytest.mark.parametrize(
    "text",
    [
        "the Minister for Children and Families spoke",
        "the Secretary of State for Education said",
        "the Kinship Care report and the Care Review’s report",
        "in the case of Multi Agency Child Protection Units",
        "Early Help Transformation Board's report",
    ],
)
def test_no_cued_name_without_a_personal_name(text: str) -> None:
    assert cued_names(text, 0, len(text)) == []


def test_name_spans_are_every_pair_of_words_in_a_capitalised_run() -> None:
    text = "Spending in England Matt Dunkley, Sir Peter Wimsey OBE and Professor Munro."
    spans = {text[s:e] for s, e in name_spans(TextLayer(text), 0, len(text))}
    assert {"England Matt", "Matt Dunkley", "Sir Peter Wimsey OBE", "Professor Munro"} <= spans
    assert {text[s:e] for s, e in name_spans(TextLayer(text), 0, len(text)) if parse_name(text[s:e])} == {
        "Matt Dunkley",
        "Sir Peter Wimsey OBE",
        "Professor Munro",
    }


def test_one_iri_for_every_surface_form() -> None:
    forms = ["Harriet Vane", "Harriet Vane OBE", "Dr Harriet Vane"]
    iris = {n.iri for f in forms if (n := parse_name(f)) is not None}
    assert iris == {resource("person", "harriet-vane")}


def test_add_person_writes_parts_and_mentions() -> None:
    text = "Cllr Peter Wimsey OBE spoke."
    ext = extraction(text)
    name = parse_name("Cllr Peter Wimsey OBE")
    assert name is not None
    iri = add_person(ext, name, 0, 21)
    g = ext.graph
    assert (iri, RDF.type, AK.Person) in g
    assert g.value(iri, AK.name) == Literal("Peter Wimsey")
    assert g.value(iri, AK.givenName) == Literal("Peter")
    assert g.value(iri, AK.familyName) == Literal("Wimsey")
    assert g.value(iri, AK.honorificPrefix) == Literal("Cllr")
    assert g.value(iri, AK.honorificSuffix) == Literal("OBE")
    assert g.value(iri, AK.altName) == Literal("Cllr Peter Wimsey OBE")
    assert [(m.start, m.end) for m in ext.mentions] == [(0, 21)]


def test_record_mentions_takes_family_or_given_name_only_after_the_full_name() -> None:
    text = (
        "Vane arrived. Harriet\nVane spoke first. Later Vane’s view changed; Vane Street is a road; "
        "Harriet thanked Harriet Jones."
    )
    ext = extraction(text)
    name = PersonName("Harriet", "Vane")
    record_mentions(ext, name, 0, len(text))
    quoted = [text[m.start : m.end] for m in ext.mentions]
    assert quoted == ["Harriet\nVane", "Vane", "Harriet"]
    assert ext.mentions[1].start == text.index("Vane’s")


# --- posts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    start: int
    end: int
    iri: URIRef
    name: str
    acronym: str | None
    unit_of: URIRef | None = None

    @property
    def standing_acronym(self) -> str | None:
        return self.acronym  # the stand-in's organisations are known ones, as the gazetteer's are


class StandInOrganisations:
    """A tiny organisation finder: fixed surfaces, as the organisation loader would report them."""

    SURFACES: tuple[tuple[str, str, str | None, str | None], ...] = (
        ("Guild of Children's Services Directors", "Guild of Children's Services Directors", "GCSD", None),
        ("GCSD Workforce Committee", "GCSD Workforce Committee", None, "Guild of Children's Services Directors"),
        ("Barsetshire County Council", "Barsetshire County Council", None, None),
        ("Guild of Children's Service", "Guild of Children's Service", None, None),
        ("GCSD", "Guild of Children's Services Directors", "GCSD", None),
    )

    def find(self, text: str, start: int = 0, end: int | None = None) -> Sequence[Org]:
        stop = len(text) if end is None else end
        found: list[Org] = []
        for surface, name, acronym, parent in self.SURFACES:
            at = text.find(surface, start)
            while at >= 0 and at + len(surface) <= stop:
                if not any(f.start <= at < f.end or at <= f.start < at + len(surface) for f in found):
                    parent_iri = ID["org/" + parent.lower().replace(" ", "-").replace("'", "")] if parent else None
                    iri = ID["org/" + name.lower().replace(" ", "-").replace("'", "")]
                    found.append(Org(at, at + len(surface), iri, name, acronym, parent_iri))
                at = text.find(surface, at + 1)
        return sorted(found, key=lambda f: f.start)

    def add(self, ext: Extraction, mention: Org) -> URIRef:  # type: ignore[override]
        ext.graph.add((mention.iri, RDF.type, AK.Organisation))
        ext.mention(mention.iri, mention.start, mention.end)
        return mention.iri

    def council_of_place(self, place: str, start: int, end: int) -> Org:
        return Org(start, end, ID["org/" + place.lower()], place, None, None)


def read(text: str, phrase: str) -> tuple[Extraction, RoleReader, object]:
    ext = extraction(text)
    reader = RoleReader(ext, StandInOrganisations())
    start = text.index(phrase)
    return ext, reader, reader.read(start, start + len(phrase))


GUILD = "guild-of-childrens-services-directors"


@pytest.mark.parametrize(
    ("phrase", "post", "name", "role"),
    [
        ("GCSD President", (GUILD, "president"), "GCSD President", AK.President),
        ("President GCSD", (GUILD, "president"), "GCSD President", AK.President),
        (
            "President of the Guild of Children's Services Directors (GCSD)",
            (GUILD, "president"),
            "GCSD President",
            AK.President,
        ),
        ("GCSD Vice-President", (GUILD, "vice-president"), "GCSD Vice President", AK.VicePresident),
        ("GCSD Honorary Secretary", (GUILD, "honorary-secretary"), "GCSD Honorary Secretary", AK.HonorarySecretary),
        (
            "Chair of the GCSD Workforce Committee",
            (GUILD, "chair", "gcsd-workforce-committee"),
            "Chair of the GCSD Workforce Committee",
            AK.Chair,
        ),
        (
            "Director of Children’s Services at Barsetshire County Council",
            ("barsetshire-county-council", "director-of-childrens-services"),
            "Director of Children's Services, Barsetshire County Council",
            AK.DirectorOfChildrensServices,
        ),
        ("GCSD's Honorary Secretary", (GUILD, "honorary-secretary"), "GCSD Honorary Secretary", AK.HonorarySecretary),
        (
            "Vice-Chair of the GCSD Workforce Committee",
            (GUILD, "vice-chair", "gcsd-workforce-committee"),
            "Vice Chair of the GCSD Workforce Committee",
            AK.OtherRole,
        ),
        (
            "Corporate Director for Children’s Services, Barsetshire County Council",
            ("barsetshire-county-council", "director-of-childrens-services"),
            "Director of Children's Services, Barsetshire County Council",
            AK.DirectorOfChildrensServices,
        ),
        (
            "Executive Director of Adults and Children, Barsetshire County Council",
            ("barsetshire-county-council", "executive-director-of-adults-and-children"),
            "Executive Director of Adults and Children, Barsetshire County Council",
            AK.OtherRole,
        ),
        (
            "Strategic Director for People, Barsetshire County Council",
            ("barsetshire-county-council", "strategic-director-for-people"),
            "Strategic Director for People, Barsetshire County Council",
            AK.StrategicDirector,
        ),
    ],
)
def test_role_phrases_name_their_post(phrase: str, post: tuple[str, ...], name: str, role: URIRef) -> None:
    text = f"The GCSD President spoke. Then {phrase} spoke."
    _, _, found = read(text, phrase)
    assert found is not None
    assert found.post == resource("post", *post)  # type: ignore[attr-defined]
    assert found.name == name  # type: ignore[attr-defined]
    assert found.role == role  # type: ignore[attr-defined]


def test_role_without_organisation_is_placed_in_the_documents_association() -> None:
    text = "Ann Bell, GCSD President, spoke. Tom Hood, Vice President, replied."
    _, _, found = read(text, "Vice President")
    assert found is not None
    assert found.post == resource("post", GUILD, "vice-president")  # type: ignore[attr-defined]
    assert found.explicit_org is False  # type: ignore[attr-defined]


def test_role_without_organisation_in_a_document_of_no_association_is_not_read() -> None:
    _, _, found = read("Tom Hood, Vice President, replied.", "Vice President")
    assert found is None


def test_misspelt_role_word_is_read() -> None:
    _, _, found = read("GCSD Presdient Ann Bell spoke.", "GCSD Presdient")
    assert found is not None
    assert found.role == AK.President  # type: ignore[attr-defined]


def test_misspelt_association_name_is_read_as_the_documents_association_with_a_note() -> None:
    text = "The GCSD President spoke. Later the President of the Guild of Children's Service spoke."
    ext, _, found = read(text, "President of the Guild of Children's Service")
    assert found is not None
    assert found.post == resource("post", GUILD, "president")  # type: ignore[attr-defined]
    assert any("close spelling" in s.reason for s in ext.skipped)


def test_council_post_placed_by_its_area_is_the_documents_council_of_that_place() -> None:
    text = "Barsetshire County Council published it. Ann Bell is Director of Children's Services in Barsetshire."
    _, _, found = read(text, "Director of Children's Services in Barsetshire")
    assert found is not None
    assert found.post == resource("post", "barsetshire-county-council", "director-of-childrens-services")  # type: ignore[attr-defined]


def test_council_post_in_a_place_the_document_names_no_council_of_is_read_at_low_confidence() -> None:
    _, _, found = read(
        "Ann Bell is Director of Children's Services in Wessex.", "Director of Children's Services in Wessex"
    )
    assert isinstance(found, RolePhrase)
    assert found.organisation.name == "Wessex" and found.council_from_place
    assert found.reading is UNNAMED_COUNCIL and found.reading.confidence < WRITTEN_ORGANISATION.confidence


def test_council_post_before_a_bare_county_name() -> None:
    _, _, found = read("Ann Bell, DCS Barsetshire, said so. Barsetshire County Council agreed.", "DCS Barsetshire")
    assert isinstance(found, RolePhrase)
    assert found.organisation.name == "Barsetshire County Council" and found.reading is COUNCIL_OF_PLACE
    _, _, person = read("Ann Bell, DCS Tom Hood, said so.", "DCS Tom Hood")
    assert person is None


def test_a_sentence_is_not_a_role_phrase() -> None:
    _, _, found = read("GCSD President. The President wrote to all councils.", "The President wrote to all councils")
    assert found is None


def test_role_phrase_before_a_name() -> None:
    text = "Commenting on the report, GCSD Vice President Tom Hood said:"
    ext = extraction(text)
    reader = RoleReader(ext, StandInOrganisations())
    found = reader.read_before(0, text.index("Tom Hood"))
    assert found is not None
    assert text[found.start : found.end] == "GCSD Vice President"


def test_add_writes_the_post_with_its_organisation_and_mention() -> None:
    text = "Ann Bell, Chair of the GCSD Workforce Committee, said:"
    ext, reader, found = read(text, "Chair of the GCSD Workforce Committee")
    assert found is not None
    post = reader.add(found)  # type: ignore[arg-type]
    g = ext.graph
    assert (post, RDF.type, AK.Post) in g
    assert g.value(post, AK.role) == AK.Chair
    assert g.value(post, AK.postIn) == ID["org/gcsd-workforce-committee"]
    assert [text[m.start : m.end] for m in ext.mentions if m.node == post] == ["Chair of the GCSD Workforce Committee"]


@pytest.mark.parametrize(
    ("written", "key", "start"),
    [
        ("2020/21", "2020-21", "2020-04-01"),
        ("21/22", "2021-22", "2021-04-01"),
        ("for 2019-20", "2019-20", "2019-04-01"),
        ("2023/2024", "2023-24", "2023-04-01"),
    ],
)
def test_terms_are_association_years(written: str, key: str, start: str) -> None:
    term = parse_term(written, 0, len(written))
    assert term is not None
    assert term.key == key
    assert term.interval[0].isoformat() == start


def test_a_year_pair_that_does_not_follow_on_is_not_a_term() -> None:
    assert parse_term("2020/23", 0, 7) is None
    assert parse_term("2020/2022", 0, 9) is None


def test_find_role_words_prefers_the_longest() -> None:
    text = "Vice President and Director of Children's Services"
    assert [text[s:e] for s, e, _ in find_role_words(text, 0, len(text))] == [
        "Vice President",
        "Director of Children's Services",
    ]


# --- query -------------------------------------------------------------------------------------


def test_people_query_lists_names_once_in_order() -> None:
    g = Graph()
    for slug_, name in [("b", "Tom Hood"), ("a", "Ann Bell")]:
        g.add((ID["person/" + slug_], RDF.type, AK.Person))
        g.add((ID["person/" + slug_], AK.name, Literal(name)))
    columns = named_query("people").columns  # the rows as the CLI and the API give them
    rows = [tuple(str(row[c]) for c in columns) for row in g.query((QUERIES / "people.rq").read_text())]  # type: ignore[index]
    assert rows == [("Ann Bell",), ("Tom Hood",)]
