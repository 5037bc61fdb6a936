"""Measuring: the product and the peer over HTTP, the floor in-process, one record per
question and system (bench/_checks.py compares their answers)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from bench._checks import dig
from bench._floor import ExportedGraph, Floor, FloorUnavailable
from bench._load import Measurement, measure_http, measure_in_process
from bench._mixed import measure_mixed, plan_from
from bench._peer import Peer
from bench._questions import Question
from bench._report import RunInfo
from bench._scenarios import AFTER_WRITE_VARIANTS, Subjects, measure_after_write, prepare_change
from bench._stack import bench_authorization, terminate_leftovers

__all__ = ["measure_floor", "measure_peer", "measure_product"]


def _record(
    question: Question, scale: str, system: str, found: Measurement | None, note: str = ""
) -> dict[str, Any]:
    figures = asdict(found) if found else {}
    return {
        "question": question.key,
        "scale": scale,
        "system": system,
        "p50_ms": figures.get("p50_ms"),
        "p95_ms": figures.get("p95_ms"),
        "p99_ms": figures.get("p99_ms"),
        "rps": figures.get("rps"),
        "requests": figures.get("requests", 0),
        "errors": figures.get("errors", 0),
        "concurrency": figures.get("concurrency"),
        "cold_ms": figures.get("cold_ms"),
        "one_client_p50_ms": figures.get("alone_p50_ms", figures.get("p50_ms")),
        "one_client_p99_ms": figures.get("alone_p99_ms", figures.get("p99_ms")),
        "note": note,
    }


def _bodies(
    query: str, names: Sequence[str], start: str | None, sample: list[str]
) -> list[dict[str, Any]]:
    """Request bodies: one per CI of the sample when the question has no start CI but takes
    an id (ci(id)), else one."""
    values: dict[str, Any] = {"first": 50, "maxDepth": 10, "depth": 10}
    ids = [start] if start else sample
    unknown = [n for n in names if n not in values and n not in ("id", "ciIds", "serviceId")]
    if unknown:
        raise KeyError(", ".join(unknown))
    if not any(n in ("id", "ciIds", "serviceId") for n in names):
        ids = ids[:1]
    bodies = []
    for ci_id in ids:
        given = {**values, "id": ci_id, "serviceId": ci_id, "ciIds": [ci_id]}
        bodies.append({"query": query, "variables": {n: given[n] for n in names}})
    return bodies


async def _clean_up(args: argparse.Namespace) -> int:
    """Ends what abandoned requests left running, on a Neo4j of the benchmark's own only."""
    return await terminate_leftovers(args.target) if args.neo4j_uri is None else 0


def _note(found: Measurement, args: argparse.Namespace, leftovers: int) -> str:
    """What the table must say about a measurement beyond its figures."""
    notes = []
    if found.slow and not found.errors:
        alone = (found.p50_ms or 0) / 1000
        notes.append(
            f"too slow to load: one warm request alone took {alone:.1f} s, over half the "
            f"{args.budget:.0f} s budget, so {found.requests} requests were measured one at a "
            f"time, not under {args.concurrency} clients"
        )
    if found.errors:
        notes.append(f"{found.errors} errors, first: {found.first_error}")
    if leftovers:
        notes.append(f"{leftovers} abandoned Neo4j transactions terminated afterwards")
    return "; ".join(notes)


