// The network page (graph/viz/page.py): draws the nodes and edges of its JSON config with vis-network,
// sizes and places labels, and wires the class filter, the search box and clicks.
"use strict";
const config = JSON.parse(document.getElementById("network-config").textContent);
const container = document.getElementById("network");
// the layout is round: stretched to a wide window, it keeps its shape and gives the labels room
const stretch = Math.min(2, Math.max(1, container.clientWidth / Math.max(1, container.clientHeight)));
for (const n of config.nodes) if (n.x !== undefined) n.x *= stretch;
const nodes = new vis.DataSet(config.nodes);
const edges = new vis.DataSet(config.edges);
const network = new vis.Network(container, {nodes: nodes, edges: edges}, config.options);
window.vizReady = false;
function afterDrawing(then) {
  network.once("afterDrawing", then);
  network.redraw();
}
function sizeLabels() {
  // a label of zoom z is labelPixels high once the view is z times the fitted one
  const scale = network.getScale();
  const font = (pixels, zoom) => {
    const size = pixels / (scale * zoom);
    return {size: size, strokeWidth: size / 4};
  };
  nodes.update(config.nodes.map(n => ({id: n.id, font: font(config.labelPixels.node, n.labelZoom)})));
  edges.update(config.edges.map(e => ({id: e.id, font: font(config.labelPixels.edge, e.labelZoom)})));
  afterDrawing(() => {
    // first labels, in order: one whose box (node and label) overlaps a kept one waits for the next zoom
    const kept = [];
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const later = config.firstLabels.filter(id => {
      const box = network.getBoundingBox(id);
      if (kept.some(other => overlaps(box, other))) return true;
      kept.push(box);
      return false;
    });
    const zoom = config.labelZooms[1];
    nodes.update(later.map(id => ({id: id, labelZoom: zoom, font: font(config.labelPixels.node, zoom)})));
    // fitted again so that the labels at the edges are inside the window too
    afterDrawing(() => {
      network.fit({animation: false});
      afterDrawing(() => { window.vizReady = true; });
    });
  });
}
network.once("afterDrawing", () => { if (!config.physics) sizeLabels(); });
network.on("stabilizationIterationsDone", () => {
  network.setOptions({physics: false});
  network.fit();
  sizeLabels();
});
if (config.physics && config.nodes.length === 0) window.vizReady = true;
if (config.focus !== null) network.selectNodes([config.focus]);
const hidden = new Set();
function applyClasses() {
  nodes.update(config.nodes.map(n => ({id: n.id, hidden: hidden.has(n.cls)})));
}
const classes = document.getElementById("classes");
for (const [name, colour] of config.classes) {
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox"; box.checked = true; box.value = name;
  box.addEventListener("change", () => { box.checked ? hidden.delete(name) : hidden.add(name); applyClasses(); });
  const swatch = document.createElement("span");
  swatch.className = "swatch"; swatch.style.background = colour;
  label.append(box, swatch, name);
  classes.append(label);
}
const names = document.getElementById("names");
for (const n of config.nodes) { const o = document.createElement("option"); o.value = n.fullLabel; names.append(o); }
document.getElementById("search").addEventListener("change", event => {
  const wanted = event.target.value.trim().toLowerCase();
  const found = config.nodes.find(n => n.fullLabel.toLowerCase() === wanted)
    || config.nodes.find(n => wanted && n.fullLabel.toLowerCase().includes(wanted));
  if (found) { network.selectNodes([found.id]); network.focus(found.id, {scale: 1.2, animation: false}); }
});
network.on("click", params => {
  if (config.linkBase === null || params.nodes.length !== 1) return;
  window.open(config.linkBase + "/resource?iri=" + encodeURIComponent(params.nodes[0]), "_top");
});
