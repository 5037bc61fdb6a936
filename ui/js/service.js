// The service view (#/service/<service CI id>; #/service lists the services): availability
// against the target of its service level over the last 7, 30 or 90 days, the outages on a
// timeline, the single points of failure, the recovery order and the cost roll-up; its computed
// state follows `impactChanged` live (live.js), and a change of it reads the availability again.
import { ApiError, run } from "./api.js";
import { h, showError, stateBadge } from "./dom.js";
import { liveBadge, subscribe } from "./live.js";
import { duration, when } from "./time.js";

const PERIODS = [7, 30, 90];
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 1000;

function explorerLink(ci) {
  return h("a", { href: `#/explorer/${encodeURIComponent(ci.id)}` }, ci.name);
}

export async function servicePage(root, [id] = []) {
  if (!id) {
    await serviceList(root);
    return;
  }
  let days = 30;
  const period = h(
    "select",
    { id: "period", "aria-label": "Period" },
    PERIODS.map((d) => h("option", { value: d, selected: d === days }, `last ${d} days`)),
  );
  const title = h("h1", {}, h("span", { id: "service-name" }, id), " ", liveBadge());
  const state = h("p", { id: "service-state", class: "facts" }, "state: …");
  const availability = h("div", { id: "availability" });
  const timeline = h("div", { id: "outage-timeline", class: "timeline" });
  const spofs = h("div", { id: "single-points-of-failure" });
  const recovery = h("div", { id: "recovery-order" });
  const cost = h("div", { id: "service-cost" });
  root.append(
    h(
      "section",
      { class: "page service-view" },
      title,
      state,
      h(
        "div",
        { class: "columns" },
        h(
          "div",
          {},
          h("h2", {}, "Availability ", h("label", {}, period)),
          availability,
          h("h3", {}, "Outages"),
          timeline,
          h("h2", {}, "Single points of failure"),
          spofs,
        ),
        h("div", {}, h("h2", {}, "Recovery order"), recovery, h("h2", {}, "Monthly cost"), cost),
      ),
    ),
  );

  async function load() {
    const to = new Date();
    const from = new Date(to.getTime() - days * 86400_000);
    const data = await run("ServiceView", { id, from: from.toISOString(), to: to.toISOString() });
    if (!data.ci) {
      title.firstChild.textContent = `No CI has the id ${id}`;
      return false;
    }
    title.firstChild.textContent = data.ci.name;
    renderAvailability(availability, data.serviceAvailability, data.ci);
    renderTimeline(timeline, data.serviceAvailability);
    renderSpofs(spofs, data.singlePointsOfFailure ?? []);
    renderRecovery(recovery, data.recoveryOrder);
    return true;
  }

  period.addEventListener("change", () => {
    days = Number(period.value);
    load().catch(showError);
  });
  if (!(await load())) return;
  subscribe("ServiceImpactChanged", { serviceIds: [id] }, {
    onData: ({ impactChanged: change }) => {
      state.replaceChildren(
        "state now: ",
        stateBadge(change.state),
        change.previousState
          ? h("small", {}, ` (was ${change.previousState}; ${change.operation} by ${change.actor})`)
          : "",
      );
      if (change.previousState) load().catch(showError);
    },
    onError: showError,
    onReconnect: () => load().catch(showError),
  });
  await renderCost(cost, id);
}

async function serviceList(root) {
  const data = await run("ServiceList");
  root.append(
    h(
      "section",
      { class: "page" },
      h("h1", {}, "Services"),
      h(
        "ul",
        { id: "service-list", class: "plain" },
        data.cis.edges.map(({ node }) =>
          h(
            "li",
            {},
            h("span", { class: "criticality" }, node.criticality ? `C${node.criticality} ` : "– "),
            h("a", { href: `#/service/${encodeURIComponent(node.id)}` }, node.name),
            h("small", {}, ` ${node.class}`),
          ),
        ),
      ),
    ),
  );
}

function renderAvailability(box, a, ci) {
  if (!a) {
    box.replaceChildren(h("p", { class: "hint" }, "No availability for this CI."));
    return;
  }
  const verdict =
    a.met === null ? h("span", { class: "hint" }, "no target set") : h("span", { class: `verdict ${a.met ? "met" : "breached"}` }, a.met ? "target met" : "target breached");
  const level = ci.serviceLevel;
  box.replaceChildren(
    h(
      "p",
      { class: "big" },
      h("strong", { id: "availability-percent" }, `${a.availabilityPercent.toFixed(3)} %`),
      a.target === null ? "" : h("span", { id: "availability-target" }, ` against a target of ${a.target} % `),
      verdict,
    ),
    h(
      "p",
      { class: "facts" },
      `${a.outageCount} outage${a.outageCount === 1 ? "" : "s"}, ${duration(a.downtimeSeconds)} down, ${duration(a.degradedSeconds)} degraded`,
      a.mttrSeconds === null ? "" : ` · MTTR ${duration(a.mttrSeconds)}`,
      a.mtbfSeconds === null ? "" : ` · MTBF ${duration(a.mtbfSeconds)}`,
      level?.supportHours ? ` · support hours ${level.supportHours}` : "",
    ),
  );
}

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

