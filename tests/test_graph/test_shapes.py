"""Tests of the SHACL shapes (one case per example file) and of the quality-check queries.

Every ``tests/data/valid/*.ttl`` must conform; every ``tests/data/invalid/*.ttl`` must not, and
must fail only on the shape named on its first line (``# targets: aksh:SomeShape``), either on a
node-level constraint of that shape or on one of its property shapes.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from graph.namespaces import AK, AKSH
from graph.ontology import ontology_graph, qc_queries, shapes_graph

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = sorted((DATA / "valid").glob("*.ttl"))
INVALID = sorted((DATA / "invalid").glob("*.ttl"))
TARGETS_PREFIX = "# targets: aksh:"

SHACL_CORE_ONLY_FORBIDDEN = (SH.sparql, SH.select, SH.ask, SH.SPARQLConstraint, SH.SPARQLTarget, SH.js)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def validation_results(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph]:
    """Validate as the build does: the data with the ontology mixed in and RDFS inference."""
    conforms, report, _text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    assert isinstance(report, Graph)
    return bool(conforms), report


def targeted_shape(path: Path) -> URIRef:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(TARGETS_PREFIX), f"{path.name} must start with '{TARGETS_PREFIX}SomeShape'"
    return AKSH[first.removeprefix(TARGETS_PREFIX).strip()]


# --- the shapes graph ---------------------------------------------------------------------------


def test_shapes_use_shacl_core_only(shapes: Graph) -> None:
    assert not [t for t in shapes if t[1] in SHACL_CORE_ONLY_FORBIDDEN or t[2] in SHACL_CORE_ONLY_FORBIDDEN]


def test_every_node_shape_is_named_in_aksh_and_targets_an_ontology_class(shapes: Graph, ontology: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 20
    for shape in node_shapes:
        assert isinstance(shape, URIRef) and shape.startswith(AKSH), shape
        (target,) = shapes.objects(shape, SH.targetClass)
        assert (target, RDF.type, OWL.Class) in ontology, shape


def test_every_class_has_a_shape_except_kind_vocabularies(shapes: Graph, ontology: Graph) -> None:
    """Kind values are checked by sh:in on the shape of the class that uses them."""
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c.startswith(AK)}
    targeted = set(shapes.objects(None, SH.targetClass))
    kinds = {c for c in classes if (c, RDFS.subClassOf, AK.Kind) in ontology} | {AK.Kind}
    assert classes - kinds - targeted == set()


def test_every_constraint_has_a_message(shapes: Graph) -> None:
    """Messages of the shapes whose results are reported (nested shapes of sh:or report through their parent)."""
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        for shape in shapes.objects(node_shape, SH.property):
            assert shapes.value(shape, SH.message) is not None, shapes.value(shape, SH.path)
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        node_level = any((shape, p, None) in shapes for p in (SH["or"], SH.xone, SH["not"]))
        if node_level:
            assert shapes.value(shape, SH.message) is not None, shape


# --- data-driven cases --------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(path: Path, shapes: Graph, ontology: Graph) -> None:
    conforms, report = validation_results(Graph().parse(path), shapes, ontology)
    messages = sorted(str(m) for m in report.objects(None, SH.resultMessage))
    assert conforms, messages


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_on_its_target_shape(path: Path, shapes: Graph, ontology: Graph) -> None:
    target = targeted_shape(path)
    assert (target, RDF.type, SH.NodeShape) in shapes, f"{path.name}: no shape {target}"
    conforms, report = validation_results(Graph().parse(path), shapes, ontology)
    assert not conforms
    sources = set(report.objects(None, SH.sourceShape))
    own = {target, *shapes.objects(target, SH.property)}
    assert sources, path.name
    assert sources <= own, f"{path.name} also fails on {sources - own}"
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert all(report.value(r, SH.resultMessage) is not None for r in results)


def test_each_important_constraint_has_an_invalid_example() -> None:
    names = {p.stem for p in INVALID}
    assert {
        "claim_missing_span",
        "span_quote_not_string",
        "span_start_not_integer",
        "span_start_not_before_end",
        "interval_reversed",
        "finding_without_unit",
        "finding_two_values",
        "recommendation_without_addressee",
        "holding_without_span_or_evidence",
        "person_without_name",
    } <= names


def test_valid_examples_cover_every_shape(shapes: Graph) -> None:
    data = Graph()
    for path in VALID:
        data.parse(path)
    typed = set(data.objects(None, RDF.type))
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        target = shapes.value(shape, SH.targetClass)
        assert target in typed or target in {AK.ExtractedNode, AK.Agent}, shape


# --- quality-check queries ----------------------------------------------------------------------

QC_DOC = """\
@prefix ak: <https://w3id.org/adcs-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://example.org/doc> a ak:SourceDocument ;
    ak:charCount "22"^^xsd:integer ;
    ak:text "Café costs rose by 9%." .
