"""Tests of the ontology files: syntax, the OWL 2 RL profile, documentation, version, prefixes, reasoning."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS

from graph.errors import LoaderError
from graph.namespaces import AK, ORG, PREFIXES, VANN
from graph.ontology import load_turtle, ontology_graph, owl2rl_violations, qc_queries, shapes_graph

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY_IRI = URIRef("https://w3id.org/adcs-kg/ontology")
ALIGNMENTS = sorted((REPO / "ontology" / "alignments").glob("*.ttl"))

TTL_PREFIXES = """\
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def snippet(turtle: str) -> Graph:
    return Graph().parse(data=TTL_PREFIXES + turtle, format="turtle")


# --- files and syntax -------------------------------------------------------------------------


def test_core_is_one_owl_ontology_with_its_header() -> None:
    g = ontology_graph(alignments=False)
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://opensource.org/licenses/MIT")
    assert g.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert g.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("ak")
    assert g.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri) == Literal(str(AK))


def test_version_info_is_the_package_version() -> None:
    g = ontology_graph(alignments=False)
    package_version = version("adcs-kg")
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal(package_version)
    version_iri = g.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert version_iri == URIRef(f"{ONTOLOGY_IRI}/{package_version}")
    assert str(version_iri).endswith(package_version)


def test_term_iris_carry_no_version() -> None:
    g = ontology_graph()
    terms = {t for t in g.all_nodes() if isinstance(t, URIRef) and str(t).startswith(str(AK))}
    assert terms
    assert not [t for t in terms if re.search(r"\d+\.\d+", str(t))]


