"""The benchmark run, end to end: generate, start Neo4j, migrate, import, serve, measure the
product, the peer and the floor, report. `bench/run.py` is its command line."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import random
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from api import Settings, build_transfer
from bench import generate as generator
from bench._floor import ExportedGraph, export_graph
from bench._load import Bounds
from bench._measure import findings, measure_floor, measure_peer, measure_product
from bench._peer import peer_server
from bench._report import RunInfo, merge_records, plot_impact, write_results_md
from bench._stack import ROOT, Neo4jTarget, embedded_neo4j, product_api
from bench._system import machine, versions
from graph import Database, connect
from graph.imports import ImportSection, read_json
from migrations import migrate

__all__ = ["main"]

CI_SAMPLE = 100
STARTS = """
UNWIND $keys AS key
MATCH (c:CI) WHERE key IN c.externalIds
RETURN collect([key, c.id]) AS found
"""
COUNT_CIS = "MATCH (c:CI) RETURN count(c) AS cis"


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


async def _import(db: Database, settings: Settings, text: str) -> dict[str, Any]:
    """Loads the document through the product's import, wired as `cmdb import` wires it."""
    started = time.perf_counter()
    request = read_json(text)
    parsed = time.perf_counter()
    done: dict[ImportSection, float] = {}

    def progress(section: ImportSection, rows: int, total: int) -> None:
        if rows == total:
            done[section] = time.perf_counter()

    imports = build_transfer(db, settings).imports
    result = await imports.run(request, "bench", progress)
    ended = time.perf_counter()
    if result.refused or result.failed or result.relationships_failed:
        first = "; ".join(f"{e.where} {e.field}: {e.message}" for e in result.errors[:5])
        raise RuntimeError(f"the import refused rows: {first}")
    cis_s = done[ImportSection.CIS] - parsed
    edges_s = ended - done[ImportSection.CIS]
    return {
        "import (the product's, as `cmdb import`; batches of 1,000 rows)": (
            f"{result.created} CIs in {cis_s:.1f} s ({result.created / cis_s:,.0f} CIs/s, "
            "planning of CIs and relationships included), "
            f"{result.relationships_created} relationships in {edges_s:.1f} s "
            f"({result.relationships_created / edges_s:,.0f} relationships/s); "
            f"{ended - parsed:.1f} s in all, after {parsed - started:.1f} s parsing the file"
        ),
        "import_seconds": round(ended - started, 1),
        "cis_per_s": round(result.created / cis_s, 1),
        "relationships_per_s": round(result.relationships_created / edges_s, 1),
    }


async def _starts(db: Database, manifest: dict[str, Any]) -> dict[str, tuple[str, str]]:
    source = manifest["source"]
    keys = {f"{source}\x1f{external}": name for name, external in manifest["starts"].items()}
    rows = await db.read_rows("bench.starts", STARTS, keys=list(keys))
    found = {keys[key]: ci_id for key, ci_id in rows[0]["found"]}
    missing = sorted(set(keys.values()) - set(found))
    if missing:
        raise RuntimeError(f"start CIs not found after the import: {missing}")
    return {name: (manifest["starts"][name], found[name]) for name in manifest["starts"]}


async def _prepare(
    target: Neo4jTarget, text: str, manifest: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, tuple[str, str]], ExportedGraph, str]:
    db = connect(target.uri, target.user, target.password, target.database)
    try:
        await migrate(db, "bench")
        existing = (await db.read_rows("bench.count", COUNT_CIS))[0]["cis"]
        if existing:
            raise RuntimeError(f"the graph at {target.uri} has {existing} CIs; it must be empty")
        print(f"importing {manifest['cis']} CIs and {manifest['relationships']} relationships")
        load = await _import(db, Settings.from_env(target.environment()), text)
        starts = await _starts(db, manifest)
        exported = await export_graph(db)
        return load, starts, exported, await db.server_version()
    finally:
        await db.close()


def _command(args: argparse.Namespace, argv: Sequence[str]) -> str:
    if os.environ.get("MAKELEVEL"):
        return f"make bench SCALE={args.scale}"
    return " ".join([".venv/bin/python bench/run.py", *argv])


def run(argv: Sequence[str]) -> int:
    args = _arguments(argv)
    args.bounds = Bounds(args.concurrency, args.requests, args.warmup, args.budget, args.timeout)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    the_machine = machine()
    generated = generator.generate(args.total, args.seed)
    data, manifest_path = generator.write(generated, args.work_dir, args.scale, args.seed)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    print(f"generated {data} ({manifest['cis']} CIs, {manifest['relationships']} relationships)")
    with _neo4j(args) as target:
        args.target = target
        load, starts, exported, server = asyncio.run(
            _prepare(target, data.read_text(encoding="utf-8"), manifest)
        )
        sample = random.Random(args.seed).sample(exported.ids, min(CI_SAMPLE, len(exported.ids)))
        print(f"product API: uvicorn, {args.workers} workers")
        with product_api(target, args.workers, args.work_dir / "product-api.log") as url:
            product, samples = asyncio.run(measure_product(url, starts, sample, args))
        with peer_server(
            args.peer_dir, target, args.workers, args.work_dir / "peer.log", not args.no_peer
        ) as peer:
            if peer.url is None:
                print(f"peer: not available: {peer.reason}")
            else:
                print(f"peer: {peer.url} ({peer.version or 'version unknown'})")
            peer_records, peer_samples = asyncio.run(measure_peer(peer, starts, sample, args))
    info = RunInfo(
        command=_command(args, argv),
        date=started,
        scale=args.scale,
        seed=args.seed,
        machine=the_machine,
        versions=versions(server),
        setup={
            "Neo4j": f"{target.uri}, page cache {target.page_cache or 'its own'}, "
            f"heap {target.heap or 'its own'}",
            "product API": f"uvicorn, {args.workers} workers, on loopback",
            "clients": f"{args.concurrency} concurrent (httpx), {args.requests} timed requests "
            f"per question after {args.warmup} untimed ones sent one at a time, at most "
            f"{args.budget:.0f} s per question (no new request after that), {args.timeout:.0f} s "
            "per request; ci(id) rotates over 100 CIs. A question whose single request takes "
            "over half the budget is not loaded: its warm-up requests, one at a time, are its "
            "figures (the table says so)",
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
    floor = measure_floor(exported, starts, samples, args, info)
    print(f"floor: {info.availability['floor']}")
    records = product + floor + peer_records
    findings(records, samples, peer_samples, info)
    all_records = merge_records(args.results_dir / "results.json", args.scale, records)
    plot = plot_impact(args.results_dir / "impact_latency.png", all_records)
    write_results_md(args.results_dir / "RESULTS.md", info, records, all_records, plot)
    print(f"wrote {args.results_dir / 'RESULTS.md'}, results.json; plot: {plot}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    import sys

    return run(list(sys.argv[1:] if argv is None else argv))
