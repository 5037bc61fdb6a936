"""The topology delta log and the projection that follows it: one delta per committed topology
write, numbered consecutively in commit order even under concurrent writers; a projection
applies them, and loads whole only when it cannot follow (further behind than the log keeps, a
write made without the product, another epoch), in the background when asked."""

from __future__ import annotations

import asyncio

from graph import Database, announce_topology_change
from graph.cis import NewRelationship
from graph.domain import NewCI, RelationType
from graph.impact.topology import Topology, TopologyProjection, analyse_impact
from graph.imports import ImportCI, ImportRelationship, ImportRequest
from tests.graph.impact.topology.helpers import answers, canonical, create, fresh_load, product

SEQS = "MATCH (d:TopologyDelta) RETURN d.seq AS seq, d.ids AS ids ORDER BY seq"


async def test_concurrent_writers_record_one_delta_each_numbered_in_commit_order(
    db: Database,
) -> None:
    p = product(db)
    hub = await create(p, "hub", "DATABASE")
    projection = TopologyProjection(db)
    await projection.current()

    created = await asyncio.gather(*(create(p, f"app-{i}") for i in range(8)))
    await asyncio.gather(
        *(
            p.relationships.relate(NewRelationship(ci, hub, RelationType.DEPENDS_ON), "pytest")
            for ci in created
        )
    )

    rows = await db.read_rows("t", SEQS)
    assert [row["seq"] for row in rows] == list(range(1, 18))
    touched = sorted(ci for row in rows[1:] for ci in row["ids"])
    assert touched == sorted(created * 2)
    followed = await projection.current()
    assert projection.loads == 1 and projection.deltas_applied == 16
    assert canonical(followed) == canonical(await fresh_load(db))
    assert answers(followed, [hub]) == answers(await fresh_load(db), [hub])


async def test_a_write_that_changes_nothing_the_projection_holds_keeps_the_same_topology(
    db: Database,
) -> None:
    p = product(db)
    web = await create(p, "web")
    projection = TopologyProjection(db)
    before = await projection.current()
    view = before.view(RelationType, False)

    await p.cis.update(web, None, {"description": "the shop's front end"}, "pytest")

    after = await projection.current()
    assert after is before and after.view(RelationType, False) is view
    assert projection.deltas_applied == 1 and projection.loads == 1


async def test_a_projection_further_behind_than_the_log_keeps_loads_whole(db: Database) -> None:
    p = product(db, delta_log=2)
    web = await create(p, "web")
    projection = TopologyProjection(db)
    await projection.current()

    made = [await create(p, f"db-{i}", "DATABASE") for i in range(6)]
    await p.relationships.relate(NewRelationship(web, made[0], RelationType.DEPENDS_ON), "pytest")

    kept = await db.read_rows("t", "MATCH (d:TopologyDelta) RETURN min(d.seq) AS first")
    assert kept == [{"first": 7}]  # 8 deltas, the last 2 kept (the writers prune)
    followed = await projection.current()
    assert projection.loads == 2 and projection.deltas_applied == 0
    assert canonical(followed) == canonical(await fresh_load(db))


async def test_an_edge_created_without_the_product_is_seen_from_the_counts(db: Database) -> None:
    p = product(db)
    web, data = await create(p, "web"), await create(p, "db", "DATABASE")
    projection = TopologyProjection(db)
    await projection.current()

    await db.write_rows(
        "t",
        "MATCH (a:CI {id: $a}), (b:CI {id: $b}) CREATE (a)-[:DEPENDS_ON]->(b)",
        a=web,
        b=data,
    )

    followed = await projection.current()
    assert projection.loads == 2
    assert impacted(followed, data) == [web]


def impacted(topology: Topology, ci_id: str) -> list[str]:
    analysis = analyse_impact(topology, [ci_id], 10)
    return [i.ci.id for i in analysis.impacted(0, analysis.count)]


async def test_a_graph_emptied_and_rebuilt_starts_another_epoch_and_is_loaded_whole(
    db: Database,
) -> None:
    p = product(db)
    await create(p, "web")
    projection = TopologyProjection(db)
    await projection.current()

    await db.write_rows("t", "MATCH (n) WHERE n:CI OR n:TopologyVersion DETACH DELETE n")
    await create(p, "shop", "BUSINESS_SERVICE")

    followed = await projection.current()
    assert projection.loads == 2
    assert followed.names == ["shop"]


