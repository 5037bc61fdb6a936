"""Hand-built topologies for impact tests, created through the GraphQL API."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from graph import Database, announce_topology_change
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate


async def build(
    gql: GraphQLClient,
    cis: dict[str, str],
    edges: list[tuple[str, str, str] | tuple[str, str, str, str, int]],
) -> dict[str, str]:
    """Creates `cis` (name -> class) and `edges` (dependent, dependency, type[, pool, needed]);
    returns name -> id."""
    ids = {name: await create_ci(gql, name, ci_class) for name, ci_class in cis.items()}
    for edge in edges:
        fields: dict[str, Any] = {}
        if len(edge) == 5:
            fields = {"redundancyGroup": edge[3], "minOperational": edge[4]}
        payload = await relate(gql, ids[edge[0]], ids[edge[1]], edge[2], **fields)
        assert payload["errors"] == [], payload
    return ids


IMPACT = """
query($ids: [ID!]!, $depth: Int! = 10, $retired: Boolean! = false, $asOf: DateTime,
      $types: [RelationType!]) {
  impact(ciIds: $ids, maxDepth: $depth, includeRetired: $retired, asOf: $asOf,
         relationTypes: $types) {
    count truncated maxDepth unknownCiIds
    changed { name }
    services(first: 100) { totalCount edges { node { ci { name } state reason depth } } }
    impacted(first: 100) {
      totalCount
      edges { node { ci { name } depth state reason path { name } causes { name } } }
    }
  }
}
"""


async def impact(gql: GraphQLClient, ids: list[str], **variables: Any) -> dict[str, Any]:
    data = await gql(IMPACT, ids=ids, **variables)
    report: dict[str, Any] = data["impact"]
    return report


def services_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The services of an impact report (one page of up to 100), in order."""
    return [e["node"] for e in report["services"]["edges"]]


def impacted_by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["node"]["ci"]["name"]: e["node"] for e in report["impacted"]["edges"]}


async def refresh_topology(app: Starlette, db: Database) -> None:
    """What `cmdb refresh-topology` does, and then waits until the application's projection
    has reloaded (in the background, from its next question on)."""
    await announce_topology_change(db)
    projection = app.state.repositories.impact.projection
    await projection.current()
    await projection.settled()
