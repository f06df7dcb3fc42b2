"""The network projection, its reduction, analytics and exports, the HTML page and the charts,
on a small hand-written graph (and a few checks on the bundled corpus)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from graph.build import BuildSummary
from graph.cli import app
from graph.errors import QueryParameterError
from graph.namespaces import ASSERTED_GRAPH
from graph.query import named_query, run_named
from graph.results import rows
from graph.store import EmbeddedStore, StoreConfig
from graph.viz.charts import (
    INFERRED,
    STATED,
    Term,
    close_measures,
    document_link,
    findings_per_measure,
    format_value,
    measure_readings,
    officer_terms,
    officers_figure,
    within_longer,
)
from graph.viz.network import (
    CLASS_STYLES,
    analyse,
    annotated,
    export,
    find_node,
    load_network,
    network_graph,
    reduce_network,
    top_nodes,
)
from graph.viz.page import (
    CLAIM_CLASSES,
    LABEL_ZOOMS,
    LABELLED_AT_ONCE,
    edge_title,
    first_labels,
    neighbourhood_html,
    network_page,
    page_policy,
)
from loaders.holdings import office_year

TEXT = (
    "Winter update\n"
    "Mary Hale, ADCS President 2023/24, said the Kinship Fund must grow.\n"
    "Lee Park, Chair of the ADCS Workforce Committee, opened the session.\n"
    "The Winter Pressures Survey found referrals rose by 12% in 2022/23.\n"
    "ADCS asks the sector to share its data.\n"
)


def _span(name: str, quote: str) -> str:
    start = TEXT.index(quote)
    end = start + len(quote)
    escaped = json.dumps(quote, ensure_ascii=False)
    return (
        f"<doc/viz#char={start},{end}> a ak:Span ; ak:document <doc/viz> ; "
        f"ak:start {start} ; ak:end {end} ; ak:quote {escaped} .  # {name}\n"
    )


STATEMENT = "Mary Hale, ADCS President 2023/24, said the Kinship Fund must grow."
CHAIR = "Lee Park, Chair of the ADCS Workforce Committee, opened the session."
FINDING = "referrals rose by 12% in 2022/23"
RECOMMENDATION = "ADCS asks the sector to share its data."


def _at(quote: str) -> str:
    start = TEXT.index(quote)
    return f"<doc/viz#char={start},{start + len(quote)}>"


FIXTURE = f"""
@base <https://w3id.org/adcs-kg/id/> .
@prefix ak: <https://w3id.org/adcs-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<doc/viz> a ak:SourceDocument ; ak:fileName "viz.txt" ; ak:text {json.dumps(TEXT)} .
{_span("item", TEXT)}{_span("statement", STATEMENT)}{_span("chair", CHAIR)}{_span("finding", FINDING)}\
{_span("recommendation", RECOMMENDATION)}
<org/adcs> a ak:Organisation ; ak:name "Association of Directors of Children's Services" ; ak:acronym "ADCS" .
<org/adcs/workforce-committee> a ak:OrganisationalUnit, ak:Organisation ;
    ak:name "ADCS Workforce Committee" ; ak:unitOf <org/adcs> .
<group/the-sector> a ak:Group ; ak:name "the sector" .
<person/mary-hale> a ak:Person ; ak:name "Mary Hale" .
<person/tom-reed> a ak:Person ; ak:name "Tom Reed" .
<person/lee-park> a ak:Person ; ak:name "Lee Park" .
<policy/kinship-fund> a ak:Policy ; ak:name "Kinship Fund" .
<series/winter-pressures> a ak:ReportSeries ; ak:name "Winter Pressures" .
<report/winter-pressures-survey> a ak:Report ; ak:title "Winter Pressures Survey" ;
    ak:publisher <org/adcs> ; ak:series <series/winter-pressures> .

<item/viz.txt/0> a ak:Item ; ak:title "Winter update" ; ak:span {_at(TEXT)} ;
    ak:mentions <org/adcs>, <policy/kinship-fund> .
<statement/viz.txt/1> a ak:Statement ; ak:speaker <person/mary-hale> ;
    ak:source <person/mary-hale> ;  # as the reasoner derives it from ak:speaker
    ak:span {_at(STATEMENT)} ; ak:mentions <policy/kinship-fund> .
<finding/viz.txt/2> a ak:Finding ; ak:source <report/winter-pressures-survey> ; ak:span {_at(FINDING)} ;
    ak:measure <measure/referrals> ; ak:unit ak:Percent ; ak:value 12.0 ; ak:direction ak:Increase ;
    ak:periodLabel "2022/23" ; ak:period <interval/2022-04-01_2023-03-31> .
