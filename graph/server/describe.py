"""What the endpoint says about itself: the VoID description of the dataset and the SPARQL Service Description.

Both are built from a :class:`Census` of the graph, which the page queries ``graphs``,
``classes``, ``properties`` and ``documents`` (``queries/pages/``) count.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID

from ..namespaces import AK, ID, PREFIXES, SD
from ..results import Cell, rdflib_term
from .config import ServerConfig

_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}


@dataclass(frozen=True)
class Census:
    """What the graph holds: triples per named graph, instances per class, triples per property, documents."""

    graphs: tuple[tuple[str, int], ...]
    classes: tuple[tuple[str, int], ...]
    properties: tuple[tuple[str, int], ...]
    documents: tuple[dict[str, Cell], ...]

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def void(base: str, census: Census) -> Graph:
    """The VoID description of the dataset, with the source documents it was derived from."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    dataset = URIRef(base + ".well-known/void#dataset")
    dcterms, prov = PREFIXES["dcterms"], PREFIXES["prov"]
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, dcterms.title, Literal("adcs-kg: English children's-services policy")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(str(ID))))
    graph.add((dataset, VOID.vocabulary, URIRef(str(AK))))
    graph.add((dataset, VOID.triples, Literal(census.triples)))
    graph.add((dataset, VOID.classes, Literal(len(census.classes))))
    graph.add((dataset, VOID.properties, Literal(len(census.properties))))
    for name, count in census.graphs:
        graph.add((dataset, VOID.subset, URIRef(name)))
        graph.add((URIRef(name), RDF.type, VOID.Dataset))
        graph.add((URIRef(name), VOID.triples, Literal(count)))
    for kind, (partition, key, value) in {
        "classes": (VOID.classPartition, VOID["class"], VOID.entities),
        "properties": (VOID.propertyPartition, VOID.property, VOID.triples),
    }.items():
        for iri, count in getattr(census, kind):
            node = BNode()
            graph.add((dataset, partition, node))
            graph.add((node, key, URIRef(iri)))
            graph.add((node, value, Literal(count)))
    for document in census.documents:
        source = URIRef(document["doc"].value)
        graph.add((dataset, prov.wasDerivedFrom, source))
        graph.add((source, RDF.type, AK.SourceDocument))
        for variable, predicate in (("file", AK.fileName), ("sha256", AK.sha256), ("chars", AK.charCount)):
            if variable in document:
                graph.add((source, predicate, rdflib_term(document[variable])))
    return graph


def service_description(base: str, census: Census, config: ServerConfig) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    endpoint = URIRef(base + "sparql")
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    if config.token:
        graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    if config.allow_service:
        graph.add((endpoint, SD.feature, SD.BasicFederatedQuery))
    for name in _FORMAT_IRIS.values():
        graph.add((endpoint, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/" + name)))
    dataset, default = BNode(), BNode()
    graph.add((endpoint, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, VOID.subset, URIRef(base + ".well-known/void#dataset")))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(census.triples)))
    for name, count in census.graphs:
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(count)))
    return graph
