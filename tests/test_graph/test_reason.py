"""The compiled rules of rl-fast against owlrl, the reference: the same inferred graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import loaders
from graph.errors import ReasoningError
from graph.namespaces import AK, ID
from graph.ontology import ontology_graph
from graph.reason import Reasoning, Rules, infer

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


def every_axiom(ontology: Graph) -> Graph:
    """One instance of every class, and one triple of every property, of the ontology: every
    subclass, subproperty, domain, range and inverse axiom fires; and a holding, for the chains."""
    data = Graph()
    for cls in sorted(set(ontology.subjects(RDF.type, OWL.Class)), key=str):
        data.add((ID["x/" + str(cls).rsplit("#", 1)[-1]], RDF.type, cls))
    for prop in sorted(set(ontology.subjects(RDF.type, OWL.ObjectProperty)), key=str):
        name = str(prop).rsplit("#", 1)[-1]
        data.add((ID["s/" + name], prop, ID["o/" + name]))
    for prop in sorted(set(ontology.subjects(RDF.type, OWL.DatatypeProperty)), key=str):
        data.add((ID["s/" + str(prop).rsplit("#", 1)[-1]], prop, Literal("1")))
    data.add((ID.holding, AK.holder, ID.person))
    data.add((ID.holding, AK.post, ID.post))
    return data


def test_every_axiom_fires_in_the_fixture(ontology: Graph) -> None:
    inferred = infer(every_axiom(ontology), ontology, reasoning=Reasoning.OWL_RL)
    assert (ID.person, AK.holds, ID.post) in inferred  # the chain, through an inverse
    assert (ID.post, AK.heldBy, ID.person) in inferred
    assert (ID["o/unitOf"], AK.hasUnit, ID["s/unitOf"]) in inferred


def test_compiled_rules_give_owlrls_inferred_graph_on_every_axiom(ontology: Graph) -> None:
    data = every_axiom(ontology)
    assert set(infer(data, ontology, reasoning=Reasoning.RL_FAST)) == set(
        infer(data, ontology, reasoning=Reasoning.OWL_RL)
    )


def test_compiled_rules_give_owlrls_inferred_graph_on_documents_and_fixtures(
    ontology: Graph, fixture_corpus: Path
) -> None:
    data = Graph()
    for path in sorted(fixture_corpus.glob("*.txt")):
        data += loaders.extract_document(path).graph()
    loaders.link_corpus(data)
    for path in sorted((DATA / "valid").glob("*.ttl")):
        data.parse(path)
    fast = infer(data, ontology, reasoning=Reasoning.RL_FAST)
    assert len(fast) > len(data)
    assert set(fast) == set(infer(data, ontology, reasoning=Reasoning.OWL_RL))


def test_the_closure_of_the_whole_is_the_union_of_the_parts_and_the_chains(ontology: Graph) -> None:
    """What the streaming build relies on: each part reasoned alone, the chains on the whole."""
    rules = Rules(ontology)
    data = every_axiom(ontology)
    triples = sorted(data)
    half = len(triples) // 2
    parts = rules.derive(triples[:half]) | rules.derive(triples[half:])
    whole = Graph()
    for triple in [*triples, *parts]:
        whole.add(triple)
    for triple in rules.chained(whole):
        whole.add(triple)
    expected = infer(data, ontology, reasoning=Reasoning.OWL_RL)
    assert {t for t in whole if t not in data} == set(expected)


def test_an_axiom_the_rules_do_not_compile_is_refused(ontology: Graph) -> None:
    odd = Graph()
    odd += ontology
    odd.add((AK.predecessor, RDF.type, OWL.TransitiveProperty))
    with pytest.raises(ReasoningError, match="TransitiveProperty"):
        Rules(odd)
    odd.remove((AK.predecessor, RDF.type, OWL.TransitiveProperty))
    odd.add((AK.Person, OWL.hasKey, AK.name))
    with pytest.raises(ReasoningError, match="hasKey"):
        Rules(odd)


def test_data_stating_schema_is_refused(ontology: Graph) -> None:
    data = Graph()
    data.add((ID.thing, RDFS.subClassOf, AK.Person))
    with pytest.raises(ReasoningError, match="subClassOf"):
        infer(data, ontology, reasoning=Reasoning.RL_FAST)


def test_disjoint_classes_are_an_inconsistency_for_both(ontology: Graph) -> None:
    data = Graph()
    data.add((ID.both, RDF.type, AK.Person))
    data.add((ID.both, RDF.type, AK.Organisation))
    for reasoning in (Reasoning.RL_FAST, Reasoning.OWL_RL):
        with pytest.raises(ReasoningError, match="inconsistent"):
            infer(data, ontology, reasoning=reasoning)


def test_only_resources_of_the_graph_gain_inferred_triples(ontology: Graph) -> None:
    data = Graph()
    data.add((URIRef("https://example.org/elsewhere"), AK.holder, ID.person))
    inferred = infer(data, ontology, reasoning=Reasoning.RL_FAST)
    assert {s for s, _, _ in inferred} == {ID.person}