<measure/referrals> a ak:Measure ; ak:name "referrals" .
<interval/2022-04-01_2023-03-31> ak:startDate "2022-04-01"^^xsd:date ; ak:endDate "2023-03-31"^^xsd:date .
<recommendation/viz.txt/3> a ak:Recommendation ; ak:source <org/adcs> ; ak:addressee <group/the-sector> ;
    ak:span {_at(RECOMMENDATION)} .

<post/adcs/president> a ak:Post ; ak:name "ADCS President" ; ak:postIn <org/adcs> ; ak:role ak:President .
<post/adcs/vice-president> a ak:Post ; ak:name "ADCS Vice President" ; ak:postIn <org/adcs> ;
    ak:role ak:VicePresident .
<post/adcs/workforce-committee/chair> a ak:Post ; ak:name "Chair of the ADCS Workforce Committee" ;
    ak:postIn <org/adcs/workforce-committee> ; ak:role ak:Chair .
<holding/mary-hale/adcs-president/2023-04-01> a ak:Holding ; ak:holder <person/mary-hale> ;
    ak:post <post/adcs/president> ; ak:termLabel "2023/24" ; ak:inferred false ; ak:span {_at(STATEMENT)} ;
    ak:during <interval/2023-04-01_2024-03-31> .
<interval/2023-04-01_2024-03-31> ak:startDate "2023-04-01"^^xsd:date ; ak:endDate "2024-03-31"^^xsd:date .
<holding/tom-reed/adcs-vice-president/2024-04-01> a ak:Holding ; ak:holder <person/tom-reed> ;
    ak:post <post/adcs/vice-president> ; ak:inferred true ; ak:evidence <statement/viz.txt/1> ;
    ak:during <interval/2024-04-01_2025-03-31> .
<interval/2024-04-01_2025-03-31> ak:startDate "2024-04-01"^^xsd:date ; ak:endDate "2025-03-31"^^xsd:date .
<holding/lee-park/adcs-workforce-committee-chair> a ak:Holding ; ak:holder <person/lee-park> ;
    ak:post <post/adcs/workforce-committee/chair> ; ak:inferred false ; ak:span {_at(CHAIR)} .