/** The period as a bar with each outage drawn where it falls (its title: when and why). */
function renderTimeline(box, a) {
  if (!a) {
    box.replaceChildren();
    return;
  }
  const start = Date.parse(a.from);
  const span = Date.parse(a.to) - start;
  const x = (iso) => ((Date.parse(iso) - start) / span) * WIDTH;
  const bars = a.outages.map((o) => {
    const left = x(o.start);
    const width = Math.max(2, x(o.end) - left);
    const causes = o.causes.map((c) => c.number).join(", ");
    return svg(
      "rect",
      { class: "outage", x: left, y: 4, width, height: 24 },
      svg("title", {}, `${when(o.start)} – ${when(o.end)} (${duration((Date.parse(o.end) - Date.parse(o.start)) / 1000)}): ${causes}`),
    );
  });
  box.replaceChildren(
    svg(
      "svg",
      { viewBox: `0 0 ${WIDTH} 32`, preserveAspectRatio: "none", role: "img", "aria-label": "outages over the period" },
      svg("rect", { class: "period", x: 0, y: 4, width: WIDTH, height: 24 }),
      ...bars,
    ),
    h("div", { class: "axis" }, h("span", {}, when(a.from)), h("span", {}, when(a.to))),
    a.outages.length
      ? h(
          "ol",
          { id: "outages", class: "plain" },
          a.outages.map((o) =>
            h("li", {}, `${when(o.start)} – ${when(o.end)} · ${duration((Date.parse(o.end) - Date.parse(o.start)) / 1000)} · `, o.causes.map((c) => c.number).join(", ")),
          ),
        )
      : h("p", { class: "hint" }, "No outage in the period."),
  );
}

function renderSpofs(box, cis) {
  box.replaceChildren(
    cis.length
      ? h("ul", { class: "plain" }, cis.map((ci) => h("li", { class: "spof", dataset: { ciId: ci.id } }, explorerLink(ci), h("small", {}, ` ${ci.class}`))))
      : h("p", { class: "hint" }, "None: no single CI's failure takes the service down."),
  );
}

function renderRecovery(box, plan) {
  if (!plan) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(
    h("p", { class: "hint" }, "Bring up each step after the ones before it: dependencies first."),
    h(
      "ol",
      { id: "recovery-steps", class: "steps" },
      plan.steps.map((step) =>
        h(
          "li",
          { class: step.cycle ? "cycle" : null },
          step.cycle ? h("strong", {}, "cycle, together: ") : null,
          step.cis.flatMap((ci, i) => [i ? ", " : "", h("span", { class: "ci", dataset: { ciId: ci.id } }, ci.name)]),
        ),
      ),
    ),
    plan.cycles.length ? h("p", { class: "hint" }, `${plan.cycles.length} dependency cycle(s) recovered as one step each.`) : "",
  );
}

async function renderCost(box, id) {
  let data;
  try {
    data = await run("ServiceCost", { id });
  } catch (error) {
    if (error instanceof ApiError && error.errors.some((e) => e.extensions?.code === "FORBIDDEN")) {
      box.replaceChildren(h("p", { class: "hint" }, "Your role may not read cost figures."));
      return;
    }
    throw error;
  }
  const cost = data.serviceCost;
  if (!cost) return;
  const items = [...cost.items].sort((a, b) => Number(b.allocated) - Number(a.allocated));
  box.replaceChildren(
    h("p", { class: "big" }, h("strong", { id: "cost-total" }, cost.total), " a month", cost.truncated ? " (more dependencies beyond the limit)" : ""),
    h(
      "table",
      { class: "records" },
      h("thead", {}, h("tr", {}, ...["CI", "own", "share", "carried"].map((c) => h("th", {}, c)))),
      h(
        "tbody",
        {},
        items.map((item) =>
          h("tr", {}, h("td", {}, item.ci ? item.ci.name : "?"), h("td", {}, item.own), h("td", {}, `${Math.round(item.share * 100)} %`), h("td", {}, item.allocated)),
        ),
      ),
    ),
  );
}
