"""The executor's plan (resolvers/_plain.py) and what it changes nothing of: plain fields and
objects are found once per schema; a field with a permission check or a resolver never is;
errors of plain fields and objects read the same as graphql-core's own."""

from __future__ import annotations

import httpx
from graphql import GraphQLNonNull, GraphQLObjectType

from resolvers import build_schema
from resolvers._plain import Kind, Plan
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


def test_lists_of_plain_items_and_fields_of_the_ci_interface_are_plain() -> None:
    impacted = PLAN.fields["ImpactedCI"]["ci"]
    assert impacted.kind is Kind.INTERFACE and impacted.named.name == "ConfigurationItem"
    edges = PLAN.fields["ImpactedCIConnection"]["edges"]
    assert edges.item_type is not None and edges.named.name == "ImpactedCIEdge"
    assert not edges.item_nullable and edges.kind is Kind.OBJECT
    unknown = PLAN.fields["ImpactReport"]["unknownCiIds"]
    assert unknown.kind is Kind.LEAF and unknown.item_type is not None
    # Its resolve_type needs no resolve info; Node's (Strawberry's own search) does.
    assert all(f.named.name != "Node" for fields in PLAN.fields.values() for f in fields.values())


IMPACT_SERVICES = """
query($id: ID!) { impact(ciIds: [$id, "no-such-ci"]) {
  unknownCiIds
  services(first: 10) { edges { node { state ci { __typename id name monthlyCost } } } }
  impacted(first: 10) { edges { node { depth ci { name } path { name } } } }
} }
"""


async def test_plain_lists_answer_as_graphql_core_with_errors_at_each_item_path(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    database = await create_ci(gql, "orders-db", "DATABASE")
    services = {}
    for name in ("billing", "shop"):
        services[name] = await create_ci(gql, name, "BUSINESS_SERVICE", monthlyCost="5")
        await relate(gql, services[name], database, "DEPENDS_ON")

    response = await client.post(
        "/graphql",
        json={"query": IMPACT_SERVICES, "variables": {"id": database}},
        headers=bearer("viewer", ["viewer"]),
    )

    body = response.json()
    report = body["data"]["impact"]
    assert report["unknownCiIds"] == ["no-such-ci"]
    assert [e["node"] for e in report["services"]["edges"]] == [
        {
            "state": "DOWN",
            "ci": {"__typename": "BusinessService", "id": ci_id, "name": name, "monthlyCost": None},
        }
        for name, ci_id in services.items()
    ]
    assert [e["node"] for e in report["impacted"]["edges"]] == [
        {
            "depth": 1,
            "ci": {"name": "billing"},
            "path": [{"name": "orders-db"}, {"name": "billing"}],
        },
        {"depth": 1, "ci": {"name": "shop"}, "path": [{"name": "orders-db"}, {"name": "shop"}]},
    ]
    # Each service's refused cost is an error at its own index, as graphql-core reports it.
    assert sorted(tuple(e["path"]) for e in body["errors"]) == [
        ("impact", "services", "edges", index, "node", "ci", "monthlyCost") for index in (0, 1)
    ]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
