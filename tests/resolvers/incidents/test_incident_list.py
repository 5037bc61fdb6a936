"""The incident list: filters, orderings, keyset paging, and one round trip per page."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.helpers import a_ci, open_incident, transition
from tests.resolvers.topology import build

LIST = """
query($filter: IncidentFilter, $first: Int, $after: String, $orderBy: IncidentOrder) {
  incidents(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { number priority state } }
  }
}
"""
WHOLE_PAGE = """
query {
  incidents(first: 20) {
    edges { node { number affectedCiIds transitions { from to at actor note }
                   impactedServices { state reason source addedBy service { name } }
                   excludedServices { reason } sla { kind breached } } }
  }
}
"""


async def numbers(gql: GraphQLClient, **variables: Any) -> list[str]:
    data = await gql(LIST, **variables)
    return [e["node"]["number"] for e in data["incidents"]["edges"]]


async def five_incidents(gql: GraphQLClient, clock: MovableClock) -> dict[str, str]:
    """INC0001001..1005, a minute apart, with assorted priorities, states and groups."""
    ids = await build(
        gql, {"db": "DATABASE", "shop": "BUSINESS_SERVICE"}, [("shop", "db", "DEPENDS_ON")]
    )
    other = await a_ci(gql, "printer", "NETWORK_DEVICE")
    specs: list[dict[str, Any]] = [
        {"impact": 3, "urgency": 3, "assignmentGroup": "desk", "affected": [other]},
        {"impact": 1, "urgency": 1, "assignmentGroup": "dba", "affected": [ids["db"]]},
        {
            "impact": 2,
            "urgency": 2,
            "assignmentGroup": "desk",
            "affected": [other],
            "title": "Printer jammed",
            "category": "HARDWARE",
        },
        {
            "impact": 1,
            "urgency": 2,
            "assignmentGroup": "dba",
            "affected": [ids["db"]],
            "assignee": "carol",
        },
        {
            "impact": 2,
            "urgency": 3,
            "assignmentGroup": "desk",
            "affected": [other],
            "category": "SERVICE_REQUEST",
        },
    ]
    for spec in specs:
        affected = spec.pop("affected")
        await open_incident(gql, affected, **spec)
        clock.advance(minutes=1)
    await transition(gql, "INC0001002", "IN_PROGRESS")
    await transition(gql, "INC0001003", "RESOLVED", resolution="cleared the tray")
    return {"db": ids["db"], "shop": ids["shop"], "printer": other}


async def test_incidents_list_newest_first_by_default_and_page_with_cursors(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    await five_incidents(gql, clock)

    first = await gql(LIST, first=2)
    cursor = first["incidents"]["pageInfo"]["endCursor"]
    rest = await numbers(gql, first=10, after=cursor)

    page = first["incidents"]
    assert [e["node"]["number"] for e in page["edges"]] == ["INC0001005", "INC0001004"]
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["totalCount"] == 5
    assert rest == ["INC0001003", "INC0001002", "INC0001001"]


async def test_incidents_order_by_priority_number_and_update_time(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    await five_incidents(gql, clock)

    by_priority = await numbers(gql, orderBy={"field": "PRIORITY"})
    by_number = await numbers(gql, orderBy={"field": "NUMBER", "direction": "DESC"})
    by_update = await numbers(gql, orderBy={"field": "UPDATED_AT"}, first=2)
    first = await gql(LIST, orderBy={"field": "PRIORITY"}, first=2)
    after = first["incidents"]["pageInfo"]["endCursor"]
    next_page = await numbers(gql, orderBy={"field": "PRIORITY"}, first=2, after=after)

    assert by_priority == ["INC0001002", "INC0001004", "INC0001003", "INC0001005", "INC0001001"]
    assert by_number == ["INC0001005", "INC0001004", "INC0001003", "INC0001002", "INC0001001"]
    assert by_update[0] in {"INC0001002", "INC0001003"}
    assert next_page == ["INC0001003", "INC0001005"]


async def test_a_cursor_of_another_ordering_is_a_bad_request(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    await five_incidents(gql, clock)
    first = await gql(LIST, first=1)
    cursor = first["incidents"]["pageInfo"]["endCursor"]

    body = await gql.raw(LIST, after=cursor, orderBy={"field": "NUMBER"})

    assert "ordered by OPENED_AT DESC" in body["errors"][0]["message"]


async def test_incidents_filter_by_each_field(gql: GraphQLClient, clock: MovableClock) -> None:
    ids = await five_incidents(gql, clock)

    async def matching(**criteria: Any) -> list[str]:
        return sorted(await numbers(gql, filter=criteria))

    assert await matching(states=["NEW"]) == ["INC0001001", "INC0001004", "INC0001005"]
    assert await matching(priorities=["P1", "P2"]) == ["INC0001002", "INC0001004"]
    assert await matching(category="HARDWARE") == ["INC0001003"]
    assert await matching(assignmentGroup="dba") == ["INC0001002", "INC0001004"]
    assert await matching(assignee="carol") == ["INC0001004"]
    assert await matching(affectedCiId=ids["printer"]) == [
        "INC0001001",
        "INC0001003",
        "INC0001005",
    ]
    assert await matching(impactedServiceId=ids["shop"]) == ["INC0001002", "INC0001004"]
    assert await matching(major=False) == [f"INC000100{n}" for n in range(1, 6)]
    assert await matching(
        openedAfter="2026-03-02T10:01:00Z", openedBefore="2026-03-02T10:03:00Z"
    ) == ["INC0001002", "INC0001003"]
    assert await matching(search="printer") == ["INC0001003"]
    assert await matching(search="inc0001004") == ["INC0001004"]
    assert await matching(states=["NEW"], assignmentGroup="desk") == ["INC0001001", "INC0001005"]


async def test_a_page_of_incidents_with_transitions_and_impact_is_one_round_trip_plus_one_for_cis(
    gql: GraphQLClient, db: Database, clock: MovableClock
) -> None:
    await five_incidents(gql, clock)

    before = db.round_trips
    data = await gql(WHOLE_PAGE)

    # One for the page with everything of each incident, one for the service CIs (DataLoader).
    assert db.round_trips - before == 2
    edges = data["incidents"]["edges"]
    assert len(edges) == 5
    assert {len(e["node"]["sla"]) for e in edges} == {2}
    assert sum(len(e["node"]["impactedServices"]) for e in edges) == 2