"""


def span(start: int, end: int, quote: str, iri: str | None = None) -> str:
    iri = iri or f"https://example.org/doc#char={start},{end}"
    return f"""
<{iri}> a ak:Span ; ak:document <https://example.org/doc> ;
    ak:start "{start}"^^xsd:integer ; ak:end "{end}"^^xsd:integer ; ak:quote "{quote}" .
"""


def qc_rows(name: str, turtle: str) -> list[tuple[str, str]]:
    store = pyoxigraph.Store()
    store.load(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    result = store.query(qc_queries()[name])
    assert isinstance(result, pyoxigraph.QuerySolutions)
    assert [v.value for v in result.variables] == ["focus", "message"]
    rows = []
    for solution in result:
        focus, message = solution["focus"], solution["message"]
        assert focus is not None and message is not None
        rows.append((focus.value, message.value))
    return rows


def test_qc_right_quote_is_not_reported() -> None:
    # code-point offsets: "é" is one character, so "costs" is 5..10
    assert qc_rows("span_quote_matches", QC_DOC + span(0, 4, "Café") + span(5, 10, "costs")) == []


def test_qc_wrong_quote_is_reported() -> None:
    rows = qc_rows("span_quote_matches", QC_DOC + span(5, 10, "cost ") + span(0, 4, "Café"))
    assert rows == [
        (
            "https://example.org/doc#char=5,10",
            'The quote of span 5-10 is "cost " but the document has "costs" there.',
        )
    ]


def test_qc_trimmed_quote_is_reported() -> None:
    rows = qc_rows("span_quote_matches", QC_DOC + span(19, 22, "9%"))
    assert [focus for focus, _ in rows] == ["https://example.org/doc#char=19,22"]


def test_qc_span_past_the_end_is_reported() -> None:
    rows = qc_rows("span_within_document", QC_DOC + span(19, 23, "9%.") + span(19, 22, "9%."))
    assert rows == [
        ("https://example.org/doc#char=19,23", "Span ends at offset 23 but its document has only 22 characters.")
    ]


def test_qc_span_iri_must_match_offsets() -> None:
    turtle = QC_DOC + span(0, 4, "Café") + span(5, 10, "costs", iri="https://example.org/doc#char=5,11")
    rows = qc_rows("span_iri_matches_offsets", turtle)
    assert rows == [
        (
            "https://example.org/doc#char=5,11",
            "Span IRI should be <https://example.org/doc#char=5,10> for its document and offsets.",
        )
    ]


CLAIM_IN_ITEM = (
    QC_DOC
    + span(0, 10, "Café costs")
    + span(5, 22, "costs rose by 9%.")
    + span(11, 22, "rose by 9%.")
    + """
<https://example.org/item> ak:span <https://example.org/doc#char=5,22> .
<https://example.org/inside> ak:inItem <https://example.org/item> ; ak:span <https://example.org/doc#char=11,22> .
<https://example.org/outside> ak:inItem <https://example.org/item> ; ak:span <https://example.org/doc#char=0,10> .
"""
)


def test_qc_claim_outside_its_item_is_reported() -> None:
    rows = qc_rows("claim_within_item", CLAIM_IN_ITEM)
    assert rows == [("https://example.org/outside", "Claim text 0-10 is not inside its item's text 5-22.")]


HOLDINGS = """\
@prefix ak: <https://w3id.org/adcs-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/> .

:h2020 ak:during [ ak:startDate "2020-04-01"^^xsd:date ] .
:h2021 ak:during [ ak:startDate "2021-04-01"^^xsd:date ] ; ak:predecessor :h2020 .
:h2019 ak:during [ ak:startDate "2019-04-01"^^xsd:date ] .
:h2022 ak:during [ ak:startDate "2022-04-01"^^xsd:date ] .
:h2022 ak:successor :h2019 .
"""


def test_qc_successor_starting_before_predecessor_is_reported() -> None:
    rows = qc_rows("holding_succession_order", HOLDINGS)
    assert rows == [
        ("https://example.org/h2019", "Holding starts on 2019-04-01 but its predecessor starts later, on 2022-04-01.")
    ]


@pytest.mark.parametrize("name", sorted(qc_queries()))
def test_qc_query_finds_nothing_in_the_valid_examples(name: str) -> None:
    store = pyoxigraph.Store()
    for path in VALID:
        store.load(path.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    result = store.query(qc_queries()[name])
    assert isinstance(result, pyoxigraph.QuerySolutions)
    assert [tuple(str(term) for term in row) for row in result] == []
