"""The executor's plan (resolvers/_plain.py) and what it changes nothing of: plain fields and
objects are found once per schema; a field with a permission check or a resolver never is;
errors of plain fields and objects read the same as graphql-core's own."""

from __future__ import annotations

import httpx
from graphql import GraphQLNonNull, GraphQLObjectType

from resolvers import build_schema
from resolvers._plain import Plan
from tests.conftest import GraphQLClient, bearer
from tests.resolvers.helpers import create_ci, relate

SCHEMA = build_schema()
PLAN: Plan = SCHEMA.execution_context_class.plan  # type: ignore[attr-defined]


def test_basic_scalar_and_object_fields_are_plain_and_resolved_or_protected_ones_are_not() -> None:
    relationship = PLAN.fields["Relationship"]
    assert {"type", "fromId", "source", "validTo"} <= set(relationship)
    assert "from" not in relationship and "to" not in relationship
    database = PLAN.fields["Database"]
    assert {"id", "name", "class", "createdAt"} <= set(database)
    # A permission check (monthlyCost) and a resolver (dependsOn) take the general path.
    assert "monthlyCost" not in database and "dependsOn" not in database
    assert PLAN.fields["NeighbourEdge"]["node"].named.name == "Relationship"


def test_object_types_checked_by_is_type_of_are_not_plain() -> None:
    plain = {t.name for t in PLAN.objects.values()}
    assert {"Relationship", "NeighbourEdge", "PageInfo", "RelationshipConnection"} <= plain
    # A CI type implements interfaces: graphql-core checks what its resolve_type named.
    assert "Database" not in plain
    edge = SCHEMA._schema.type_map["NeighbourEdge"]
    assert isinstance(edge, GraphQLObjectType)
    node_type = edge.fields["node"].type
    assert isinstance(node_type, GraphQLNonNull)
    assert PLAN.objects[id(node_type)].name == "Relationship"


async def test_a_refused_field_of_each_neighbour_is_an_error_at_its_path(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    orders = await create_ci(gql, "orders-db", "DATABASE", monthlyCost="10")
    await relate(gql, app, orders, "DEPENDS_ON")

    response = await client.post(
        "/graphql",
        json={
            "query": "query($id: ID!) { ci(id: $id) { dependsOn { edges { node { type "
            "to { name monthlyCost } } } } } }",
            "variables": {"id": app},
        },
        headers=bearer("viewer", ["viewer"]),
    )

    body = response.json()
    [edge] = body["data"]["ci"]["dependsOn"]["edges"]
    assert edge == {
        "node": {"type": "DEPENDS_ON", "to": {"name": "orders-db", "monthlyCost": None}}
    }
    [error] = body["errors"]
    assert error["path"] == ["ci", "dependsOn", "edges", 0, "node", "to", "monthlyCost"]
    assert error["extensions"]["code"] == "FORBIDDEN"
