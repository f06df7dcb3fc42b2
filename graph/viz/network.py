"""The network: the graph projected onto people, organisations, reports, policies, items and claims.

The projection is the named query ``network`` (one row per edge, with the quote and document of the
fact it was read from), turned into a networkx :class:`~networkx.MultiDiGraph` (one edge per row).
This module reduces it to what a browser draws at once (a class filter, a focus neighbourhood, then
the nodes of highest degree up to a cap), every reduction saying what it left out; analyses it
(degree and betweenness centrality, Louvain communities); and exports it to GraphML or GEXF.
Drawing it as a page is :mod:`graph.viz.page`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import networkx as nx
from rdflib.query import Result

from ..errors import QueryParameterError
from ..namespaces import AK
from ..query import named_query, rows, run_named
from ..store import Store

# -- the projection -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeStyle:
    """How the nodes of one class are drawn: a vis-network colour and shape."""

    colour: str
    shape: str


CLASS_STYLES: dict[str, NodeStyle] = {
    "Person": NodeStyle("#e15759", "dot"),
    "Organisation": NodeStyle("#4e79a7", "square"),
    "OrganisationalUnit": NodeStyle("#76b7b2", "square"),
    "Group": NodeStyle("#9c755f", "triangle"),
    "Report": NodeStyle("#f28e2b", "diamond"),
    "ReportSeries": NodeStyle("#edc948", "diamond"),
    "Policy": NodeStyle("#59a14f", "star"),
    "Item": NodeStyle("#bab0ac", "dot"),
    "Statement": NodeStyle("#b07aa1", "triangleDown"),
    "Finding": NodeStyle("#ff9da7", "triangle"),
    "Recommendation": NodeStyle("#8cd17d", "hexagon"),
    "Claim": NodeStyle("#79706e", "dot"),
    "Agent": NodeStyle("#79706e", "dot"),
}
"""Node class (local name in ak:) -> style; the classes the ``network`` query gives."""

EDGE_FIELDS = ("relation", "quote", "document", "start", "end")
"""Edge attributes of the projection, all text ("" when the edge comes from no fact)."""


def class_name(iri: str) -> str:
    """The local name of an ak: class IRI ("Person"), or the IRI when it is not an ak: term."""
    return iri.removeprefix(str(AK))


def clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def network_graph(result: Result) -> nx.MultiDiGraph:
    """The networkx graph of a ``network`` query result: one node per resource, one edge per row.

    Nodes carry ``label`` and ``class`` (ak: local name); edges are keyed ``e0``, ``e1``... in row
    order and carry :data:`EDGE_FIELDS` as text.
    """
    columns, table = rows(result)
    graph = nx.MultiDiGraph()
    for index, values in enumerate(table):
        row = dict(zip(columns, values, strict=True))
        for end in ("source", "target"):
            graph.add_node(row[end], label=row[f"{end}_label"], **{"class": class_name(row[f"{end}_class"])})
        graph.add_edge(row["source"], row["target"], key=f"e{index}", **{k: row[k] for k in EDGE_FIELDS})
    return graph


def load_network(store: Store) -> nx.MultiDiGraph:
    """The whole network of the stored graph."""
    return network_graph(run_named(store, named_query("network"), {}))


# -- reduction ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reduction:
    """A graph cut down for drawing, and what was left out of the full one."""

    graph: nx.MultiDiGraph
    total_nodes: int
    total_edges: int
    notes: tuple[str, ...] = ()
    focus: str | None = None
    """The node the view is centred on (selected when the page opens)."""

    @property
    def summary(self) -> str:
        """One line: what is shown of what, then each reduction."""
        shown = (
            f"Showing {self.graph.number_of_nodes():,} of {self.total_nodes:,} nodes and "
            f"{self.graph.number_of_edges():,} of {self.total_edges:,} edges."
        )
        return " ".join([shown, *self.notes])


def find_node(graph: nx.MultiDiGraph, name_or_iri: str) -> str:
    """The node whose IRI is ``name_or_iri``, else the one whose label equals it (case-insensitive).

    Among several nodes of that label the one of highest degree wins; :class:`QueryParameterError`
    when nothing matches.
    """
    if name_or_iri in graph:
        return name_or_iri
    wanted = name_or_iri.casefold().strip()
    matches = [n for n, label in graph.nodes(data="label") if str(label).casefold() == wanted]
    if not matches:
        matches = [n for n, label in graph.nodes(data="label") if wanted and wanted in str(label).casefold()]
    if not matches:
        raise QueryParameterError(f"no node of the network is named {name_or_iri!r} or has that IRI")
    return str(min(matches, key=lambda n: (-graph.degree(n), n)))


def _kept(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(graph.subgraph(nodes))


def by_class(graph: nx.MultiDiGraph, classes: Sequence[str]) -> tuple[nx.MultiDiGraph, str | None]:
    """Only the nodes of ``classes``, and a note of what was left out (None when nothing was)."""
    wanted = {c.casefold() for c in classes}
    unknown = sorted(wanted - {c.casefold() for c in CLASS_STYLES})
    if unknown:
        raise QueryParameterError(f"no class {', '.join(unknown)} in the network (classes: {', '.join(CLASS_STYLES)})")
    kept = [n for n, cls in graph.nodes(data="class") if str(cls).casefold() in wanted]
    dropped = graph.number_of_nodes() - len(kept)
    if not dropped:
        return graph, None
    left_out = sorted({str(c) for _, c in graph.nodes(data="class")} - {str(graph.nodes[n]["class"]) for n in kept})
    note = f"Left out {dropped:,} nodes not of the classes {', '.join(classes)} ({', '.join(left_out) or 'none'})."
    return _kept(graph, kept), note


def around(graph: nx.MultiDiGraph, focus: str, hops: int) -> tuple[nx.MultiDiGraph, str | None]:
    """The nodes within ``hops`` edges of ``focus`` (either direction), and a note of what was left out."""
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus, cutoff=hops)
    dropped = graph.number_of_nodes() - len(near)
    if not dropped:
        return graph, None
    label = graph.nodes[focus].get("label", focus)
    return _kept(graph, near), f"Left out {dropped:,} nodes farther than {hops} hop(s) from {label}."


def top_nodes(graph: nx.MultiDiGraph, cap: int, keep: str | None = None) -> tuple[nx.MultiDiGraph, str | None]:
    """At most ``cap`` nodes: those of highest degree (then IRI order), always ``keep`` if given."""
    if graph.number_of_nodes() <= cap:
        return graph, None
    ranked = sorted(graph.nodes, key=lambda n: (n != keep, -graph.degree(n), n))
    kept = ranked[:cap]
    lowest = graph.degree(kept[-1])
    dropped = graph.number_of_nodes() - cap
    note = (f"Left out {dropped:,} nodes of lowest degree (degree {lowest} or less) "
            f"to stay under the cap of {cap:,} nodes.")
    return _kept(graph, kept), note


def reduce_network(
    graph: nx.MultiDiGraph,
    *,
    max_nodes: int,
    focus: str | None = None,
    hops: int = 1,
    classes: Sequence[str] = (),
) -> Reduction:
    """The class filter, then the focus neighbourhood, then the cap, each noting what it left out."""
    notes: list[str] = []
    reduced = graph
    if classes:
        reduced, note = by_class(reduced, classes)
        notes.extend([note] if note else [])
    if focus is not None:
        if focus not in reduced:
            raise QueryParameterError(f"{focus} is not among the nodes of the classes asked for")
        reduced, note = around(reduced, focus, hops)
        notes.extend([note] if note else [])
    reduced, note = top_nodes(reduced, max_nodes, keep=focus)
    notes.extend([note] if note else [])
    return Reduction(reduced, graph.number_of_nodes(), graph.number_of_edges(), tuple(notes), focus)


# -- analytics and export -------------------------------------------------------------------------

BETWEENNESS_SAMPLE = 500
"""Above this many nodes, betweenness is estimated from this many sampled sources (seeded)."""


@dataclass(frozen=True)
class Analytics:
    """Centralities and communities of a network (computed on its undirected simple graph)."""

    degree: dict[str, float]
    betweenness: dict[str, float]
    community: dict[str, int] = field(default_factory=dict)


def simple_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph of ``graph``, its nodes and edges added in ``graph``'s order.

    So what is computed on it (communities, layout) is the same in every run: networkx's undirected
    view of a directed graph visits each node's neighbours in set order, which Python's hash seed
    changes from process to process.
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from((source, target) for source, target, _ in graph.edges(keys=True))
    return simple


def analyse(graph: nx.MultiDiGraph) -> Analytics:
    """Degree and betweenness centrality, and Louvain communities (numbered largest first)."""
    simple = simple_graph(graph)
    sample = BETWEENNESS_SAMPLE if simple.number_of_nodes() > BETWEENNESS_SAMPLE else None
    # rounded: the sums' last bits depend on the order of set iteration, which varies between runs
    betweenness = {n: round(v, 9) for n, v in nx.betweenness_centrality(simple, k=sample, seed=0).items()}
    found = nx.community.louvain_communities(simple, seed=0) if simple.number_of_nodes() else []
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    community = {node: index for index, members in enumerate(ordered) for node in members}
    return Analytics(nx.degree_centrality(simple), betweenness, community)


def annotated(graph: nx.MultiDiGraph, analytics: Analytics) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose nodes also carry degree, betweenness and community (for Gephi)."""
    copy = graph.copy()
    for node, data in copy.nodes(data=True):
        data["degree"] = graph.degree(node)
        data["betweenness"] = analytics.betweenness.get(node, 0.0)
        data["community"] = analytics.community.get(node, -1)
    return copy


class GraphFormat(StrEnum):
    HTML = "html"
    GRAPHML = "graphml"
    GEXF = "gexf"


def graph_format(path: Path) -> GraphFormat:
    """The network format a file name asks for."""
    try:
        return GraphFormat(path.suffix.lower().lstrip("."))
    except ValueError as exc:
        raise QueryParameterError(f"cannot write a network as {path.name}: use .html, .graphml or .gexf") from exc


def export(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write ``graph`` as GraphML or GEXF, by the file's extension; edge keys become edge ids."""
    written = graph_format(path)
    if written is GraphFormat.GRAPHML:
        nx.write_graphml(graph, path)
    elif written is GraphFormat.GEXF:
        keyed = graph.copy()
        for _, _, key, data in keyed.edges(keys=True, data=True):
            data["id"] = key
        nx.write_gexf(keyed, path)
    else:
        raise QueryParameterError(f"cannot export a network as {path.name}: use .graphml or .gexf")
