"""Holdings: terms from the statements' dates, the Vice President -> President rule,
successions, merging with stated holdings; and the positions and who_held queries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK, ID, resource
from loaders import holdings, items, organisations, statements
from loaders.document import read_document
from loaders.extraction import Extraction, Skip

CORPUS = Path(__file__).parents[2] / "corpus"
QUERIES = Path(__file__).parents[2] / "queries"
ORG = ID["org/oa"]
PRESIDENT = ID["post/oa/president"]
VICE = ID["post/oa/vice-president"]
CHAIR = ID["post/oa/chair/board"]


def person(name: str) -> URIRef:
    return ID["person/" + name]


def base_graph() -> Graph:
    g = Graph()
    for post, role, name in ((PRESIDENT, AK.President, "OA President"), (VICE, AK.VicePresident, "OA Vice President")):
        g.add((post, RDF.type, AK.Post))
        g.add((post, AK.role, role))
        g.add((post, AK.name, Literal(name)))
        g.add((post, AK.postIn, ORG))
    g.add((CHAIR, RDF.type, AK.Post))
    g.add((CHAIR, AK.role, AK.Chair))
    g.add((CHAIR, AK.postIn, ORG))
    return g


def add_items(g: Graph, doc: str, dates: list[date | None]) -> list[URIRef]:
    """A newest-first document whose items have these dates."""
    iris = []
    g.add((ID["doc/" + doc], AK.fileName, Literal(doc + ".txt")))
    for position, day in enumerate(dates):
        item = ID[f"item/{doc}/{position}"]
        g.add((item, RDF.type, AK.Item))
        g.add((item, AK.inDocument, ID["doc/" + doc]))
        g.add((item, AK.position, Literal(position)))
        if day is not None:
            g.add((item, AK.date, Literal(day, datatype=XSD.date)))
        iris.append(item)
    return iris


def say(g: Graph, name: str, post: URIRef, item: URIRef, day: date | None) -> URIRef:
    statement = ID[f"statement/{name}/{post.split('/')[-1]}/{item.split('/')[-1]}/{item.split('/')[-2]}"]
    g.add((statement, RDF.type, AK.Statement))
    g.add((statement, AK.speaker, person(name)))
    g.add((statement, AK.inRole, post))
    g.add((statement, AK.inItem, item))
    if day is not None:
        g.add((statement, AK.date, Literal(day, datatype=XSD.date)))
    return statement


def holding(name: str, post: URIRef, key: str) -> URIRef:
    return resource("holding", name, str(post).removeprefix(str(ID) + "post/"), key)


def dates_of(g: Graph, node: URIRef) -> tuple[date | None, date | None]:
    interval = g.value(node, AK.during)
    start, end = g.value(interval, AK.startDate), g.value(interval, AK.endDate)
    return (start.toPython() if start else None, end.toPython() if end else None)  # type: ignore[union-attr]


def test_terms_from_dates_and_from_the_items_around_an_undated_statement() -> None:
    g = base_graph()
    item0, item1, item2 = add_items(g, "d", [date(2023, 6, 1), None, date(2022, 12, 1)])
    s_ann = say(g, "ann", PRESIDENT, item0, date(2023, 6, 1))
    s_bob = say(g, "bob", PRESIDENT, item1, None)
    skipped: list[Skip] = []
    holdings.link(g, skipped)
    ann, bob = holding("ann", PRESIDENT, "2023-24"), holding("bob", PRESIDENT, "2022-23")
    assert dates_of(g, ann) == (date(2023, 4, 1), date(2024, 3, 31))
    assert dates_of(g, bob) == (date(2022, 4, 1), date(2023, 3, 31))
    assert g.value(ann, AK.inferred) == Literal(True)
    assert set(g.objects(ann, AK.evidence)) == {s_ann}
    assert set(g.objects(bob, AK.evidence)) == {s_bob}
    assert g.value(ann, AK.predecessor) == bob
    assert g.value(bob, AK.successor) == ann
    del item2


def test_vice_president_presides_the_year_after() -> None:
    g = base_graph()
    (dated,) = add_items(g, "d", [date(2019, 9, 1)])
    (undated,) = add_items(g, "e", [None])
    vp = say(g, "eve", VICE, dated, date(2019, 9, 1))
    president = say(g, "eve", PRESIDENT, undated, None)
    holdings.link(g, [])
    presidency = holding("eve", PRESIDENT, "2020-21")
    assert dates_of(g, presidency) == (date(2020, 4, 1), date(2021, 3, 31))
    assert set(g.objects(presidency, AK.evidence)) == {president}
    assert set(g.objects(holding("eve", VICE, "2019-20"), AK.evidence)) == {vp}


def test_stated_holding_with_a_written_term_gains_evidence_and_stays_stated() -> None:
    g = base_graph()
    (item,) = add_items(g, "d", [date(2021, 5, 1)])
    statement = say(g, "ann", PRESIDENT, item, date(2021, 5, 1))
    stated = holding("ann", PRESIDENT, "2021-22")
    g.add((stated, RDF.type, AK.Holding))
    g.add((stated, AK.holder, person("ann")))
    g.add((stated, AK.post, PRESIDENT))
    g.add((stated, AK.inferred, Literal(False)))
    g.add((stated, AK.termLabel, Literal("21/22")))
    g.add((stated, AK.during, holdings.add_interval(g, date(2021, 4, 1), date(2022, 3, 31))))
    holdings.link(g, [])
    assert list(g.objects(stated, AK.inferred)) == [Literal(False)]
    assert set(g.objects(stated, AK.evidence)) == {statement}
    assert len(set(g.subjects(RDF.type, AK.Holding))) == 1


def test_two_people_dated_in_the_same_year_keep_the_better_attested() -> None:
    g = base_graph()
    first, second = add_items(g, "d", [date(2021, 6, 1), date(2021, 5, 1)])
    say(g, "ann", PRESIDENT, first, date(2021, 6, 1))
    say(g, "ann", PRESIDENT, second, date(2021, 5, 1))
    (other,) = add_items(g, "e", [date(2021, 7, 1)])
    say(g, "bob", PRESIDENT, other, date(2021, 7, 1))
    skipped: list[Skip] = []
    holdings.link(g, skipped)
    held = {g.value(h, AK.holder) for h in g.subjects(AK.inferred, Literal(True))}
    assert held == {person("ann")}
    assert any("bob" in s.reason and "better attested" in s.reason for s in skipped)


def test_a_tie_between_holders_of_one_year_gives_neither() -> None:
    g = base_graph()
    (first,) = add_items(g, "d", [date(2021, 6, 1)])
    (second,) = add_items(g, "e", [date(2021, 7, 1)])
    say(g, "ann", PRESIDENT, first, date(2021, 6, 1))
    say(g, "bob", PRESIDENT, second, date(2021, 7, 1))
    holdings.link(g, [])
    assert list(g.subjects(AK.inferred, Literal(True))) == []


def test_other_posts_hold_from_first_to_last_dated_statement() -> None:
    g = base_graph()
    newer, older = add_items(g, "d", [date(2023, 6, 1), date(2022, 5, 1)])
    say(g, "gus", CHAIR, newer, date(2023, 6, 1))
    say(g, "gus", CHAIR, older, date(2022, 5, 1))
    holdings.link(g, [])
    tenure = holding("gus", CHAIR, "2022-05-01_2023-06-01")
    assert dates_of(g, tenure) == (date(2022, 5, 1), date(2023, 6, 1))


def test_a_post_seen_only_undated_gets_a_holding_without_interval() -> None:
    g = base_graph()
    (item,) = add_items(g, "d", [None])
    statement = say(g, "hal", CHAIR, item, None)
    skipped: list[Skip] = []
    holdings.link(g, skipped)
    undated = holding("hal", CHAIR, "undated")
    assert g.value(undated, AK.during) is None
    assert set(g.objects(undated, AK.evidence)) == {statement}
    assert any("no dated observation" in s.reason for s in skipped)


def test_a_one_year_office_seen_only_in_undated_items_does_not_fail_the_linker() -> None:
    g = base_graph()
    first, second = add_items(g, "d", [None, None])
    said = [say(g, "ada", PRESIDENT, first, None), say(g, "ada", PRESIDENT, second, None)]
    skipped: list[Skip] = []
    holdings.link(g, skipped)
    assert not any("loader failed" in s.reason for s in skipped)
    undated = holding("ada", PRESIDENT, "undated")
    assert (undated, AK.holder, person("ada")) in g
    assert g.value(undated, AK.during) is None
    assert set(g.objects(undated, AK.evidence)) == set(said)


def test_corpus_officer_timeline() -> None:
    merged = Graph()
    skipped: list[Skip] = []
    for path in sorted(CORPUS.glob("*.txt")):
        ext = Extraction(read_document(path))
        items.extract(ext)
        organisations.extract(ext)
        statements.extract(ext)
        merged += ext.graph
    holdings.link(merged, skipped)
    adcs = "association-of-directors-of-childrens-services"
    timeline = {
        (str(merged.value(merged.value(h, AK.holder), AK.name)), str(merged.value(h, AK.post)).rsplit("/", 1)[-1])
        for h in merged.subjects(RDF.type, AK.Holding)
        if str(h).endswith(("2020-21", "2021-22", "2022-23")) and adcs in str(h)
    }
    assert {
        ("Jenny Coles", "president"),
        ("Charlotte Ramsden", "president"),
        ("Steve Crocker", "president"),
        ("Charlotte Ramsden", "vice-president"),
        ("Steve Crocker", "vice-president"),
    } <= timeline
    ramsden = resource("holding", "charlotte-ramsden", adcs + "/president", "2021-22")
    assert merged.value(ramsden, AK.termLabel) == Literal("21/22")
    assert merged.value(ramsden, AK.predecessor) == resource("holding", "jenny-coles", adcs + "/president", "2020-21")


# --- queries -----------------------------------------------------------------------------------


def query_graph() -> Graph:
    """Two holdings of one post and a stated one inside the first, written by hand."""
    g = base_graph()
    g.add((ORG, AK.name, Literal("Org Association")))
    g.add((ID["doc/d"], AK.fileName, Literal("d.txt")))
    for name, label in (("ann", "Ann Bell"), ("bob", "Bob Cole")):
        g.add((person(name), AK.name, Literal(label)))
    span = URIRef(str(ID["doc/d"]) + "#char=0,5")
    g.add((span, AK.document, ID["doc/d"]))
    rows = (
        ("ann", "2021-22", date(2021, 4, 1), date(2022, 3, 31), True, "21/22"),
        ("ann", "2021-06-01_2021-06-01", date(2021, 6, 1), date(2021, 6, 1), False, None),
        ("bob", "2022-23", date(2022, 4, 1), date(2023, 3, 31), True, None),
    )
    for name, key, start, end, inferred, label in rows:
        h = holding(name, PRESIDENT, key)
        g.add((h, RDF.type, AK.Holding))
        g.add((h, AK.holder, person(name)))
        g.add((h, AK.post, PRESIDENT))
        g.add((h, AK.inferred, Literal(inferred)))
        g.add((h, AK.during, holdings.add_interval(g, start, end)))
        g.add((h, AK.span if not inferred else AK.evidence, span if not inferred else ID["statement/x"]))
        if label:
            g.add((h, AK.termLabel, Literal(label)))
    g.add((ID["statement/x"], AK.span, span))
    return g


def test_positions_query_rows() -> None:
    rows = [
        tuple("" if v is None else str(v) for v in row[:8])  # type: ignore[index]
        for row in query_graph().query((QUERIES / "positions.rq").read_text())
    ]
    assert rows == [
        ("Ann Bell", "OA President", "Org Association", "21/22", "2021-04-01", "2022-03-31", "true", "d.txt"),
        ("Ann Bell", "OA President", "Org Association", "", "2021-06-01", "2021-06-01", "false", "d.txt"),
        ("Bob Cole", "OA President", "Org Association", "2022/23", "2022-04-01", "2023-03-31", "true", "d.txt"),
    ]


def test_who_held_query_rows() -> None:
    text = (QUERIES / "who_held.rq").read_text()
    g = query_graph()

    def ask(post: str, day: date) -> list[tuple[str, ...]]:
        bindings = {"post": Literal(post), "date": Literal(day, datatype=XSD.date)}
        return [tuple(str(v) for v in row[:6]) for row in g.query(text, initBindings=bindings)]  # type: ignore[index]

    assert ask("oa president", date(2021, 6, 1)) == [
        ("Ann Bell", "oa president", "Org Association", "2021-04-01", "2022-03-31", "2021-06-01")
    ]
    assert ask("OA President", date(2022, 4, 1)) == [
        ("Bob Cole", "OA President", "Org Association", "2022-04-01", "2023-03-31", "2022-04-01")
    ]
    assert ask("OA Vice President", date(2022, 4, 1)) == []