"""

EXPECTED_EDGES = {
    ("Mary Hale, ADCS President 2023/24, said the Kinship Fund must grow.", "speaker", "Mary Hale"),
    ("Mary Hale, ADCS President 2023/24, said the Kinship Fund must grow.", "mentions", "Kinship Fund"),
    ("Winter update", "mentions", "Association of Directors of Children's Services"),
    ("Winter update", "mentions", "Kinship Fund"),
    ("Mary Hale", "held ADCS President at", "Association of Directors of Children's Services"),
    ("Tom Reed", "held ADCS Vice President at", "Association of Directors of Children's Services"),
    ("Lee Park", "held Chair of the ADCS Workforce Committee at", "ADCS Workforce Committee"),
    ("Winter Pressures Survey", "publisher", "Association of Directors of Children's Services"),
    ("Winter Pressures Survey", "series", "Winter Pressures"),
    ("referrals rose by 12% in 2022/23", "source", "Winter Pressures Survey"),
    ("ADCS asks the sector to share its data.", "source", "Association of Directors of Children's Services"),
    ("ADCS asks the sector to share its data.", "addressee", "the sector"),
    ("ADCS Workforce Committee", "unitOf", "Association of Directors of Children's Services"),
}
"""The 13 edges of the fixture, as (source label, relation, target label)."""

MARY = "https://w3id.org/adcs-kg/id/person/mary-hale"


def fixture_store(directory: Path) -> EmbeddedStore:
    """An embedded store holding the fixture graph."""
    store = EmbeddedStore(StoreConfig(directory / "store"))
    store.replace({ASSERTED_GRAPH: Graph().parse(data=FIXTURE, format="turtle")})
    return store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return fixture_store(tmp_path_factory.mktemp("viz"))


def page_config(page: str) -> dict[str, object]:
    """The JSON the page draws from (nodes, edges, options, classes, link base)."""
    match = re.search(r'<script type="application/json" id="network-config">(.*?)</script>', page, re.DOTALL)
    assert match is not None
    config: dict[str, object] = json.loads(match[1])
    return config


# -- the projection ------------------------------------------------------------------------------


def test_network_query_gives_one_row_per_edge(db: EmbeddedStore) -> None:
    columns, table = rows(run_named(db, named_query("network"), {}))
    assert columns == ["source", "source_label", "source_class", "relation", "target", "target_label",
                       "target_class", "quote", "document", "start", "end"]
    found = [(r[1], r[3], r[5]) for r in table]
    assert len(found) == 13  # the reasoner's ak:source copy of ak:speaker is not a second edge
    assert set(found) == EXPECTED_EDGES


def test_graph_has_the_query_rows_as_edges_and_most_specific_classes(db: EmbeddedStore) -> None:
    graph = load_network(db)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (13, 13)
    classes = dict(graph.nodes(data="class"))
    assert classes[MARY] == "Person"
    assert classes["https://w3id.org/adcs-kg/id/org/adcs/workforce-committee"] == "OrganisationalUnit"
    assert classes["https://w3id.org/adcs-kg/id/statement/viz.txt/1"] == "Statement"
    assert classes["https://w3id.org/adcs-kg/id/group/the-sector"] == "Group"
    assert classes["https://w3id.org/adcs-kg/id/series/winter-pressures"] == "ReportSeries"


def test_edges_from_facts_carry_quote_and_offsets(db: EmbeddedStore) -> None:
    graph = load_network(db)
    spoke = [d for _, v, d in graph.edges(data=True) if d["relation"] == "speaker"]
    assert spoke == [{"relation": "speaker", "quote": STATEMENT, "document": "viz.txt", "start": "14", "end": "81"}]
    published = [d for _, _, d in graph.edges(data=True) if d["relation"] == "publisher"]
    assert published[0]["quote"] == "" and published[0]["document"] == ""
    inferred = [d for _, _, d in graph.edges(data=True) if d["relation"] == "held ADCS Vice President at"]
    assert inferred[0]["quote"] == ""


# -- reduction -----------------------------------------------------------------------------------


def _star_and_chain() -> nx.MultiDiGraph:
    """A hub with five spokes, and a separate chain a-b-c; all Person but the hub (Organisation)."""
    graph = nx.MultiDiGraph()
    graph.add_node("hub", label="Hub", **{"class": "Organisation"})
    for name in ("s1", "s2", "s3", "s4", "s5", "a", "b", "c"):
        graph.add_node(name, label=name.upper(), **{"class": "Person"})
    for index, spoke in enumerate(("s1", "s2", "s3", "s4", "s5")):
        graph.add_edge(spoke, "hub", key=f"e{index}", relation="mentions")
    graph.add_edge("a", "b", key="e5", relation="speaker")
    graph.add_edge("b", "c", key="e6", relation="speaker")
    return graph


def test_cap_keeps_highest_degree_and_says_what_it_left_out() -> None:
    reduced, note = top_nodes(_star_and_chain(), 3)
    assert set(reduced.nodes) == {"hub", "b", "a"}  # degrees 5, 2, then 1 (a before c...)
    assert note == "Left out 6 nodes of lowest degree (degree 1 or less) to stay under the cap of 3 nodes."


def test_cap_always_keeps_the_focus() -> None:
    reduced, _ = top_nodes(_star_and_chain(), 2, keep="c")
    assert set(reduced.nodes) == {"c", "hub"}


def test_under_the_cap_nothing_is_left_out() -> None:
    reduction = reduce_network(_star_and_chain(), max_nodes=50)
    assert reduction.notes == ()
    assert reduction.summary == "Showing 9 of 9 nodes and 7 of 7 edges."


def test_focus_class_filter_and_cap_combine() -> None:
    reduction = reduce_network(_star_and_chain(), max_nodes=2, focus="b", hops=1, classes=["person"])
    assert set(reduction.graph.nodes) == {"b", "a"}
    assert reduction.summary == (
        "Showing 2 of 9 nodes and 1 of 7 edges. "
        "Left out 1 nodes not of the classes person (Organisation). "
        "Left out 5 nodes farther than 1 hop(s) from B. "
        "Left out 1 nodes of lowest degree (degree 1 or less) to stay under the cap of 2 nodes."
    )


def test_an_unknown_class_is_an_error() -> None:
    with pytest.raises(QueryParameterError, match="no class persons in the network"):
        reduce_network(_star_and_chain(), max_nodes=5, classes=["Persons"])


def test_find_node_by_iri_name_or_part_of_a_name(db: EmbeddedStore) -> None:
    graph = load_network(db)
    assert find_node(graph, MARY) == MARY
    assert find_node(graph, "mary hale") == MARY
    assert find_node(graph, "Workforce") == "https://w3id.org/adcs-kg/id/org/adcs/workforce-committee"
    with pytest.raises(QueryParameterError, match="no node of the network is named 'Nobody'"):
        find_node(graph, "Nobody")


# -- analytics and export -------------------------------------------------------------------------


def test_communities_and_betweenness_of_two_cliques_and_a_bridge() -> None:
    graph = nx.MultiDiGraph()
    left, right = ["l1", "l2", "l3", "l4"], ["r1", "r2", "r3", "r4"]
    for group in (left, right):
        for i, u in enumerate(group):
            for v in group[i + 1 :]:
                graph.add_edge(u, v)
    graph.add_edge("l1", "r1")
    analytics = analyse(graph)
    assert {analytics.community[n] for n in left} != {analytics.community[n] for n in right}
    assert len({analytics.community[n] for n in left}) == 1
    assert max(analytics.betweenness, key=lambda n: (analytics.betweenness[n], n)) == "r1"
    assert analytics.betweenness["l1"] == analytics.betweenness["r1"]
    assert analytics.degree["l1"] == pytest.approx(4 / 7)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_export_is_read_back_by_networkx_as_the_same_graph(db: EmbeddedStore, tmp_path: Path, suffix: str) -> None:
    graph = load_network(db)
    written = annotated(graph, analyse(graph))
    statement = "https://w3id.org/adcs-kg/id/statement/viz.txt/1"
    written.add_edge(statement, MARY, key="e99", relation="speaker", quote="again", document="", start="", end="")
    path = tmp_path / f"network{suffix}"
    export(written, path)
    again = nx.read_gexf(path) if suffix == ".gexf" else nx.read_graphml(path, force_multigraph=True)
    for _, _, key, data in again.edges(keys=True, data=True):
        assert data.pop("id", key) == key  # GEXF keeps each edge key as its id
    assert isinstance(again, nx.MultiDiGraph)
    assert dict(again.nodes(data=True)) == dict(written.nodes(data=True))
    edges = {(u, v, k): d for u, v, k, d in written.edges(keys=True, data=True)}
    assert {(u, v, k): d for u, v, k, d in again.edges(keys=True, data=True)} == edges
    assert again.nodes[MARY]["class"] == "Person" and again.nodes[MARY]["degree"] == 2
    assert again.number_of_edges(statement, MARY) == 2


@pytest.mark.parametrize("name", ["network.csv", "network.html"])
def test_export_refuses_other_formats(tmp_path: Path, name: str) -> None:
    with pytest.raises(QueryParameterError, match=r"use \.graphml or \.gexf|use \.html, \.graphml or \.gexf"):
        export(nx.MultiDiGraph(), tmp_path / name)
    assert not (tmp_path / name).exists()


# -- the page ------------------------------------------------------------------------------------


def test_page_draws_every_node_and_edge_styled_by_class(db: EmbeddedStore) -> None:
    graph = load_network(db)
    config = page_config(network_page(reduce_network(graph, max_nodes=100)))
    nodes = config["nodes"]
    edges = config["edges"]
    assert isinstance(nodes, list) and isinstance(edges, list)
    assert len(nodes) == 13 and len(edges) == 13
    for node in nodes:
        style = CLASS_STYLES[node["cls"]]
        assert (node["color"], node["shape"]) == (style.colour, style.shape)
        assert node["physics"] is False and isinstance(node["x"], float)
    mary = next(n for n in nodes if n["id"] == MARY)
    assert mary["label"] == "Mary Hale" and mary["title"] == f"Person: Mary Hale\n{MARY}"
    assert {e["label"] for e in edges} == {relation for _, relation, _ in EXPECTED_EDGES}
    assert config["linkBase"] is None


def test_edge_tooltip_carries_the_quote_and_its_document(db: EmbeddedStore) -> None:
    config = page_config(network_page(reduce_network(load_network(db), max_nodes=100)))
    edges = config["edges"]
    assert isinstance(edges, list)
    spoke = next(e for e in edges if e["label"] == "speaker")
    assert spoke["title"] == (
        "Mary Hale, ADCS President 2023/24, said the Kinship Fund must grow. — speaker → Mary Hale\n"
        f"“{STATEMENT}”\nviz.txt [14:81]"
    )


def test_claim_tooltip_names_the_document_and_quotes_what_its_label_does_not(db: EmbeddedStore) -> None:
    config = page_config(network_page(reduce_network(load_network(db), max_nodes=100)))
    nodes = config["nodes"]
    assert isinstance(nodes, list)
    by_class = {n["cls"]: n["title"] for n in nodes}
    statement = "https://w3id.org/adcs-kg/id/statement/viz.txt/1"
    assert by_class["Statement"] == f"Statement: {STATEMENT}\nviz.txt [14:81]\n{statement}"
    item_lines = by_class["Item"].splitlines()
    assert item_lines[0] == "Item: Winter update" and item_lines[1] == f"“{' '.join(TEXT.split())}”"
    assert item_lines[2] == f"viz.txt [0:{len(TEXT)}]"
    assert len(by_class["Organisation"].splitlines()) == 2  # not a claim: class, label and IRI only


def test_edge_tooltip_clips_long_quotes() -> None:
    title = edge_title("a", "b", {"relation": "mentions", "quote": "word " * 200, "document": "d.txt",
                                  "start": "0", "end": "1000"}, {"a": "A", "b": "B"})
    quote_line = title.splitlines()[1]
    assert len(quote_line) == 402 and quote_line.endswith("…”")


def test_page_is_self_contained_and_says_what_was_left_out(db: EmbeddedStore) -> None:
    page = network_page(reduce_network(load_network(db), max_nodes=4), link_base="http://127.0.0.1:8000/")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    # no URL of the page is loaded: none in an attribute, a CSS url() or @import, or a script import
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"""url\(\s*["']?(https?:)?//|@import|import\s*\(|importScripts""", page)
    assert "Showing 4 of 13 nodes" in page and "Left out 9 nodes of lowest degree" in page
    assert page_config(page)["linkBase"] == "http://127.0.0.1:8000"


def test_escaped_labels_cannot_close_the_script(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("x", label="</script><b>bold</b>", **{"class": "Person"})
    page = network_page(reduce_network(graph, max_nodes=5))
    assert "</script><b>" not in page


def test_page_policy_allows_its_own_inline_scripts_and_styles_and_no_other(db: EmbeddedStore) -> None:
    page = network_page(reduce_network(load_network(db), max_nodes=4))
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert meta is not None and html.unescape(meta[1]) == page_policy()
    directives = dict(d.strip().split(" ", 1) for d in page_policy().split(";"))
    assert directives["default-src"] == "'none'" and "unsafe" not in page_policy()
    for element, directive in (("script", "script-src"), ("style", "style-src")):
        inline = re.findall(rf"<{element}>(.*?)</{element}>", page, re.DOTALL)
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
                  for text in inline}
        assert len(inline) == 2 and hashes == set(directives[directive].split())
    elements = re.sub(r"(<script[^>]*>).*?</script>", r"\1", page, flags=re.DOTALL)
    assert re.findall(r"<script[^>]*>", elements) == ['<script type="application/json" id="network-config">',
                                                  "<script>", "<script>"]  # the data block is never run


def test_physics_page_sends_no_positions(db: EmbeddedStore) -> None:
    config = page_config(network_page(reduce_network(load_network(db), max_nodes=100), physics=True))
    nodes = config["nodes"]
    assert isinstance(nodes, list) and all("x" not in n for n in nodes)
    assert config["physics"] is True


def test_nodes_are_sized_by_degree_or_the_sizes_given(db: EmbeddedStore) -> None:
    graph = load_network(db)
    reduction = reduce_network(graph, max_nodes=100)
    by_degree = page_config(network_page(reduction))["nodes"]
    assert isinstance(by_degree, list)
    assert {n["id"]: n["value"] for n in by_degree} == {n: float(d) for n, d in graph.degree}
    betweenness = analyse(graph).betweenness
    by_betweenness = page_config(network_page(reduction, sizes=betweenness))["nodes"]
    assert isinstance(by_betweenness, list)
    assert {n["id"]: n["value"] for n in by_betweenness} == betweenness
    assert max(betweenness.values()) > 0


def _entities_and_claims(entities: int, claims: int) -> nx.MultiDiGraph:
    """Entity e<i> of degree i+1 (each mentioned by claims c0..ci), and claims mentioning them."""
    graph = nx.MultiDiGraph()
    for index in range(claims):
        graph.add_node(f"c{index}", label=f"Claim {index}", **{"class": "Statement"})
    for index in range(entities):
        graph.add_node(f"e{index}", label=f"Entity {index}", **{"class": ("Person", "Policy")[index % 2]})
        for claim in range(min(index + 1, claims)):
            graph.add_edge(f"c{claim}", f"e{index}", key=f"e{index}-{claim}", relation="mentions")
    return graph


def test_first_labels_go_to_entities_of_largest_size_then_claims() -> None:
    graph = _entities_and_claims(LABELLED_AT_ONCE + 5, 50)
    degree = {n: float(d) for n, d in graph.degree}
    firsts = first_labels(graph, degree)
    assert firsts == [f"e{i}" for i in range(LABELLED_AT_ONCE + 4, 4, -1)]  # highest degree first
    few = _entities_and_claims(3, 50)
    firsts = first_labels(few, {n: float(d) for n, d in few.degree})
    assert firsts[:3] == ["e2", "e1", "e0"]
    assert len(firsts) == LABELLED_AT_ONCE and {few.nodes[n]["class"] for n in firsts[3:]} == {"Statement"}
    assert firsts[3] == "c0"  # the claim of highest degree (it mentions all three)
    tied = first_labels(graph, {n: 0.0 for n in graph})  # e.g. betweenness, zero for all
    assert tied[:3] == [f"e{LABELLED_AT_ONCE + 4}", f"e{LABELLED_AT_ONCE + 3}", f"e{LABELLED_AT_ONCE + 2}"]


def test_page_gives_each_label_the_zoom_it_shows_at() -> None:
    graph = _entities_and_claims(LABELLED_AT_ONCE + 5, 50)
    config = page_config(network_page(reduce_network(graph, max_nodes=500)))
    nodes, edges = config["nodes"], config["edges"]
    assert isinstance(nodes, list) and isinstance(edges, list)
    zoom = {n["id"]: n["labelZoom"] for n in nodes}
    assert config["firstLabels"] == first_labels(graph, {n: float(d) for n, d in graph.degree})
    assert {n for n, z in zoom.items() if z == LABEL_ZOOMS[0]} == set(config["firstLabels"])  # type: ignore[arg-type]
    assert {zoom[f"e{i}"] for i in range(5)} == {LABEL_ZOOMS[1]}  # the entities of least degree
    assert {zoom[f"c{i}"] for i in range(50)} == {LABEL_ZOOMS[2]}
    assert {e["labelZoom"] for e in edges} == {LABEL_ZOOMS[2]}  # too many edges to label at once
    small = page_config(network_page(reduce_network(_entities_and_claims(3, 2), max_nodes=500)))
    assert isinstance(small["edges"], list) and {e["labelZoom"] for e in small["edges"]} == {LABEL_ZOOMS[0]}
    assert "Statement" in CLAIM_CLASSES and "Person" not in CLAIM_CLASSES


def test_neighbourhood_of_a_person(db: EmbeddedStore) -> None:
    config = page_config(neighbourhood_html(db, MARY))
    nodes = config["nodes"]
    assert isinstance(nodes, list)
    adcs = "Association of Directors of Children's Services"
    assert {n["fullLabel"] for n in nodes} == {"Mary Hale", STATEMENT, adcs}
    assert config["linkBase"] == "" and config["focus"] == MARY


def test_neighbourhood_of_a_resource_outside_the_network(db: EmbeddedStore) -> None:
    page = neighbourhood_html(db, "https://w3id.org/adcs-kg/id/measure/referrals")
    assert "has no edges in the network" in page and page_config(page)["nodes"] == []


# -- charts --------------------------------------------------------------------------------------


def test_officers_query_and_terms(db: EmbeddedStore) -> None:
    result = run_named(db, named_query("officers"), {})
    assert rows(result)[1] == [
        ["Lee Park", "Chair of the ADCS Workforce Committee", "ADCS Workforce Committee", "", "", "", "false",
         "viz.txt"],
        ["Mary Hale", "ADCS President", "Association of Directors of Children's Services", "2023/24", "2023-04-01",
         "2024-03-31", "false", "viz.txt"],
        ["Tom Reed", "ADCS Vice President", "Association of Directors of Children's Services", "2024/25",
         "2024-04-01", "2025-03-31", "true", "viz.txt"],
    ]
    terms, undated = officer_terms(result)
    assert [(t.person, t.inferred) for t in terms] == [("Mary Hale", False), ("Tom Reed", True)]
    assert undated == ["Lee Park (Chair of the ADCS Workforce Committee, no dates)"]


def test_a_holding_stated_on_a_date_within_the_year_is_recognised() -> None:
    year = Term("Ann Lee", "ADCS President", date(2024, 4, 1), date(2025, 3, 31), True, "a.txt")
    day = Term("Ann Lee", "ADCS President", date(2024, 9, 3), date(2024, 9, 3), False, "a.txt")
    other = Term("Bo Ray", "ADCS President", date(2024, 9, 3), date(2024, 9, 3), False, "a.txt")
    assert within_longer(day, [year, day, other])
    assert not within_longer(year, [year, day, other])
    assert not within_longer(other, [year, day, other])


def test_officers_timeline_draws_stated_and_inferred_holdings_differently() -> None:
    from matplotlib.colors import to_hex

    stated = Term("Ann Lee", "ADCS President", date(2023, 4, 1), date(2024, 3, 31), False, "stated.txt")
    inferred = Term("Bo Ray", "ADCS President", date(2024, 4, 1), date(2025, 3, 31), True, "inferred.txt")
    axes = officers_figure([stated, inferred]).axes[0]
    bars = {bar.get_url(): bar for bar in axes.patches}
    drawn = {name: bars[document_link(name, None)] for name in ("stated.txt", "inferred.txt")}
    assert to_hex(drawn["stated.txt"].get_facecolor()) == STATED and not drawn["stated.txt"].get_hatch()
    assert to_hex(drawn["inferred.txt"].get_facecolor()) == INFERRED and drawn["inferred.txt"].get_hatch() == "//"
    assert drawn["stated.txt"].get_linestyle() == "-" and drawn["inferred.txt"].get_linestyle() == "--"
    assert [t.get_text() for t in axes.get_xticklabels(minor=True)] == ["2023/24", "2024/25"]
    assert {t.get_text() for t in axes.texts} == {"Ann Lee", "Bo Ray"}


def test_a_holders_name_opens_the_same_source_as_its_bar() -> None:
    term = Term("Ann Lee", "ADCS President", date(2023, 4, 1), date(2024, 3, 31), False, "stated.txt")
    axes = officers_figure([term]).axes[0]
    (name,) = axes.texts
    assert name.get_url() == axes.patches[0].get_url() == document_link("stated.txt", None)


def test_association_year_begins_on_the_first_of_april() -> None:
    assert [office_year(d) for d in (date(2024, 3, 31), date(2024, 4, 1), date(2024, 12, 31))] == [
        2023, 2024, 2024]


def test_values_are_written_as_a_reader_writes_them() -> None:
    assert format_value(3_100_000_000, "GBP") == "£3.1bn"
    assert format_value(1_740_000, "Count") == "1.74m"
    assert format_value(430_000, "Count") == "430k"
    assert format_value(12.6, "Percent") == "12.6%"
    assert format_value(-2, "PercentagePoint") == "-2 pp"
    assert format_value(0.8, "Ratio") == "0.8"


def test_close_measures_share_the_words_or_the_spelling() -> None:
    counts = {"initial contact": 1, "contact": 2, "referral": 2, "children in care": 3, "funding gap": 3}
    assert close_measures("initial contacts", counts) == ["initial contact", "contact"]
    assert close_measures("Referrals", counts) == ["referral"]
    assert close_measures("care children", counts) == ["children in care"]
    assert close_measures("xyzzy", counts) == []


def test_measure_values_and_ranges() -> None:
    from graph.results import Answer, Cell, Form, TermKind

    names = ("source", "period", "value", "unit", "direction", "document")
    result = Answer(Form.SELECT, names, tuple(
        tuple(Cell(TermKind.LITERAL, v) for v in values)
        for values in (["Survey", "2021/22", "12.5", "Percent", "Increase", "a.txt"],
                       ["Review", "", "-3-7", "Count", "NoChange", "b.txt"])
    ))
    readings = measure_readings(result)
    assert [(r.source, r.period, r.low, r.high) for r in readings] == [
        ("Survey", "2021/22", 12.5, 12.5), ("Review", "undated", -3.0, 7.0)]


def test_cli_network_stats_and_charts(db: EmbeddedStore, tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(db.config.location)
    page = tmp_path / "net.html"
    done = runner.invoke(app, ["viz", "network", "--store", store, "--out", str(page), "--max-nodes", "5"])
    assert done.exit_code == 0, done.output
    assert "Showing 5 of 13 nodes" in done.output and "Left out 8 nodes of lowest degree" in done.output
    focused = runner.invoke(app, ["viz", "network", "--store", store, "--focus", "Tom Reed",
                                  "--out", str(tmp_path / "tom.gexf")])
    assert focused.exit_code == 0 and "Showing 2 of 13 nodes" in focused.output
    stats = runner.invoke(app, ["viz", "stats", "--store", store, "--top", "1"])
    assert stats.exit_code == 0
    assert "13 nodes, 13 edges" in stats.output and "Association of Directors of Children's Services" in stats.output
    svg = tmp_path / "officers.svg"
    drawn = runner.invoke(app, ["viz", "officers", "--store", store, "--out", str(svg),
                                "--link-base", "http://127.0.0.1:8000"])
    assert drawn.exit_code == 0 and "2 holding(s) drawn" in drawn.output and "Lee Park" in drawn.output
    assert "http://127.0.0.1:8000/resource?iri=https%3A%2F%2Fw3id.org%2Fadcs-kg%2Fid%2Fdoc%2Fviz" in svg.read_text()
    every = runner.invoke(app, ["viz", "stats", "--store", store, "--top", "20"])
    communities = re.findall(r"^ +(\d+) +(\d+) nodes  (.+)$", every.output, re.MULTILINE)
    sizes = [int(size) for _, size, _ in communities]
    assert [int(n) for n, _, _ in communities] == list(range(len(communities))) and len(communities) > 1
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == 13
    assert f"{len(communities)} communities" in every.output
    chart = tmp_path / "referrals.html"
    measured = runner.invoke(app, ["viz", "measure", "referrals", "--store", store, "--out", str(chart)])
    assert measured.exit_code == 0 and "1 finding(s) drawn" in measured.output
    assert chart.read_text().startswith("<!DOCTYPE html>") and "<svg" in chart.read_text()
    assert 'xlink:href="https://w3id.org/adcs-kg/id/doc/viz"' in chart.read_text()  # the point's source
    png = tmp_path / "officers.png"
    assert runner.invoke(app, ["viz", "officers", "--store", store, "--out", str(png)]).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    wrong = runner.invoke(app, ["viz", "officers", "--store", store, "--out", str(tmp_path / "x.pdf")])
    assert wrong.exit_code == 2 and "use .svg, .png or .html" in wrong.output
    picture = runner.invoke(app, ["viz", "network", "--store", store, "--out", str(tmp_path / "x.png")])
    assert picture.exit_code == 2 and "use .html, .graphml or .gexf" in picture.output


def test_cli_measure_without_findings_names_close_measures(db: EmbeddedStore, tmp_path: Path) -> None:
    out = tmp_path / "m.svg"
    done = CliRunner().invoke(app, ["viz", "measure", "Referral", "--store", str(db.config.location),
                                    "--out", str(out)])
    assert done.exit_code == 2 and not out.exists()
    assert "no findings on a measure named 'Referral'. Close names: 'referrals' (1 finding)." in done.output


# -- the bundled corpus --------------------------------------------------------------------------


def test_corpus_network_has_every_row_and_known_classes(corpus_build: tuple[StoreConfig, BuildSummary]) -> None:
    store = EmbeddedStore(corpus_build[0])
    result = run_named(store, named_query("network"), {})
    graph = network_graph(result)
    assert graph.number_of_edges() == len(result.rows) > 0
    assert {c for _, c in graph.nodes(data="class")} <= set(CLASS_STYLES)
    adcs = find_node(graph, "Association of Directors of Children's Services")
    assert graph.nodes[adcs]["class"] == "Organisation"


def test_corpus_measure_of_most_findings_is_charted_point_by_point(
    corpus_build: tuple[StoreConfig, BuildSummary], tmp_path: Path
) -> None:
    store = EmbeddedStore(corpus_build[0])
    counts = findings_per_measure(run_named(store, named_query("findings"), {}))
    name, most = counts.most_common(1)[0]
    assert most >= 3
    out = tmp_path / "measure.svg"
    done = CliRunner().invoke(app, ["viz", "measure", name, "--store", str(corpus_build[0].location),
                                    "--out", str(out)])
    assert done.exit_code == 0 and f"{most} finding(s) drawn" in done.output
    assert out.read_text().count('<a xlink:href="https://w3id.org/adcs-kg/id/doc/') == most


def test_corpus_stats_communities_repeat_whatever_the_hash_seed(corpus_build: tuple[StoreConfig, BuildSummary]) -> None:
    """Three processes, three hash seeds: the same communities, numbered alike, and the same figures."""
    command = [sys.executable, "-m", "graph", "viz", "stats", "--store", str(corpus_build[0].location), "--top", "20"]
    outputs = []
    for seed in ("0", "1", "3"):
        done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert re.search(r"\d+ communities", outputs[0]) and "(community 0)" in outputs[0]
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
