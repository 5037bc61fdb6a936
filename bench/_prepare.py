"""The graph into the benchmark's Neo4j: migrations, the product's import of the generated
document (timed), the start CIs found by their externalIds, the edges exported for the floor,
and the CIs the writes will touch."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from api import Settings, build_transfer
from bench._floor import ExportedGraph, export_graph
from bench._stack import Neo4jTarget
from graph import Database, connect
from graph.imports import ImportSection, read_json
from migrations import migrate

__all__ = ["prepare"]
STARTS = """
UNWIND $keys AS key
MATCH (c:CI) WHERE key IN c.externalIds
RETURN collect([key, c.id]) AS found
"""
COUNT_CIS = "MATCH (c:CI) RETURN count(c) AS cis"
# Applications that do not depend on the start CI yet: relateCIs adds that edge.
INDEPENDENT_APPLICATIONS = """
MATCH (a:Application) WHERE a.status <> 'RETIRED'
  AND NOT EXISTS { MATCH (a)-[r:DEPENDS_ON]->(:CI {id: $target}) WHERE r.validTo IS NULL }
RETURN a.id AS id ORDER BY a.name LIMIT $count
"""


async def _import(db: Database, settings: Settings, data: Path) -> dict[str, Any]:
    """Loads the document through the product's import, wired as `cmdb import` wires it."""
    started = time.perf_counter()
    # Read in a thread: at 1m the document is half a gigabyte.
    request = read_json(await asyncio.to_thread(data.read_text, encoding="utf-8"))
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


def _import_alone(target: Neo4jTarget, data: Path) -> dict[str, Any]:
    """`_import` with a connection of its own (run in a child process)."""

    async def run() -> dict[str, Any]:
        db = connect(target.uri, target.user, target.password, target.database)
        try:
            return await _import(db, Settings.from_env(target.environment()), data)
        finally:
            await db.close()

    return asyncio.run(run())


async def _starts(db: Database, manifest: dict[str, Any]) -> dict[str, tuple[str, str]]:
    source = manifest["source"]
    keys = {f"{source}\x1f{external}": name for name, external in manifest["starts"].items()}
    rows = await db.read_rows("bench.starts", STARTS, keys=list(keys))
    found = {keys[key]: ci_id for key, ci_id in rows[0]["found"]}
    missing = sorted(set(keys.values()) - set(found))
    if missing:
        raise RuntimeError(f"start CIs not found after the import: {missing}")
    return {name: (manifest["starts"][name], found[name]) for name in manifest["starts"]}


async def prepare(
    target: Neo4jTarget, data: Path, manifest: dict[str, Any], clients: int
) -> tuple[dict[str, Any], dict[str, tuple[str, str]], ExportedGraph, str, list[str]]:
    db = connect(target.uri, target.user, target.password, target.database)
    try:
        await migrate(db, "bench")
        existing = (await db.read_rows("bench.count", COUNT_CIS))[0]["cis"]
        if existing:
            raise RuntimeError(f"the graph at {target.uri} has {existing} CIs; it must be empty")
        print(f"importing {manifest['cis']} CIs and {manifest['relationships']} relationships")
        # In a process of its own: at 1m parsing the document takes about 6 GB, which a
        # process exiting gives back, and the rest of the run needs.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            load = await asyncio.get_running_loop().run_in_executor(
                pool, _import_alone, target, data
            )
        starts = await _starts(db, manifest)
        exported = await export_graph(db)
        rows = await db.read_rows(
            "bench.applications",
            INDEPENDENT_APPLICATIONS,
            target=starts["shared_database"][1],
            count=clients,
        )
        dependents = [row["id"] for row in rows]
        return load, starts, exported, await db.server_version(), dependents

    finally:
        await db.close()
