"""What changed? `suspectedChanges` on incidents through GraphQL: changes implemented within
the suspect window on the affected CIs or anything they depend on, nearest first with their
path; a page of incidents answered in a fixed number of round trips."""

from __future__ import annotations

from datetime import timedelta

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.conftest import START
from tests.resolvers.changes.helpers import a_ci, scheduled
from tests.resolvers.changes.review_helpers import implemented
from tests.resolvers.helpers import relate
from tests.resolvers.incidents.helpers import open_incident

SUSPECTS = """
query($number: String!) {
  incident(number: $number) {
    suspectedChanges {
      change { number title } target { name } depth path { name } implementedAt
    }
  }
}
"""

PAGE = """
{ incidents(first: 10) { edges { node { number
    suspectedChanges { change { number } target { name } path { name } }
} } } }
"""


async def test_a_change_on_the_host_under_the_affected_vm_is_suspected_with_its_path(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    app = await a_ci(gql, "checkout", "MICROSERVICE")
    vm = await a_ci(gql, "web-vm-1", "VIRTUAL_MACHINE")
    host = await a_ci(gql, "esx-host-1", "SERVER")
    other = await a_ci(gql, "billing-db")
    assert (await relate(gql, app, vm, "RUNS_ON"))["errors"] == []
    assert (await relate(gql, vm, host, "HOSTED_ON"))["errors"] == []
    too_early = await implemented(gql, clock, [host], START, title="Old firmware")
    on_host = await implemented(gql, clock, [host], START + timedelta(days=3), title="Firmware")
    await implemented(gql, clock, [other], START + timedelta(days=3), title="Unrelated")
    await scheduled(gql, [vm], title="Not implemented yet")
    on_vm = await implemented(gql, clock, [vm], START + timedelta(days=4), title="Patch the VM")
    clock.advance(hours=1)
    incident = await open_incident(gql, [vm])
    clock.advance(hours=2)

    data = await gql(SUSPECTS, number=incident["number"])

    assert data["incident"]["suspectedChanges"] == [
        {
            "change": {"number": on_vm["number"], "title": "Patch the VM"},
            "target": {"name": "web-vm-1"},
            "depth": 0,
            "path": [{"name": "web-vm-1"}],
            "implementedAt": on_vm["actualStart"],
        },
        {
            "change": {"number": on_host["number"], "title": "Firmware"},
            "target": {"name": "esx-host-1"},
            "depth": 1,
            "path": [{"name": "web-vm-1"}, {"name": "esx-host-1"}],
            "implementedAt": on_host["actualStart"],
        },
    ]
    assert too_early["number"] not in str(data)


async def test_a_change_above_the_affected_ci_or_on_an_unrelated_one_is_not_suspected(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    app = await a_ci(gql, "checkout", "MICROSERVICE")
    vm = await a_ci(gql, "web-vm-1", "VIRTUAL_MACHINE")
    assert (await relate(gql, app, vm, "RUNS_ON"))["errors"] == []
    await implemented(gql, clock, [app], START + timedelta(hours=1))
    incident = await open_incident(gql, [vm])

    data = await gql(SUSPECTS, number=incident["number"])

    assert data["incident"]["suspectedChanges"] == []


async def test_a_page_of_incidents_gets_its_suspects_in_a_fixed_number_of_round_trips(
    gql: GraphQLClient, clock: MovableClock, db: Database
) -> None:
    vm = await a_ci(gql, "web-vm-1", "VIRTUAL_MACHINE")
    host = await a_ci(gql, "esx-host-1", "SERVER")
    assert (await relate(gql, vm, host, "HOSTED_ON"))["errors"] == []
    change = await implemented(gql, clock, [host], START + timedelta(hours=1))
    for _ in range(4):
        await open_incident(gql, [vm])
    await open_incident(gql, [host])

    before = db.round_trips
    data = await gql(PAGE)

    # The page, the suspects of all five incidents, the CIs of targets and paths.
    assert db.round_trips - before == 3
    edges = data["incidents"]["edges"]
    assert len(edges) == 5
    assert all(
        [s["change"]["number"] for s in e["node"]["suspectedChanges"]] == [change["number"]]
        for e in edges
    )
    paths = sorted(len(e["node"]["suspectedChanges"][0]["path"]) for e in edges)
    assert paths == [1, 2, 2, 2, 2]
