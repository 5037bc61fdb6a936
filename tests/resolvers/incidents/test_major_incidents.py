"""A major incident and its children: resolving the parent resolves every open child with the
parent's resolution, each with its own recorded transitions and history."""

from __future__ import annotations

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.helpers import a_ci, get, open_incident, transition

LINK = """
MATCH (child:Incident {number: $child}), (parent:Incident {number: $parent})
CREATE (child)-[:CHILD_OF]->(parent)
"""
FAMILY = """
query($number: String!) {
  incident(number: $number) {
    major majorReason parent { number } children { number state resolution }
  }
}
"""


async def test_resolving_a_parent_resolves_its_open_children(
    gql: GraphQLClient, db: Database, clock: MovableClock
) -> None:
    ci = await a_ci(gql)
    parent = (await open_incident(gql, [ci], title="Payments down", impact=1, urgency=1))["number"]
    fresh = (await open_incident(gql, [ci], title="cannot pay"))["number"]
    held = (await open_incident(gql, [ci], title="card refused"))["number"]
    done = (await open_incident(gql, [ci], title="slow pay"))["number"]
    await transition(gql, held, "IN_PROGRESS")
    await transition(gql, held, "ON_HOLD")
    await transition(gql, done, "CANCELLED")
    for child in (fresh, held, done):
        await db.write_rows("t", LINK, child=child, parent=parent)
    at = clock.advance(minutes=30)

    payload = await transition(
        gql, parent, "RESOLVED", note="fixed", resolution="rolled back the payment gateway"
    )

    assert payload["errors"] == []
    family = (await gql(FAMILY, number=parent))["incident"]
    assert family["children"] == [
        {"number": fresh, "state": "RESOLVED", "resolution": "rolled back the payment gateway"},
        {"number": held, "state": "RESOLVED", "resolution": "rolled back the payment gateway"},
        {"number": done, "state": "CANCELLED", "resolution": None},
    ]
    held_incident = await get(gql, held)
    assert [(t["from"], t["to"], t["note"], t["at"]) for t in held_incident["transitions"][2:]] == [
        ("ON_HOLD", "IN_PROGRESS", f"resolved with {parent}", at.isoformat()),
        ("IN_PROGRESS", "RESOLVED", f"resolved with {parent}", at.isoformat()),
    ]
    fresh_incident = await get(gql, fresh)
    assert [(t["from"], t["to"]) for t in fresh_incident["transitions"]] == [("NEW", "RESOLVED")]
    summaries = [e["node"]["summary"] for e in fresh_incident["history"]["edges"]]
    assert f"{fresh} NEW -> RESOLVED: resolved with {parent}" in summaries
    child = (await gql(FAMILY, number=fresh))["incident"]
    assert child["parent"] == {"number": parent}
    assert (child["major"], child["majorReason"], child["children"]) == (False, None, [])
