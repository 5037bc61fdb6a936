"""Running `cmdb discover` against the test session's Neo4j and reading back what it wrote,
named by the discovering source's external ids."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from api.cli import app
from graph import Database
from tests.conftest import TestServer as Server

FIXTURES = Path(__file__).with_name("fixtures")
SEP = "\x1f"
runner = CliRunner()


async def discover(server: Server, *args: str, **env: str) -> Result:
    """`cmdb discover ARGS...` in a thread (it runs its own event loop, as from a shell)."""
    environment = {
        "NEO4J_URI": server.uri,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_DATABASE": server.database,
        "CMDB_ACTOR": "discovery-test",
        "COLUMNS": "160",
        **env,
    }
    return await asyncio.to_thread(runner.invoke, app, ["discover", *args], env=environment)


CIS = """
MATCH (c:CI)
RETURN [e IN c.externalIds WHERE e STARTS WITH $prefix | substring(e, size($prefix))][0] AS ref,
       c.name AS name, c.class AS class, c.status AS status,
       [k IN keys(c) WHERE k STARTS WITH 'minOperational.' | [k, c[k]]] AS minimums
"""

EDGES = """
MATCH (a:CI)-[r]->(b:CI) WHERE type(r) <> 'HAS_EVENT'
WITH a, r, b,
     [e IN a.externalIds WHERE e STARTS WITH $prefix | substring(e, size($prefix))] AS aIds,
     [e IN b.externalIds WHERE e STARTS WITH $prefix | substring(e, size($prefix))] AS bIds
RETURN coalesce(aIds[0], a.name) AS from, type(r) AS type, coalesce(bIds[0], b.name) AS to,
       r.confidence AS confidence, r.redundancyGroup AS grp, r.source AS source,
       r.callCount AS calls, r.errorCount AS errors, r.observedBy AS observedBy
"""

COUNTS = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (e:AuditEvent) RETURN count(e) AS events }
CALL () { MATCH (c:CI) RETURN collect([c.id, c.version, toString(c.updatedAt)]) AS versions }
RETURN nodes, relationships, events, versions
"""


async def cis_of(db: Database, source: str) -> dict[str, tuple[Any, ...]]:
    """Per external id of `source`: (name, class label, status, {group: minOperational})."""
    rows = await db.read_rows("t", CIS, prefix=source + SEP)
    return {
        row["ref"]: (row["name"], row["class"], row["status"], dict(row["minimums"]))
        for row in rows
        if row["ref"] is not None
    }


async def edges_of(db: Database, source: str) -> set[tuple[Any, ...]]:
    """(from, type, to, confidence, redundancy group) of every edge; ends by `source`'s ids."""
    rows = await db.read_rows("t", EDGES, prefix=source + SEP)
    return {(r["from"], r["type"], r["to"], r["confidence"], r["grp"]) for r in rows}


async def edge_rows(db: Database, source: str) -> list[dict[str, Any]]:
    return await db.read_rows("t", EDGES, prefix=source + SEP)


async def counts(db: Database) -> dict[str, Any]:
    """Nodes, relationships, history events, and every CI's version and update time."""
    [row] = await db.read_rows("t", COUNTS)
    row["versions"] = sorted(map(tuple, row["versions"]))
    return row