@pytest.mark.parametrize("path", ALIGNMENTS, ids=lambda p: p.stem)
def test_alignment_is_its_own_ontology_importing_core(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    ontologies = list(g.subjects(RDF.type, OWL.Ontology))
    assert ontologies == [URIRef(f"https://w3id.org/adcs-kg/ontology/alignments/{path.stem}")]
    assert g.value(ontologies[0], OWL.imports) == ONTOLOGY_IRI


def test_every_expected_alignment_is_shipped() -> None:
    expected = {"org", "prov", "schema", "foaf", "dcterms", "time", "nif", "qudt", "skos"}
    assert {p.stem for p in ALIGNMENTS} == expected


def test_ontology_graph_holds_core_and_all_alignments() -> None:
    with_alignments = ontology_graph()
    core = ontology_graph(alignments=False)
    assert len(with_alignments) > len(core)
    assert (AK.Holding, RDFS.subClassOf, ORG.Membership) in with_alignments
    assert (AK.Holding, RDFS.subClassOf, ORG.Membership) not in core


def test_core_holds_no_shacl_and_no_intersection() -> None:
    g = ontology_graph()
    assert not [t for t in g if any(str(x).startswith(str(SH)) for x in t)]
    assert not list(g.triples((None, OWL.intersectionOf, None)))


def test_alignments_copy_no_external_term_definitions() -> None:
    """Alignment files only state axioms about ak: terms; they never describe external terms."""
    for path in ALIGNMENTS:
        g = Graph().parse(path, format="turtle")
        for s in g.subjects(unique=True):
            assert str(s).startswith(str(AK)) or s == URIRef(f"{ONTOLOGY_IRI}/alignments/{path.stem}"), (path, s)


def test_load_turtle_reports_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ak: <https://w3id.org/adcs-kg/ontology#> .\n\nak:A a ak:B ;\n    ak:c .\n")
    with pytest.raises(LoaderError) as caught:
        load_turtle(bad, Graph())
    assert caught.value.file == bad
    assert caught.value.line == 4
    assert "broken.ttl, line 4" in str(caught.value)


def test_qc_queries_are_named_by_file() -> None:
    queries = qc_queries()
    assert {"span_quote_matches", "span_within_document"} <= set(queries)
    for text in queries.values():
        assert text.startswith("#+ summary: ")
        assert "#+ params: none" in text
        assert re.search(r"SELECT \?focus \?message\b", text)
        assert "ORDER BY ?focus" in text


# --- documentation of every term --------------------------------------------------------------


def declared_terms(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if isinstance(s, URIRef) and s.startswith(AK)}


def english(g: Graph, term: URIRef, prop: URIRef) -> list[str]:
    return [str(o) for o in g.objects(term, prop) if isinstance(o, Literal) and o.language == "en"]


def test_every_term_has_an_english_label_and_a_real_definition() -> None:
    g = ontology_graph()
    terms = declared_terms(g)
    assert len(terms) > 150
    for term in sorted(terms):
        labels = english(g, term, RDFS.label)
        definitions = english(g, term, SKOS.definition)
        assert len(labels) == 1, term
        assert len(definitions) == 1, term
        assert definitions[0].lower().rstrip(".") != labels[0].lower()
        assert len(definitions[0].split()) >= 5, term


def test_every_ak_term_used_anywhere_is_declared() -> None:
    """A typo in an alignment (ak:Holdng) would otherwise go unnoticed."""
    g = ontology_graph()
    used = {t for t in g.all_nodes() if isinstance(t, URIRef) and t.startswith(AK)}
    assert used - declared_terms(g) == set()


def test_kind_individuals_are_typed_with_their_kind_class() -> None:
    g = ontology_graph()
    assert (AK.Comment, RDF.type, AK.ItemKind) in g
    assert (AK.Comment, RDF.type, OWL.NamedIndividual) in g
    assert (AK.Strategy, RDF.type, AK.ReportKind) in g
    assert (AK.Strategy, RDF.type, AK.PolicyKind) in g
    for individual in g.subjects(RDF.type, OWL.NamedIndividual):
        kinds = set(g.objects(individual, RDF.type)) - {OWL.NamedIndividual}
        assert kinds and all((k, RDFS.subClassOf, AK.Kind) in g for k in kinds), individual


def test_presidential_year_is_documented() -> None:
    g = ontology_graph()
    definition = english(g, AK.termLabel, SKOS.definition)[0]
    assert "1 April to 31 March" in definition
    assert "2020-04-01 to 2021-03-31" in definition


# --- prefixes agree with graph.namespaces --------------------------------------------------------

PREFIX_FILES = sorted(
    path
    for pattern in ("ontology/*.ttl", "ontology/alignments/*.ttl", "queries/*.rq", "queries/qc/*.rq")
    for path in REPO.glob(pattern)
)
_TURTLE_PREFIX = re.compile(r"^\s*@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.MULTILINE)
_SPARQL_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.MULTILINE | re.IGNORECASE)


@pytest.mark.parametrize("path", PREFIX_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_prefixes_agree_with_the_prefix_table(path: Path) -> None:
    pattern = _TURTLE_PREFIX if path.suffix == ".ttl" else _SPARQL_PREFIX
    declared = pattern.findall(path.read_text(encoding="utf-8"))
    for name, iri in declared:
        assert name in PREFIXES, f"{path.name}: prefix {name!r} is not in graph.namespaces.PREFIXES"
        assert str(PREFIXES[name]) == iri, f"{path.name}: {name}: is <{iri}>, the table says <{PREFIXES[name]}>"


def test_prefix_check_sees_every_ontology_and_qc_file() -> None:
    names = {p.relative_to(REPO).as_posix() for p in PREFIX_FILES}
    assert {"ontology/core.ttl", "ontology/shapes.ttl", "ontology/alignments/org.ttl"} <= names
    assert {f"queries/qc/{n}.rq" for n in qc_queries()} <= names


# --- OWL 2 RL profile ---------------------------------------------------------------------------


def test_core_is_within_owl2rl() -> None:
    assert owl2rl_violations(ontology_graph(alignments=False)) == []


@pytest.mark.parametrize("path", ALIGNMENTS, ids=lambda p: p.stem)
def test_alignment_is_within_owl2rl(path: Path) -> None:
    g = ontology_graph(alignments=False)
    g.parse(path, format="turtle")
    assert owl2rl_violations(g) == []


def test_rl_constructs_in_their_allowed_positions_pass() -> None:
    g = snippet(
        """
        [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ] rdfs:subClassOf ex:A .
        [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom owl:Thing ] rdfs:subClassOf ex:A .
        [ owl:unionOf ( ex:B ex:C ) ] rdfs:subClassOf ex:A .
        ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom ex:B ] ,
            [ a owl:Restriction ; owl:onProperty ex:p ; owl:maxCardinality 1 ] ,
            [ owl:complementOf ex:C ] .
        ex:D owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasValue ex:x ] .
        ex:p a owl:ObjectProperty ; rdfs:domain ex:A ; rdfs:range ex:B ;
            owl:propertyChainAxiom ( ex:q ex:r ) .
        ex:d a owl:DatatypeProperty , owl:FunctionalProperty ; rdfs:range xsd:integer .
        ex:A owl:disjointWith ex:C .
        ex:p rdfs:subPropertyOf rdfs:seeAlso .
        """
    )
    assert owl2rl_violations(g) == []


NON_RL = {
    "existential-as-superclass": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ] .",
        "owl:someValuesFrom) is allowed only as a subclass expression, not as a superclass expression",
    ),
    "universal-as-subclass": (
        "[ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom ex:B ] rdfs:subClassOf ex:A .",
        "owl:allValuesFrom) is allowed only as a superclass expression, not as a subclass expression",
    ),
    "union-as-superclass": (
        "ex:A rdfs:subClassOf [ owl:unionOf ( ex:B ex:C ) ] .",
        "a union (owl:unionOf) is allowed only as a subclass expression, not as a superclass expression",
    ),
    "union-as-domain": (
        "ex:p rdfs:domain [ owl:unionOf ( ex:B ex:C ) ] .",
        "domain: a union (owl:unionOf) is allowed only as a subclass expression",
    ),
    "complement-as-subclass": (
        "[ owl:complementOf ex:B ] rdfs:subClassOf ex:A .",
        "a complement (owl:complementOf) is allowed only as a superclass expression",
    ),
    "enumeration-as-superclass": (
        "ex:A rdfs:subClassOf [ owl:oneOf ( ex:x ex:y ) ] .",
        "an enumeration (owl:oneOf) is allowed only as a subclass expression",
    ),
    "existential-in-equivalence": (
        "ex:A owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ] .",
        "not as a equivalent-class expression",
    ),
    "union-nested-in-superclass-intersection": (
        "ex:A rdfs:subClassOf [ owl:intersectionOf ( ex:B [ owl:unionOf ( ex:C ex:D ) ] ) ] .",
        "a union (owl:unionOf) is allowed only as a subclass expression, not as a superclass expression",
    ),
    "existential-filler-of-universal": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom"
        " [ a owl:Restriction ; owl:onProperty ex:q ; owl:someValuesFrom ex:B ] ] .",
        "owl:someValuesFrom) is allowed only as a subclass expression, not as a superclass expression",
    ),
    "min-cardinality": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:minCardinality 1 ] .",
        "a minimum cardinality restriction is not allowed in OWL 2 RL",
    ),
    "exact-cardinality": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:cardinality 1 ] .",
        "an exact cardinality restriction is not allowed in OWL 2 RL",
    ),
    "max-cardinality-above-one": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:maxCardinality 2 ] .",
        'a maximum cardinality of "2"^^xsd:integer is not allowed (only 0 or 1)',
    ),
    "max-cardinality-as-subclass": (
        "[ a owl:Restriction ; owl:onProperty ex:p ; owl:maxCardinality 1 ] rdfs:subClassOf ex:A .",
        "a maximum cardinality restriction is allowed only as a superclass expression",
    ),
    "self-restriction": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasSelf true ] .",
        "a self restriction (owl:hasSelf) is not allowed in OWL 2 RL",
    ),
    "thing-as-superclass": (
        "ex:A rdfs:subClassOf owl:Thing .",
        "owl:Thing is not allowed as a superclass expression",
    ),
    "thing-as-subclass": (
        "owl:Thing rdfs:subClassOf ex:A .",
        "owl:Thing is not allowed as a subclass expression",
    ),
    "disjoint-union": (
        "ex:A owl:disjointUnionOf ( ex:B ex:C ) .",
        "a disjoint union (owl:disjointUnionOf) is not allowed in OWL 2 RL",
    ),
    "disjoint-classes-with-universal": (
        "[] a owl:AllDisjointClasses ; owl:members ( ex:A [ a owl:Restriction ; owl:onProperty ex:p ;"
        " owl:allValuesFrom ex:B ] ) .",
        "owl:allValuesFrom) is allowed only as a superclass expression, not as a subclass expression",
    ),
    "class-assertion-with-existential": (
        "ex:x a [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ] .",
        "class assertion: an existential restriction (owl:someValuesFrom) is allowed only as a subclass",
    ),
    "reflexive-property": (
        "ex:p a owl:ObjectProperty , owl:ReflexiveProperty .",
        "reflexive properties are not allowed in OWL 2 RL",
    ),
    "inverse-functional-datatype-property": (
        "ex:d a owl:DatatypeProperty , owl:InverseFunctionalProperty .",
        "a datatype property cannot be inverse-functional in OWL 2",
    ),
    "object-and-datatype-property": (
        "ex:p a owl:ObjectProperty , owl:DatatypeProperty .",
        "a property cannot be both an object and a datatype property",
    ),
    "datatype-outside-rl": (
        "ex:d a owl:DatatypeProperty ; rdfs:range xsd:date .",
        "range: the datatype xsd:date is not in the OWL 2 RL datatype map",
    ),
    "datatype-restriction": (
        "ex:d a owl:DatatypeProperty ; rdfs:range [ a rdfs:Datatype ; owl:onDatatype xsd:integer ;"
        " owl:withRestrictions ( [ xsd:minInclusive 0 ] ) ] .",
        "range: a datatype restriction (owl:withRestrictions facets) is not allowed in OWL 2 RL",
    ),
    "datatype-union": (
        "ex:d a owl:DatatypeProperty ; rdfs:range [ a rdfs:Datatype ; owl:unionOf ( xsd:string xsd:integer ) ] .",
        "a datatype union (owl:unionOf of data ranges) is not allowed in OWL 2 RL",
    ),
    "literal-enumeration-in-restriction": (
        "ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:d ; owl:allValuesFrom"
        ' [ a rdfs:Datatype ; owl:oneOf ( "a" "b" ) ] ] . ex:d a owl:DatatypeProperty .',
        "an enumeration of literals (owl:oneOf) is not allowed in OWL 2 RL",
    ),
    "unknown-reserved-term": (
        "ex:A rdfs:subClassOf owl:Klass .",
        "owl:Klass is not a term of the reserved RDF/RDFS/OWL/XSD vocabulary",
    ),
    "redefined-built-in": (
        "rdfs:label rdfs:domain ex:A .",
        "the built-in term rdfs:label may not be redefined",
    ),
}


