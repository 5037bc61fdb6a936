"""What a run leaves behind: bench/results.json (every scale run so far), bench/RESULTS.md (this
run, plus latency by scale) and bench/impact_latency.png (impact latency against graph size)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._questions import QUESTIONS, Question
from bench._report_sections import (
    after_write_lines,
    by_scale_lines,
    memory_lines,
    mixed_lines,
    ratio,
)
from bench._report_sections import (
    ms as _ms,
)
from bench._targets import findings_lines, target_lines
from bench.generate import SCALES, parse_scale

__all__ = ["RunInfo", "merge_records", "plot_impact", "write_results_md"]

SYSTEMS = ("product", "floor", "peer")
IMPACT_KEYS = (
    "impact_leaf",
    "impact_shared_database",
    "impact_network_core",
    "impact_change_manager",
)
COLOURS = {"product": "tab:blue", "floor": "tab:green", "peer": "tab:orange"}


@dataclass
class RunInfo:
    command: str
    date: str
    scale: str
    seed: int
    machine: dict[str, str]
    versions: dict[str, str]
    setup: dict[str, str]
    graph: dict[str, Any]
    load: dict[str, Any]
    starts: dict[str, tuple[str, str]]
    """Manifest name -> (externalId, CI id)."""
    availability: dict[str, str] = field(default_factory=dict)
    """System -> 'available' or 'not available: <reason>'."""
    notes: list[str] = field(default_factory=list)


def merge_records(path: Path, scale: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """results.json with this scale's records replaced by `records`; earlier scales kept."""
    kept: list[dict[str, Any]] = []
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            kept = [r for r in old if isinstance(r, dict) and r.get("scale") != scale]
        except ValueError:
            kept = []
    order = {q.key: i for i, q in enumerate(QUESTIONS)}
    merged = sorted(
        kept + records,
        key=lambda r: (
            parse_scale(str(r["scale"])),
            order.get(str(r["question"]), 99),
            SYSTEMS.index(r["system"]) if r["system"] in SYSTEMS else 9,
        ),
    )
    path.write_text(json.dumps(merged, indent=1) + "\n", encoding="utf-8")
    return merged


def _question_table(
    question: Question, records: dict[str, dict[str, Any]], info: RunInfo
) -> list[str]:
    lines = [f"### `{question.key}`: {question.title}", ""]
    if question.start:
        external, ci_id = info.starts[question.start]
        lines += [f"Start CI: `{external}` (id `{ci_id}`).", ""]
    lines += [
        "| system | p50 ms | p95 ms | p99 ms | req/s | requests | errors | first request ms | "
        "product/system p50 | product/system p99 | 1 client p50 ms | 1 client p99 ms | "
        "product/system p50, 1 client | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | --- |",
    ]
    product = records.get("product", {})
    for system in SYSTEMS:
        record = records.get(system)
        if record is None:
            reason = (
                "the floor answers impact and outage only"
                if system == "floor"
                else info.availability.get(system, "not run")
            )
            lines.append(f"| {system} | - | - | - | - | - | - | - | - | - | - | - | - | {reason} |")
            continue
        ratio50 = "1.00x" if system == "product" else ratio(product.get("p50_ms"), record["p50_ms"])
        ratio99 = "1.00x" if system == "product" else ratio(product.get("p99_ms"), record["p99_ms"])
        alone = record.get("one_client_p50_ms")
        ratio_alone = (
            "1.00x" if system == "product" else ratio(product.get("one_client_p50_ms"), alone)
        )
        rps = "-" if record["rps"] is None else f"{record['rps']:.1f}"
        lines.append(
            f"| {system} | {_ms(record['p50_ms'])} | {_ms(record['p95_ms'])} | "
            f"{_ms(record['p99_ms'])} | {rps} | {record.get('requests', '-')} | "
            f"{record.get('errors', '-')} | {_ms(record.get('cold_ms'))} | {ratio50} | {ratio99} | "
            f"{_ms(alone)} | {_ms(record.get('one_client_p99_ms'))} | {ratio_alone} | "
            f"{record.get('note', '')} |"
        )
    peer_note = records.get("peer", {}).get("peer_note")
    if peer_note:
        lines += ["", f"The peer's note (bench/peer/queries.json): {peer_note}"]
    return [*lines, ""]


