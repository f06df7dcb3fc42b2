"""Network views and charts of the graph, for the ``adcs-kg viz`` commands and the endpoint's pages.

The network is a projection of the graph onto people, organisations, reports, policies, items and
claims (the named query ``network``: one row per edge, with the quote and document of the fact it
was read from). It becomes a networkx :class:`~networkx.MultiDiGraph` (one edge per row), which is

- reduced to what a browser draws at once (a class filter, a focus neighbourhood, then the nodes of
  highest degree up to a cap), every reduction saying what it left out;
- analysed (degree and betweenness centrality, Louvain communities) and exported to GraphML or GEXF;
- laid out with networkx on this machine and drawn as one self-contained HTML page: pyvis builds the
  vis-network nodes and edges, and the page inlines the vis-network script and style pyvis ships, so
  it loads nothing from elsewhere. Positions are fixed (physics off) unless live physics is asked
  for, which stabilises briefly and then stops. The whole view labels the main people, bodies,
  reports and policies (those whose labels do not overlap); the other labels appear on zooming in.

The charts (matplotlib, SVG/PNG, or SVG in a small HTML page) are the timeline of ADCS officers
(named query ``officers``) and one measure across reports (``measure_over_time``); in SVG each bar
or point links to the document it came from. :func:`officers_chart` and :func:`measure_chart` draw
them from a store, for the commands and for the endpoint's pages.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import networkx as nx

from loaders.document import document_id

from .errors import QueryParameterError
from .namespaces import AK, resource
from .query import named_query, run_named
from .results import Answer, rows
from .store import Store

if TYPE_CHECKING:
    from pyvis.network import Network

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


def network_graph(result: Answer) -> nx.MultiDiGraph:
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


def analyse(graph: nx.MultiDiGraph) -> Analytics:
    """Degree and betweenness centrality, and Louvain communities (numbered largest first)."""
    simple = nx.Graph(graph.to_undirected(as_view=True))
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


# -- layout and the HTML page ---------------------------------------------------------------------

LIVE_PHYSICS_CAP = 500
"""Default node cap of a page whose layout the browser computes (live physics)."""
FIXED_LAYOUT_CAP = 2000
"""Default node cap of a page with positions computed here (physics off)."""
SPACING = 150.0
"""Pixels per unit of the layout, times n ** 0.35 for n nodes: large graphs get denser, so that
their nodes stay visible when the whole graph is fitted to the window."""


def layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Fixed positions in pixels: a seeded spring layout, fewer iterations for large graphs (50 up to
    500 nodes, then fewer in proportion, at least 15), so that its time grows about with the size."""
    if not graph.number_of_nodes():
        return {}
    iterations = max(15, min(50, 25_000 // graph.number_of_nodes()))
    spread = 3.0 / math.sqrt(graph.number_of_nodes())  # three times networkx's default node distance
    simple = nx.Graph(graph.to_undirected(as_view=True))
    positions = nx.spring_layout(simple, k=spread, seed=0, iterations=iterations)
    scale = SPACING * graph.number_of_nodes() ** 0.35
    return {str(n): (float(x) * scale, float(y) * scale) for n, (x, y) in positions.items()}


CLAIM_CLASSES = frozenset({"Item", "Statement", "Finding", "Recommendation", "Claim"})
"""The classes of what is said; the other classes are the people, bodies, reports and policies it is about."""
LABELLED_AT_ONCE = 30
"""How many node labels the whole view shows; the others appear on zooming in."""
LABEL_ZOOMS = (1.0, 2.5, 5.0)
"""The zoom (relative to the view fitted to the window) at which a label becomes readable: for the
:data:`LABELLED_AT_ONCE` first nodes, for the other people, bodies, reports and policies, and for
the other claims. Edge labels show at once when there are at most that many edges, else at the last."""


def first_labels(graph: nx.MultiDiGraph, sizes: Mapping[str, float]) -> list[str]:
    """The nodes whose labels the whole view shows, in order: the entities of largest size, then claims.

    At most :data:`LABELLED_AT_ONCE`; ties by degree, then IRI order. The page drops those that would
    overlap one before.
    """
    claim = {str(n): str(c) in CLAIM_CLASSES for n, c in graph.nodes(data="class")}
    return sorted(claim, key=lambda n: (claim[n], -sizes.get(n, 0.0), -graph.degree(n), n))[:LABELLED_AT_ONCE]


def label_zoom(data: Mapping[str, Any]) -> float:
    """The zoom at which the label of a node not among the first labels shows (see :data:`LABEL_ZOOMS`)."""
    return LABEL_ZOOMS[2 if str(data["class"]) in CLAIM_CLASSES else 1]


def clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def node_title(iri: str, data: Mapping[str, Any], read_from: Mapping[str, Any] | None = None) -> str:
    """The tooltip of a node: its class, label and IRI; for a claim, ``read_from`` (the data of an
    edge from it read from a text) adds the quote (when the label is not that quote) and its document."""
    label = clip(str(data["label"]), 300)
    lines = [f"{data['class']}: {label}"]
    if read_from is not None:
        quote = str(read_from["quote"])
        if " ".join(quote.split()) != " ".join(str(data["label"]).split()):
            lines.append(f"“{clip(quote, 400)}”")
        lines.append(f"{read_from['document']} [{read_from['start']}:{read_from['end']}]")
    return "\n".join([*lines, iri])


def edge_title(source: str, target: str, data: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """The tooltip of an edge: the relation between its ends and, for a fact, its quote and source."""
    lines = [f"{clip(labels[source], 80)} — {data['relation']} → {clip(labels[target], 80)}"]
    if data.get("quote"):
        lines.append(f"“{clip(str(data['quote']), 400)}”")
        lines.append(f"{data['document']} [{data['start']}:{data['end']}]")
    return "\n".join(lines)


def vis_network(
    graph: nx.MultiDiGraph,
    *,
    sizes: Mapping[str, float],
    positions: Mapping[str, tuple[float, float]] | None,
) -> Network:
    """The pyvis network of ``graph``: nodes styled by class and sized by ``sizes``, edges by relation.

    With ``positions`` nodes are placed there and physics is off; without, physics runs.
    """
    from pyvis.network import Network  # imported when drawing: it pulls in IPython

    net = Network(directed=True)
    labels = {str(n): str(label) for n, label in graph.nodes(data="label")}
    read_from = {source: data for source, _, data in graph.edges(data=True)
                 if data.get("quote") and str(graph.nodes[source]["class"]) in CLAIM_CLASSES}
    for node, data in graph.nodes(data=True):
        style = CLASS_STYLES.get(str(data["class"]), CLASS_STYLES["Claim"])
        place = {"x": positions[node][0], "y": positions[node][1], "physics": False} if positions else {}
        net.add_node(
            node, label=clip(labels[node], 40), shape=style.shape, color=style.colour,
            title=node_title(node, data, read_from.get(node)), value=sizes.get(node, 0.0), cls=str(data["class"]),
            **place,
        )
    for source, target, key, data in graph.edges(keys=True, data=True):
        net.add_edge(
            source, target, id=key, label=str(data["relation"]),
            title=edge_title(source, target, data, labels), arrows="to",
        )
    return net


def _asset(name: str) -> str:
    """A vis-network file shipped inside the pyvis package."""
    import pyvis

    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{vis_css}</style>
<style>
html, body {{ margin: 0; height: 100%; font: 14px system-ui, sans-serif; color: #222; }}
body {{ display: flex; flex-direction: column; }}
header {{ padding: 6px 10px; border-bottom: 1px solid #ddd; background: #fafafa; }}
header h1 {{ font-size: 16px; margin: 0 0 4px; }}
#summary {{ margin: 0 0 4px; }}
#controls {{ display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }}
#controls label {{ white-space: nowrap; }}
.swatch {{ display: inline-block; width: 10px; height: 10px; margin-right: 3px; border-radius: 2px; }}
#network {{ flex: 1; min-height: 300px; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 42em; font: 13px system-ui, sans-serif; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p id="summary">{summary}</p>
<div id="controls">
<input id="search" type="search" placeholder="Find a node by name" list="names" aria-label="Find a node">
<datalist id="names"></datalist>
<span id="classes"></span>
</div>
</header>
<div id="network"></div>
<script>{vis_js}</script>
<script>
"use strict";
const config = {config};
const container = document.getElementById("network");
// the layout is round: stretched to a wide window, it keeps its shape and gives the labels room
const stretch = Math.min(2, Math.max(1, container.clientWidth / Math.max(1, container.clientHeight)));
for (const n of config.nodes) if (n.x !== undefined) n.x *= stretch;
const nodes = new vis.DataSet(config.nodes);
const edges = new vis.DataSet(config.edges);
const network = new vis.Network(container, {{nodes: nodes, edges: edges}}, config.options);
window.vizReady = false;
function afterDrawing(then) {{
  network.once("afterDrawing", then);
  network.redraw();
}}
function sizeLabels() {{
  // a label of zoom z is labelPixels high once the view is z times the fitted one
  const scale = network.getScale();
  const font = (pixels, zoom) => {{
    const size = pixels / (scale * zoom);
    return {{size: size, strokeWidth: size / 4}};
  }};
  nodes.update(config.nodes.map(n => ({{id: n.id, font: font(config.labelPixels.node, n.labelZoom)}})));
  edges.update(config.edges.map(e => ({{id: e.id, font: font(config.labelPixels.edge, e.labelZoom)}})));
  afterDrawing(() => {{
    // first labels, in order: one whose box (node and label) overlaps a kept one waits for the next zoom
    const kept = [];
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const later = config.firstLabels.filter(id => {{
      const box = network.getBoundingBox(id);
      if (kept.some(other => overlaps(box, other))) return true;
      kept.push(box);
      return false;
    }});
    const zoom = config.labelZooms[1];
    nodes.update(later.map(id => ({{id: id, labelZoom: zoom, font: font(config.labelPixels.node, zoom)}})));
    // fitted again so that the labels at the edges are inside the window too
    afterDrawing(() => {{
      network.fit({{animation: false}});
      afterDrawing(() => {{ window.vizReady = true; }});
    }});
  }});
}}
network.once("afterDrawing", () => {{ if (!config.physics) sizeLabels(); }});
network.on("stabilizationIterationsDone", () => {{
  network.setOptions({{physics: false}});
  network.fit();
  sizeLabels();
}});
if (config.physics && config.nodes.length === 0) window.vizReady = true;
if (config.focus !== null) network.selectNodes([config.focus]);
const hidden = new Set();
function applyClasses() {{
  nodes.update(config.nodes.map(n => ({{id: n.id, hidden: hidden.has(n.cls)}})));
}}
const classes = document.getElementById("classes");
for (const [name, colour] of config.classes) {{
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox"; box.checked = true; box.value = name;
  box.addEventListener("change", () => {{ box.checked ? hidden.delete(name) : hidden.add(name); applyClasses(); }});
  const swatch = document.createElement("span");
  swatch.className = "swatch"; swatch.style.background = colour;
  label.append(box, swatch, name);
  classes.append(label);
}}
const names = document.getElementById("names");
for (const n of config.nodes) {{ const o = document.createElement("option"); o.value = n.fullLabel; names.append(o); }}
document.getElementById("search").addEventListener("change", event => {{
  const wanted = event.target.value.trim().toLowerCase();
  const found = config.nodes.find(n => n.fullLabel.toLowerCase() === wanted)
    || config.nodes.find(n => wanted && n.fullLabel.toLowerCase().includes(wanted));
  if (found) {{ network.selectNodes([found.id]); network.focus(found.id, {{scale: 1.2, animation: false}}); }}
}});
network.on("click", params => {{
  if (config.linkBase === null || params.nodes.length !== 1) return;
  window.open(config.linkBase + "/resource?iri=" + encodeURIComponent(params.nodes[0]), "_top");
}});
</script>
</body>
</html>
"""


@dataclass(frozen=True)
class LabelPixels:
    """On-screen label heights. A label is sized before the view is fitted again to take the labels
    in, so it may come out a little smaller."""

    node: float = 13
    """A node label at its zoom."""
    edge: float = 10
    """An edge label at its zoom."""
    drawn_from: float = 7
    """Smaller labels are not drawn."""
    at_most: float = 18
    """Larger labels are drawn this high (zooming further in enlarges the picture, not the text)."""


LABEL_PIXELS = LabelPixels()


def _options(physics: bool) -> dict[str, Any]:
    # the page sets each label's font size from the fitted scale and its labelZoom (sizeLabels)
    label = {"enabled": False, "drawThreshold": LABEL_PIXELS.drawn_from, "maxVisible": LABEL_PIXELS.at_most}
    edges = {"smooth": False, "color": {"opacity": 0.6}, "scaling": {"label": label},
             "font": {"strokeColor": "#ffffff", "color": "#555555"}}
    nodes = {"scaling": {"min": 6, "max": 30, "label": label}, "font": {"strokeColor": "#ffffff"}}
    if physics:
        solver = {"solver": "forceAtlas2Based", "stabilization": {"iterations": 150, "updateInterval": 50}}
        return {"nodes": nodes, "edges": edges, "physics": {"enabled": True, **solver},
                "interaction": {"hover": True, "tooltipDelay": 150}}
    return {"nodes": nodes, "edges": edges, "physics": {"enabled": False},
            "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True}}


def network_page(
    reduction: Reduction,
    *,
    title: str = "adcs-kg network",
    sizes: Mapping[str, float] | None = None,
    physics: bool = False,
    link_base: str | None = None,
) -> str:
    """A self-contained HTML page drawing ``reduction.graph`` (nothing is loaded from elsewhere).

    ``sizes`` scales the nodes (default: degree); ``link_base`` is the URL of an adcs-kg server
    whose resource pages a click opens ("" for the server the page is served from; None: no links).
    """
    graph = reduction.graph
    weights = dict(sizes) if sizes is not None else {str(n): float(d) for n, d in graph.degree}
    net = vis_network(graph, sizes=weights, positions=None if physics else layout(graph))
    node_data, edge_data, *_ = net.get_network_data()
    firsts = first_labels(graph, weights)
    for node in node_data:
        node["fullLabel"] = str(graph.nodes[node["id"]]["label"])
        node["labelZoom"] = LABEL_ZOOMS[0] if node["id"] in firsts else label_zoom(graph.nodes[node["id"]])
    edge_zoom = LABEL_ZOOMS[0] if len(edge_data) <= LABELLED_AT_ONCE else LABEL_ZOOMS[-1]
    for edge in edge_data:
        edge["labelZoom"] = edge_zoom
    present = sorted({str(c) for _, c in graph.nodes(data="class")})
    config = {
        "nodes": node_data, "edges": edge_data, "options": _options(physics), "physics": physics,
        "classes": [[c, CLASS_STYLES.get(c, CLASS_STYLES["Claim"]).colour] for c in present],
        "linkBase": None if link_base is None else link_base.rstrip("/"), "focus": reduction.focus,
        "labelPixels": {"node": LABEL_PIXELS.node, "edge": LABEL_PIXELS.edge}, "firstLabels": firsts,
        "labelZooms": LABEL_ZOOMS,
    }
    return PAGE.format(
        title=html.escape(title), summary=html.escape(reduction.summary), vis_css=_asset("vis-network.css"),
        vis_js=_asset("vis-network.min.js"), config=_script_json(config),
    )


def neighbourhood_html(store: Store, iri: str, *, hops: int = 1, link_base: str | None = "") -> str:
    """A page (for an iframe) drawing the resource ``iri`` and its network neighbours within ``hops``.

    A click opens a node's page on the server at ``link_base`` (default: the one serving this page;
    the endpoint's ``neighbourhood`` hook). A resource outside the network gets a page saying so.
    """
    graph = load_network(store)
    if iri not in graph:
        empty = Reduction(nx.MultiDiGraph(), graph.number_of_nodes(), graph.number_of_edges(),
                          (f"{iri} has no edges in the network.",))
        return network_page(empty, title="Neighbourhood", link_base=link_base)
    reduction = reduce_network(graph, max_nodes=LIVE_PHYSICS_CAP, focus=iri, hops=hops)
    label = str(graph.nodes[iri]["label"])
    return network_page(reduction, title=f"Neighbourhood of {clip(label, 80)}", link_base=link_base)


# -- charts ---------------------------------------------------------------------------------------


class ChartFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    HTML = "html"


def chart_format(path: Path) -> ChartFormat:
    """The chart format a file name asks for."""
    suffix = path.suffix.lower().lstrip(".")
    try:
        return ChartFormat(suffix)
    except ValueError as exc:
        raise QueryParameterError(f"cannot draw a chart as {path.name}: use .svg, .png or .html") from exc


def document_link(file_name: str, link_base: str | None) -> str:
    """Where a mark drawn from ``file_name`` links: its page on the server, else its IRI."""
    iri = str(resource("doc", document_id(Path(file_name))))
    return iri if link_base is None else f"{link_base.rstrip('/')}/resource?{urlencode({'iri': iri})}"


@dataclass(frozen=True)
class Term:
    """One officer holding placed on the timeline."""

    person: str
    post: str
    start: date
    end: date
    inferred: bool
    document: str


def officer_terms(result: Answer) -> tuple[list[Term], list[str]]:
    """The dated holdings of an ``officers`` result, and a note for each undated one left out.

    A holding known only by its start (or end) is drawn as one day.
    """
    columns, table = rows(result)
    terms: list[Term] = []
    undated: list[str] = []
    for values in table:
        row = dict(zip(columns, values, strict=True))
        if not row["start"] and not row["end"]:
            undated.append(f"{row['person']} ({row['post']}, no dates)")
            continue
        start = date.fromisoformat(row["start"] or row["end"])
        end = date.fromisoformat(row["end"] or row["start"])
        terms.append(Term(row["person"], row["post"], start, end, row["inferred"] == "true", row["document"]))
    return terms, undated


def _figure(rows_: int) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(11, max(2.5, 0.5 * rows_ + 1.5)), layout="constrained")


MIN_BAR = timedelta(days=5)
"""The shortest bar drawn: a holding stated on one day is still visible."""


def within_longer(term: Term, terms: Sequence[Term]) -> bool:
    """Whether another holding of the same person and post covers ``term`` and is longer."""
    return any(
        other.person == term.person and other.post == term.post and other.start <= term.start
        and term.end <= other.end and (other.start, other.end) != (term.start, term.end)
        for other in terms
    )


STATED, INFERRED, EDGE, ON_A_DAY = "#4e79a7", "#a0cbe8", "#4e79a7", "#1f3b5c"
"""Timeline colours: stated and inferred holdings, inferred bars' edges, holdings stated within a longer one."""


def association_year(day: date) -> int:
    """The calendar year in which the ADCS year (1 April to 31 March) holding ``day`` begins."""
    return day.year if day >= date(day.year, 4, 1) else day.year - 1


def year_axis(axes: Any, first: date, last: date) -> None:
    """An x axis of ADCS years from the one holding ``first`` to the one holding ``last``: a grid
    line on each 1 April and the year ("2020/21") written in the middle of it."""
    years = range(association_year(first), association_year(last) + 1)
    axes.set_xlim(date(years[0], 4, 1), date(years[-1] + 1, 4, 1))
    axes.set_xticks([date(year, 4, 1) for year in [*years, years[-1] + 1]], [])
    axes.set_xticks([date(year, 10, 1) for year in years], [f"{year}/{(year + 1) % 100:02d}" for year in years],
                    minor=True)
    axes.tick_params(axis="x", which="minor", length=0, labelsize=9)
    axes.grid(axis="x", which="major", color="#cccccc", zorder=0)


def officers_figure(terms: Sequence[Term], *, link_base: str | None = None, note: str = "") -> Any:
    """A timeline of officer holdings by ADCS year: one row per post, a bar per holding labelled with
    the holder; stated holdings solid, inferred ones pale, hatched and dashed; a holding stated within
    a longer one of the same person (a date inside the year) is a dark unlabelled tick. Each bar
    links to its document."""
    from matplotlib.patches import Patch

    posts = sorted({t.post for t in terms})
    figure = _figure(len(posts))
    axes = figure.add_subplot()
    for term in terms:
        row = posts.index(term.post)
        width = max(term.end + timedelta(days=1) - term.start, MIN_BAR)
        url = document_link(term.document, link_base) if term.document else None
        if within_longer(term, terms):
            bars = axes.barh(row, width, left=term.start, height=0.6, color=ON_A_DAY, zorder=3)
        else:
            bars = axes.barh(
                row, width, left=term.start, height=0.6, color=INFERRED if term.inferred else STATED,
                hatch="//" if term.inferred else None, edgecolor=EDGE if term.inferred else "white",
                linestyle="--" if term.inferred else "-", linewidth=1 if term.inferred else 2, zorder=2,
            )
            name = axes.annotate(term.person, (term.start + width / 2, row), ha="center", va="center", fontsize=8,
                                 backgroundcolor="#ffffffc0", zorder=4)
            for drawn in (name, name.get_bbox_patch()):  # the name and its box lie over the bar: link them too
                drawn.set_url(url)
        bars[0].set_url(url)
    axes.set_yticks(range(len(posts)), posts, fontsize=8)
    if terms:
        year_axis(axes, min(t.start for t in terms), max(t.end for t in terms))
    axes.invert_yaxis()
    axes.set_title("ADCS officers by year (1 April to 31 March)" + (f"\n{note}" if note else ""), fontsize=10)
    axes.legend(handles=[Patch(facecolor=STATED, label="stated"),
                         Patch(facecolor=INFERRED, hatch="//", edgecolor=EDGE, linestyle="--", label="inferred"),
                         Patch(facecolor=ON_A_DAY, label="stated on a date within")],
                loc="upper center", bbox_to_anchor=(0.5, -0.06), ncols=3, fontsize=8, frameon=False)
    return figure


@dataclass(frozen=True)
class Reading:
    """One finding on a measure: where, when and how much."""

    source: str
    period: str
    low: float
    high: float
    unit: str
    direction: str
    document: str


_VALUE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)(?:\s*-\s*(-?\d+(?:\.\d+)?))?\s*$")


def measure_readings(result: Answer) -> list[Reading]:
    """The findings of a ``measure_over_time`` result ("min-max" values become ranges)."""
    columns, table = rows(result)
    readings = []
    for values in table:
        row = dict(zip(columns, values, strict=True))
        match = _VALUE.match(row["value"])
        if match is None:
            continue
        low, high = float(match[1]), float(match[2] or match[1])
        readings.append(Reading(row["source"] or "unknown source", row["period"] or "undated",
                                low, high, row["unit"], row["direction"], row["document"]))
    return readings


def findings_per_measure(result: Answer) -> Counter[str]:
    """How many findings each measure name has, in a ``findings`` result."""
    columns, table = rows(result)
    at = columns.index("measure")
    return Counter(row[at] for row in table)


def _stems(text: str) -> set[str]:
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in re.findall(r"\w+", text.casefold())}


def close_measures(name: str, counts: Mapping[str, int], *, limit: int = 5) -> list[str]:
    """Measure names like ``name``: those having all its words (plurals aside), or spelt nearly alike.

    Closest first, then those with more findings; at most ``limit``.
    """
    wanted, words = name.casefold().strip(), _stems(name)

    def likeness(candidate: str) -> tuple[bool, float, int]:
        spelt = SequenceMatcher(None, wanted, candidate.casefold()).ratio()
        return (bool(words) and words <= _stems(candidate), spelt, counts[candidate])

    scored = {candidate: likeness(candidate) for candidate in counts}
    close = [c for c, (has_words, spelt, _) in scored.items() if has_words or spelt >= 0.6]
    return sorted(close, key=lambda c: (not scored[c][0], -scored[c][1], -scored[c][2], c))[:limit]


def no_such_measure(name: str, counts: Mapping[str, int]) -> QueryParameterError:
    """The error for a measure name without findings, naming close measures and their findings."""
    close = close_measures(name, counts)
    hint = "; ".join(f"{c!r} ({counts[c]} finding{'s' * (counts[c] != 1)})" for c in close)
    return QueryParameterError(
        f"no findings on a measure named {name!r}" + (f". Close names: {hint}" if hint else "")
        + ". `adcs-kg query findings` lists every measure."
    )


DIRECTION_MARKERS = {"Increase": "^", "Decrease": "v"}
"""Point markers by the finding's direction (a circle otherwise)."""
UNIT_FORMATS = {"GBP": "£{}", "Percent": "{}%", "PercentagePoint": "{} pp"}
"""How a value of a unit is written (the bare number for the others; the panel says the unit)."""


def format_value(value: float, unit: str) -> str:
    """A value as a reader writes it: three significant figures, thousands as k, m, bn ("£3.1bn")."""
    number = f"{value:.3g}"
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            number = f"{value / size:.3g}{suffix}"
            break
    return UNIT_FORMATS.get(unit, "{}").format(number)


def measure_figure(measure: str, readings: Sequence[Reading], *, link_base: str | None = None) -> Any:
    """Each reading as a point (a range as a vertical bar) by period, labelled with its value, one
    panel per unit, one colour per source, readings of one period side by side; each point links to
    its document."""
    from matplotlib.ticker import FuncFormatter

    units = sorted({r.unit for r in readings})
    figure = _figure(4 * len(units))
    sources = sorted({r.source for r in readings})
    colours = {s: f"C{i % 10}" for i, s in enumerate(sources)}
    for index, unit in enumerate(units, start=1):
        axes = figure.add_subplot(len(units), 1, index)
        chosen = [r for r in readings if r.unit == unit]
        periods = list(dict.fromkeys(r.period for r in chosen))
        placed: dict[str, int] = {}
        for reading in chosen:
            beside = placed[reading.period] = placed.get(reading.period, -1) + 1
            together = sum(r.period == reading.period for r in chosen)
            x = periods.index(reading.period) + 0.12 * (beside - (together - 1) / 2)
            axes.vlines(x, reading.low, reading.high, color=colours[reading.source], linewidth=3)
            marker = DIRECTION_MARKERS.get(reading.direction, "o")
            mark = axes.scatter([x], [reading.high], color=colours[reading.source], zorder=3,
                                label=reading.source, marker=marker)
            mark.set_urls([document_link(reading.document, link_base)])
            written = format_value(reading.high, unit)
            if reading.low != reading.high:
                written = f"{format_value(reading.low, unit)} to {written}"
            axes.annotate(written, (x, reading.high), xytext=(6, 2), textcoords="offset points", fontsize=7)
        axes.set_xticks(range(len(periods)), periods, fontsize=8, rotation=30)
        axes.set_xlim(-0.5, len(periods) - 0.5)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _, unit=unit: format_value(y, unit)))
        if chosen and min(r.low for r in chosen) >= 0:
            axes.set_ylim(bottom=0, top=max(r.high for r in chosen) * 1.15 or 1)
        axes.set_ylabel(unit, fontsize=9)
        handles, labels = axes.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        if unique:
            axes.legend(unique.values(), unique.keys(), fontsize=7, loc="best")
    figure.suptitle(f"{measure} across reports and periods" + ("" if readings else " (no findings)")
                    + "\n▲ increase   ▼ decrease   ● level or not stated", fontsize=10)
    return figure


def render_chart(figure: Any, chart: ChartFormat, title: str) -> bytes:
    """The figure as SVG or PNG bytes, or as its SVG in a small self-contained HTML page."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png" if chart is ChartFormat.PNG else "svg", dpi=120)
    if chart is not ChartFormat.HTML:
        return buffer.getvalue()
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            "<style>body{margin:0;font:14px system-ui,sans-serif}svg{max-width:100%;height:auto}</style>"
            f"</head><body>{svg}</body></html>\n")
    return page.encode("utf-8")


@dataclass(frozen=True)
class Chart:
    """A chart drawn from the store, and one line saying what it shows and what it left out."""

    data: bytes
    summary: str


def officers_chart(store: Store, chart: ChartFormat, *, link_base: str | None = None) -> Chart:
    """The timeline of ADCS officers (named query ``officers``); undated holdings are listed in the title."""
    terms, undated = officer_terms(run_named(store, named_query("officers"), {}))
    note = f"Left out {len(undated)} undated holding(s): {'; '.join(undated)}" if undated else ""
    figure = officers_figure(terms, link_base=link_base, note=clip(note, 150))
    return Chart(render_chart(figure, chart, "ADCS officers"), f"{len(terms)} holding(s) drawn. {note}".rstrip())


def measure_chart(store: Store, name: str, chart: ChartFormat, *, link_base: str | None = None) -> Chart:
    """The findings on the measure ``name`` (named query ``measure_over_time``).

    :class:`QueryParameterError` naming close measures when it has none.
    """
    readings = measure_readings(run_named(store, named_query("measure_over_time"), {"measure": name}))
    if not readings:
        raise no_such_measure(name, findings_per_measure(run_named(store, named_query("findings"), {})))
    figure = measure_figure(name, readings, link_base=link_base)
    return Chart(render_chart(figure, chart, name), f"{len(readings)} finding(s) drawn.")
