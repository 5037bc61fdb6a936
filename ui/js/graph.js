// The impact graph drawn with Cytoscape.js (the product's own copy, /static/cytoscape/):
// upstream (what fails with the selected CI) above it, downstream (what it needs) below it,
// each row a depth. The layout is computed here in one pass (no force simulation), so a
// thousand nodes lay out at once; past LARGE nodes the level-of-detail rules apply.
import cytoscape from "/static/cytoscape/cytoscape.esm.min.js";

export const LARGE = 300;
const SPACING_X = 150;
const SPACING_Y = 110;

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 11,
      "text-wrap": "ellipsis",
      "text-max-width": 130,
      "text-valign": "bottom",
      "text-margin-y": 4,
      "background-color": "#6c8ebf",
      width: 26,
      height: 26,
    },
  },
  { selector: "node[side = 'down']", style: { "background-color": "#9aa5b1", shape: "round-rectangle" } },
  { selector: "node[state = 'DEGRADED']", style: { "background-color": "#f0a020" } },
  { selector: "node[state = 'DOWN']", style: { "background-color": "#d03030" } },
  {
    selector: "node[side = 'root']",
    style: { "background-color": "#4b2a85", width: 36, height: 36, "font-weight": "bold" },
  },
  { selector: "node.failed", style: { "border-width": 4, "border-color": "#111" } },
  { selector: "node.group", style: { shape: "hexagon", width: 40, height: 40 } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "line-color": "#c5ccd4",
      "target-arrow-color": "#c5ccd4",
      "target-arrow-shape": "triangle",
      "curve-style": "straight",
      "arrow-scale": 0.8,
    },
  },
  { selector: ".faded", style: { opacity: 0.18 } },
  {
    selector: "node.on-path",
    style: { "border-width": 3, "border-color": "#1f6feb", opacity: 1 },
  },
  {
    selector: "edge.on-path",
    style: { width: 4, "line-color": "#1f6feb", "target-arrow-color": "#1f6feb", opacity: 1 },
  },
];

/** Positions: rows by signed depth (upstream negative), nodes of a row side by side. */
function positions(nodes) {
  const rows = new Map();
  for (const node of nodes) {
    const row = node.side === "up" ? -node.depth : node.side === "down" ? node.depth : 0;
    if (!rows.has(row)) rows.set(row, []);
    rows.get(row).push(node);
  }
  const placed = new Map();
  for (const [row, members] of rows) {
    members.sort((a, b) => a.label.localeCompare(b.label));
    members.forEach((node, i) => {
      placed.set(node.id, { x: (i - (members.length - 1) / 2) * SPACING_X, y: row * SPACING_Y });
    });
  }
  return placed;
}

/**
 * Draws `model` ({nodes: [{id, label, side, depth, state, className}], edges: [{id, source,
 * target, type}]}) into `container`. `onHover(id | null)` hears the node under the pointer.
 */
export function drawGraph(container, model, { onHover = () => {}, onTap = () => {} } = {}) {
  const large = model.nodes.length > LARGE;
  const placed = positions(model.nodes);
  const cy = cytoscape({
    container,
    // Level of detail for large graphs: labels go when zoomed out too far to read them.
    style: large ? [...STYLE, { selector: "node", style: { "min-zoomed-font-size": 9 } }] : STYLE,
    elements: [
      ...model.nodes.map((n) => ({
        group: "nodes",
        data: { id: n.id, label: n.label, side: n.side, state: n.state ?? "", className: n.className },
        position: placed.get(n.id),
        classes: n.group ? "group" : "",
      })),
      ...model.edges.map((e) => ({ group: "edges", data: e })),
    ],
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.05,
    maxZoom: 3,
    // And while panning or zooming, edges are hidden and the
    // nodes drawn from a texture, so a thousand nodes move smoothly.
    hideEdgesOnViewport: large,
    textureOnViewport: large,
    motionBlur: !large,
    pixelRatio: large ? 1 : "auto",
  });
  cy.on("mouseover", "node", (event) => onHover(event.target.id()));
  cy.on("mouseout", "node", () => onHover(null));
  cy.on("tap", "node", (event) => onTap(event.target.id()));
  return cy;
}

/** Highlights the CIs of `path` (ids, each depending on the one before) and their edges. */
export function highlightPath(cy, path) {
  cy.batch(() => {
    cy.elements().removeClass("on-path faded");
    if (!path?.length) return;
    cy.elements().addClass("faded");
    path.forEach((id, i) => {
      cy.getElementById(id).addClass("on-path");
      if (i > 0) cy.getElementById(edgeId(id, path[i - 1])).addClass("on-path");
    });
  });
}

export function markFailed(cy, failedIds) {
  cy.batch(() => {
    cy.nodes().forEach((node) => node.toggleClass("failed", failedIds.has(node.id())));
  });
}

/** The id of the edge from a dependent to what it depends on. */
export function edgeId(dependent, dependency) {
  return `${dependent}>${dependency}`;
}
