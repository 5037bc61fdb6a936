// The change calendar (#/changes, #/changes/<YYYY-MM>): a month of changes by planned window,
// in UTC, Monday first, with the freezes shaded and named; each change links to its page. It is
// drawn again whenever a change is written (`changeUpdated`: created, moved, transitioned).
import { run } from "./api.js";
import { h, showError } from "./dom.js";
import { addMonths, dayKey, formatWindow, meetsDay, monthGrid, monthKey, parseMonth } from "./change-model.js";
import { subscribe } from "./live.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

export async function changeCalendarPage(root, [key] = []) {
  const hash = location.hash;
  const month = parseMonth(key);
  const days = monthGrid(month);
  const from = days[0];
  const to = new Date(days[days.length - 1].getTime() + 86_400_000);
  const draw = async () => {
    const { changeSchedule: schedule } = await run("ChangeSchedule", {
      from: from.toISOString(),
      to: to.toISOString(),
    });
    if (location.hash !== hash) return; // moved on while the schedule loaded
    drawMonth(root, month, days, schedule);
  };
  await draw();
  if (location.hash !== hash) return;
  subscribe("ChangeUpdated", { numbers: null }, {
    onData: () => draw().catch(showError),
    onError: showError,
    onReconnect: () => draw().catch(showError),
  });
}

function drawMonth(root, month, days, schedule) {
  const go = (months) => () => (location.hash = `#/changes/${monthKey(addMonths(month, months))}`);
  root.replaceChildren(
    h(
      "section",
      { class: "calendar-page" },
      h(
        "div",
        { class: "calendar-head" },
        h("button", { type: "button", id: "previous-month", onclick: go(-1) }, "← Previous month"),
        h("h1", { id: "calendar-month", dataset: { month: monthKey(month) } }, MONTH_NAMES.format(month)),
        h("button", { type: "button", id: "next-month", onclick: go(1) }, "Next month →"),
        h("span", { class: "hint" }, "Times in UTC"),
      ),
      schedule.truncated ? h("p", { class: "hint" }, "More than 500 changes: the earliest are shown.") : null,
      h(
        "div",
        { class: "calendar", id: "calendar", role: "grid" },
        WEEKDAYS.map((d) => h("div", { class: "weekday", role: "columnheader" }, d)),
        days.map((day) => dayCell(day, month, schedule)),
      ),
      freezeLegend(schedule.freezes),
    ),
  );
}

function dayCell(day, month, schedule) {
  const freezes = schedule.freezes.filter((f) => meetsDay(f.start, f.end, day));
  const changes = schedule.changes.filter((c) => meetsDay(c.plannedStart, c.plannedEnd, day));
  const outside = day.getUTCMonth() !== month.getUTCMonth();
  return h(
    "div",
    {
      class: `day${outside ? " outside" : ""}${freezes.length ? " frozen" : ""}`,
      role: "gridcell",
      dataset: { date: dayKey(day) },
      title: freezes.length ? freezes.map((f) => f.name).join(", ") : null,
    },
    h("span", { class: "date" }, day.getUTCDate()),
    freezes.map((f) => h("span", { class: "freeze" }, f.name)),
    h(
      "ul",
      { class: "day-changes" },
      changes.map((c) =>
        h(
          "li",
          {},
          h(
            "a",
            {
              class: `change-item ${c.state}`,
              href: `#/change/${encodeURIComponent(c.id)}`,
              title: `${c.number} ${c.title}: ${c.type}, ${c.state}, risk ${c.risk.level}, ${formatWindow(c.plannedStart, c.plannedEnd)}`,
              dataset: { number: c.number },
            },
            c.conflicts.length ? h("span", { class: "conflicted", title: "conflicts" }, "⚠ ") : null,
            `${c.number} ${c.title}`,
          ),
        ),
      ),
    ),
  );
}

function freezeLegend(freezes) {
  if (!freezes.length) return h("p", { class: "hint", id: "freezes" }, "No freeze in these weeks.");
  return h(
    "div",
    { id: "freezes" },
    h("h2", {}, "Freezes"),
    h(
      "ul",
      { class: "freezes" },
      freezes.map((f) =>
        h(
          "li",
          { class: "freeze-item" },
          h("strong", {}, f.name),
          ` ${formatWindow(f.start, f.end)} — `,
          f.global ? "everywhere" : `covers ${f.services.map((s) => s.name).join(", ")}`,
          f.reason ? h("small", {}, ` (${f.reason})`) : null,
        ),
      ),
    ),
  );
}
