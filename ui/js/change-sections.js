// The read-only sections of the change assessment page (ui/js/change.js): what the change is
// and when, its impacted services, risk, conflicts with links, approvals and transitions.
import { h, stateBadge } from "./dom.js";
import { conflictLinks, formatTime, formatWindow } from "./change-model.js";

// --- what the change is ------------------------------------------------------------------
export function summary(change) {
  const row = (term, ...value) => [h("dt", {}, term), h("dd", {}, ...value)];
  return h(
    "div",
    { class: "change-summary" },
    h("h1", { id: "change-title" }, h("span", { id: "change-number" }, change.number), " ", change.title),
    h(
      "dl",
      {},
      row("Type", h("span", { id: "change-type" }, change.type)),
      row("State", h("span", { id: "change-state", class: `change-state ${change.state}` }, change.state)),
      row("Planned window", h("span", { id: "change-window" }, formatWindow(change.plannedStart, change.plannedEnd))),
      row("Assignee", [change.assignee, change.assignmentGroup].filter(Boolean).join(" · ") || "—"),
      row(
        "Targets",
        change.targets.flatMap((t, i) => [i ? ", " : "", h("a", { href: `#/explorer/${encodeURIComponent(t.id)}` }, t.name)]),
      ),
      row("Assessed", formatTime(change.assessedAt)),
    ),
    change.description ? h("p", { class: "description" }, change.description) : null,
  );
}

export function servicesList(change) {
  if (!change.impactedServices.length) {
    return h("p", { class: "hint" }, change.assessedAt ? "No service is impacted." : "Not assessed yet.");
  }
  return h(
    "ul",
    { class: "services", id: "change-services" },
    change.impactedServices.map(({ service, state, reason }) =>
      h(
        "li",
        { class: "service", dataset: { ciId: service.id } },
        h("span", { class: "criticality", title: "criticality" }, service.criticality ? `C${service.criticality}` : "–"),
        h("a", { class: "name", href: `#/explorer/${encodeURIComponent(service.id)}` }, service.name),
        stateBadge(state),
        h("small", { class: "reason" }, reason),
      ),
    ),
  );
}

export function riskPanel(risk) {
  return h(
    "div",
    { id: "change-risk" },
    h("p", {}, h("span", { class: `risk ${risk.level}`, id: "risk-level" }, risk.level), ` score ${risk.score}`),
    risk.factors.length
      ? h(
          "table",
          { class: "factors" },
          h("thead", {}, h("tr", {}, h("th", {}, "factor"), h("th", {}, "weight"), h("th", {}, "what it saw"))),
          h(
            "tbody",
            {},
            risk.factors.map((f) => h("tr", {}, h("td", {}, h("code", {}, f.name)), h("td", {}, f.weight), h("td", {}, f.detail))),
          ),
        )
      : h("p", { class: "hint" }, "No risk factor."),
  );
}

export function conflictsList(conflicts) {
  if (!conflicts.length) return h("p", { class: "hint", id: "change-conflicts" }, "No conflict.");
  return h(
    "ul",
    { class: "conflicts", id: "change-conflicts" },
    conflicts.map((c) =>
      h(
        "li",
        { class: "conflict", dataset: { kind: c.kind } },
        h("code", { class: "kind" }, c.kind),
        " ",
        h("span", { class: "reason" }, c.reason),
        c.blackoutWindow
          ? h("small", {}, ` (${c.blackoutWindow.name}: ${formatWindow(c.blackoutWindow.start, c.blackoutWindow.end)})`)
          : null,
        c.maintenanceWindow
          ? h("small", {}, ` (window ${c.maintenanceWindow.days} ${c.maintenanceWindow.opens}–${c.maintenanceWindow.closes} ${c.maintenanceWindow.timezone})`)
          : null,
        h(
          "span",
          { class: "links" },
          conflictLinks(c).flatMap((link) => [" ", h("a", { href: link.href, class: `link ${link.kind}` }, link.text)]),
        ),
      ),
    ),
  );
}

export function approvalsPanel(change) {
  const approved = change.approvals.filter((a) => a.decision === "APPROVED").length;
  return h(
    "div",
    { id: "change-approvals" },
    h(
      "p",
      { id: "approval-summary" },
      change.type === "STANDARD"
        ? "Standard change: pre-authorised, no approval required."
        : `${approved} of ${change.requiredApprovals} required approval${change.requiredApprovals === 1 ? "" : "s"}; `,
      change.type === "STANDARD" ? null : h("strong", { id: "authorised" }, change.authorised ? "authorised" : "not authorised"),
    ),
    change.approvals.length
      ? h(
          "table",
          { class: "approvals" },
          h("thead", {}, h("tr", {}, ["who", "decision", "when", "comment"].map((c) => h("th", {}, c)))),
          h(
            "tbody",
            {},
            change.approvals.map((a) =>
              h(
                "tr",
                { class: "approval" },
                h("td", {}, a.approver),
                h("td", { class: `decision ${a.decision}` }, a.decision),
                h("td", {}, formatTime(a.at)),
                h("td", {}, a.comment ?? ""),
              ),
            ),
          ),
        )
      : null,
  );
}

export function transitionsTable(transitions) {
  return h(
    "table",
    { class: "transitions", id: "change-transitions" },
    h("thead", {}, h("tr", {}, ["from", "to", "when", "who", "note"].map((c) => h("th", {}, c)))),
    h(
      "tbody",
      {},
      transitions.map((t) =>
        h("tr", {}, h("td", {}, t.from ?? "—"), h("td", {}, t.to), h("td", {}, formatTime(t.at)), h("td", {}, t.actor), h("td", {}, t.note ?? "")),
      ),
    ),
  );
}
