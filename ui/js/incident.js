// The incident pages: the list of open incidents (#/incidents, newest first) and one incident's
// trace (#/incident/<id>): its CIs, the services it impacts, its SLA clocks counting down, the
// changes suspected of causing it, its problem or known error, and root-cause candidates shared
// with the other open incidents. Both follow `incidentUpdated` live (live.js).
import { run } from "./api.js";
import { h, showError, stateBadge } from "./dom.js";
import { liveBadge, subscribe } from "./live.js";
import { slaClock } from "./sla.js";
import { timeElement } from "./time.js";

const OPEN = new Set(["NEW", "IN_PROGRESS", "ON_HOLD"]);

function priorityBadge(priority) {
  return h("span", { class: `priority ${priority}` }, priority);
}

function serviceNames(incident) {
  return incident.impactedServices.map((s) => s.service.name).join(", ") || "none";
}

// --- #/incidents ----------------------------------------------------------------------------

export async function incidentListPage(root) {
  const rows = h("tbody", { id: "incident-rows" });
  const count = h("p", { id: "incident-count", class: "summary" });
  root.append(
    h(
      "section",
      { class: "page incidents" },
      h("h1", {}, "Open incidents ", liveBadge()),
      count,
      h(
        "table",
        { class: "records" },
        h("thead", {}, h("tr", {}, ...["number", "priority", "state", "title", "impacted services", "CIs", "opened"].map((c) => h("th", {}, c)))),
        rows,
      ),
    ),
  );
  const more = h("button", { id: "more-incidents", type: "button", hidden: true }, "Show older incidents");
  root.querySelector("section").append(more);
  const open = new Map(); // number -> incident
  let total = 0; // open incidents in all, shown or not
  let after = null; // the cursor of the next page of older ones; null: every one is shown

  function render() {
    const sorted = [...open.values()].sort(
      (a, b) => b.openedAt.localeCompare(a.openedAt) || b.number.localeCompare(a.number),
    );
    rows.replaceChildren(...sorted.map(row));
    const plural = total === 1 ? "" : "s";
    count.textContent =
      sorted.length < total
        ? `${total} open incident${plural}, newest first; the ${sorted.length} newest shown`
        : `${total} open incident${plural}, newest first`;
    more.hidden = after === null;
  }

  function row(incident) {
    return h(
      "tr",
      { dataset: { number: incident.number }, class: incident.fresh ? "fresh" : null },
      h("td", {}, h("a", { href: `#/incident/${encodeURIComponent(incident.id)}` }, incident.number)),
      h("td", {}, priorityBadge(incident.priority)),
      h("td", { class: "incident-state" }, incident.state),
      h("td", {}, incident.title),
      h("td", {}, serviceNames(incident)),
      h("td", {}, incident.affectedCis.map((c) => c.name).join(", ")),
      h("td", {}, timeElement(incident.openedAt)),
    );
  }

  function take(page) {
    for (const { node } of page.edges) open.set(node.number, node);
    total = page.totalCount;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    render();
  }

  async function load() {
    const data = await run("IncidentList");
    open.clear();
    take(data.incidents);
  }

  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      take((await run("IncidentList", { after })).incidents);
    } catch (error) {
      showError(error);
    } finally {
      more.disabled = false;
    }
  });

  subscribe("IncidentUpdated", { numbers: null }, {
    onData: ({ incidentUpdated: { incident, operation } }) => {
      const shown = open.has(incident.number);
      const created = operation === "createIncident";
      if (OPEN.has(incident.state)) {
        // One not shown while older pages are unread belongs there (older), unless it is new.
        if (!shown && !created && after !== null) return;
        if (!shown) total += 1;
        open.set(incident.number, { ...incident, fresh: operation === "createIncident" || open.get(incident.number)?.fresh });
      } else if (shown) {
        open.delete(incident.number);
        total -= 1;
      }
      render();
    },
    onError: showError,
    onReconnect: () => load().catch(showError),
  });
  await load();
}

// --- #/incident/<id> -------------------------------------------------------------------------

