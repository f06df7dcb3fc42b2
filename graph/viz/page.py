"""The network drawn as one self-contained HTML page, for ``adcs-kg viz network`` and the endpoint.

The graph (reduced by :mod:`graph.viz.network`) is laid out with networkx here; pyvis builds the
vis-network nodes and edges; the page is the template ``network.html``, which inlines the
vis-network script and style pyvis ships and the page's own script and style (the static files
``network.js`` and ``network.css``), so it loads nothing from elsewhere. What it draws is a JSON
data block, so the scripts are the same on every page and its Content-Security-Policy
(:func:`page_policy`) allows them, and no other script, by their hashes. Positions are fixed
(physics off) unless live physics is asked for, which stabilises briefly and then stops. The whole
view labels the main people, bodies, reports and policies (those whose labels do not overlap); the
other labels appear on zooming in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import networkx as nx

from ..resources import DataDir, data_dir
from ..store import Store
from .network import CLASS_STYLES, Reduction, clip, load_network, reduce_network, simple_graph

if TYPE_CHECKING:
    from pyvis.network import Network

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
    positions = nx.spring_layout(simple_graph(graph), k=spread, seed=0, iterations=iterations)
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


@dataclass(frozen=True)
class Assets:
    """The scripts and styles the network page inlines."""

    vis_js: str
    vis_css: str
    page_js: str
    page_css: str


@cache
def _assets() -> Assets:
    """vis-network as shipped inside the pyvis package, and the page's own static files."""
    import pyvis

    vis = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    static = data_dir(DataDir.WEB) / "static"
    return Assets(*(path.read_text(encoding="utf-8") for path in (
        vis / "vis-network.min.js", vis / "vis-network.css", static / "network.js", static / "network.css")))


def _allowing(inline: str) -> str:
    """The Content-Security-Policy source that allows one inline script or style: its hash."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(inline.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def page_policy() -> str:
    """The Content-Security-Policy of the network page: nothing is fetched, and the only inline
    scripts and styles allowed are the page's own (by hash), so that no other script can run."""
    assets = _assets()
    return (f"default-src 'none'; script-src {_allowing(assets.vis_js)} {_allowing(assets.page_js)}; "
            f"style-src {_allowing(assets.vis_css)} {_allowing(assets.page_css)}; base-uri 'none'")


@cache
def _template() -> jinja2.Template:
    loader = jinja2.FileSystemLoader(data_dir(DataDir.WEB) / "templates")
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined).get_template(
        "network.html")


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element (no "<" at all: it is written as an escape)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


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
    return _template().render(title=title, summary=reduction.summary, assets=_assets(), policy=page_policy(),
                              config=_script_json(config))


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
