"""The performance targets, checked against one run's figures, and the hand-written account
of what stands in the way (bench/FINDINGS.md), for RESULTS.md.

This is the one place the targets are written down: impact at depth 10 through the GraphQL API
answered with a median under 50 ms and a p99 under 200 ms, within 5x of the floor (an
in-memory breadth-first search over the same edges); faster than the peer (bench/peer/) on
every measured query; the generated CMDB imported through the product's import path in under
30 s. The change manager's impact (services and states included) under 50 ms median and 200 ms
p99 both with one client and under the concurrent clients; the same question right after a
write within 2x of it on a static graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["AFTER_WRITE_RATIO", "findings_lines", "target_lines"]

FINDINGS = Path(__file__).resolve().parent / "FINDINGS.md"
IMPACT_QUESTIONS = (
    "impact_leaf",
    "impact_shared_database",
    "impact_network_core",
    "impact_change_manager",
)
MEDIAN_MS, P99_MS, FLOOR_RATIO, IMPORT_S = 50.0, 200.0, 5.0, 30.0
AFTER_WRITE_RATIO = 2.0


def _verdict(value: float | None, limit: float, unit: str = "ms") -> str:
    if value is None:
        return "not measured"
    mark = "met" if value < limit else "**missed**"
    return f"{value:,.3g} {unit} ({mark}; target < {limit:g} {unit})"


def _ratio(value: float | None, other: float | None, limit: float | None) -> str:
    if value is None or other is None or other == 0:
        return "-"
    ratio = value / other
    if limit is None:
        return f"{ratio:,.2f}x"
    mark = "met" if ratio <= limit else "**missed**"
    return f"{ratio:,.2f}x ({mark}; target <= {limit:g}x)"


def target_lines(records: Sequence[dict[str, Any]], load: dict[str, Any]) -> list[str]:
    """One line per performance target that this run measured."""
    found = {(r["question"], r["system"]): r for r in records}
    lines = [
        "## The performance targets in this run",
        "",
        "Impact at depth 10 through the GraphQL API: median under 50 ms, p99 under 200 ms, "
        "within 5x of the floor; faster than the peer on every measured query. Under the "
        "concurrent clients of the tables, and with one client (the warm-up requests, one at a "
        "time, as the floor is called).",
        "",
        "| question | p50 | p99 | product/floor p50 | 1 client p50 | 1 client p99 | "
        "product/floor p50, 1 client |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key in IMPACT_QUESTIONS:
        product = found.get((key, "product"))
        if product is None:
            continue
        floor = found.get((key, "floor"), {})
        lines.append(
            f"| `{key}` | {_verdict(product['p50_ms'], MEDIAN_MS)} | "
            f"{_verdict(product['p99_ms'], P99_MS)} | "
            f"{_ratio(product['p50_ms'], floor.get('p50_ms'), FLOOR_RATIO)} | "
            f"{_verdict(product.get('one_client_p50_ms'), MEDIAN_MS)} | "
            f"{_verdict(product.get('one_client_p99_ms'), P99_MS)} | "
            f"{_ratio(product.get('one_client_p50_ms'), floor.get('p50_ms'), FLOOR_RATIO)} |"
        )
    faster: list[str] = []
    slower: list[str] = []
    for (key, system), peer in found.items():
        product = found.get((key, "product"))
        if system != "peer" or product is None or not peer.get("p50_ms"):
            continue
        (faster if (product["p50_ms"] or 0) < peer["p50_ms"] else slower).append(f"`{key}`")
    lines += _after_write_lines(records)
    lines += [
        "",
        f"- Faster than the peer (p50, concurrent clients) on: {', '.join(faster) or 'none'}; "
        f"slower on: {', '.join(slower) or 'none'}.",
    ]
    if "import_seconds" in load:
        lines.append(
            f"- Import through the product's import path: "
            f"{_verdict(load['import_seconds'], IMPORT_S, 's')} (parsing the file included)."
        )
    return [*lines, ""]


def findings_lines() -> list[str]:
    """bench/FINDINGS.md, the profiles and what stands in the way, when it exists."""
    if not FINDINGS.exists():
        return []
    return ["## What stands in the way (bench/FINDINGS.md)", "", FINDINGS.read_text("utf-8"), ""]


def _after_write_lines(records: Sequence[dict[str, Any]]) -> list[str]:
    # The product's records only: the peer's (it cannot write) carry no variant.
    variants = {
        r.get("variant"): r
        for r in records
        if r["question"] == "impact_after_write" and r["system"] == "product"
    }
    static = variants.get("static")
    if static is None:
        return []
    lines = []
    for variant, record in variants.items():
        if variant == "static":
            continue
        alone = record.get("one_client_p50_ms"), static.get("one_client_p50_ms")
        lines.append(
            f"- The change manager's impact after {variant} against a static graph: p50 "
            f"{_ratio(record['p50_ms'], static['p50_ms'], AFTER_WRITE_RATIO)}, p99 "
            f"{_ratio(record['p99_ms'], static['p99_ms'], AFTER_WRITE_RATIO)}, p50 with one "
            f"client {_ratio(*alone, AFTER_WRITE_RATIO)}."
        )
    return ["", *lines] if lines else []
