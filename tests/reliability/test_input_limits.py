"""Every string argument and input field has a length limit checked before any resolver runs
(docs/api.md, "Input limits"), and attribute keys and redundancy group names a character set
(typed payload errors)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.domain import DEFAULT_INPUT_LIMIT, input_limit
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import CREATE_CI, RELATE, create_ci

MEGABYTE = "x" * 1_000_000
CIS = "query($f: CIFilter) { cis(filter: $f) { totalCount } }"


def refusal(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    return dict(error)


@pytest.mark.parametrize("field", ["search", "nameContains", "nameStartsWith", "owner"])
async def test_a_megabyte_filter_is_refused_naming_the_argument_and_its_limit(
    gql: GraphQLClient, field: str
) -> None:
    error = refusal(await gql.raw(CIS, f={field: MEGABYTE}))
    limit = input_limit(field)
    assert error["extensions"]["argument"] == f"cis.filter.{field}"
    assert error["extensions"]["limit"] == limit
    assert error["message"] == (
        f"cis.filter.{field} is 1000000 characters long, more than its limit of {limit}."
    )


async def test_a_filter_at_its_limit_runs(gql: GraphQLClient) -> None:
    data = await gql(CIS, f={"supportGroup": "g" * input_limit("supportGroup")})
    assert data == {"cis": {"totalCount": 0}}


async def test_a_literal_argument_over_its_limit_is_refused_like_a_variable(
    gql: GraphQLClient,
) -> None:
    document = '{ cis(filter: {search: "%s"}) { totalCount } }' % ("y" * 201)
    error = refusal(await gql.raw(document))
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "cis.filter.search",
        "limit": 200,
    }


async def test_strings_in_lists_of_inputs_are_named_by_their_index(gql: GraphQLClient) -> None:
    external = [{"source": "cmdb", "id": "a"}, {"source": "cmdb", "id": MEGABYTE}]
    body = await gql.raw(
        CREATE_CI, input={"name": "web", "class": "SERVER", "externalIds": external}
    )
    error = refusal(body)
    assert error["extensions"]["argument"] == "createCI.input.externalIds[1].id"
    assert error["extensions"]["limit"] == DEFAULT_INPUT_LIMIT
    assert (await gql("{ cis { totalCount } }"))["cis"]["totalCount"] == 0


async def test_a_long_external_id_below_the_edge_limit_is_a_typed_payload_error(
    gql: GraphQLClient,
) -> None:
    external = [{"source": "cmdb", "id": "i" * 201}]
    data = await gql(CREATE_CI, input={"name": "web", "class": "SERVER", "externalIds": external})
    assert data["createCI"]["ci"] is None
    [error] = data["createCI"]["errors"]
    assert (error["field"], error["code"]) == ("externalIds", "TOO_LONG")


async def test_the_source_of_an_edge_is_bounded(gql: GraphQLClient) -> None:
    web = await create_ci(gql, "web", "APPLICATION")
    host = await create_ci(gql, "host", "SERVER")
    edge = {"from": web, "to": host, "type": "RUNS_ON"}
    error = refusal(await gql.raw(RELATE, input={**edge, "source": MEGABYTE}))
    assert error["extensions"]["argument"] == "relateCIs.input.source"
    data = await gql(RELATE, input={**edge, "source": "s" * 101})
    assert data["relateCIs"]["relationship"] is None
    [problem] = data["relateCIs"]["errors"]
    assert (problem["field"], problem["code"]) == ("source", "TOO_LONG")
    data = await gql(RELATE, input={**edge, "source": "s" * 100})
    assert data["relateCIs"]["errors"] == []
    assert data["relateCIs"]["relationship"]["source"] == "s" * 100


@pytest.mark.parametrize("key", ["rto\n", " rto", "rto ", "r\x00to", "rto\u200b", "1rto", ""])
async def test_an_attribute_key_outside_its_character_set_is_refused(
    gql: GraphQLClient, key: str
) -> None:
    attributes = [{"key": key, "value": "4h"}]
    data = await gql(CREATE_CI, input={"name": "web", "class": "SERVER", "attributes": attributes})
    assert data["createCI"]["ci"] is None
    [error] = data["createCI"]["errors"]
    assert (error["field"], error["code"]) == ("attributes", "INVALID_FORMAT")


async def test_an_attribute_key_of_letters_digits_and_dots_is_kept(gql: GraphQLClient) -> None:
    attributes = [{"key": "backup.rto-hours_2", "value": "4"}]
    data = await gql(CREATE_CI, input={"name": "web", "class": "SERVER", "attributes": attributes})
    assert data["createCI"]["errors"] == []


@pytest.mark.parametrize("group", ["web pool", "web/pool", "pool\x07", "`pool`", "-pool"])
async def test_a_redundancy_group_outside_its_character_set_is_refused(
    gql: GraphQLClient, group: str
) -> None:
    web = await create_ci(gql, "web", "APPLICATION")
    host = await create_ci(gql, "host", "SERVER")
    edge = {"from": web, "to": host, "type": "RUNS_ON", "redundancyGroup": group}
    data = await gql(RELATE, input=edge)
    assert data["relateCIs"]["relationship"] is None
    [problem] = data["relateCIs"]["errors"]
    assert (problem["field"], problem["code"]) == ("redundancyGroup", "INVALID_FORMAT")


async def test_a_redundancy_group_is_stripped_and_kept(gql: GraphQLClient) -> None:
    web = await create_ci(gql, "web", "APPLICATION")
    host = await create_ci(gql, "host", "SERVER")
    edge = {"from": web, "to": host, "type": "RUNS_ON", "redundancyGroup": " web-pool.2\n"}
    data = await gql(RELATE, input=edge)
    assert data["relateCIs"]["errors"] == []
    assert data["relateCIs"]["relationship"]["redundancyGroup"] == "web-pool.2"
