// The change assessment page (#/change/<change id>): what the change is and when, the services
// it impacts, its risk and the factors behind it, its conflicts with links to the other records,
// the CAB's approvals, and only the actions the state machine allows and the viewer's roles
// permit. An action runs its mutation and the page is drawn again from the API's answer; a
// write by anyone else (`changeUpdated`) draws it again too.
import { mutate, run } from "./api.js";
import { clearErrors, h, showError } from "./dom.js";
import { actionsFor, anyAction, OUTCOMES } from "./change-model.js";
import { approvalsPanel, conflictsList, riskPanel, servicesList, summary, transitionsTable } from "./change-sections.js";
import { subscribe } from "./live.js";

export async function changePage(root, [id] = []) {
  if (!id) {
    root.append(h("p", { class: "hint" }, "Pick a change in the ", h("a", { href: "#/changes" }, "change calendar"), "."));
    return;
  }
  const hash = location.hash;
  const [{ viewer }, first] = await Promise.all([run("Viewer"), run("ChangeAssessment", { id })]);
  if (location.hash !== hash) return; // moved on while the change loaded
  render(first.node);
  if (first.node?.__typename === "Change") {
    subscribe("ChangeUpdated", { numbers: [first.node.number] }, {
      onData: () => reload().catch(showError),
      onError: showError,
      onReconnect: () => reload().catch(showError),
    });
  }

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
