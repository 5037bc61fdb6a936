"""`clientMutationId` (resolvers/_client_mutation_id.py): every mutation's input may carry one
and its payload echoes it, per aliased field; the mutation runs as without it."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLString,
    build_schema,
    get_named_type,
)

from tests.conftest import GraphQLClient

CREATE_TWO = """
mutation($a: CreateCIInput!, $b: CreateCIInput!, $c: CreateCIInput!) {
  first: createCI(input: $a) { clientMutationId ci { name } errors { code } }
  second: createCI(input: $b) { clientMutationId ci { name } errors { code } }
  plain: createCI(input: $c) { clientMutationId ci { name } errors { code } }
}
"""
REFUSED = """
mutation($input: CreateCIInput!) {
  createCI(input: $input) { clientMutationId ci { id } errors { field code } }
}
"""
SCHEMA = Path(__file__).parents[2] / "schema.graphql"


def ci(name: str, **extra: str) -> dict[str, str]:
    return {"name": name, "class": "SERVER", **extra}


async def test_each_payload_echoes_its_own_input_s_client_mutation_id(gql: GraphQLClient) -> None:
    data = await gql(
        CREATE_TWO,
        a=ci("web-1", clientMutationId="m-1"),
        b=ci("web-2", clientMutationId="m-2"),
        c=ci("web-3"),
    )

    assert data == {
        "first": {"clientMutationId": "m-1", "ci": {"name": "web-1"}, "errors": []},
        "second": {"clientMutationId": "m-2", "ci": {"name": "web-2"}, "errors": []},
        "plain": {"clientMutationId": None, "ci": {"name": "web-3"}, "errors": []},
    }
    names = await gql("{ cis(first: 10) { edges { node { name } } } }")
    assert [e["node"]["name"] for e in names["cis"]["edges"]] == ["web-1", "web-2", "web-3"]


async def test_a_refused_mutation_echoes_it_with_its_errors(gql: GraphQLClient) -> None:
    data = await gql(REFUSED, input=ci(" ", clientMutationId="m-9"))

    payload = data["createCI"]
    assert payload["clientMutationId"] == "m-9"
    assert payload["ci"] is None and payload["errors"][0]["field"] == "name"


def test_every_mutation_of_the_schema_takes_and_echoes_it() -> None:
    schema = build_schema(SCHEMA.read_text(encoding="utf-8"))
    assert schema.mutation_type is not None
    mutations = schema.mutation_type.fields
    assert len(mutations) >= 40
    for name, field in mutations.items():
        input_type = get_named_type(field.args["input"].type)
        payload = get_named_type(field.type)
        assert isinstance(input_type, GraphQLInputObjectType), name
        assert isinstance(payload, GraphQLObjectType), name
        assert input_type.fields["clientMutationId"].type == GraphQLString, name
        assert payload.fields["clientMutationId"].type == GraphQLString, name
