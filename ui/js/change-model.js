// The change pages' rules, without the DOM: which actions the signed-in viewer gets on a
// change, where a conflict's other records live, times in UTC, and the weeks of a month.

/** The actions `viewer` may take on `change` now: transitions its state machine allows
 *  (`nextStates`) when the viewer may run transitionChange, and the CAB's decision on a change
 *  in AUTHORIZE when the viewer may approve or reject and has not decided yet. */
export function actionsFor(change, viewer) {
  const may = new Set(viewer.mutations);
  const decided = change.approvals.some((a) => a.approver === viewer.name);
  const deciding = change.state === "AUTHORIZE" && !decided;
  return {
    transitions: may.has("transitionChange") ? change.nextStates : [],
    approve: deciding && may.has("approveChange"),
    reject: deciding && may.has("rejectChange"),
    implementNow: change.type === "EMERGENCY",
    decided,
  };
}

/** Whether any action is offered. */
export function anyAction(actions) {
  return actions.transitions.length > 0 || actions.approve || actions.reject;
}

/** The outcomes a change may be given entering REVIEW or CLOSED (required for CLOSED). */
export const OUTCOMES = ["SUCCESSFUL", "SUCCESSFUL_WITH_ISSUES", "FAILED", "BACKED_OUT"];

/** The links of a conflict to its other records: the change, the incident, the CI. */
export function conflictLinks(conflict) {
  const links = [];
  if (conflict.change) {
    const c = conflict.change;
    links.push({ href: `#/change/${encodeURIComponent(c.id)}`, text: `${c.number} ${c.title}`, kind: "change" });
  }
  if (conflict.incident) {
    const i = conflict.incident;
    links.push({
      href: `#/incident/${encodeURIComponent(i.id)}`,
      text: `${i.number} ${i.title} (${i.priority})`,
      kind: "incident",
    });
  }
  if (conflict.ci) {
    links.push({ href: `#/explorer/${encodeURIComponent(conflict.ci.id)}`, text: conflict.ci.name, kind: "ci" });
  }
  return links;
}

/** "2026-12-05 14:00 UTC" for an ISO date-time (null: "—"). */
export function formatTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return `${dayKey(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** The planned window in words. */
export function formatWindow(start, end) {
  if (!start) return "not planned";
  return `${formatTime(start)} → ${formatTime(end)}`;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/** "2026-12-05": a UTC day. */
export function dayKey(date) {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** "2026-12": a UTC month. */
export function monthKey(date) {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
}

/** The first instant (UTC) of the month "YYYY-MM", or of the month of `now` when `key` is not
 *  one. */
export function parseMonth(key, now = new Date()) {
  const match = /^(\d{4})-(\d{2})$/.exec(key ?? "");
  if (match && Number(match[2]) >= 1 && Number(match[2]) <= 12) {
    return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  }
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The first instant of the month `months` after `month`'s (before, when negative). */
export function addMonths(month, months) {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + months, 1));
}

const DAY_MS = 86_400_000;

/** The days (UTC midnights) of the whole weeks, Monday first, that hold `month`. */
export function monthGrid(month) {
  const first = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1));
  const next = addMonths(first, 1);
  const start = new Date(first.getTime() - ((first.getUTCDay() + 6) % 7) * DAY_MS);
  const days = [];
  for (let day = start; day < next || days.length % 7; day = new Date(day.getTime() + DAY_MS)) {
    days.push(day);
  }
  return days;
}

/** Whether the period [start, end) meets the UTC day beginning at `day`. */
export function meetsDay(start, end, day) {
  const from = new Date(start).getTime();
  const to = Math.max(end ? new Date(end).getTime() : from, from + 1);
  return from < day.getTime() + DAY_MS && to > day.getTime();
}
