// The change assessment page (#/change/<change id>): what the change is and when, the services
// it impacts, its risk and the factors behind it, its conflicts with links to the other records,
// the CAB's approvals, and only the actions the state machine allows and the viewer's roles
// permit. An action runs its mutation and the page is drawn again from the API's answer.
import { mutate, run } from "./api.js";
import { clearErrors, h, showError, stateBadge } from "./dom.js";
import { actionsFor, anyAction, conflictLinks, formatTime, formatWindow, OUTCOMES } from "./change-model.js";

export async function changePage(root, [id] = []) {
  if (!id) {
    root.append(h("p", { class: "hint" }, "Pick a change in the ", h("a", { href: "#/changes" }, "change calendar"), "."));
    return;
  }
  const hash = location.hash;
  const [{ viewer }, first] = await Promise.all([run("Viewer"), run("ChangeAssessment", { id })]);
  if (location.hash !== hash) return; // moved on while the change loaded
  render(first.node);

  async function reload() {
    const data = await run("ChangeAssessment", { id });
    render(data.node);
  }

  function render(change) {
    if (!change || change.__typename !== "Change") {
      root.replaceChildren(h("p", { class: "hint", id: "change-missing" }, `No change has the id ${id}.`));
      return;
    }
    root.replaceChildren(
      h(
        "section",
        { class: "change-page", id: "change", dataset: { changeId: change.id } },
        summary(change),
        actionsPanel(change),
        h("section", { class: "panel" }, h("h2", {}, "Impacted services"), servicesList(change)),
        h("section", { class: "panel" }, h("h2", {}, "Risk"), riskPanel(change.risk)),
        h("section", { class: "panel" }, h("h2", {}, "Conflicts"), conflictsList(change.conflicts)),
        h("section", { class: "panel" }, h("h2", {}, "Approvals"), approvalsPanel(change)),
        h("section", { class: "panel" }, h("h2", {}, "Transitions"), transitionsTable(change.transitions)),
      ),
    );
  }

  // --- actions: only what the state machine allows and the viewer's roles permit -----------
  function actionsPanel(change) {
    const actions = actionsFor(change, viewer);
    const panel = h("section", { class: "panel actions", id: "change-actions" }, h("h2", {}, "Actions"));
    if (!anyAction(actions)) {
      panel.append(
        h(
          "p",
          { class: "hint", id: "no-actions" },
          actions.decided && change.state === "AUTHORIZE"
            ? "You have recorded your decision on this change."
            : `No action for your roles (${viewer.roles.join(", ") || "none"}) in ${change.state}.`,
        ),
      );
      return panel;
    }
    const buttons = [];
    const busy = (on) => buttons.forEach((b) => (b.disabled = on));
    async function act(operation, input, field) {
      busy(true);
      try {
        await mutate(operation, { input: { number: change.number, ...input } }, field);
      } catch (error) {
        showError(error);
        busy(false);
        return;
      }
      clearErrors();
      await reload();
    }

    if (actions.transitions.length) {
      const note = h("input", { id: "transition-note", type: "text", autocomplete: "off" });
      const wantsOutcome = actions.transitions.some((s) => s === "REVIEW" || s === "CLOSED");
      const outcome = h(
        "select",
        { id: "transition-outcome" },
        h("option", { value: "" }, "(none)"),
        OUTCOMES.map((o) => h("option", { value: o }, o)),
      );
      for (const to of actions.transitions) {
        buttons.push(
          h(
            "button",
            {
              type: "button",
              class: "transition",
              dataset: { to },
              onclick: () =>
                act(
                  "ChangeTransition",
                  { to, note: note.value.trim() || null, outcome: wantsOutcome ? outcome.value || null : null },
                  "transitionChange",
                ),
            },
            `Move to ${to}`,
          ),
        );
      }
      panel.append(
        h(
          "div",
          { class: "action-row" },
          h("label", {}, "Note ", note),
          wantsOutcome ? h("label", {}, "Outcome ", outcome) : null,
          buttons.slice(),
        ),
      );
    }

    if (actions.approve || actions.reject) {
      const comment = h("textarea", { id: "decision-comment", rows: 2 });
      const now = h("input", { id: "implement-now", type: "checkbox" });
      const decision = [];
      if (actions.approve) {
        decision.push(
          h(
            "button",
            {
              type: "button",
              class: "approve",
              onclick: () =>
                act(
                  "ChangeApprove",
                  { comment: comment.value.trim() || null, implementNow: actions.implementNow && now.checked },
                  "approveChange",
                ),
            },
            "Approve",
          ),
        );
      }
      if (actions.reject) {
        decision.push(
          h(
            "button",
            {
              type: "button",
              class: "reject",
              onclick: () => act("ChangeReject", { comment: comment.value.trim() }, "rejectChange"),
            },
            "Reject",
          ),
        );
      }
      buttons.push(...decision);
      panel.append(
        h(
          "div",
          { class: "action-row cab" },
          h("label", {}, "CAB comment ", comment),
          actions.approve && actions.implementNow ? h("label", { class: "check" }, now, "Implement now") : null,
          decision,
        ),
      );
    }
    return panel;
  }
}

// --- what the change is ------------------------------------------------------------------
function summary(change) {
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

function servicesList(change) {
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

function riskPanel(risk) {
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

function conflictsList(conflicts) {
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

function approvalsPanel(change) {
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

function transitionsTable(transitions) {
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
