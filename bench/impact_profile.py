"""Compares Cypher formulations of the upstream impact traversal with PROFILE.

Usage: .venv/bin/python bench/impact_profile.py [--cis 100000]

Starts its own embedded Neo4j in a temporary folder (or uses NEO4J_URI/NEO4J_PASSWORD), writes a
layered CMDB-like graph of --cis CIs, and prints, for three start CIs (a microservice, the most
shared database, the most shared network device), each formulation's rows, database hits
(PROFILE) and median warm time over 5 runs. The figures in docs/impact.md came from this script.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, LiteralString

import neo4j

from graph.embedded import EmbeddedNeo4j, find_java_home, free_port

# Private on purpose: the profile runs the product's own traversal text beside the
# alternatives, and that text is an internal of graph.impact, not part of its façade.
from graph.impact._traversal import UPSTREAM

TYPES = ["DEPENDS_ON", "RUNS_ON", "HOSTED_ON", "CONNECTED_THROUGH", "PROVIDED_BY"]
ALL = "DEPENDS_ON|RUNS_ON|HOSTED_ON|CONNECTED_THROUGH|PROVIDED_BY"

FORMULATIONS: dict[str, LiteralString] = {
    "var-length, DISTINCT": f"""
        MATCH (t:CI {{id: $id}})<-[rs:{ALL}*1..11]-(n:CI)
        WHERE all(r IN rs WHERE r.validTo IS NULL AND type(r) IN $types)
        RETURN count(DISTINCT n) AS reached""",
    "quantified path, DISTINCT": """
        MATCH (t:CI {id: $id}) (()<-[r WHERE r.validTo IS NULL AND type(r) IN $types]-(:CI)){1,11}
              (n:CI)
        RETURN count(DISTINCT n) AS reached""",
    "ANY SHORTEST per node": """
        MATCH p = ANY SHORTEST (t:CI {id: $id})
              (()<-[r WHERE r.validTo IS NULL AND type(r) IN $types]-(:CI)){1,11} (n:CI)
        RETURN count(DISTINCT n) AS reached""",
}

LEVEL = """
UNWIND $frontier AS id
MATCH (:CI {id: id})<-[r]-(n:CI)
WHERE r.validTo IS NULL AND type(r) IN $types
RETURN DISTINCT n.id AS id
"""

LAYERS = [
    ("BusinessService", 0.01),
    ("TechnicalService", 0.03),
    ("Microservice", 0.2),
    ("Database", 0.03),
    ("Container", 0.3),
    ("VirtualMachine", 0.25),
    ("Server", 0.1),
    ("NetworkDevice", 0.03),
    ("Location", 0.05),
]
LINKS = [
    ("BusinessService", "TechnicalService", "PROVIDED_BY", 3),
    ("TechnicalService", "Microservice", "DEPENDS_ON", 8),
    ("Microservice", "Microservice", "DEPENDS_ON", 2),
    ("Microservice", "Database", "DEPENDS_ON", 2),
    ("Microservice", "Container", "RUNS_ON", 1),
    ("Container", "VirtualMachine", "HOSTED_ON", 1),
    ("Container", "NetworkDevice", "CONNECTED_THROUGH", 1),
    ("VirtualMachine", "Server", "HOSTED_ON", 1),
    ("VirtualMachine", "NetworkDevice", "CONNECTED_THROUGH", 2),
    ("Server", "NetworkDevice", "CONNECTED_THROUGH", 1),
    ("NetworkDevice", "NetworkDevice", "CONNECTED_THROUGH", 1),
    ("Server", "Location", "HOSTED_ON", 1),
    ("Database", "VirtualMachine", "RUNS_ON", 2),
]


def generate(size: int, seed: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    rng = random.Random(seed)
    ids = {
        label: [f"{label}-{i}" for i in range(max(2, int(size * share)))] for label, share in LAYERS
    }
    nodes = [{"id": i, "label": label} for label, members in ids.items() for i in members]
    edges = [
        {"a": source, "b": target, "t": kind}
        for dependent, dependency, kind, count in LINKS
        for source in ids[dependent]
        for target in rng.sample(ids[dependency], min(count, len(ids[dependency])))
        if source != target
    ]
    return nodes, edges


async def load(driver: neo4j.AsyncDriver, size: int, seed: int) -> tuple[int, int]:
    nodes, edges = generate(size, seed)
    await driver.execute_query("CREATE INDEX bench_ci_id IF NOT EXISTS FOR (c:CI) ON (c.id)")
    await driver.execute_query("CALL db.awaitIndexes()")
    for i in range(0, len(nodes), 10_000):
        await driver.execute_query(
            "UNWIND $rows AS r CREATE (c:CI {id: r.id, name: r.id, class: r.label, "
            "status: 'OPERATIONAL'}) SET c:$(r.label)",
            rows=nodes[i : i + 10_000],
        )
    for i in range(0, len(edges), 10_000):
        await driver.execute_query(
            "UNWIND $rows AS r MATCH (a:CI {id: r.a}), (b:CI {id: r.b}) "
            "CREATE (a)-[x:$(r.t)]->(b) SET x.validFrom = datetime(), "
            "x.lastConfirmedAt = datetime()",
            rows=edges[i : i + 10_000],
        )
    return len(nodes), len(edges)


async def timed(runs: int, work: Any) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(runs + 1):
        started = time.perf_counter()
        result = await work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:]), result


async def db_hits(driver: neo4j.AsyncDriver, query: LiteralString, **params: Any) -> int:
    async with driver.session(database="neo4j") as session:
        result = await session.run("PROFILE " + query, params)
        summary = await result.consume()

    def total(plan: dict[str, Any]) -> int:
        return int(plan.get("dbHits", 0)) + sum(total(c) for c in plan.get("children", []))

    return total(summary.profile or {})


async def compare(driver: neo4j.AsyncDriver, start: str) -> list[tuple[str, int, int | str, float]]:
    rows: list[tuple[str, int, int | str, float]] = []
    for name, query in FORMULATIONS.items():
        ms, records = await timed(5, lambda q=query: driver.execute_query(q, id=start, types=TYPES))
        hits = await db_hits(driver, query, id=start, types=TYPES)
        rows.append((name, records.records[0]["reached"], hits, ms))

    async def level_by_level() -> int:
        seen = {start}
        frontier = [start]
        for _ in range(11):
            found = await driver.execute_query(LEVEL, frontier=frontier, types=TYPES)
            frontier = [r["id"] for r in found.records if r["id"] not in seen]
            seen.update(frontier)
            if not frontier:
                break
        return len(seen) - 1

    ms, reached = await timed(5, level_by_level)
    rows.append(("level by level from Python (≤11 round trips)", reached, "n/a", ms))

    product = UPSTREAM[10]
    ms, records = await timed(
        5,
        lambda: driver.execute_query(
            product,
            ids=[start],
            types=TYPES,
            asOf=None,
            withDependents=False,
            includeRetired=False,
        ),
    )
    # One row holding every reached CI (the start included) with its edges.
    reached = len(records.records[0]["nodes"]) - 1
    rows.append(("product fetch (nodes + all their edges, one row)", reached, "", ms))
    return rows


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cis", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    embedded = None
    uri, password = os.environ.get("NEO4J_URI"), os.environ.get("NEO4J_PASSWORD", "")
    if uri is None:
        password = "bench-password"
        embedded = EmbeddedNeo4j(
            Path(tempfile.mkdtemp(prefix="cmdb-bench-")),
            free_port(),
            password,
            find_java_home(os.environ.get("CMDB_JAVA_HOME")),
            page_cache="1g",
            heap="2g",
        )
        uri = embedded.start(watch_parent=True).uri
    driver = neo4j.AsyncGraphDatabase.driver(
        uri, auth=("neo4j", password), notifications_min_severity="OFF"
    )
    try:
        cis, relationships = await load(driver, args.cis, args.seed)
        print(f"graph: {cis} CIs, {relationships} relationships (seed {args.seed})\n")
        shared_db = await driver.execute_query(
            "MATCH (d:Database) RETURN d.id AS id ORDER BY COUNT { (d)<--() } DESC LIMIT 1"
        )
        core = await driver.execute_query(
            "MATCH (d:NetworkDevice) RETURN d.id AS id ORDER BY COUNT { (d)<--() } DESC LIMIT 1"
        )
        starts = {
            "a microservice": "Microservice-10",
            "the most shared database": shared_db.records[0]["id"],
            "the most shared network device": core.records[0]["id"],
        }
        for label, start in starts.items():
            print(f"### from {label} ({start}), depth 10\n")
            print("| formulation | CIs reached | db hits | median warm ms |")
            print("| --- | ---: | ---: | ---: |")
            for name, reached, hits, ms in await compare(driver, start):
                print(f"| {name} | {reached} | {hits} | {ms:.1f} |")
            print()
    finally:
        await driver.close()
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    asyncio.run(main())
