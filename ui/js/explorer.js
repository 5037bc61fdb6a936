// The impact explorer: find a CI as you type, see what fails with it (upstream, coloured by
// state) and what it needs (downstream), the explaining path of a CI on hover, the business
// services by criticality with what is open on them (live: explorer-live.js), and what-if
// outages of ticked CIs.
import { run } from "./api.js";
import { followServices } from "./explorer-live.js";
import { buildModel, byCriticality, collapseByClass } from "./explorer-model.js";
import { debounce, h, showError, stateBadge, clearErrors } from "./dom.js";
import { drawGraph, highlightPath, LARGE, markFailed } from "./graph.js";

const RELATION_TYPES = ["DEPENDS_ON", "RUNS_ON", "HOSTED_ON", "CONNECTED_THROUGH", "PROVIDED_BY"];
const MAX_DRAWN = 1000;
const SERVICE_CLASSES = new Set(["BUSINESS_SERVICE", "TECHNICAL_SERVICE"]);

export async function explorerPage(root, [ciId] = []) {
  const state = {
    selected: null,
    depth: 5,
    types: new Set(RELATION_TYPES),
    collapsed: null, // null: automatic (collapsed past LARGE nodes)
    failed: new Map(), // id -> name
    model: null,
    cy: null,
    request: 0,
    stopLive: () => {}, // ends the live updates of the impacted services listed
  };
  const search = h("input", {
    id: "ci-search",
    type: "search",
    placeholder: "Type part of a CI's name",
    autocomplete: "off",
    "aria-label": "Find a CI",
  });
  const results = h("ul", { id: "ci-results", class: "results" });
  const depthOutput = h("output", { id: "depth-value" }, state.depth);
  const depth = h("input", { id: "depth", type: "range", min: 1, max: 10, value: state.depth });
  const collapse = h("input", { id: "collapse", type: "checkbox" });
  const graph = h("div", { id: "graph", class: "graph" });
  const title = h("h2", { id: "selected-title" }, "Select a CI");
  const summary = h("p", { id: "impact-summary", class: "summary" });
  const pathInfo = h("p", { id: "path-info", class: "path", "aria-live": "polite" });
  const table = h("tbody", { id: "cis-in-view" });
  const services = h("ul", { id: "impact-services", class: "services" });
  const failedList = h("ul", { id: "failed-cis", class: "chips" });
  const whatIf = h("ul", { id: "whatif-services", class: "services" });

  const typeBoxes = RELATION_TYPES.map((type) =>
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", name: "relation-type", value: type, checked: true }),
      type,
    ),
  );

  root.append(
    h(
      "section",
      { class: "explorer" },
      h(
        "aside",
        { class: "controls" },
        h("label", {}, "Find a CI", search),
        results,
        h("label", {}, "Depth ", depth, " ", depthOutput),
        h("fieldset", { id: "relation-types" }, h("legend", {}, "Relationship types"), typeBoxes),
        h("label", { class: "check" }, collapse, "Collapse by class"),
        h("button", { id: "fit", type: "button", onclick: () => state.cy?.fit(undefined, 30) }, "Fit to screen"),
        h(
          "div",
          { class: "legend" },
          h("span", { class: "swatch root" }, "selected"),
          h("span", { class: "swatch DOWN" }, "DOWN"),
          h("span", { class: "swatch DEGRADED" }, "DEGRADED"),
          h("span", { class: "swatch down" }, "needed (downstream)"),
        ),
      ),
      h(
        "div",
        { class: "canvas" },
        title,
        summary,
        graph,
        pathInfo,
        h(
          "table",
          { class: "cis" },
          h(
            "thead",
            {},
            h("tr", {}, ...["CI", "class", "side", "depth", "state", "reason", "failed"].map((c) => h("th", {}, c))),
          ),
          table,
        ),
      ),
      h(
        "aside",
        { class: "side" },
        h("h2", {}, "Impacted services"),
        services,
        h("h2", {}, "What-if outage"),
        h("p", { class: "hint" }, "Tick CIs as failed to see every service's state."),
        failedList,
        whatIf,
      ),
    ),
  );

  // --- search as you type ---------------------------------------------------------------
  let searchSeq = 0;
  const find = debounce(async () => {
    const text = search.value.trim();
    const seq = ++searchSeq;
    if (!text) {
      results.replaceChildren();
      return;
    }
    try {
      const data = await run("SearchCIs", { text, first: 10 });
      if (seq !== searchSeq) return;
      results.replaceChildren(
        ...data.cis.edges.map(({ node }) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "result", onclick: () => select(node) },
              node.name,
              h("small", {}, ` ${node.class}`),
            ),
          ),
        ),
        data.cis.totalCount > data.cis.edges.length
          ? h("li", { class: "more" }, `${data.cis.totalCount - data.cis.edges.length} more: type more`)
          : null,
      );
      if (!data.cis.edges.length) results.append(h("li", { class: "more" }, "No CI matches."));
    } catch (error) {
      showError(error);
    }
  }, 150);
  search.addEventListener("input", find);

  depth.addEventListener("input", () => (depthOutput.value = depth.value));
  depth.addEventListener("change", () => {
    state.depth = Number(depth.value);
    load();
  });
  for (const box of root.querySelectorAll("input[name=relation-type]")) {
    box.addEventListener("change", () => {
      state.types = new Set(
        [...root.querySelectorAll("input[name=relation-type]:checked")].map((b) => b.value),
      );
      load();
    });
  }
  collapse.addEventListener("change", () => {
    state.collapsed = collapse.checked;
    draw();
  });

  // --- the selected CI's impact and dependencies -------------------------------------------
  function select(ci) {
    state.selected = ci;
    results.replaceChildren();
    search.value = ci.name;
    history.replaceState(null, "", `#/explorer/${encodeURIComponent(ci.id)}`);
    load();
  }

  async function load() {
    if (!state.selected) return;
    const seq = ++state.request;
    const all = state.types.size === RELATION_TYPES.length;
    const variables = {
      ciId: state.selected.id,
      maxDepth: state.depth,
      relationTypes: all ? null : [...state.types],
    };
    let data;
    try {
      data = await run("ImpactExplorer", variables);
    } catch (error) {
      showError(error);
      return;
    }
    // The nearest MAX_DRAWN impacted CIs, a page of 100 at a time.
    const impacted = data.impact.impacted;
    while (impacted.pageInfo.hasNextPage && impacted.edges.length < MAX_DRAWN) {
      if (seq !== state.request) return;
      let page;
      try {
        page = await run("ImpactPage", { ...variables, after: impacted.pageInfo.endCursor });
      } catch (error) {
        showError(error);
        break;
      }
      impacted.edges.push(...page.impact.impacted.edges);
      impacted.pageInfo = page.impact.impacted.pageInfo;
    }
    if (seq !== state.request) return;
    clearErrors();
    const [changed] = data.impact.changed;
    if (changed) {
      state.selected = { ...state.selected, ...changed };
      search.value = changed.name;
    }
    state.model = buildModel(data, state.selected, state.types);
    const { impact } = data;
    title.textContent = state.selected.name;
    summary.textContent =
      `${impact.count} CI${impact.count === 1 ? "" : "s"} impacted upstream` +
      `${impact.truncated ? " (more beyond this depth)" : ""}; ` +
      `${data.dependencies?.nodes.length ? data.dependencies.nodes.length - 1 : 0} needed downstream` +
      (impact.impacted.totalCount > impact.impacted.edges.length
        ? `; the ${impact.impacted.edges.length} nearest drawn`
        : "");
    draw();
    renderTable();
    renderImpactServices(impact.services.edges.map((e) => e.node));
  }

  function draw() {
    state.cy?.destroy();
    state.cy = null;
    if (!state.model) return;
    const collapsed = state.collapsed ?? state.model.nodes.length > LARGE;
    collapse.checked = collapsed;
    const model = collapsed ? collapseByClass(state.model) : state.model;
    const nodes = new Map(state.model.nodes.map((n) => [n.id, n]));
    state.cy = drawGraph(graph, model, {
      onHover: (id) => showPath(id ? nodes.get(id) : null),
      onTap: (id) => nodes.has(id) && toggleFailed(nodes.get(id).ci, !state.failed.has(id)),
    });
    markFailed(state.cy, state.failed);
  }

  function showPath(node) {
    if (!state.cy) return;
    if (!node || !node.path) {
      highlightPath(state.cy, null);
      pathInfo.replaceChildren();
      return;
    }
    highlightPath(state.cy, node.path);
    const names = new Map(state.model.nodes.map((n) => [n.id, n.label]));
    pathInfo.replaceChildren(
      h("strong", {}, `${node.label}: `),
      node.path.map((id) => names.get(id) ?? id).join(" → "),
      h("small", {}, ` — ${node.reason}`),
    );
  }

  function renderTable() {
    const rows = [...state.model.nodes].sort(
      (a, b) => side(a) - side(b) || a.depth - b.depth || a.label.localeCompare(b.label),
    );
    table.replaceChildren(
      ...rows.map((node) =>
        h(
          "tr",
          {
            dataset: { ciId: node.id },
            onmouseenter: () => showPath(node),
            onmouseleave: () => showPath(null),
          },
          h("td", {}, node.label),
          h("td", {}, node.className),
          h("td", {}, node.side === "up" ? "impacted" : node.side === "down" ? "needed" : "selected"),
          h("td", {}, node.depth),
          h("td", {}, node.state ? stateBadge(node.state) : ""),
          h("td", { class: "reason" }, node.reason ?? ""),
          h(
            "td",
            {},
            h("input", {
              type: "checkbox",
              class: "failed",
              "aria-label": `${node.label} failed`,
              checked: state.failed.has(node.id),
              onchange: (event) => toggleFailed(node.ci, event.target.checked),
            }),
          ),
        ),
      ),
    );
  }

  // --- services and what is open on them ---------------------------------------------------
  function serviceItem(entry, listId) {
    return h(
      "li",
      { class: "service", dataset: { ciId: entry.id, list: listId } },
      h("span", { class: "criticality", title: "criticality" }, entry.criticality ? `C${entry.criticality}` : "–"),
      h("span", { class: "name" }, entry.name),
      stateBadge(entry.state),
      h("small", { class: "reason" }, entry.reason),
      listId === "impact" ? h("div", { class: "now" }) : null,
      h("div", { class: "activity" }),
    );
  }

  async function renderImpactServices(found) {
    const entries = found
      .filter((s) => s.ci)
      .map((s) => ({ ...s.ci, state: s.state, reason: s.reason }))
      .sort(byCriticality);
    services.replaceChildren(
      ...(entries.length ? entries.map((e) => serviceItem(e, "impact")) : [h("li", { class: "hint" }, "No service is impacted.")]),
    );
    const ids = entries.map((e) => e.id);
    state.stopLive();
    state.stopLive = followServices(services, ids, () => showActivity(services, ids));
    await showActivity(services, ids);
  }

  async function showActivity(list, ids) {
    if (!ids.length) return;
    let data;
    try {
      data = await run("ServiceActivity", { serviceIds: ids });
    } catch (error) {
      showError(error);
      return;
    }
    const incidents = new Map(data.incidentCounts.map((c) => [c.service.id, c]));
    for (const item of list.querySelectorAll("li.service")) {
      const id = item.dataset.ciId;
      const count = incidents.get(id);
      const changes = data.changes.edges
        .map((e) => e.node)
        .filter((c) => c.impactedServices.some((s) => s.service.id === id));
      item.querySelector(".activity").replaceChildren(
        h(
          "span",
          { class: "incidents" },
          count?.total
            ? `${count.total} open incident${count.total === 1 ? "" : "s"} (` +
                count.byPriority.filter((p) => p.count).map((p) => `${p.priority}: ${p.count}`).join(", ") +
                ")"
            : "no open incident",
        ),
        changes.length
          ? h(
              "span",
              { class: "changes" },
              ` · ${changes.length} change${changes.length === 1 ? "" : "s"} in flight: `,
              changes.map((c) => `${c.number} ${c.state}`).join(", "),
            )
          : h("span", { class: "changes" }, " · no change in flight"),
      );
    }
  }

  // --- what-if ---------------------------------------------------------------------------
  function toggleFailed(ci, failed) {
    if (failed) state.failed.set(ci.id, ci.name);
    else state.failed.delete(ci.id);
    for (const box of table.querySelectorAll(`tr[data-ci-id="${CSS.escape(ci.id)}"] input.failed`)) {
      box.checked = failed;
    }
    if (state.cy) markFailed(state.cy, state.failed);
    simulate();
  }

  let simulation = 0;
  async function simulate() {
    const seq = ++simulation;
    failedList.replaceChildren(
      ...[...state.failed].map(([id, name]) =>
        h(
          "li",
          { dataset: { ciId: id } },
          name,
          h("button", { type: "button", "aria-label": `${name} not failed`, onclick: () => toggleFailed({ id, name }, false) }, "×"),
        ),
      ),
    );
    if (!state.failed.size) {
      whatIf.replaceChildren();
      return;
    }
    let data;
    try {
      data = await run("SimulateOutage", { ciIds: [...state.failed.keys()] });
    } catch (error) {
      showError(error);
      return;
    }
    if (seq !== simulation) return;
    const entries = data.simulateOutage.services.edges
      .map((e) => e.node)
      .filter((o) => o.service && SERVICE_CLASSES.has(o.service.class))
      .map((o) => ({ ...o.service, state: o.state, reason: o.reason }))
      .sort(byCriticality);
    whatIf.replaceChildren(...entries.map((e) => serviceItem(e, "whatif")));
  }

  if (ciId) select({ id: ciId, name: ciId }); // the name comes with the impact's `changed`
}

function side(node) {
  return node.side === "root" ? 0 : node.side === "up" ? 1 : 2;
}