async def test_refresh_reloads_in_the_background_and_catches_up_with_writes_meanwhile(
    db: Database,
) -> None:
    p = product(db)
    web = await create(p, "web")
    projection = TopologyProjection(db)
    before = await projection.current()
    await db.write_rows("t", "MATCH (c:CI {id: $id}) SET c.name = 'renamed by hand'", id=web)

    await announce_topology_change(db)
    answered = await projection.current()
    await create(p, "db", "DATABASE")  # committed while the reload may still run
    during = await projection.current()
    await projection.settled()
    after = await projection.current()

    assert answered is before  # the question that saw the request did not wait for it
    assert "db" in during.names
    assert projection.loads == 2
    assert sorted(after.names) == ["db", "renamed by hand"]
    assert canonical(after) == canonical(await fresh_load(db))


async def test_a_head_whose_newest_delta_is_not_visible_yet_applies_the_rest_and_reloads_nothing(
    db: Database,
) -> None:
    # Neo4j reads committed data without a snapshot: a check can see the version node of a
    # write whose commit is still being applied before it sees that write's delta. The delta
    # taken out of the log here stands for it (it comes back as it would once applied).
    p = product(db)
    web = await create(p, "web")
    projection = TopologyProjection(db)
    await projection.current()
    database = await create(p, "orders-db", "DATABASE")
    await p.relationships.relate(NewRelationship(web, database, RelationType.DEPENDS_ON), "pytest")
    hidden = "MATCH (v:TopologyVersion) MATCH (d:TopologyDelta {seq: v.seq})"
    await db.write_rows("t", hidden + " SET d:Hidden REMOVE d:TopologyDelta")

    followed = await projection.current()
    assert projection.loads == 1 and projection.deltas_applied == 1
    assert database in followed.index and not len(followed.edge_source)

    await db.write_rows("t", "MATCH (d:Hidden) SET d:TopologyDelta REMOVE d:Hidden")
    followed = await projection.current()
    assert projection.loads == 1 and projection.deltas_applied == 2
    assert canonical(followed) == canonical(await fresh_load(db))


DELTAS = (
    "MATCH (d:TopologyDelta) RETURN d.seq AS seq, d.readBack AS readBack, size(d.ids) AS ids,"
    " d.names AS names ORDER BY seq"
)


async def test_a_large_write_records_its_ids_only_and_the_projection_reads_them_back(
    db: Database,
) -> None:
    p = product(db)
    hub = await create(p, "hub", "DATABASE")
    projection = TopologyProjection(db)
    await projection.current()
    rows = [
        ImportCI(NewCI(name=f"app-{i:03}", ci_class="APPLICATION"), f"a{i}") for i in range(150)
    ]
    edges = [ImportRelationship(f"a{i}", hub, "DEPENDS_ON") for i in range(150)]

    await p.imports.run(ImportRequest("discovery", rows, edges), "pytest")

    deltas = await db.read_rows("t", DELTAS)
    assert [(d["readBack"], d["ids"], d["names"]) for d in deltas[-2:]] == [
        (True, 150, None),  # the CI batch
        (True, 150, None),  # the relationship batch: its dependents
    ]
    trips = db.round_trips
    followed = await projection.current()
    assert db.round_trips - trips == 2  # the check, then one read of the 300 CIs named
    assert projection.loads == 1 and projection.deltas_applied == 2
    assert canonical(followed) == canonical(await fresh_load(db))
    assert len(impacted(followed, hub)) == 150


async def test_a_projection_reading_back_while_writers_commit_ends_equal_to_a_fresh_load(
    db: Database,
) -> None:
    """States read back may be newer than the deltas applied (writes committed meanwhile),
    with edges to CIs the projection does not hold yet: the later deltas bring them."""
    p = product(db, delta_states_most=0)
    hub = await create(p, "hub", "DATABASE")
    projection = TopologyProjection(db)
    await projection.current()
    writing = True

    async def follow() -> None:
        while writing:
            await projection.current()

    async def write(n: int) -> None:
        made = await create(p, f"app-{n}")
        await p.relationships.relate(NewRelationship(made, hub, RelationType.DEPENDS_ON), "pytest")
        request = ImportRequest(
            "discovery",
            [ImportCI(NewCI(name=f"vm-{n}", ci_class="VIRTUAL_MACHINE"), f"vm{n}")],
            [ImportRelationship(made, f"vm{n}", "RUNS_ON")],
        )
        await p.imports.run(request, "pytest")

    follower = asyncio.ensure_future(follow())
    await asyncio.gather(*(write(n) for n in range(6)))
    writing = False
    await follower

    followed = await projection.current()
    assert projection.loads == 1
    assert canonical(followed) == canonical(await fresh_load(db))
