"""The compiled shapes against pyshacl, the reference: the same results on every fixture."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.errors import ShapeError
from graph.namespaces import ID
from graph.ontology import ontology_graph, shapes_graph
from graph.reason import Rules
from graph.shacl import GraphDescription, Shapes

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURES = sorted((DATA / "invalid").glob("*.ttl")) + sorted((DATA / "valid").glob("*.ttl"))
Result = tuple[Node | None, ...]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


SHAPES = shapes_graph()
"""Parsed once for both validators, so its blank nodes (the property shapes) are the same."""


@pytest.fixture(scope="module")
def shapes(ontology: Graph) -> Shapes:
    return Shapes(SHAPES, ontology)


def closed(data: Graph, ontology: Graph) -> Graph:
    """The data with what the ontology entails of it, as a build validates it."""
    whole = Graph()
    for triple in [*data, *Rules(ontology).derive(data)]:
        whole.add(triple)
    return whole


def by_pyshacl(data: Graph, ontology: Graph) -> set[Result]:
    copy = Graph()
    copy += data
    _, report, _ = pyshacl.validate(copy, shacl_graph=SHAPES, ont_graph=ontology, inference="none", inplace=True)
    assert isinstance(report, Graph)
    keys = (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.resultPath, SH.value, SH.resultMessage)
    return {tuple(report.value(r, k) for k in keys) for r in report.subjects(RDF.type, SH.ValidationResult)}


def compiled(data: Graph, ontology: Graph, shapes: Shapes) -> set[Result]:
    description = GraphDescription(data, ontology)
    return {
        (v.focus, v.shape, v.component, v.path, v.value, v.message)
        for node in set(data.subjects())
        for v in shapes.validate(description, node)
    }


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_compiled_shapes_report_what_pyshacl_reports(path: Path, ontology: Graph, shapes: Shapes) -> None:
    data = closed(Graph().parse(path), ontology)
    assert compiled(data, ontology, shapes) == by_pyshacl(data, ontology)


def every_shape_broken() -> Graph:
    """Every invalid fixture in one graph, each fixture's resources apart from the others'."""
    data = Graph()
    for path in sorted((DATA / "invalid").glob("*.ttl")):
        for triple in Graph().parse(path):
            data.add(tuple(_apart(t, path.stem) for t in triple))  # type: ignore[arg-type]
    return data


def _apart(term: Node, stem: str) -> Node:
    return URIRef(str(term).replace(str(ID), f"{ID}{stem}/", 1)) if isinstance(term, URIRef) else term


def test_one_graph_breaking_every_shape_is_reported_alike(ontology: Graph, shapes: Shapes) -> None:
    data = closed(every_shape_broken(), ontology)
    found = compiled(data, ontology, shapes)
    assert found == by_pyshacl(data, ontology)
    broken = {r[1] for r in found} | {SHAPES.value(None, SH.property, r[1]) for r in found}
    assert set(SHAPES.subjects(RDF.type, SH.NodeShape)) <= broken


def test_a_component_the_validator_does_not_implement_is_refused(ontology: Graph) -> None:
    odd = Graph()
    odd += shapes_graph()
    shape = next(odd.subjects(RDF.type, SH.NodeShape))
    odd.add((shape, SH.closed, odd.value(shape, SH.targetClass)))
    with pytest.raises(ShapeError, match="closed"):
        Shapes(odd, ontology)
