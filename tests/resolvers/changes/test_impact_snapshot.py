"""A change's impact snapshot: taken entering ASSESS (redundancy-aware), again when its targets
change, and by `recomputeImpact`, which reports the difference."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import move, open_change, recompute, update_change
from tests.resolvers.helpers import relate
from tests.resolvers.incidents.test_impacted_services import SHARED_DATABASE
from tests.resolvers.topology import build


def services(change: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s["service"]["name"], s["state"]) for s in change["impactedServices"]]


async def test_a_change_to_a_database_shared_by_two_services_lists_both_down(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_change(gql, [ids["db"]]))["number"]

    change = await move(gql, number, "ASSESS")

    assert sorted(services(change)) == [("invoicing", "DOWN"), ("shop", "DOWN")]
    assert all(s["reason"] for s in change["impactedServices"])
    assert change["impactedCiIds"][0] == ids["db"]
    assert set(change["impactedCiIds"]) == {
        ids[n] for n in ("db", "orders", "billing", "shop", "invoicing")
    }
    assert change["impactedCiCount"] == 5
    assert change["assessedAt"] is not None


async def test_a_change_to_one_member_of_a_pool_of_three_that_needs_two_degrades_its_services(
    gql: GraphQLClient,
) -> None:
    ids = await build(
        gql,
        {
            "vm-1": "VIRTUAL_MACHINE",
            "vm-2": "VIRTUAL_MACHINE",
            "vm-3": "VIRTUAL_MACHINE",
            "web": "APPLICATION",
            "shop": "BUSINESS_SERVICE",
        },
        [
            ("web", "vm-1", "RUNS_ON", "web-pool", 2),
            ("web", "vm-2", "RUNS_ON", "web-pool", 2),
            ("web", "vm-3", "RUNS_ON", "web-pool", 2),
            ("shop", "web", "PROVIDED_BY"),
        ],
    )
    number = (await open_change(gql, [ids["vm-1"]]))["number"]

    change = await move(gql, number, "ASSESS")

    assert services(change) == [("shop", "DEGRADED")]


async def test_recomputing_reports_a_service_added_by_a_new_dependency(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_change(gql, [ids["db"]]))["number"]
    await move(gql, number, "ASSESS")
    await relate(gql, ids["hr portal"], ids["db"], "DEPENDS_ON")

    payload = await recompute(gql, number)

    assert payload["errors"] == []
    difference = payload["difference"]
    assert [(s["service"]["name"], s["state"]) for s in difference["added"]] == [
        ("hr portal", "DOWN")
    ]
    assert difference["removed"] == [] and difference["changed"] == []
    assert sorted(services(payload["change"])) == [
        ("hr portal", "DOWN"),
        ("invoicing", "DOWN"),
        ("shop", "DOWN"),
    ]
    again = await recompute(gql, number)
    assert again["difference"] == {"added": [], "removed": [], "changed": []}


async def test_new_targets_of_an_assessed_change_take_a_new_snapshot(gql: GraphQLClient) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_change(gql, [ids["db"]]))["number"]
    await move(gql, number, "ASSESS")

    payload = await update_change(gql, number, targetCiIds=[ids["billing"]])

    assert payload["errors"] == []
    assert services(payload["change"]) == [("invoicing", "DOWN")]
    assert set(payload["change"]["impactedCiIds"]) == {ids["billing"], ids["invoicing"]}


async def test_a_draft_has_no_snapshot_until_assessed_and_a_closed_one_keeps_its_own(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    draft = await open_change(gql, [ids["db"]])
    assert draft["impactedServices"] == [] and draft["impactedCiCount"] == 0
    cancelled = await move(gql, draft["number"], "CANCELLED")

    refused = await recompute(gql, cancelled["number"])

    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("number", "CONFLICT")]
    assert refused["difference"] is None


async def test_parallel_recomputations_of_one_change_each_leave_one_snapshot(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_change(gql, [ids["db"]]))["number"]
    await move(gql, number, "ASSESS")

    results = await asyncio.gather(*(recompute(gql, number) for _ in range(4)))

    assert all(r["errors"] == [] for r in results)
    assert sorted(services(results[-1]["change"])) == [("invoicing", "DOWN"), ("shop", "DOWN")]
    assert {r["change"]["version"] for r in results} == {3, 4, 5, 6}
