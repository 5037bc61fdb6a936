"""The after-commit publisher (graph/events/_publisher.py): a committed write's records reach
the bus after the commit; a write that rolls back, or is refused, publishes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from starlette.applications import Starlette

from graph.domain import CI
from graph.events import CIS, EventBus, RecordUpdate
from tests.conftest import GraphQLClient
from tests.live import PATIENCE
from tests.resolvers.helpers import create_ci, relate
from tests.resolvers.import_helpers import edge, import_cis, row

T = TypeVar("T")

UPDATE_CI = """
mutation($input: UpdateCIInput!) {
  updateCI(input: $input) { ci { version owner } errors { field code message } }
}
"""


def bus_of(app: Starlette) -> EventBus:
    bus: EventBus = app.state.repositories.events
    return bus


async def next_event(stream: AsyncIterator[T]) -> T:
    return await asyncio.wait_for(anext(stream), PATIENCE)


async def update(gql: GraphQLClient, ci_id: str, version: int, owner: str) -> Any:
    data = await gql(UPDATE_CI, input={"id": ci_id, "expectedVersion": version, "owner": owner})
    return data["updateCI"]


async def test_parallel_updates_at_one_version_publish_only_the_one_that_committed(
    app: Starlette, gql: GraphQLClient
) -> None:
    ci_id = await create_ci(gql, "orders", "APPLICATION")
    async with bus_of(app).subscribe(CIS) as stream:
        payloads = await asyncio.gather(*(update(gql, ci_id, 1, f"team-{n}") for n in range(5)))
        [through] = [p for p in payloads if p["errors"] == []]
        assert [p["errors"][0]["code"] for p in payloads if p["errors"]] == ["CONFLICT"] * 4
        assert (await update(gql, ci_id, 2, "finance"))["errors"] == []

        first: RecordUpdate[CI] = await next_event(stream)
        second: RecordUpdate[CI] = await next_event(stream)

    assert (first.operation, first.actor, first.changed_fields) == (
        "updateCI",
        "test-user",
        ("owner",),
    )
    assert first.record.owner == through["ci"]["owner"]
    assert (second.operation, second.record.owner, second.record.version) == (
        "updateCI",
        "finance",
        3,
    )


async def test_a_refused_write_publishes_nothing_and_an_edge_announces_both_ends(
    app: Starlette, gql: GraphQLClient
) -> None:
    orders = await create_ci(gql, "orders", "APPLICATION")
    host = await create_ci(gql, "vm-1", "VIRTUAL_MACHINE")
    async with bus_of(app).subscribe(CIS) as stream:
        refused = await relate(gql, orders, orders, "RUNS_ON")
        assert refused["errors"] != []
        assert (await relate(gql, orders, host, "RUNS_ON"))["errors"] == []

        announced = {(await next_event(stream)).record.name for _ in range(2)}

    assert announced == {"orders", "vm-1"}


async def test_nobody_subscribed_costs_no_round_trip(app: Starlette, gql: GraphQLClient) -> None:
    ci_id = await create_ci(gql, "orders", "APPLICATION")
    db = app.state.db
    before = db.round_trips
    assert (await update(gql, ci_id, 1, "team"))["errors"] == []
    quiet = db.round_trips - before

    async with bus_of(app).subscribe(CIS) as stream:
        before = db.round_trips
        assert (await update(gql, ci_id, 2, "finance"))["errors"] == []
        heard = db.round_trips - before
        assert (await next_event(stream)).record.owner == "finance"

    assert heard == quiet + 1  # the CI read once after the commit


async def test_an_import_announces_the_cis_it_creates_and_the_ends_of_its_edges(
    app: Starlette, gql: GraphQLClient
) -> None:
    existing = await create_ci(gql, "shared-db", "DATABASE")
    async with bus_of(app).subscribe(CIS) as stream:
        result = await import_cis(
            gql,
            "cmdb-test",
            [row("app-1", "orders", "APPLICATION"), row("vm-1", "vm-1", "VIRTUAL_MACHINE")],
            [edge("app-1", "vm-1", "RUNS_ON")],
        )
        assert (result["created"], result["relationshipsCreated"]) == (2, 1)
        assert (await update(gql, existing, 1, "dba"))["errors"] == []

        heard = []
        while not heard or heard[-1].operation != "updateCI":
            heard.append(await next_event(stream))

    imported = [u for u in heard if u.operation == "importCIs"]
    assert {u.record.name for u in imported} == {"orders", "vm-1"}
    assert len(imported) == 4  # each CI when created, and again as an end of its edge
    assert heard[-1].record.name == "shared-db"
