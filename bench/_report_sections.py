"""The RESULTS.md sections of the questions that are not one request repeated: the question
after a write (a row per variant, against the static control), the mixed load (reads due at a
constant rate while writes run), and the memory of the projection per API process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bench._targets import AFTER_WRITE_RATIO

__all__ = ["after_write_lines", "by_scale_lines", "memory_lines", "mixed_lines", "ms", "ratio"]

LAGGING_MS = 100.0
"""A send this late means the client, not only the server, fell behind."""


def ms(value: float | None) -> str:
    """Milliseconds to 3 significant digits (whole from 100 on); `-` when missing."""
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.3g}"


def ratio(value: float | None, other: float | None) -> str:
    """`value / other` as `1.23x` (`1,234x` from 100 on); `-` when either is missing or
    `other` is 0."""
    if value is None or other is None or other == 0:
        return "-"
    found = value / other
    return f"{found:,.0f}x" if found >= 100 else f"{found:.2f}x"


def after_write_lines(records: Sequence[dict[str, Any]]) -> list[str]:
    """One row per variant; the ratios divide by the `static` row (the same requests, on
    connections of their own, with no write before them)."""
    static = next((r for r in records if r.get("variant") == "static"), {})
    lines = [
        "| variant | p50 ms | p99 ms | 1 client p50 ms | 1 client p99 ms | after/static p50 | "
        "after/static p99 | after/static p50, 1 client | write p50 ms | write p99 ms | "
        "requests | errors | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| --- |",
    ]
    for record in records:
        lines.append(
            f"| {record.get('variant')} | {ms(record['p50_ms'])} | {ms(record['p99_ms'])} | "
            f"{ms(record.get('one_client_p50_ms'))} | {ms(record.get('one_client_p99_ms'))} | "
            f"{ratio(record['p50_ms'], static.get('p50_ms'))} | "
            f"{ratio(record['p99_ms'], static.get('p99_ms'))} | "
            f"{ratio(record.get('one_client_p50_ms'), static.get('one_client_p50_ms'))} | "
            f"{ms(record.get('write_p50_ms'))} | {ms(record.get('write_p99_ms'))} | "
            f"{record.get('requests', '-')} | {record.get('errors', '-')} | "
            f"{record.get('note', '')} |"
        )
    return [
        *lines,
        "",
        f"Target: the question after a write within {AFTER_WRITE_RATIO:g}x of the same question "
        "on a static graph. The write's latency is from sending it to its acknowledgement "
        "(relateCIs and unrelateCIs together for the pair).",
    ]


def mixed_lines(record: dict[str, Any]) -> list[str]:
    reads, writes = record.get("reads", {}), record.get("writes", {})
    lines = [
        f"Reads due: {record.get('offered_rps')}/s for {record.get('due_seconds')} s (writes "
        f"{record.get('offered_write_rps')}/s, an importCIs of {record.get('import_rows')} "
        f"CIs every so often, see Set-up); answered: {record.get('requests')}, the last "
        f"{record.get('seconds')} s after the start ({record.get('rps')}/s achieved over that "
        "span); read errors: "
        f"{record.get('read_errors')}; the client sent a request at worst "
        f"{record.get('max_send_lag_ms')} ms after it was due.",
        "",
        "| requests | kind | p50 ms | p95 ms | p99 ms | p99.9 ms | answered | errors | "
        "first error |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| reads | all | {ms(record.get('p50_ms'))} | {ms(record.get('p95_ms'))} | "
        f"{ms(record.get('p99_ms'))} | {ms(record.get('p999_ms'))} | "
        f"{record.get('requests')} | {record.get('read_errors')} | |",
    ]
    for group, found in (("reads", reads), ("writes", writes)):
        for kind, figures in found.items():
            lines.append(
                f"| {group} | {kind} | {ms(figures['p50_ms'])} | {ms(figures.get('p95_ms'))} | "
                f"{ms(figures['p99_ms'])} | {ms(figures['p999_ms'])} | "
                f"{figures['requests']} | {figures['errors']} | {figures['first_error'] or ''} |"
            )
    lines += [
        "",
        "Latency counts from the time each request was due, not from when it could be sent: "
        "requests waiting behind slow ones (at most 64 connections at once) are late, and "
        "their lateness is in the figures.",
    ]
    if (record.get("max_send_lag_ms") or 0) > LAGGING_MS:
        lines += [
            "",
            f"**The load generator itself fell behind** (a request sent "
            f"{record['max_send_lag_ms']:,.0f} ms after it was due: its process did not get "
            "the CPU): its own delay is in these figures too.",
        ]
    return lines


def memory_lines(record: dict[str, Any] | None) -> list[str]:
    if record is None:
        return []
    stages = record.get("workers_rss_mb", {})
    pids = sorted({pid for found in stages.values() for pid in found})
    lines = [
        "## Memory of the projection per API process",
        "",
        "Resident size of each uvicorn worker in MiB (each holds its own topology projection, "
        "loaded before it serves):",
        "",
        f"| worker (pid) | {' | '.join(stages)} |",
        f"| --- | {' | '.join('---:' for _ in stages)} |",
    ]
    for pid in pids:
        lines.append(
            f"| {pid} | {' | '.join(str(found.get(pid, '-')) for found in stages.values())} |"
        )
    projection = record.get("projection", {})
    if "error" in projection:
        lines += ["", f"The projection alone: not measured: {projection['error']}"]
    elif projection:
        grown = (projection.get("rss_after_mb") or 0) - (projection.get("rss_before_mb") or 0)
        lines += [
            "",
            f"The projection alone, loaded in a fresh process: {projection['cis']} CIs and "
            f"{projection['edges']} edges in {projection['load_seconds']} s; the process grew "
            f"by {grown:.0f} MiB ({projection['rss_before_mb']} to "
            f"{projection['rss_after_mb']} MiB); it holds {projection['arrays_mb']} MiB of "
            f"numpy arrays and {projection['python_mb']} MiB of Python lists, dicts and "
            "strings (ids, names, the id index).",
        ]
    return [*lines, ""]


def by_scale_lines(all_records: Sequence[dict[str, Any]], order: Sequence[str]) -> list[str]:
    """The medians of the after-write variants and the mixed load at every scale."""
    rows = [
        r
        for r in all_records
        if r.get("system") == "product" and (r.get("variant") or r["question"] == "mixed_load")
    ]
    if not rows:
        return []
    rows.sort(key=lambda r: order.index(r["scale"]) if r["scale"] in order else 99)
    lines = [
        "",
        "| question | variant | scale | p50 ms | p99 ms | p99.9 ms | 1 client p50 ms | req/s |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| `{r['question']}` | {r.get('variant') or '-'} | {r['scale']} | "
            f"{ms(r['p50_ms'])} | {ms(r['p99_ms'])} | {ms(r.get('p999_ms'))} | "
            f"{ms(r.get('one_client_p50_ms'))} | {ms(r.get('rps'))} |"
        )
    return lines
