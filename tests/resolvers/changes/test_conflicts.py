"""Conflicts through GraphQL: each kind found with a reason naming the other record, and not
found when the windows do not overlap; two changes on different CIs reaching one business
service collide."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import move, open_change, scheduled
from tests.resolvers.helpers import create_ci, relate
from tests.resolvers.incidents.helpers import open_incident

ASSESSMENT = """
query($number: String!) { change(number: $number) { number
  risk { level score factors { name weight detail } }
  conflicts { kind reason change { number } incident { number } blackoutWindow { name }
              maintenanceWindow { days opens closes timezone } ci { name } }
} }
"""

FREEZE = """
mutation($input: CreateBlackoutWindowInput!) {
  createBlackoutWindow(input: $input) {
    blackoutWindow { id name start end global serviceIds services { name } }
    errors { field code message }
  }
}
"""

MAINTENANCE = """
mutation($input: SetMaintenanceWindowInput!) {
  setMaintenanceWindow(input: $input) {
    maintenanceWindow { ciId days opens closes timezone ci { name } }
    errors { field code message }
  }
}
"""

LATER = {"plannedStart": "2026-03-11T22:00:00+00:00", "plannedEnd": "2026-03-11T23:00:00+00:00"}
"""A window the day after `WINDOW`: it overlaps nothing planned in `WINDOW`."""


async def landscape(gql: GraphQLClient) -> dict[str, str]:
    """Checkout (criticality 1) depends on orders-db and web-lb; Billing (criticality 2) on
    orders-db; name -> id."""
    ids = {
        "Checkout": await create_ci(gql, "Checkout", "BUSINESS_SERVICE", criticality=1),
        "Billing": await create_ci(gql, "Billing", "BUSINESS_SERVICE", criticality=2),
        "orders-db": await create_ci(gql, "orders-db", "DATABASE"),
        "web-lb": await create_ci(gql, "web-lb", "LOAD_BALANCER"),
    }
    for dependent, target in (
        ("Checkout", "orders-db"),
        ("Billing", "orders-db"),
        ("Checkout", "web-lb"),
    ):
        payload = await relate(gql, ids[dependent], ids[target], "DEPENDS_ON")
        assert payload["errors"] == [], payload
    return ids


async def assessed(gql: GraphQLClient, targets: list[str], **fields: Any) -> dict[str, Any]:
    change = await open_change(gql, targets, **fields)
    return await move(gql, change["number"], "ASSESS")


async def assessment(gql: GraphQLClient, number: str) -> dict[str, Any]:
    data = await gql(ASSESSMENT, number=number)
    found: dict[str, Any] = data["change"]
    return found


def kinds(found: dict[str, Any]) -> list[str]:
    return [c["kind"] for c in found["conflicts"]]


async def test_two_changes_on_different_cis_reaching_one_service_collide(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    other = await scheduled(gql, [ids["web-lb"]], title="Replace the load balancer")
    change = await assessed(gql, [ids["orders-db"]])

    [conflict] = (await assessment(gql, change["number"]))["conflicts"]

    assert conflict["kind"] == "OVERLAPPING_CHANGE"
    assert conflict["change"] == {"number": other["number"]}
    assert conflict["ci"] == {"name": "Checkout"}
    assert conflict["reason"] == (
        f"{other['number']} (Replace the load balancer) is SCHEDULED 2026-03-10 22:00 to "
        "2026-03-10 23:00 UTC and also reaches Checkout"
    )


async def test_changes_whose_windows_do_not_overlap_do_not_collide(gql: GraphQLClient) -> None:
    ids = await landscape(gql)
    await scheduled(gql, [ids["web-lb"]])
    change = await assessed(gql, [ids["orders-db"]], **LATER)

    assert (await assessment(gql, change["number"]))["conflicts"] == []


async def test_a_draft_change_is_not_what_another_collides_with(gql: GraphQLClient) -> None:
    ids = await landscape(gql)
    await open_change(gql, [ids["web-lb"]])
    change = await assessed(gql, [ids["orders-db"]])

    assert (await assessment(gql, change["number"]))["conflicts"] == []


async def test_a_global_freeze_and_one_on_an_impacted_service_are_blackouts(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    window = {"start": "2026-03-10T00:00:00+00:00", "end": "2026-03-11T00:00:00+00:00"}
    for name, services in (("Quarter end", []), ("Billing run", [ids["Billing"]])):
        payload = await gql(FREEZE, input={"name": name, **window, "serviceIds": services})
        assert payload["createBlackoutWindow"]["errors"] == []
    change = await assessed(gql, [ids["orders-db"]])

    found = (await assessment(gql, change["number"]))["conflicts"]

    assert [(c["kind"], c["blackoutWindow"], c["ci"]) for c in found] == [
        ("BLACKOUT", {"name": "Quarter end"}, None),
        ("BLACKOUT", {"name": "Billing run"}, {"name": "Billing"}),
    ]
    assert found[1]["reason"] == (
        "the freeze 'Billing run' (2026-03-10 00:00 to 2026-03-11 00:00 UTC) covers Billing, "
        "which this change impacts"
    )


async def test_no_blackout_outside_the_freeze_or_on_a_service_not_impacted(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    other = await create_ci(gql, "Payroll", "BUSINESS_SERVICE")
    await gql(
        FREEZE,
        input={
            "name": "Payroll run",
            "start": "2026-03-10T00:00:00+00:00",
            "end": "2026-03-11T00:00:00+00:00",
            "serviceIds": [other],
        },
    )
    await gql(
        FREEZE,
        input={
            "name": "Before",
            "start": "2026-03-10T00:00:00+00:00",
            "end": "2026-03-10T22:00:00+00:00",
        },
    )
    change = await assessed(gql, [ids["orders-db"]])

    assert (await assessment(gql, change["number"]))["conflicts"] == []


async def test_a_window_outside_the_targets_maintenance_window_conflicts(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    # 01:00-05:00 in Paris is 00:00-04:00 UTC in March: 22:00 UTC is outside it.
    payload = await gql(
        MAINTENANCE,
        input={
            "ciId": ids["orders-db"],
            "days": "MON-FRI",
            "opens": "01:00",
            "closes": "05:00",
            "timezone": "Europe/Paris",
        },
    )
    assert payload["setMaintenanceWindow"]["errors"] == []
    change = await assessed(gql, [ids["orders-db"]])

    [conflict] = (await assessment(gql, change["number"]))["conflicts"]

    assert conflict["kind"] == "OUTSIDE_MAINTENANCE_WINDOW"
    assert conflict["ci"] == {"name": "orders-db"}
    assert conflict["maintenanceWindow"] == {
        "days": "MON-FRI",
        "opens": "01:00",
        "closes": "05:00",
        "timezone": "Europe/Paris",
    }
    assert conflict["reason"] == (
        "the planned window (2026-03-10 22:00 to 2026-03-10 23:00 UTC) is not inside the "
        "maintenance window of orders-db (MON-FRI 01:00-05:00 Europe/Paris)"
    )


async def test_a_window_inside_a_maintenance_window_past_midnight_is_fine(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    await gql(
        MAINTENANCE,
        input={
            "ciId": ids["orders-db"],
            "days": "TUE",
            "opens": "22:30",
            "closes": "02:00",
            "timezone": "Europe/Paris",
        },
    )
    # Tuesday 22:30 Paris is 21:30 UTC; the window closes Wednesday 01:00 UTC.
    change = await assessed(
        gql,
        [ids["orders-db"]],
        plannedStart="2026-03-10T22:00:00Z",
        plannedEnd="2026-03-11T01:00:00Z",
    )

    assert (await assessment(gql, change["number"]))["conflicts"] == []


async def test_an_open_p1_on_an_impacted_service_conflicts_and_a_p3_does_not(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    p1 = await open_incident(gql, [ids["Billing"]], impact=1, urgency=1, title="Billing down")
    await open_incident(gql, [ids["Checkout"]], impact=2, urgency=2, title="Slow pages")
    change = await assessed(gql, [ids["orders-db"]])

    [conflict] = (await assessment(gql, change["number"]))["conflicts"]

    assert conflict["kind"] == "OPEN_INCIDENT"
    assert conflict["incident"] == {"number": p1["number"]}
    assert conflict["reason"] == (
        f"{p1['number']} (P1, Billing down) is open on Billing, which this change impacts"
    )


async def test_the_assignee_busy_elsewhere_in_an_overlapping_window(gql: GraphQLClient) -> None:
    ids = await landscape(gql)
    elsewhere = await create_ci(gql, "hr-db", "DATABASE")
    other = await open_change(gql, [elsewhere], assignee="dana", title="Upgrade HR")
    await open_change(gql, [elsewhere], assignee="dana", title="Later", **LATER)
    change = await assessed(gql, [ids["orders-db"]], assignee="dana")

    [conflict] = (await assessment(gql, change["number"]))["conflicts"]

    assert conflict["kind"] == "ASSIGNEE_BUSY"
    assert conflict["change"] == {"number": other["number"]}
    assert conflict["reason"] == (
        f"dana is assigned {other['number']} (Upgrade HR), DRAFT 2026-03-10 22:00 to "
        "2026-03-10 23:00 UTC"
    )


async def test_a_page_of_changes_with_conflicts_costs_fixed_round_trips(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await landscape(gql)
    await scheduled(gql, [ids["web-lb"]])
    query = """{ changes(first: 20) { edges { node { number
        conflicts { kind change { number } ci { name } } risk { score } } } } }"""
    await assessed(gql, [ids["orders-db"]])
    before = db.round_trips
    await gql(query)
    two = db.round_trips - before
    for _ in range(3):
        await assessed(gql, [ids["orders-db"]])
    before = db.round_trips
    data = await gql(query)
    five = db.round_trips - before

    assert len(data["changes"]["edges"]) == 5
    assert five == two