@pytest.mark.parametrize(("turtle", "expected"), NON_RL.values(), ids=NON_RL.keys())
def test_owl2rl_violation_is_reported(turtle: str, expected: str) -> None:
    violations = owl2rl_violations(snippet(turtle))
    assert any(expected in v for v in violations), violations


def test_violation_names_the_offending_triple() -> None:
    (violation,) = owl2rl_violations(snippet("ex:A rdfs:subClassOf [ owl:unionOf ( ex:B ex:C ) ] ."))
    assert violation.startswith("ex:A rdfs:subClassOf [owl:unionOf (ex:B ex:C)] : ")


# --- reasoning ----------------------------------------------------------------------------------

INSTANCES = """\
@prefix ak: <https://w3id.org/adcs-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/> .

:doc a ak:SourceDocument ; ak:charCount "40"^^xsd:integer ;
    ak:text "Ann Lee is the new President of the ADCS." .
:span a ak:Span ; ak:document :doc ; ak:start "0"^^xsd:integer ;
    ak:end "7"^^xsd:integer ; ak:quote "Ann Lee" .
:adcs a ak:Organisation ; ak:name "ADCS" ; ak:kind ak:Association ; ak:mention :span .
:committee ak:unitOf :adcs .
:ann a ak:Person ; ak:name "Ann Lee" ; ak:mention :span .
:bob a ak:Person ; ak:name "Bob Roe" ; ak:mention :span .
:president a ak:Post ; ak:name "ADCS President" ; ak:postIn :adcs ; ak:role ak:President .
:h1 a ak:Holding ; ak:holder :bob ; ak:post :president ; ak:inferred false ; ak:span :span .
:h2 ak:holder :ann ; ak:post :president ; ak:predecessor :h1 ; ak:during :term ; ak:inferred false .
:term ak:startDate "2024-04-01"^^xsd:date .
:said ak:speaker :ann ; ak:span :span .
"""