async def _after_write(
    question: Question, url: str, subjects: Subjects, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """One record per variant, `static` (no write before the question) first: the control
    the others are compared with, measured the same way."""
    body = {"query": question.query, "variables": {"id": subjects.target}}
    records = []
    for variant in AFTER_WRITE_VARIANTS:
        found, written = await measure_after_write(
            url, bench_authorization(), body, variant, subjects, args.bounds
        )
        leftovers = await _clean_up(args)
        record = _record(question, args.scale, "product", found, _note(found, args, leftovers))
        records.append(
            {
                **record,
                "variant": variant,
                "write_p50_ms": written.p50_ms,
                "write_p99_ms": written.p99_ms,
                "writes": written.requests,
            }
        )
        print(f"  product {question.key} {variant}: p50 {found.p50_ms} ms, {found.requests}")
    return records


async def _mixed(
    question: Question, url: str, subjects: Subjects, sample: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    figures = await measure_mixed(
        url, bench_authorization(), subjects, sample, question.query, plan_from(args), args.timeout
    )
    leftovers = await _clean_up(args)
    note = (
        f"{figures['errors']} errors, first: {figures['first_error']}" if figures["errors"] else ""
    )
    if leftovers:
        note += f"; {leftovers} abandoned Neo4j transactions terminated afterwards"
    record = _record(question, args.scale, "product", None, note.strip("; "))
    print(f"  product {question.key}: p50 {figures['p50_ms']} ms, {figures['rps']} reads/s")
    return {**record, **figures, "concurrency": None}


async def measure_product(
    url: str,
    starts: dict[str, tuple[str, str]],
    sample: list[str],
    subjects: Subjects,
    args: argparse.Namespace,
    questions: Sequence[Question],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    records, samples = [], {}
    for question in questions:
        if question.kind == "after_write":
            records += await _after_write(question, url, subjects, args)
            continue
        if question.kind == "mixed":
            records.append(await _mixed(question, url, subjects, sample, args))
            continue
        names = ["id"] if "$id" in question.query else []
        start = starts[question.start][1] if question.start else None
        bodies = _bodies(question.query, names, start, sample)
        if question.variable == "number":
            assert start is not None
            number = await prepare_change(url, bench_authorization(), start)
            bodies = [{"query": question.query, "variables": {"number": number}}]
        found = await measure_http(url, bodies, args.bounds, bench_authorization())
        leftovers = await _clean_up(args)
        records.append(
            _record(question, args.scale, "product", found, _note(found, args, leftovers))
        )
        samples[question.key] = found.sample
        print(f"  product {question.key}: p50 {found.p50_ms} ms, {found.requests} requests")
    return records, samples


async def measure_peer(
    peer: Peer, starts: dict[str, tuple[str, str]], sample: list[str], args: argparse.Namespace
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    records, samples = [], {}
    for question in args.questions:
        start = starts[question.start][1] if question.start else None
        entry = peer.queries.get(question.peer_key)
        if peer.url is None:
            records.append(
                _record(question, args.scale, "peer", None, f"not available: {peer.reason}")
            )
            continue
        if entry is None or entry.query is None:
            why = "its note below" if entry else f"queries.json has no `{question.peer_key}`"
            record = _record(question, args.scale, "peer", None, f"no query: {why}")
            records.append({**record, "peer_note": entry.note if entry else ""})
            continue
        try:
            bodies = _bodies(entry.query, entry.variables, start, sample)
        except KeyError as error:
            note = f"not run: variables the runner does not know: {error}"
            records.append(_record(question, args.scale, "peer", None, note))
            continue
        found = await measure_http(peer.url, bodies, args.bounds)
        leftovers = await _clean_up(args)
        note = (
            "equivalent"
            if entry.equivalent
            else "partial (see its note below)"
            if entry.partial
            else "NOT equivalent (see its note below)"
        )
        note += f"; {extra}" if (extra := _note(found, args, leftovers)) else ""
        record = _record(question, args.scale, "peer", found, note)
        records.append(
            {
                **record,
                "equivalent": entry.equivalent,
                "partial": entry.partial,
                "peer_note": entry.note,
            }
        )
        samples[question.key] = found.sample
        print(f"  peer {question.key}: p50 {found.p50_ms} ms, {found.requests} requests")
    return records, samples


def measure_floor(
    exported: ExportedGraph,
    starts: dict[str, tuple[str, str]],
    samples: dict[str, Any],
    args: argparse.Namespace,
    info: RunInfo,
) -> list[dict[str, Any]]:
    asked = [q for q in args.questions if q.floor_depth is not None]
    try:
        floor = Floor(exported)
    except FloorUnavailable as error:
        info.availability["floor"] = f"not available: {error}"
        return [_record(q, args.scale, "floor", None, f"not available: {error}") for q in asked]
    vertices, edges = floor.size
    info.availability["floor"] = (
        f"available: igraph {floor.version}, {vertices} CIs and {edges} edges exported from "
        "Neo4j once, before timing"
    )
    records = []
    for question in asked:
        assert question.start is not None and question.floor_depth is not None
        start, depth = starts[question.start][1], question.floor_depth

        def traverse(_call: int, start: str = start, depth: int = depth) -> int:
            return floor.upstream(start, depth)

        found = measure_in_process(traverse, args.bounds)
        records.append(
            _record(
                question,
                args.scale,
                "floor",
                found,
                f"{found.sample} CIs reached, depth <= {depth}",
            )
        )
        if question.count_field:
            product = dig(samples.get(question.key), question.count_field)
            verdict = "agree" if product == found.sample else "DISAGREE"
            info.notes.append(
                f"`{question.key}`: product and floor {verdict} on the CIs reached "
                f"(product `count` {product}, floor {found.sample})."
            )
    return records
