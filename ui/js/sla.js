// An incident's SLA clock on its trace: the target, when it is due, and the time left counted
// down every second in the browser from the API's answer (paused while ON_HOLD, stopped once
// met), counting up once breached.
import { h } from "./dom.js";
import { duration, timeElement, when } from "./time.js";

/** One SLA clock's element and its tick: the time left counted down from the API's answer. */
export function slaClock(clock) {
  const loaded = Date.now();
  const running = !clock.paused && !clock.stoppedAt;
  const left = h("span", { class: "remaining" });
  const element = h(
    "li",
    { class: "clock", dataset: { kind: clock.kind } },
    h("strong", {}, clock.kind === "RESPONSE" ? "Response" : "Resolution"),
    h("span", { class: "target" }, ` target ${clock.target}`),
    clock.dueAt ? h("small", { class: "due" }, " · due ", timeElement(clock.dueAt)) : null,
    h("br"),
    left,
  );
  function tick() {
    const remaining = clock.remainingSeconds - (running ? Math.floor((Date.now() - loaded) / 1000) : 0);
    const breached = clock.breached || remaining < 0;
    element.classList.toggle("breached", breached);
    let text;
    if (clock.stoppedAt) text = `${breached ? "breached" : "met"}; stopped at ${when(clock.stoppedAt)}`;
    else if (breached) text = `breached ${duration(remaining, { precise: true })} ago`;
    else text = `${duration(remaining, { precise: true })} left`;
    left.textContent = clock.paused ? `${text} (paused: on hold)` : text;
  }
  tick();
  return { element, tick };
}
