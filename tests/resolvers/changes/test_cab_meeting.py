"""A CAB meeting, end to end through GraphQL: an RFC on a database is assessed; the board sees
the services it touches, its risk and a freeze it clashes with; it is rescheduled out of the
freeze, approved, implemented, reviewed and closed successful."""

from __future__ import annotations

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import approve, get_change, move, open_change, update_change
from tests.resolvers.changes.test_conflicts import FREEZE, assessment, landscape

FREEZE_WINDOW = {"start": "2026-03-10T00:00:00+00:00", "end": "2026-03-11T00:00:00+00:00"}
IN_THE_FREEZE = {
    "plannedStart": "2026-03-10T22:00:00+00:00",
    "plannedEnd": "2026-03-10T23:00:00+00:00",
}
AFTER_THE_FREEZE = {
    "plannedStart": "2026-03-12T22:00:00+00:00",
    "plannedEnd": "2026-03-12T23:00:00+00:00",
}


async def test_an_rfc_on_a_database_goes_through_the_cab_and_closes_successful(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await landscape(gql)
    freeze = await gql(
        FREEZE, input={"name": "Checkout peak", **FREEZE_WINDOW, "serviceIds": [ids["Checkout"]]}
    )
    assert freeze["createBlackoutWindow"]["errors"] == []

    # The requester raises the RFC and sends it to assessment.
    rfc = await open_change(
        gql,
        [ids["orders-db"]],
        title="Upgrade PostgreSQL on orders-db",
        implementationPlan="Fail over, upgrade, fail back.",
        backoutPlan="Fail back to the old primary.",
        testPlan="Place a test order.",
        assignee="r.okafor",
        **IN_THE_FREEZE,
    )
    number = rfc["number"]
    assessed = await move(gql, number, "ASSESS")

    # What the board reads: the services it touches, how risky it is, what it clashes with.
    assert sorted((s["service"]["name"], s["state"]) for s in assessed["impactedServices"]) == [
        ("Billing", "DOWN"),
        ("Checkout", "DOWN"),
    ]
    seen = await assessment(gql, number)
    assert seen["risk"]["level"] in ("MEDIUM", "HIGH", "VERY_HIGH")
    factors = {f["name"]: (f["weight"], f["detail"]) for f in seen["risk"]["factors"]}
    assert factors["FREEZE"] == (30, "the planned window overlaps the freeze Checkout peak")
    [clash] = seen["conflicts"]
    assert clash["kind"] == "BLACKOUT"
    assert clash["blackoutWindow"] == {"name": "Checkout peak"}
    risk_in_freeze = seen["risk"]["score"]

    # The board sends it back for another window; the requester moves it out of the freeze.
    rescheduled = await update_change(gql, number, **AFTER_THE_FREEZE)
    assert rescheduled["errors"] == [], rescheduled
    after = await assessment(gql, number)
    assert after["conflicts"] == []
    assert after["risk"]["score"] == risk_in_freeze - 30
    assert "FREEZE" not in {f["name"] for f in after["risk"]["factors"]}

    # Authorised by the CAB: scheduled in the same write.
    await move(gql, number, "AUTHORIZE")
    approved = await approve(gql, number, "Approved: outside the freeze, backout plan tested")
    assert approved["errors"] == []
    assert approved["change"]["state"] == "SCHEDULED"
    assert approved["change"]["authorised"] is True
    assert [a["decision"] for a in approved["change"]["approvals"]] == ["APPROVED"]

    # The window comes; the implementer works, reviews and closes it.
    clock.set(clock.now().replace(day=12, hour=22))
    implemented = await move(gql, number, "IMPLEMENT")
    assert implemented["actualStart"] == "2026-03-12T22:00:00+00:00"
    clock.advance(minutes=50)
    await move(gql, number, "REVIEW")
    closed = await move(gql, number, "CLOSED", outcome="SUCCESSFUL")

    assert closed["state"] == "CLOSED"
    assert closed["outcome"] == "SUCCESSFUL"
    assert closed["actualEnd"] == "2026-03-12T22:50:00+00:00"
    record = await get_change(gql, number)
    assert record is not None
    assert [(t["from"], t["to"]) for t in record["transitions"]] == [
        ("DRAFT", "ASSESS"),
        ("ASSESS", "AUTHORIZE"),
        ("AUTHORIZE", "SCHEDULED"),
        ("SCHEDULED", "IMPLEMENT"),
        ("IMPLEMENT", "REVIEW"),
        ("REVIEW", "CLOSED"),
    ]
    operations = [e["node"]["operation"] for e in record["history"]["edges"]]
    assert "updateChange" in operations and "approveChange" in operations
