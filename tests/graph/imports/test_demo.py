from __future__ import annotations

import json

from graph import Database, HistoryRepository
from graph.cis import CIRepository
from graph.imports import ImportRepository, load_demo
from graph.imports._demo import DEMO_FILE


async def test_demo_loads_every_ci_and_relationship_once(db: Database) -> None:
    document = json.loads(DEMO_FILE.read_text())
    imports = ImportRepository(db, HistoryRepository(db))

    assert await load_demo(imports, "pytest") == (
        len(document["cis"]),
        len(document["relationships"]),
    )
    assert await load_demo(imports, "pytest") == (
        len(document["cis"]),
        len(document["relationships"]),
    )

    counts = await db.read_rows(
        "t",
        "MATCH (c:CI) WITH count(c) AS cis "
        "OPTIONAL MATCH (:CI)-[r]->(:CI) RETURN cis, count(r) AS relationships",
    )
    assert counts == [
        {"cis": len(document["cis"]), "relationships": len(document["relationships"])}
    ]
    assert not await CIRepository(db, HistoryRepository(db)).is_empty()


async def test_demo_covers_every_class_and_relationship_type(db: Database) -> None:
    await load_demo(ImportRepository(db, HistoryRepository(db)), "pytest")

    classes = await db.read_rows("t", "MATCH (c:CI) RETURN count(DISTINCT c.class) AS n")
    types = await db.read_rows("t", "MATCH (:CI)-[r]->(:CI) RETURN collect(DISTINCT type(r)) AS t")
    services = await db.read_rows("t", "MATCH (s:BusinessService) RETURN count(s) AS n")
    assert classes == [{"n": 17}]
    assert sorted(types[0]["t"]) == [
        "CONNECTED_THROUGH",
        "DEPENDS_ON",
        "HOSTED_ON",
        "PROVIDED_BY",
        "RUNS_ON",
    ]
    assert services[0]["n"] >= 3


async def test_demo_has_a_pool_a_shared_database_and_a_network_core(db: Database) -> None:
    await load_demo(ImportRepository(db, HistoryRepository(db)), "pytest")

    pool = await db.read_rows(
        "t",
        "MATCH (d:CI)-[r {redundancyGroup: 'web-pool'}]->(m:CI) "
        "RETURN d.name AS dependent, d.`minOperational.web-pool` AS needed, count(m) AS members",
    )
    assert pool == [{"dependent": "Storefront Web Front-End", "needed": 2, "members": 3}]

    sharing = await db.read_rows(
        "t",
        "MATCH (s:BusinessService)-[*1..10]->(d:Database) "
        "WHERE 'demo\u001fdb-customers' IN d.externalIds "
        "RETURN count(DISTINCT s) AS services",
    )
    assert sharing[0]["services"] >= 2

    reaching_core = await db.read_rows(
        "t",
        "MATCH (s:BusinessService) RETURN s.name AS service, EXISTS { "
        "MATCH (s)-[*1..15]->(n:NetworkDevice) WHERE 'demo\u001fnet-core-01' IN n.externalIds "
        "} AS reaches_core",
    )
    assert len(reaching_core) >= 3
    assert all(row["reaches_core"] for row in reaching_core), reaching_core
