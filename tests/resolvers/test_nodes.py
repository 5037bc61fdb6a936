"""`node(id)` (resolvers/_nodes.py): every record type (a CI, an incident, a problem, a change,
a release) comes back by its own `id` through the `Node` interface, as the same record."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import open_change
from tests.resolvers.helpers import create_ci
from tests.resolvers.incidents.helpers import open_incident
from tests.resolvers.problems.helpers import CREATE_PROBLEM
from tests.resolvers.releases.helpers import a_release

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on ConfigurationItem { name }
    ... on Incident { number title }
    ... on Problem { number title }
    ... on Change { number title }
    ... on Release { number name }
  }
}
"""
WINDOW = {"plannedStart": "2030-03-10T22:00:00+00:00", "plannedEnd": "2030-03-10T23:00:00+00:00"}


async def node(gql: GraphQLClient, id: str) -> Any:
    return (await gql(NODE, id=id))["node"]


async def test_node_returns_every_record_type_by_its_id(gql: GraphQLClient) -> None:
    ci = await create_ci(gql, "orders-db", "DATABASE")
    incident = await open_incident(gql, [ci], title="Checkout fails")
    created = await gql(CREATE_PROBLEM, input={"title": "Pool exhaustion"})
    problem = created["createProblem"]["problem"]
    change = await open_change(gql, [ci], title="Patch the database", **WINDOW)
    release = await a_release(gql, change["number"], name="Spring")

    assert await node(gql, ci) == {"__typename": "Database", "id": ci, "name": "orders-db"}
    assert await node(gql, incident["id"]) == {
        "__typename": "Incident",
        "id": incident["id"],
        "number": incident["number"],
        "title": "Checkout fails",
    }
    assert await node(gql, problem["id"]) == {
        "__typename": "Problem",
        "id": problem["id"],
        "number": problem["number"],
        "title": "Pool exhaustion",
    }
    assert await node(gql, change["id"]) == {
        "__typename": "Change",
        "id": change["id"],
        "number": change["number"],
        "title": "Patch the database",
    }
    assert await node(gql, release["id"]) == {
        "__typename": "Release",
        "id": release["id"],
        "number": release["number"],
        "name": "Spring",
    }
    ids = [ci, incident["id"], problem["id"], change["id"], release["id"]]
    assert len(set(ids)) == len(ids)


async def test_node_of_an_unknown_id_or_a_number_is_null(gql: GraphQLClient) -> None:
    ci = await create_ci(gql, "orders-db", "DATABASE")
    incident = await open_incident(gql, [ci])

    assert await node(gql, "00000000-0000-0000-0000-000000000000") is None
    assert await node(gql, incident["number"]) is None