@pytest.fixture(scope="module")
def closure() -> Graph:
    g = ontology_graph()
    g.parse(data=INSTANCES, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


def ex(name: str) -> URIRef:
    return URIRef("https://example.org/" + name)


@pytest.mark.parametrize(
    ("s", "p", "o"),
    [
        (ex("ann"), AK.holds, ex("president")),  # property chain holdingOf o post
        (ex("president"), AK.heldBy, ex("ann")),  # inverse of holds
        (ex("ann"), AK.holdingOf, ex("h2")),  # inverse of holder
        (ex("h1"), AK.successor, ex("h2")),  # inverse of predecessor
        (ex("adcs"), AK.hasUnit, ex("committee")),  # inverse of unitOf
        (ex("h2"), RDF.type, AK.Holding),  # domain of holder
        (ex("h2"), RDF.type, ORG.Membership),  # alignment to ORG
        (ex("ann"), ORG.holds, ex("president")),  # chain, then alignment
        (ex("ann"), RDF.type, AK.Agent),
        (ex("ann"), RDF.type, PROV.Agent),
        (ex("ann"), RDF.type, FOAF.Person),
        (ex("committee"), RDF.type, AK.OrganisationalUnit),  # domain of unitOf
        (ex("term"), RDF.type, AK.Interval),  # range of during
        (ex("said"), RDF.type, AK.Statement),  # domain of speaker
        (ex("said"), AK.source, ex("ann")),  # speaker is a source
        (ex("said"), PROV.wasAttributedTo, ex("ann")),
        (ex("ann"), PROV.wasDerivedFrom, ex("span")),  # mention is provenance
        (ex("ann"), RDFS.label, Literal("Ann Lee")),  # name is a label
        (ex("span"), RDF.type, URIRef(str(PREFIXES["nif"]) + "String")),
        (AK.Comment, RDF.type, SKOS.Concept),
    ],
)
def test_owlrl_closure_infers(closure: Graph, s: URIRef, p: URIRef, o: URIRef) -> None:
    assert (s, p, o) in closure


def test_owlrl_closure_is_consistent(closure: Graph) -> None:
    assert list(closure.subjects(RDF.type, ERRNS.ErrorMessage)) == []


def test_owlrl_closure_finds_a_person_organisation_inconsistent() -> None:
    g = ontology_graph(alignments=False)
    g.parse(data=INSTANCES + ":ann a ak:Organisation .\n", format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.subjects(RDF.type, ERRNS.ErrorMessage))


def test_shapes_are_not_part_of_the_ontology() -> None:
    shapes = shapes_graph()
    ontology = ontology_graph()
    assert not set(shapes.subjects(RDF.type, SH.NodeShape)) & set(ontology.all_nodes())
