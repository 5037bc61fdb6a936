"""What a batch writer does when the graph changed between the plan and the write, made
deterministic: a plan is made, another import writes, then the first plan is written."""

from __future__ import annotations

from datetime import UTC, datetime

from graph import Database, HistoryRepository
from graph._writes import Writes
from graph.domain import NewCI
from graph.imports import (
    ImportCI,
    ImportRelationship,
    ImportRepository,
    ImportRequest,
    ImportSection,
    SourcePrecedence,
)
from graph.imports._plan import ImportPlan
from graph.imports._planner import plan_import
from graph.imports._write import BatchOutcome, ImportWrite
from graph.imports._write_cis import CIBatchWriter
from graph.imports._write_relationships import RelationshipBatchWriter

AT = datetime(2026, 3, 1, tzinfo=UTC)
"""The instant the imports of these tests run at."""

KEYS = "MATCH (k:IdentityKey) RETURN k.key AS key, k.ci AS ci ORDER BY key"
CIS = "MATCH (c:CI) RETURN c.id AS id, c.name AS name, c.hostname AS hostname ORDER BY name"


def server(
    external_id: str,
    name: str,
    ci_class: str = "SERVER",
    serial_number: str | None = None,
    hostname: str | None = None,
) -> ImportCI:
    ci = NewCI(name, ci_class, serial_number=serial_number, hostname=hostname)
    return ImportCI(ci, external_id)


def context(db: Database, source: str = "discovery") -> ImportWrite:
    writes = Writes(db, HistoryRepository(db))
    return ImportWrite(db, writes, source, "pytest", SourcePrecedence(), AT)


async def write_cis(db: Database, plan: ImportPlan, source: str = "discovery") -> BatchOutcome:
    writer = CIBatchWriter(context(db, source))
    return await writer.write(writer.prepare(plan.cis))


async def other_import(db: Database, request: ImportRequest) -> None:
    result = await ImportRepository(db, HistoryRepository(db)).run(request, "other")
    assert result.errors == () and result.created == len(request.cis)


async def test_a_new_ci_another_import_created_meanwhile_is_confirmed_not_created(
    db: Database,
) -> None:
    request = ImportRequest("discovery", [server("a", "srv-a", serial_number="SN-1")])
    plan = await plan_import(db, request)
    await other_import(db, request)

    outcome = await write_cis(db, plan)

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
    [(planned, found)] = outcome.adopted
    assert planned == plan.cis[0].ci_id and found != planned
    assert [row["id"] for row in await db.read_rows("t", CIS)] == [found]
    assert {row["ci"] for row in await db.read_rows("t", KEYS)} == {found}


async def test_another_source_with_the_same_serial_number_adds_its_id_to_the_ci(
    db: Database,
) -> None:
    plan = await plan_import(
        db, ImportRequest("vcenter", [server("v-1", "srv-a", serial_number="SN-1")])
    )
    await other_import(
        db, ImportRequest("netdisco", [server("n-1", "srv-a", serial_number="SN-1")])
    )

    outcome = await write_cis(db, plan, "vcenter")

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 0)
    [ci] = await db.read_rows("t", "MATCH (c:CI) RETURN c.externalIds AS ids")
    assert ci["ids"] == ["netdisco\u001fn-1", "vcenter\u001fv-1"]
    # Its source id now names the CI it found, like the serial number.
    [(_, found)] = outcome.adopted
    assert {row["ci"] for row in await db.read_rows("t", KEYS)} == {found}


async def test_a_source_id_taken_by_a_ci_of_another_class_refuses_the_row_and_its_edges(
    db: Database,
) -> None:
    request = ImportRequest(
        "discovery",
        [server("a", "srv-a"), server("b", "srv-b")],
        [ImportRelationship("a", "b", "DEPENDS_ON")],
    )
    plan = await plan_import(db, request)
    await other_import(db, ImportRequest("discovery", [server("a", "vm-a", "VIRTUAL_MACHINE")]))

    outcome = await write_cis(db, plan)

    assert outcome.created == 1
    [error] = outcome.errors
    assert (error.section, error.index, error.field, error.code) == (
        ImportSection.CIS,
        0,
        "class",
        "CONFLICT",
    )
    assert "names the VIRTUAL_MACHINE CI" in error.message
    edges = RelationshipBatchWriter(context(db))
    edges.follow(outcome.adopted, {plan.cis[0].ci_id: 0})
    written = await edges.write(edges.prepare(plan.relationships))
    assert written.created == 0
    [edge_error] = written.errors
    assert (edge_error.section, edge_error.index, edge_error.field) == (
        ImportSection.RELATIONSHIPS,
        0,
        "from",
    )


async def test_an_edge_another_import_created_meanwhile_is_confirmed_not_created(
    db: Database,
) -> None:
    request = ImportRequest(
        "discovery",
        [server("a", "srv-a"), server("b", "srv-b")],
        [ImportRelationship("a", "b", "DEPENDS_ON")],
    )
    plan = await plan_import(db, request)
    writer = CIBatchWriter(context(db))
    await writer.write(writer.prepare(plan.cis))
    # Another import names the same CIs by their source ids and creates the edge first.
    await ImportRepository(db, HistoryRepository(db)).run(
        ImportRequest("discovery", relationships=[ImportRelationship("a", "b", "DEPENDS_ON")]),
        "other",
    )

    edges = RelationshipBatchWriter(context(db))
    written = await edges.write(edges.prepare(plan.relationships))

    assert (written.created, written.updated, written.unchanged) == (0, 0, 1)
    rows = await db.read_rows("t", "MATCH (:CI)-[r:DEPENDS_ON]->(:CI) RETURN count(r) AS n")
    assert rows == [{"n": 1}]


async def test_a_key_whose_ci_lost_the_value_is_taken_over_by_the_new_ci(db: Database) -> None:
    await other_import(db, ImportRequest("discovery", [server("a", "srv-a", hostname="web")]))
    await db.write_rows("t", "MATCH (c:CI) SET c.hostname = 'web-old'")
    request = ImportRequest("netdisco", [server("x", "srv-x", hostname="web")])

    result = await ImportRepository(db, HistoryRepository(db)).run(request, "pytest")

    assert (result.created, result.errors) == (1, ())
    cis = await db.read_rows("t", CIS)
    assert [row["hostname"] for row in cis] == ["web-old", "web"]
    keys = {row["key"]: row["ci"] for row in await db.read_rows("t", KEYS)}
    assert keys["hostname\u001fServer\u001fweb"] == cis[1]["id"]
