"""`changes`: filtered, ordered and keyset-paged, a page in one round trip."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import CHANGE_FIELDS, a_ci, move, open_change
from tests.resolvers.incidents.test_impacted_services import SHARED_DATABASE
from tests.resolvers.topology import build

LIST = """
query($filter: ChangeFilter, $first: Int, $after: String, $orderBy: ChangeOrder) {
  changes(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { number } }
  }
}
"""
WHOLE_PAGE = "query { changes(first: 20) { edges { node { " + CHANGE_FIELDS + " } } } }"


def window(day: int) -> dict[str, str]:
    return {
        "plannedStart": f"2026-03-{day:02d}T22:00:00+00:00",
        "plannedEnd": f"2026-03-{day:02d}T23:00:00+00:00",
    }


async def numbers(gql: GraphQLClient, **variables: Any) -> list[str]:
    data = await gql(LIST, **variables)
    return [e["node"]["number"] for e in data["changes"]["edges"]]


async def four_changes(gql: GraphQLClient, clock: MovableClock) -> dict[str, str]:
    ids = await build(gql, *SHARED_DATABASE)
    cache = await a_ci(gql, "cache-1", "CACHE")
    made = {}
    for name, targets, fields in (
        ("c_db", [ids["db"]], {"type": "NORMAL", **window(12), "assignee": "dana"}),
        ("c_cache", [cache], {"type": "STANDARD", **window(10), "assignmentGroup": "ops"}),
        ("c_unplanned", [cache], {"type": "EMERGENCY", "plannedStart": None, "plannedEnd": None}),
        ("c_billing", [ids["billing"]], {"type": "NORMAL", **window(11), "title": "Billing fix"}),
    ):
        made[name] = (await open_change(gql, targets, **fields))["number"]
        clock.advance(minutes=1)
    await move(gql, made["c_db"], "ASSESS")
    await move(gql, made["c_billing"], "ASSESS")
    return made | ids


async def test_changes_list_by_planned_start_by_default_and_page_with_cursors(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    made = await four_changes(gql, clock)
    order = [made["c_cache"], made["c_billing"], made["c_db"], made["c_unplanned"]]

    assert await numbers(gql) == order
    data = await gql(LIST, first=3)
    assert data["changes"]["totalCount"] == 4
    assert data["changes"]["pageInfo"]["hasNextPage"] is True
    after = data["changes"]["pageInfo"]["endCursor"]
    assert await numbers(gql, first=3, after=after) == order[3:]


async def test_changes_order_by_number_opening_and_update_time(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    made = await four_changes(gql, clock)
    by_number = sorted(made[n] for n in ("c_db", "c_cache", "c_unplanned", "c_billing"))

    assert await numbers(gql, orderBy={"field": "NUMBER"}) == by_number
    assert await numbers(gql, orderBy={"field": "OPENED_AT"}) == by_number[::-1]
    latest = await numbers(gql, orderBy={"field": "UPDATED_AT"})
    assert latest[:2] == [made["c_billing"], made["c_db"]]
    pages = [await numbers(gql, first=1, orderBy={"field": "NUMBER", "direction": "DESC"})]
    data = await gql(LIST, first=1, orderBy={"field": "NUMBER", "direction": "DESC"})
    cursor = data["changes"]["pageInfo"]["endCursor"]
    pages.append(
        await numbers(gql, first=1, after=cursor, orderBy={"field": "NUMBER", "direction": "DESC"})
    )
    assert pages == [[by_number[3]], [by_number[2]]]
    body = await gql.raw(LIST, after=cursor)
    assert "cursor" in body["errors"][0]["message"]


async def test_changes_filter_by_each_field(gql: GraphQLClient, clock: MovableClock) -> None:
    made = await four_changes(gql, clock)

    async def matching(**criteria: Any) -> set[str]:
        return set(await numbers(gql, filter=criteria))

    assert await matching(states=["ASSESS"]) == {made["c_db"], made["c_billing"]}
    assert await matching(types=["STANDARD", "EMERGENCY"]) == {made["c_cache"], made["c_unplanned"]}
    assert await matching(assignee="dana") == {made["c_db"]}
    assert await matching(assignmentGroup="ops") == {made["c_cache"]}
    assert await matching(targetCiId=made["db"]) == {made["c_db"]}
    assert await matching(impactedServiceId=made["shop"]) == {made["c_db"]}
    assert await matching(impactedServiceId=made["invoicing"]) == {made["c_db"], made["c_billing"]}
    assert await matching(plannedAfter="2026-03-11T00:00:00Z") == {made["c_db"], made["c_billing"]}
    assert await matching(plannedBefore="2026-03-11T00:00:00Z") == {made["c_cache"]}
    assert await matching(search="billing") == {made["c_billing"]}
    assert await matching(search=made["c_cache"].lower()) == {made["c_cache"]}


async def test_a_page_of_changes_with_everything_is_one_round_trip_plus_one_for_cis(
    gql: GraphQLClient, db: Database, clock: MovableClock
) -> None:
    await four_changes(gql, clock)

    before = db.round_trips
    data = await gql(WHOLE_PAGE)

    # One for the page with everything of each change, then one batch of the targets' CIs
    # and one of the services' CIs (DataLoader: one per level of the query, not per change).
    assert db.round_trips - before == 3
    edges = data["changes"]["edges"]
    assert len(edges) == 4
    assert sum(len(e["node"]["impactedServices"]) for e in edges) == 3
