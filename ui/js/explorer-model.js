// From the ImpactExplorer answer to the graph's nodes and edges, and the collapsed form of a
// large graph (one node per side and class). Pure functions: no DOM, no request.
import { edgeId } from "./graph.js";

const WORST = { DOWN: 2, DEGRADED: 1, OPERATIONAL: 0, "": -1 };

/**
 * The graph of one CI: `root` (the selected CI), the impacted CIs upstream (with state, reason,
 * explaining path) and the dependencies downstream, keeping downstream edges of `types` only.
 */
export function buildModel(data, root, types) {
  const nodes = new Map();
  const edges = new Map();
  const addEdge = (source, target, type = null) => {
    const id = edgeId(source, target);
    if (!edges.has(id) || type) edges.set(id, { id, source, target, type });
  };
  nodes.set(root.id, { id: root.id, label: root.name, side: "root", depth: 0, className: root.class, ci: root });
  for (const { node } of data.impact.impacted.edges) {
    if (!node.ci || nodes.has(node.ci.id)) continue;
    nodes.set(node.ci.id, {
      id: node.ci.id,
      label: node.ci.name,
      side: "up",
      depth: node.depth,
      state: node.state,
      reason: node.reason,
      path: node.path.map((ci) => ci.id),
      className: node.ci.class,
      ci: node.ci,
    });
    for (const cause of node.causes) addEdge(node.ci.id, cause.id);
    node.path.forEach((ci, i) => i > 0 && addEdge(ci.id, node.path[i - 1].id));
  }
  const map = data.dependencies;
  if (map) {
    const reached = new Set([root.id]);
    for (const edge of map.edges) {
      if (types.has(edge.type)) reached.add(edge.to);
    }
    for (const { depth, ci } of map.nodes) {
      if (!ci || nodes.has(ci.id) || !reached.has(ci.id)) continue;
      nodes.set(ci.id, { id: ci.id, label: ci.name, side: "down", depth, className: ci.class, ci });
    }
    for (const edge of map.edges) {
      if (types.has(edge.type)) addEdge(edge.from, edge.to, edge.type);
    }
  }
  const known = [...edges.values()].filter((e) => nodes.has(e.source) && nodes.has(e.target));
  return { nodes: [...nodes.values()], edges: known };
}

/** The model with the CIs of each side and class as one node (the root stays itself). */
export function collapseByClass(model) {
  const groupOf = new Map();
  const groups = new Map();
  for (const node of model.nodes) {
    if (node.side === "root") {
      groups.set(node.id, node);
      groupOf.set(node.id, node.id);
      continue;
    }
    const id = `group:${node.side}:${node.className}`;
    groupOf.set(node.id, id);
    const group = groups.get(id) ?? {
      id,
      side: node.side,
      depth: node.depth,
      className: node.className,
      group: true,
      members: [],
      state: "",
    };
    group.members.push(node);
    group.depth = Math.min(group.depth, node.depth);
    if (WORST[node.state ?? ""] > WORST[group.state]) group.state = node.state;
    groups.set(id, group);
  }
  for (const group of groups.values()) {
    if (group.group) group.label = `${group.members.length} × ${group.className}`;
  }
  const edges = new Map();
  for (const edge of model.edges) {
    const source = groupOf.get(edge.source);
    const target = groupOf.get(edge.target);
    if (source === target) continue;
    const id = edgeId(source, target);
    edges.set(id, { id, source, target, type: edge.type });
  }
  return { nodes: [...groups.values()], edges: [...edges.values()] };
}

/** Services by criticality (1 first), then DOWN before DEGRADED, then name. */
export function byCriticality(a, b) {
  const critical = (a.criticality ?? 9) - (b.criticality ?? 9);
  if (critical) return critical;
  const state = WORST[b.state ?? ""] - WORST[a.state ?? ""];
  return state || a.name.localeCompare(b.name);
}