def _by_scale(all_records: Sequence[dict[str, Any]]) -> list[str]:
    scales = sorted({str(r["scale"]) for r in all_records}, key=parse_scale)
    lines = [
        "| question | scale | product p50 ms | product p99 ms | product req/s | floor p50 ms | "
        "peer p50 ms | peer p99 ms | peer req/s | product/floor p50 | product/peer p50 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for question in (q for q in QUESTIONS if q.kind == "read"):
        for scale in scales:
            found = {
                r["system"]: r
                for r in all_records
                if r["question"] == question.key and r["scale"] == scale
            }
            if not found:
                continue
            product, floor, peer = (found.get(s, {}) for s in SYSTEMS)
            lines.append(
                f"| `{question.key}` | {scale} | {_ms(product.get('p50_ms'))} | "
                f"{_ms(product.get('p99_ms'))} | {_ms(product.get('rps'))} | "
                f"{_ms(floor.get('p50_ms'))} | {_ms(peer.get('p50_ms'))} | "
                f"{_ms(peer.get('p99_ms'))} | {_ms(peer.get('rps'))} | "
                f"{ratio(product.get('p50_ms'), floor.get('p50_ms'))} | "
                f"{ratio(product.get('p50_ms'), peer.get('p50_ms'))} |"
            )
    return lines


def write_results_md(
    path: Path,
    info: RunInfo,
    records: Sequence[dict[str, Any]],
    all_records: Sequence[dict[str, Any]],
    plot: str,
) -> None:
    """RESULTS.md: the machine, versions, scale and command, one table per question, then
    the medians of every scale in results.json."""
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{info.command}` on {info.date} (bench/run.py; the performance targets "
        "are in bench/_targets.py). Latency is per request, end to end over HTTP on loopback "
        "for the product and the peer; the floor is an in-process breadth-first search "
        "(igraph) over the same edges, called one at a time. Ratios are product divided by "
        "the other system: above 1 the product is slower. The first request of each question "
        "(query planning, cold caches) is shown apart and is in none of the other figures.",
        "",
        "## Machine and versions",
        "",
        *[f"- {key}: {value}" for key, value in {**info.machine, **info.versions}.items()],
        "",
        "## Set-up",
        "",
        *[f"- {key}: {value}" for key, value in info.setup.items()],
        *[f"- {system}: {state}" for system, state in info.availability.items()],
        "",
        "## Graph and import",
        "",
        *[f"- {key}: {value}" for key, value in {**info.graph, **info.load}.items()],
        "",
        "## Questions",
        "",
    ]
    by_question: dict[str, dict[str, dict[str, Any]]] = {}
    for record in records:
        by_question.setdefault(record["question"], {})[record["system"]] = record
    for question in QUESTIONS:
        found = by_question.get(question.key, {})
        if not found:
            lines += [f"### `{question.key}`: {question.title}", "", "Not asked in this run.", ""]
        elif question.kind == "read":
            lines += _question_table(question, found, info)
        else:
            lines += _scenario(question, [r for r in records if r["question"] == question.key])
    lines += memory_lines(by_question.get("projection_memory", {}).get("product"))
    lines += target_lines(records, info.load)
    lines += ["## Medians by scale (every scale in results.json)", "", *_by_scale(all_records)]
    lines += by_scale_lines(all_records, list(SCALES))
    lines += ["", "## Impact latency against graph size", "", plot, ""]
    if info.notes:
        lines += ["## Checks and findings", "", *[f"- {note}" for note in info.notes], ""]
    lines += findings_lines()
    path.write_text("\n".join(lines), encoding="utf-8")


def _scenario(question: Question, records: list[dict[str, Any]]) -> list[str]:
    """The section of a question that is not one request repeated, and the peer's note."""
    product = [r for r in records if r["system"] == "product"]
    peer = next((r for r in records if r["system"] == "peer"), {})
    lines = [f"### `{question.key}`: {question.title}", ""]
    if question.kind == "after_write":
        lines += after_write_lines(product)
    elif product:
        lines += mixed_lines(product[0])
    if peer:
        lines += ["", f"The peer: {peer.get('note', '')}"]
        if peer.get("peer_note"):
            lines += ["", f"The peer's note (bench/peer/queries.json): {peer['peer_note']}"]
    return [*lines, ""]


def plot_impact(path: Path, all_records: Sequence[dict[str, Any]]) -> str:
    """Draws impact latency (p50, and p99 dashed) against the number of CIs, one panel per
    start CI, for every scale in results.json. Returns the Markdown that shows it, or why
    there is no plot."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "Not drawn: matplotlib is not installed (make bench installs the `bench` extra)."
    titles = {q.key: q.title.replace("impact at depth 10 from ", "") for q in QUESTIONS}
    titles["impact_change_manager"] = "the change manager's (shared database)"
    figure, axes = plt.subplots(1, len(IMPACT_KEYS), figsize=(20, 4.8), sharey=True)
    for axis, key in zip(axes, IMPACT_KEYS, strict=True):
        for system in SYSTEMS:
            points = sorted(
                (parse_scale(str(r["scale"])), r["p50_ms"], r["p99_ms"])
                for r in all_records
                if r["question"] == key and r["system"] == system and r.get("p50_ms")
            )
            if not points:
                continue
            sizes = [p[0] for p in points]
            colour = COLOURS[system]
            axis.plot(sizes, [p[1] for p in points], "o-", color=colour, label=f"{system} p50")
            axis.plot(
                sizes, [p[2] for p in points], "x--", color=colour, alpha=0.6, label=f"{system} p99"
            )
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(f"impact depth 10: {titles[key]}", fontsize=10)
        axis.set_xlabel("CIs in the graph")
        axis.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("latency, ms (log)")
    axes[-1].legend(fontsize=8)
    figure.suptitle(
        "Impact latency against graph size: product (GraphQL), floor (in-memory BFS)"
        ", peer (Neo4j GraphQL Library)"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return f"![impact latency against graph size]({path.name})"
