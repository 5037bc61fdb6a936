"""The permission table of docs/security.md, walked over HTTP: for every operation it lists and
every role, the operation runs, or it is refused with FORBIDDEN having written nothing (and
having asked the database nothing). The table in the docs is checked against the code's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
)
from strawberry.schema.config import StrawberryConfig

from graph import Database
from graph.access import Role
from resolvers import build_schema
from resolvers._permissions import FIELD_ROLES, MUTATION_ROLES, QUERY_ROLES, apply_permissions
from tests.conftest import GraphQLClient, bearer
from tests.resolvers.helpers import create_ci

SECURITY_MD = Path(__file__).resolve().parents[2] / "docs" / "security.md"
SCHEMA = build_schema()._schema
SCALARS = {
    "ID": "00000000-0000-4000-8000-000000000000",
    "String": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Decimal": "1",
    "DateTime": "2026-03-02T10:00:00+00:00",
    "Date": "2026-03-02",
}
COUNT_GRAPH = "MATCH (n) RETURN count(n) AS nodes"


def documented_table() -> dict[str, dict[Role, bool]]:
    """The rows of the role table in docs/security.md: operation -> role -> allowed."""
    lines = SECURITY_MD.read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| operation |"))
    roles = [Role(cell.strip(" `")) for cell in lines[header].strip("|").split("|")[1:]]
    table: dict[str, dict[Role, bool]] = {}
    for line in lines[header + 2 :]:
        if not line.startswith("| `"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        operation = cells[0].strip("`")
        table[operation] = {
            role: cell == "yes" for role, cell in zip(roles, cells[1:], strict=True)
        }
    return table


def code_table() -> dict[str, dict[Role, bool]]:
    return {
        operation: {role: role is Role.ADMIN or role in allowed for role in Role}
        for operation, allowed in {**QUERY_ROLES, **FIELD_ROLES, **MUTATION_ROLES}.items()
    }


def a_value(kind: GraphQLInputType) -> Any:
    """A value of `kind` that passes variable coercion (its meaning does not matter)."""
    if isinstance(kind, GraphQLNonNull):
        return a_value(kind.of_type)
    if isinstance(kind, GraphQLList):
        return [a_value(kind.of_type)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLScalarType):
        return SCALARS[kind.name]
    assert isinstance(kind, GraphQLInputObjectType)
    return {
        name: a_value(field.type)
        for name, field in kind.fields.items()
        if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
    }


FIELD_DOCUMENTS: dict[str, tuple[str, list[Any]]] = {
    "ConfigurationItem": (
        "{ cis(first: 1) { edges { node { %s } } } }",
        ["cis", "edges", 0, "node"],
    ),
    "ServiceLevel": (
        "{ cis(first: 1, filter: {classes: [BUSINESS_SERVICE]}) { edges { node {"
        " ... on BusinessService { serviceLevel { %s } } } } } }",
        ["cis", "edges", 0, "node", "serviceLevel"],
    ),
    "ServiceAvailability": (
        '{ serviceLevelReport(from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z") { %s } }',
        ["serviceLevelReport", 0],
    ),
}
"""For a field of a type, a query that shows it once, and the path at which it shows."""


def field_path(name: str) -> list[Any]:
    type_name, field = name.split(".")
    return [*FIELD_DOCUMENTS[type_name][1], field]


def operation_of(name: str) -> tuple[str, dict[str, Any]]:
    """A document calling the field `name` with well-typed arguments, and its variables; for
    a field of a type (`ConfigurationItem.monthlyCost`), a query that shows it once."""
    if "." in name:
        type_name, field = name.split(".")
        return FIELD_DOCUMENTS[type_name][0] % field, {}
    is_mutation = name in MUTATION_ROLES
    root = SCHEMA.mutation_type if is_mutation else SCHEMA.query_type
    assert root is not None
    field = root.fields[name]
    declared = ", ".join(f"${arg}: {spec.type}" for arg, spec in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    head = ("mutation" if is_mutation else "query") + (f"({declared})" if declared else "")
    call = f"{name}({passed})" if passed else name
    variables = {arg: a_value(spec.type) for arg, spec in field.args.items()}
    return f"{head} {{ {call} {{ __typename }} }}", variables


def test_the_table_in_the_docs_is_the_table_in_the_code() -> None:
    assert documented_table() == code_table()


def test_every_mutation_of_the_schema_has_an_entry_in_the_table() -> None:
    assert SCHEMA.mutation_type is not None
    assert set(SCHEMA.mutation_type.fields) == set(MUTATION_ROLES)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
async def test_each_role_runs_what_the_table_allows_and_is_forbidden_the_rest(
    client: httpx.AsyncClient, gql: GraphQLClient, db: Database, role: Role
) -> None:
    await create_ci(gql, "priced", "SERVER", monthlyCost="120.50")
    shop = await create_ci(gql, "shop", "BUSINESS_SERVICE")
    level = await gql(
        "mutation($input: SetServiceLevelInput!) { setServiceLevel(input: $input) { errors {"
        " field } } }",
        input={"serviceId": shop, "outageCostPerHour": "900"},
    )
    assert level["setServiceLevel"]["errors"] == []
    headers = bearer(f"a-{role.value}", [role.value])
    outcomes: dict[str, bool] = {}
    for operation, allowed in documented_table().items():
        document, variables = operation_of(operation)
        reads = 0
        if "." in operation:  # what the query's own reads cost, asked by an admin
            trips = db.round_trips
            await client.post("/graphql", json={"query": document, "variables": variables})
            reads = db.round_trips - trips
        [before] = await db.read_rows("t.count", COUNT_GRAPH)
        trips = db.round_trips
        response = await client.post(
            "/graphql", json={"query": document, "variables": variables}, headers=headers
        )
        errors = response.json().get("errors") or []
        forbidden = [e for e in errors if e["extensions"]["code"] == "FORBIDDEN"]
        outcomes[operation] = not forbidden
        if not allowed[role]:
            path = field_path(operation) if "." in operation else [operation]
            assert [e["path"] for e in forbidden] == [path], (operation, errors)
            # A refused operation asks the database nothing; a refused field of a query costs
            # nothing beyond the query's own reads.
            assert db.round_trips == trips + reads, operation
            [after] = await db.read_rows("t.count", COUNT_GRAPH)
            assert after == before, operation
        else:
            codes = {e["extensions"]["code"] for e in errors}
            assert not codes & {"FORBIDDEN", "UNAUTHENTICATED"}, (operation, errors)
    assert outcomes == {operation: row[role] for operation, row in documented_table().items()}


async def test_every_other_query_is_open_to_a_viewer(client: httpx.AsyncClient) -> None:
    viewer = bearer("vera", ["viewer"])

    response = await client.post(
        "/graphql",
        json={"query": "{ cis(first: 1) { totalCount } changes(first: 1) { totalCount } }"},
        headers=viewer,
    )

    assert response.json() == {"data": {"cis": {"totalCount": 0}, "changes": {"totalCount": 0}}}


def test_a_mutation_without_an_entry_stops_the_schema_from_being_built() -> None:
    @strawberry.type
    class Unlisted:
        @strawberry.mutation
        def launch_rockets(self) -> bool:
            return True

    with pytest.raises(RuntimeError, match="launchRockets"):
        apply_permissions(Unlisted, Unlisted, StrawberryConfig().name_converter, {})
