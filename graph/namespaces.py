"""The one prefix table of adcs-kg.

Every namespace the project writes or queries is declared here; the ontology files and the
named queries use the same prefixes (a test checks that they agree with this table).
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/adcs-kg/"

AK = Namespace(BASE + "ontology#")
"""Terms of the adcs-kg ontology (classes, properties and named individuals)."""

AKSH = Namespace(BASE + "shapes#")
"""SHACL shapes of the adcs-kg ontology."""

ID = Namespace(BASE + "id/")
"""Resources of the graph: documents, items, people, organisations, claims..."""

GRAPH = Namespace(BASE + "graph/")
"""Named graphs of a build."""

ORG = Namespace("http://www.w3.org/ns/org#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
OA = Namespace("http://www.w3.org/ns/oa#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
VANN = Namespace("http://purl.org/vocab/vann/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

RESOURCE_KINDS = (
    "doc",
    "item",
    "person",
    "org",
    "post",
    "holding",
    "interval",
    "statement",
    "finding",
    "recommendation",
    "group",
    "report",
    "report-series",
    "measure",
    "policy",
)
"""The kinds of graph resource: the first segment of their path under ``id/`` (see :func:`resource`)."""

KIND_PREFIXES: dict[str, Namespace] = {
    "organisation" if kind == "org" else kind: Namespace(f"{ID}{kind}/") for kind in RESOURCE_KINDS
}
"""A prefix for each kind of resource, so that ``person:sam-carter`` is a name a query accepts as it is
(``id:person/sam-carter`` is not: a prefixed name cannot hold a ``/``). ``org:`` is W3C ORG's."""

PREFIXES: dict[str, Namespace] = {
    "ak": AK,
    "aksh": AKSH,
    "id": ID,
    "akg": GRAPH,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "sh": Namespace(str(SH)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "prov": Namespace(str(PROV)),
    "schema": Namespace(str(SDO)),
    "time": Namespace(str(TIME)),
    "void": Namespace(str(VOID)),
    "org": ORG,
    "nif": NIF,
    "oa": OA,
    "qudt": QUDT,
    "unit": UNIT,
    "vann": VANN,
    "sd": SD,
    **KIND_PREFIXES,
}
"""Prefix -> namespace, for Turtle output, SPARQL headers and the ontology files."""

ASSERTED_GRAPH = GRAPH.asserted
"""Triples the loaders extracted from the corpus."""
INFERRED_GRAPH = GRAPH.inferred
"""Triples the reasoner derived that are not asserted and not in the ontology."""
ONTOLOGY_GRAPH = GRAPH.ontology
"""The ontology and the alignments it was reasoned with."""
PROJECT_GRAPHS: tuple[URIRef, ...] = (ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH)
UPDATES_GRAPH = GRAPH.updates
"""What SPARQL Updates and the Graph Store Protocol write to the default graph: the store keeps it here."""


_LOCAL_NAME = re.compile(r"(?:[A-Za-z0-9_:](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?)?")
"""A local name that a prefixed name holds as it is (no ``/``, no escapes, not ending in ``.``)."""


def sparql_term(iri: str) -> str:
    """``iri`` as SPARQL and Turtle accept it written: ``prefix:local`` for the longest namespace of the
    prefix table that leaves a plain local name (``person:sam-carter``), else ``<iri>``."""
    names = [(p, str(ns)) for p, ns in PREFIXES.items() if iri.startswith(str(ns))]
    plain = [(p, ns) for p, ns in names if _LOCAL_NAME.fullmatch(iri[len(ns) :])]
    if not plain:
        return f"<{iri}>"
    prefix, namespace = max(plain, key=lambda name: len(name[1]))
    return f"{prefix}:{iri[len(namespace) :]}"


def sparql_prefixes() -> str:
    """The PREFIX header for SPARQL text, one line per prefix of the table."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lower-case ASCII path segment for ``text``: stable, readable, never empty.

    >>> slug("Children’s Commissioner for England")
    'childrens-commissioner-for-england'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower().replace("'", "")
    result = _NON_SLUG.sub("-", folded).strip("-")
    if not result:
        raise ValueError(f"cannot make an identifier from {text!r}")
    return result


def resource(kind: str, *parts: str | int) -> URIRef:
    """The IRI of a graph resource: ``id/{kind}/{part}/{part}...`` (each of :data:`RESOURCE_KINDS` has a prefix).

    Parts are used as given (callers pass slugs, document ids or offsets), so the same
    inputs always give the same IRI.
    """
    if not parts:
        raise ValueError("a resource IRI needs at least one part")
    return ID[kind + "/" + "/".join(str(p) for p in parts)]
