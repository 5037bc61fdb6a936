"""The questions the benchmark asks, as the product's real GraphQL queries (docs/api.md,
docs/impact.md, docs/incidents-import.md, docs/changes.md), with the peer's question key and the
floor's traversal depth for each. The writes the scenarios send are in bench/_mutations.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["INCIDENT_LIST", "QUESTIONS", "Question", "asked_at"]

# The field sets match the peer's queries (bench/peer/queries.json), so that both answer the
# same question with the same data. The product works out what is asked: impact propagates
# redundancy-aware states only when a state, reason or the services are asked (not here, as the
# peer cannot answer them; docs/impact.md gives the in-process cost with them), and CIs asked by
# id, name and class only are answered from its topology projection.
CI_BY_ID = """
query CiById($id: ID!) {
  ci(id: $id) { id name class status criticality owner }
}
"""

CIS_PAGE_WITH_NEIGHBOURS = """
query CisPageWithNeighbours {
  cis(first: 50) {
    edges { node {
      id name
      dependsOn(first: 100) { edges { node { type to { id name } } } }
      dependents(first: 100) { edges { node { type from { id name } } } }
    } }
  }
}
"""

IMPACT = """
query ImpactDepth10($id: ID!) {
  impact(ciIds: [$id], maxDepth: 10) {
    count
    impacted(first: 100) { edges { node { depth ci { id name class } } } }
  }
}
"""

SIMULATE_OUTAGE = """
query SimulateOutage($id: ID!) {
  simulateOutage(ciIds: [$id], includeOperational: true) {
    services(first: 5000) { totalCount edges { node { state service { id name class } } } }
  }
}
"""

SINGLE_POINTS_OF_FAILURE = """
query SinglePointsOfFailure($id: ID!) {
  singlePointsOfFailure(serviceId: $id) { id name class }
}
"""


# What a change manager reads before approving a change to a CI: how far it reaches, the first
# page of what it reaches (with why and how), and the services it touches (states included, so
# the redundancy-aware propagation runs: the peer cannot answer that part).
IMPACT_CHANGE_MANAGER = """
query ImpactChangeManager($id: ID!) {
  impact(ciIds: [$id], maxDepth: 10) {
    count
    impacted(first: 20) { totalCount edges { node {
      ci { id name } depth state reason path { id name }
    } } }
    services(first: 20) { totalCount edges { node { ci { id name } state } } }
  }
}
"""

# The service desk opens an incident on a CI; the payload carries the priority and the services
# the impact analysis found (docs/api.md, "Incidents").
CREATE_INCIDENT = """
mutation CreateIncident($id: ID!) {
  createIncident(input: {
    title: "bench: database answers slowly", category: APPLICATION, impact: 2, urgency: 2,
    affectedCiIds: [$id], assignmentGroup: "team-00"
  }) {
    incident { number priority state impactedServices { state reason service { id name } } }
    errors { field message code }
  }
}
"""

# The assessment a change manager reads (docs/changes.md): the impact snapshot's services, the
# risk with its factors, and the conflicts over the whole impact closure.
ASSESS_CHANGE = """
query AssessChange($number: String!) {
  change(number: $number) {
    number state assessedAt impactedCiCount
    impactedServices { state reason service { id name } }
    risk { score level factors { name weight detail } }
    conflicts { kind reason ci { id name } change { number } incident { number priority } }
  }
}
"""

# The service desk's queue, as a list page shows it.
INCIDENT_LIST = """
query IncidentList {
  incidents(first: 20) {
    totalCount
    edges { node { number title priority state assignmentGroup openedAt slaBreachAt } }
  }
}
"""

Kind = Literal["read", "after_write", "mixed"]


@dataclass(frozen=True)
class Question:
    key: str
    """The `question` of results.json."""
    title: str
    query: str
    peer_key: str
    """The question's key in bench/peer/queries.json."""
    start: str | None
    """The manifest start whose CI id is the variable `id`; None: no variable, or (for
    `ci_by_id`) a rotating sample of CIs."""
    floor_depth: int | None = None
    """Depth of the floor's breadth-first search; None: the floor does not answer it."""
    count_field: str | None = None
    """Where the answer holds the number of CIs reached, to check against the floor."""
    kind: Kind = "read"
    """read: the same request again and again (bench/_load.py); after_write: each timed
    request follows a write; mixed: reads at a constant arrival rate while writes run
    (bench/_scenarios.py)."""
    large: bool = True
    """Asked at 1m too; False: a long question, skipped at 1m (`--long` asks it anyway)."""
    variable: str = "id"
    """The variable of `query`: `id` (the start CI, or the sample of CIs) or `number` (the
    change the run creates first, for `assess_change`)."""
    writes: bool = False
    """It writes (or runs while writes do): asked after the peer answered the read-only
    questions, so that every system reads the same graph."""


