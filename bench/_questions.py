"""The questions the benchmark asks, as the product's real GraphQL queries (docs/api.md,
docs/impact.md), with the peer's question key and the floor's traversal depth for each."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QUESTIONS", "Question"]

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
  simulateOutage(ciIds: [$id]) { services { state service { id name class } } }
}
"""

SINGLE_POINTS_OF_FAILURE = """
query SinglePointsOfFailure($id: ID!) {
  singlePointsOfFailure(serviceId: $id) { id name class }
}
"""


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
    ),
)
