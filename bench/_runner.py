"""The benchmark run, end to end: generate, start Neo4j, migrate, import, serve, measure the
product, the peer and the floor, report. `bench/run.py` is its command line."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import random
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import httpx

from bench import generate as generator
from bench._checks import findings
from bench._load import Bounds
from bench._measure import measure_floor, measure_peer, measure_product
from bench._memory import memory_record, projection_size, worker_memory
from bench._peer import Peer, peer_server
from bench._prepare import prepare
from bench._questions import LARGE_CIS, QUESTIONS, asked_at
from bench._report import RunInfo, merge_records, plot_impact, write_results_md
from bench._scenarios import Subjects
from bench._stack import (
    ROOT,
    Neo4jTarget,
    ProductAPI,
    bench_authorization,
    embedded_neo4j,
    product_api,
)
from bench._system import machine, versions

__all__ = ["main"]

CI_SAMPLE = 100
LARGE_BUDGET_S = "600"
FIRST_QUESTION = """
query FirstQuestion($id: ID!) { impact(ciIds: [$id], maxDepth: 10) { count } }
"""


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the product against floor and peer.")
    parser.add_argument("--scale", required=True, help="1k, 10k, 100k or 1m")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per question")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per question")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per request")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn (and peer) workers")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "bench")
    parser.add_argument("--work-dir", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--peer-dir", type=Path, default=ROOT / "bench" / "peer")
    parser.add_argument("--no-peer", action="store_true", help="do not start the peer")
    parser.add_argument(
        "--peer", action="store_true", help="start the peer at 1m too (skipped there by default)"
    )
    parser.add_argument(
        "--long",
        action="store_true",
        help="ask the long questions at 1m too (writes, mixed load, singlePointsOfFailure)",
    )
    parser.add_argument("--mixed-rate", type=float, default=20.0, help="mixed load: reads/s")
    parser.add_argument("--mixed-seconds", type=float, default=60.0, help="mixed load: seconds")
    parser.add_argument("--mixed-write-rate", type=float, default=2.0, help="mixed load: writes/s")
    parser.add_argument(
        "--mixed-import-rows", type=int, default=300, help="mixed load: CIs per importCIs"
    )
    parser.add_argument(
        "--mixed-import-every", type=float, default=20.0, help="mixed load: s between imports"
    )
    parser.add_argument(
        "--neo4j-uri",
        help="use this (empty) Neo4j instead of starting one; NEO4J_PASSWORD, NEO4J_USER and "
        "NEO4J_DATABASE from the environment",
    )
    args = parser.parse_args(argv)
    try:
        args.total = generator.parse_scale(args.scale)
    except ValueError as error:
        parser.error(str(error))
    args.scale = args.scale.lower()
    args.questions = asked_at(args.total, args.long)
    args.large = args.total >= LARGE_CIS
    return args


def _neo4j(args: argparse.Namespace) -> AbstractContextManager[Neo4jTarget]:
    if args.neo4j_uri is None:
        return embedded_neo4j(args.work_dir, args.total)
    return nullcontext(
        Neo4jTarget(
            args.neo4j_uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ["NEO4J_PASSWORD"],
            os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
    )


def _command(args: argparse.Namespace, argv: Sequence[str]) -> str:
    if os.environ.get("MAKELEVEL"):
        return f"make bench SCALE={args.scale}"
    return " ".join([".venv/bin/python bench/run.py", *argv])


async def _first_questions(api: ProductAPI, ci_id: str, workers: int) -> None:
    """A few impact questions, each on a connection of its own so that every worker answers
    some: what a worker holds after its first questions, beside what it held before."""
    headers = {**bench_authorization(), "connection": "close"}
    limits = httpx.Limits(max_keepalive_connections=0)
    body = {"query": FIRST_QUESTION, "variables": {"id": ci_id}}
    async with httpx.AsyncClient(
        timeout=600, limits=limits, trust_env=False, headers=headers
    ) as client:
        for _ in range(4 * workers):
            (await client.post(api.url, json=body)).raise_for_status()


def _large_api(args: argparse.Namespace) -> tuple[float, dict[str, str]]:
    """How long the API may take to start, and its settings: at 1m each worker's projection
    load (one transaction reading every CI and edge) may outlast the default time budget of a
    transaction (30 s), so the budget is raised there; RESULTS.md says so."""
    return (1800, {"CMDB_TIME_BUDGET_SECONDS": LARGE_BUDGET_S}) if args.large else (90, {})


def _measure_api(
    args: argparse.Namespace,
    target: Neo4jTarget,
    starts: dict[str, tuple[str, str]],
    sample: list[str],
    subjects: Subjects,
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any], Peer, list[dict[str, Any]]]:
    """The product's read-only questions, then the peer's (the product's workers idle), then
    the product's questions that write: every system reads the graph as imported. The
    workers' resident sizes are taken around the product's questions."""
    print(f"product API: uvicorn, {args.workers} workers")
    log = args.work_dir / "product-api.log"
    reads = [q for q in args.questions if not q.writes]
    writing = [q for q in args.questions if q.writes]
    with product_api(target, args.workers, log, *_large_api(args)) as api:
        memory: dict[str, Any] = {"ready": worker_memory(api.group)}
        asyncio.run(_first_questions(api, starts["network_core"][1], args.workers))
        memory["after first questions"] = worker_memory(api.group)
        product, samples = asyncio.run(
            measure_product(api.url, starts, sample, subjects, args, reads)
        )
        peer, peer_records, peer_samples = _measure_peer(args, target, starts, sample)
        more, more_samples = asyncio.run(
            measure_product(api.url, starts, sample, subjects, args, writing)
        )
        memory["after the run"] = worker_memory(api.group)
    samples.update(more_samples)
    samples["peer"] = peer_samples
    return product + more, samples, memory, peer, peer_records


def _measure_peer(
    args: argparse.Namespace,
    target: Neo4jTarget,
    starts: dict[str, tuple[str, str]],
    sample: list[str],
) -> tuple[Peer, list[dict[str, Any]], dict[str, Any]]:
    skip = args.large and not args.peer
    with peer_server(
        args.peer_dir,
        target,
        args.workers,
        args.work_dir / "peer.log",
        not (args.no_peer or skip),
        "disabled (--no-peer)" if args.no_peer else "skipped at 1m (--peer runs it)",
    ) as peer:
        if peer.url is None:
            print(f"peer: not available: {peer.reason}")
        else:
            print(f"peer: {peer.url} ({peer.version or 'version unknown'})")
        records, samples = asyncio.run(measure_peer(peer, starts, sample, args))
    return peer, records, samples


def _info(
    args: argparse.Namespace,
    argv: Sequence[str],
    started: str,
    the_machine: dict[str, str],
    server: str,
    target: Neo4jTarget,
    manifest: dict[str, Any],
    load: dict[str, Any],
    starts: dict[str, tuple[str, str]],
    peer: Peer,
) -> RunInfo:
    return RunInfo(
        command=_command(args, argv),
        date=started,
        scale=args.scale,
        seed=args.seed,
        machine=the_machine,
        versions=versions(server),
        setup={
            "Neo4j": f"{target.uri}, page cache {target.page_cache or 'its own'}, "
            f"heap {target.heap or 'its own'}",
            "product API": f"uvicorn, {args.workers} workers, on loopback"
            + (f", CMDB_TIME_BUDGET_SECONDS={LARGE_BUDGET_S}" if args.large else ""),
            "clients": f"{args.concurrency} concurrent (httpx), {args.requests} timed requests "
            f"per question after {args.warmup} untimed ones sent one at a time, at most "
            f"{args.budget:.0f} s per question (no new request after that), {args.timeout:.0f} s "
            "per request; ci(id) rotates over 100 CIs. A question whose single request takes "
            "over half the budget is not loaded: its warm-up requests, one at a time, are its "
            "figures (the table says so)",
            "after a write": f"{args.warmup} writes and questions by one client, then up to "
            f"{args.requests} by {args.concurrency} clients, each request on a connection of "
            "its own (no keep-alive), so that a write and the question after it meet the same "
            "uvicorn worker about as often as different ones",
            "mixed load": f"open model: {args.mixed_rate:g} reads/s due by the clock for "
            f"{args.mixed_seconds:g} s, latency from the due time; {args.mixed_write_rate:g} "
            f"writes/s; an importCIs of {args.mixed_import_rows} CIs every "
            f"{args.mixed_import_every:g} s",
        },
        graph={
            "scale": f"{args.scale} (seed {args.seed})",
            "CIs": manifest["cis"],
            "relationships": f"{manifest['relationships']} "
            f"({manifest['relationships'] / manifest['cis']:.2f} per CI)",
            "classes": ", ".join(f"{k} {v}" for k, v in manifest["classes"].items()),
        },
        load={k: v for k, v in load.items() if not k.endswith("_per_s")},
        starts=starts,
        availability={
            "peer": f"available: {peer.url}, {peer.version or 'version unknown'}, "
            f"{args.workers} workers"
            if peer.url
            else f"not available: {peer.reason}",
        },
    )


def run(argv: Sequence[str]) -> int:
    args = _arguments(argv)
    args.bounds = Bounds(args.concurrency, args.requests, args.warmup, args.budget, args.timeout)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    the_machine = machine()
    generated = generator.generate(args.total, args.seed)
    data, manifest_path = generator.write(generated, args.work_dir, args.scale, args.seed)
    del generated  # at 1m, gigabytes that the rest of the run needs
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    print(f"generated {data} ({manifest['cis']} CIs, {manifest['relationships']} relationships)")
    with _neo4j(args) as target:
        args.target = target
        load, starts, exported, server, dependents = asyncio.run(
            prepare(target, data, manifest, args.concurrency)
        )
        sample = random.Random(args.seed).sample(exported.ids, min(CI_SAMPLE, len(exported.ids)))
        subjects = Subjects(
            starts["shared_database"][1], tuple(sample[: args.concurrency]), tuple(dependents)
        )
        product, samples, memory, peer, peer_records = _measure_api(
            args, target, starts, sample, subjects
        )
        peer_samples = samples.pop("peer")
        print("projection: loading it alone in a fresh process")
        memory["projection"] = projection_size(target.environment(), ROOT)
    info = _info(args, argv, started, the_machine, server, target, manifest, load, starts, peer)
    skipped = [q.key for q in QUESTIONS if q not in args.questions]
    if skipped:
        info.notes.append(
            f"Not asked at {args.scale} (long questions; --long asks them): {', '.join(skipped)}."
        )
    floor = measure_floor(exported, starts, samples, args, info)
    print(f"floor: {info.availability['floor']}")
    records = [*product, *floor, *peer_records, memory_record(args.scale, memory)]
    findings(records, samples, peer_samples, info)
    all_records = merge_records(args.results_dir / "results.json", args.scale, records)
    plot = plot_impact(args.results_dir / "impact_latency.png", all_records)
    write_results_md(args.results_dir / "RESULTS.md", info, records, all_records, plot)
    print(f"wrote {args.results_dir / 'RESULTS.md'}, results.json; plot: {plot}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    import sys

    return run(list(sys.argv[1:] if argv is None else argv))
