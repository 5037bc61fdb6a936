// Times and durations as the pages show them (the browser's locale and time zone).

/** "2d 3h", "1h 05m", "4m 09s", "12s" for a number of seconds (its absolute value); `precise`
 * goes down to the second ("2d 3h 04m 05s"), for clocks that count in front of the reader. */
export function duration(seconds, { precise = false } = {}) {
  const s = Math.floor(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, "0");
  if (precise && d) return `${d}d ${h}h ${pad(m)}m ${pad(s % 60)}s`;
  if (precise && h) return `${h}h ${pad(m)}m ${pad(s % 60)}s`;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${pad(m)}m`;
  if (m) return `${m}m ${pad(s % 60)}s`;
  return `${s % 60}s`;
}

/** An instant of the API (ISO 8601 with its offset) as local date and time. */
export function when(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A <time> element for an instant of the API. */
export function timeElement(iso) {
  const element = document.createElement("time");
  element.dateTime = iso ?? "";
  element.textContent = when(iso);
  return element;
}
