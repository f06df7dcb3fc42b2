"""Mentions: link every item and claim to the entities named inside its span.

Runs last among the document loaders. Loaders record entity mentions with
``Extraction.mention`` and fact spans with ``Extraction.provenance``; this step turns
containment of the one in the other into ``ak:mentions`` triples, so no loader has to.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF

from graph.namespaces import AK

from .extraction import Extraction

MENTIONING = frozenset({AK.Item, AK.Claim, AK.Statement, AK.Finding, AK.Recommendation})
"""Facts that mention things (a holding is a fact too, but it is about its holder and post)."""
MENTIONABLE = frozenset({AK.Organisation, AK.OrganisationalUnit, AK.Person, AK.Report, AK.Policy})
"""Entities users ask "which statements are about ...?" for."""


def _types(ext: Extraction, node: URIRef) -> set[URIRef]:
    return {t for t in ext.graph.objects(node, RDF.type) if isinstance(t, URIRef)}


def extract(ext: Extraction) -> None:
    mentionable = [m for m in ext.mentions if _types(ext, m.node) & MENTIONABLE]
    for fact in ext.facts:
        if not _types(ext, fact.node) & MENTIONING:
            continue
        for mention in mentionable:
            if fact.start <= mention.start and mention.end <= fact.end and mention.node != fact.node:
                ext.graph.add((fact.node, AK.mentions, mention.node))
