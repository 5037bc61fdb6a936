"""Building blocks for release tests: create, change, move and read releases through GraphQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient

RELEASE_FIELDS = """
  id number name version type state description plannedStart plannedEnd rollbackPlan
  rollbackNote createdAt updatedAt deployedAt closedAt rolledBackAt createdBy updatedBy revision
  changeNumbers deployedCiIds deployedCisGiven impactedCiCount
  changes { number state type authorised targetCiIds }
  deployedCis { id name }
  transitions { from to at actor note }
  impactedServices { service { id name } state reason changes { number } }
"""

ERRORS = " errors { field code message } "


def _mutation(name: str, input_type: str) -> str:
    return (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ release {{ "
        + RELEASE_FIELDS
        + " } "
        + ERRORS
        + "} }"
    )


CREATE = _mutation("createRelease", "CreateReleaseInput")
UPDATE = _mutation("updateRelease", "UpdateReleaseInput")
ADD = _mutation("addChangesToRelease", "AddChangesToReleaseInput")
REMOVE = _mutation("removeChangeFromRelease", "RemoveChangeFromReleaseInput")
TRANSITION = _mutation("transitionRelease", "TransitionReleaseInput")
GET = (
    """
query($number: String!) { release(number: $number) { """
    + RELEASE_FIELDS
    + """
  history(first: 50) { edges { node { actor operation summary changes { field before after } } } }
} }
"""
)
LIST = (
    """
query($filter: ReleaseFilter, $first: Int, $after: String) {
  releases(filter: $filter, first: $first, after: $after) {
    edges { cursor node { """
    + RELEASE_FIELDS
    + """ } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)


async def create_release(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    """The createRelease payload for `fields` (name, version and type defaulted)."""
    values = {"name": "Spring", "version": "1.0", "type": "MINOR", **fields}
    data = await gql(CREATE, input=values)
    payload: dict[str, Any] = data["createRelease"]
    return payload


async def a_release(gql: GraphQLClient, *change_numbers: str, **fields: Any) -> dict[str, Any]:
    """A new release of `change_numbers`; fails the test on errors."""
    payload = await create_release(gql, changeNumbers=list(change_numbers), **fields)
    assert payload["errors"] == [], payload
    release: dict[str, Any] = payload["release"]
    return release


async def call(gql: GraphQLClient, mutation: str, **fields: Any) -> dict[str, Any]:
    """The payload of `mutation` (UPDATE, ADD, REMOVE, TRANSITION) for `fields`."""
    data = await gql(mutation, input=fields)
    [payload] = data.values()
    result: dict[str, Any] = payload
    return result


async def transition(gql: GraphQLClient, number: str, to: str, **fields: Any) -> dict[str, Any]:
    return await call(gql, TRANSITION, number=number, to=to, **fields)


async def move(gql: GraphQLClient, number: str, *states: str) -> dict[str, Any]:
    """Moves the release through `states`, failing the test on errors; the release after."""
    release: dict[str, Any] = {}
    for state in states:
        payload = await transition(gql, number, state)
        assert payload["errors"] == [], (state, payload)
        release = payload["release"]
    return release


async def get_release(gql: GraphQLClient, number: str) -> dict[str, Any] | None:
    data = await gql(GET, number=number)
    release: dict[str, Any] | None = data["release"]
    return release