QUESTIONS = (
    Question("ci_by_id", "ci(id)", CI_BY_ID, "ci_by_id", None),
    Question(
        "cis_page_with_neighbours",
        "cis(first: 50) with dependsOn(first: 100) and dependents(first: 100)",
        CIS_PAGE_WITH_NEIGHBOURS,
        "cis_page_with_neighbours",
        None,
    ),
    Question(
        "impact_leaf",
        "impact at depth 10 from a business service (a leaf: nothing depends on it)",
        IMPACT,
        "impact_depth_10",
        "leaf",
        10,
        "impact.count",
    ),
    Question(
        "impact_shared_database",
        "impact at depth 10 from the most shared database",
        IMPACT,
        "impact_depth_10",
        "shared_database",
        10,
        "impact.count",
    ),
    Question(
        "impact_network_core",
        "impact at depth 10 from the network core",
        IMPACT,
        "impact_depth_10",
        "network_core",
        10,
        "impact.count",
    ),
    Question(
        "simulate_outage",
        "simulateOutage of a hypervisor host",
        SIMULATE_OUTAGE,
        "simulate_outage",
        "outage_host",
        50,
    ),
    Question(
        "single_points_of_failure",
        "singlePointsOfFailure of a business service",
        SINGLE_POINTS_OF_FAILURE,
        "single_points_of_failure",
        "spof_service",
        large=False,
    ),
    Question(
        "impact_change_manager",
        "the change manager's impact at depth 10 from the most shared database: count, the first "
        "20 impacted CIs with state, reason and path, the first 20 services with their state",
        IMPACT_CHANGE_MANAGER,
        "impact_change_manager",
        "shared_database",
        10,
        "impact.count",
    ),
    Question(
        "impact_after_write",
        "the change manager's impact (above) as the first question after a write: updateCI of "
        "a description, or a relateCIs/unrelateCIs pair, acknowledged, then the impact, timed",
        IMPACT_CHANGE_MANAGER,
        "impact_after_write",
        "shared_database",
        kind="after_write",
        large=False,
        writes=True,
    ),
    Question(
        "create_incident",
        "createIncident on the most shared database, with its priority and computed impacted "
        "services in the payload",
        CREATE_INCIDENT,
        "create_incident",
        "shared_database",
        large=False,
        writes=True,
    ),
    Question(
        "assess_change",
        "a normal change to the most shared database, assessed once before timing; per request "
        "the change with its impacted services, risk (score, level, factors) and conflicts",
        ASSESS_CHANGE,
        "assess_change",
        "shared_database",
        large=False,
        variable="number",
        writes=True,
    ),
    Question(
        "mixed_load",
        "reads at a constant arrival rate (ci(id), cis page, the change manager's impact, the "
        "incident list) while updateCI, relateCIs/unrelateCIs, createIncident and small importCIs "
        "run",
        IMPACT_CHANGE_MANAGER,
        "mixed_load",
        "shared_database",
        kind="mixed",
        large=False,
        writes=True,
    ),
)


def asked_at(scale_cis: int, long: bool) -> tuple[Question, ...]:
    """The questions a run asks: all of them, but at 1m (and above) only the large ones unless
    `long` (the writes reload a projection of a million CIs in every worker, and
    singlePointsOfFailure runs one propagation per candidate)."""
    if long or scale_cis < LARGE_CIS:
        return QUESTIONS
    return tuple(q for q in QUESTIONS if q.large)


LARGE_CIS = 1_000_000