export async function incidentPage(root, [id] = []) {
  if (!id) {
    location.hash = "#/incidents";
    return;
  }
  const section = h("section", { class: "page trace" });
  root.append(section);
  let clocks = [];
  const timer = setInterval(() => {
    if (!section.isConnected) clearInterval(timer);
    else for (const clock of clocks) clock.tick();
  }, 1000);

  async function load() {
    const data = await run("IncidentTrace", { id });
    const incident = data.node;
    if (!incident?.number) {
      section.replaceChildren(h("p", { class: "hint" }, `No incident has the id ${id}.`));
      return null;
    }
    clocks = incident.sla.map(slaClock);
    // Through h(): DOM's replaceChildren would write a null child as the text "null".
    section.replaceChildren(
      ...h(
        "div",
        {},
        h(
        "h1",
        {},
        h("span", { id: "incident-number" }, incident.number),
        " ",
        h("span", { id: "incident-title" }, incident.title),
        " ",
        liveBadge(),
      ),
      h(
        "p",
        { class: "facts" },
        priorityBadge(incident.priority),
        " ",
        h("span", { id: "incident-state", class: "incident-state" }, incident.state),
        ` · ${incident.category} · impact ${incident.impact}, urgency ${incident.urgency}`,
        incident.major ? " · major incident" : "",
        incident.assignmentGroup ? ` · ${incident.assignmentGroup}` : "",
        incident.assignee ? ` (${incident.assignee})` : "",
        " · opened ",
        timeElement(incident.openedAt),
      ),
      incident.description ? h("p", { class: "description" }, incident.description) : null,
      h(
        "div",
        { class: "columns" },
        h(
          "div",
          {},
          h("h2", {}, "SLA clocks"),
          h("ul", { id: "sla-clocks", class: "clocks" }, clocks.map((c) => c.element)),
          incident.slaService
            ? h("p", { class: "hint" }, `Targets of ${incident.slaService.name}'s service level.`)
            : h("p", { class: "hint" }, "The product's default targets."),
          h("h2", {}, "Affected CIs"),
          h(
            "ul",
            { id: "affected-cis", class: "plain" },
            incident.affectedCis.map((ci) =>
              h("li", {}, h("a", { href: `#/explorer/${encodeURIComponent(ci.id)}` }, ci.name), h("small", {}, ` ${ci.class}`)),
            ),
          ),
          h("h2", {}, "Impacted services"),
          impactedServices(incident),
        ),
        h(
          "div",
          {},
          h("h2", {}, "Problem and workaround"),
          problem(incident),
          h("h2", {}, "Suspected changes"),
          suspectedChanges(incident),
          h("h2", {}, "Root-cause candidates"),
          h("div", { id: "root-causes" }, h("p", { class: "hint pending" }, "…")),
        ),
      ),
      ).childNodes,
    );
    return incident;
  }

  const incident = await load();
  if (!incident) return;
  subscribe("IncidentUpdated", { numbers: [incident.number] }, {
    onData: () => load().then(rootCauses).catch(showError),
    onError: showError,
    onReconnect: () => load().then(rootCauses).catch(showError),
  });
  await rootCauses(incident);

  async function rootCauses(current) {
    const box = section.querySelector("#root-causes");
    if (!current || !box) return;
    const list = await run("IncidentList");
    const numbers = list.incidents.edges.map((e) => e.node.number);
    if (!OPEN.has(current.state) || numbers.length < 2) {
      box.replaceChildren(h("p", { class: "hint" }, "Only when several incidents are open, this one among them."));
      return;
    }
    const data = await run("IncidentRootCauses", { numbers });
    const mine = new Set(current.affectedCis.map((c) => c.id));
    const shared = data.rootCauseCandidates
      .filter((c) => c.ci && c.count > 1 && c.explains.some((e) => mine.has(e.id)))
      .slice(0, 5);
    box.replaceChildren(
      shared.length
        ? h(
            "ol",
            { class: "candidates" },
            shared.map((c) =>
              h(
                "li",
                {},
                h("a", { href: `#/explorer/${encodeURIComponent(c.ci.id)}` }, c.ci.name),
                ` explains ${c.count} of the open incidents' CIs: `,
                h("small", {}, c.explains.map((e) => e.name).join(", ")),
              ),
            ),
          )
        : h("p", { class: "hint" }, `No dependency shared with the other ${numbers.length - 1} open incidents.`),
    );
  }
}

function impactedServices(incident) {
  if (!incident.impactedServices.length) return h("p", { id: "impacted-services", class: "hint" }, "No service is impacted.");
  return h(
    "ul",
    { id: "impacted-services", class: "services" },
    incident.impactedServices.map((s) =>
      h(
        "li",
        { class: "service", dataset: { ciId: s.service.id, source: s.source } },
        h("span", { class: "criticality" }, s.service.criticality ? `C${s.service.criticality}` : "–"),
        h("a", { class: "name", href: `#/service/${encodeURIComponent(s.service.id)}` }, s.service.name),
        stateBadge(s.state),
        h(
          "small",
          { class: "reason" },
          h("span", { class: `source ${s.source}` }, s.source === "MANUAL" ? `manual (${s.addedBy})` : "computed"),
          ` · ${s.reason}`,
        ),
      ),
    ),
  );
}

function problem(incident) {
  const workaround = incident.knownErrorWorkaround ?? incident.problem?.workaround ?? incident.workaround;
  return h(
    "div",
    { id: "problem" },
    incident.problem
      ? h(
          "p",
          {},
          h("strong", {}, incident.problem.number),
          ` ${incident.problem.title} (${incident.problem.state})`,
          incident.problem.knownError ? h("span", { class: "known-error" }, " known error") : null,
        )
      : h("p", { class: "hint" }, "No problem groups this incident."),
    workaround ? h("p", { id: "workaround", class: "workaround" }, h("strong", {}, "Workaround: "), workaround) : null,
    incident.causingChange
      ? h(
          "p",
          {},
          "Caused by ",
          h("a", { href: `#/change/${encodeURIComponent(incident.causingChange.id)}` }, incident.causingChange.number),
          ` ${incident.causingChange.title}`,
        )
      : null,
  );
}

function suspectedChanges(incident) {
  if (!incident.suspectedChanges.length) {
    return h("p", { id: "suspected-changes", class: "hint" }, "No change was implemented recently on its CIs or what they depend on.");
  }
  return h(
    "ul",
    { id: "suspected-changes", class: "plain" },
    incident.suspectedChanges.map((s) =>
      h(
        "li",
        {},
        h("a", { href: `#/change/${encodeURIComponent(s.change.id)}` }, s.change.number),
        ` ${s.change.title} (${s.change.type}, ${s.change.state}) · implemented `,
        timeElement(s.implementedAt),
        h("br"),
        h("small", { class: "path" }, `${s.depth === 0 ? "on an affected CI" : `${s.depth} hop${s.depth === 1 ? "" : "s"} down`}: `, s.path.map((c) => c.name).join(" → ")),
      ),
    ),
  );
}
