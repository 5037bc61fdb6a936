"""Building blocks for API tests: create CIs and edges through the GraphQL endpoint."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient

CREATE_CI = """
mutation($input: CreateCIInput!) {
  createCI(input: $input) { ci { id version } errors { field code message } }
}
"""

RELATE = """
mutation($input: RelateCIsInput!) {
  relateCIs(input: $input) {
    created
    relationship { type source confidence redundancyGroup createdAt lastConfirmedAt
                   validFrom validTo from { id name } to { id name } }
    errors { field code message }
  }
}
"""


async def create_ci(gql: GraphQLClient, name: str, ci_class: str, **fields: Any) -> str:
    data = await gql(CREATE_CI, input={"name": name, "class": ci_class, **fields})
    assert data["createCI"]["errors"] == [], data
    ci_id: str = data["createCI"]["ci"]["id"]
    return ci_id


async def relate(gql: GraphQLClient, dependent: str, target: str, kind: str, **fields: Any) -> Any:
    data = await gql(RELATE, input={"from": dependent, "to": target, "type": kind, **fields})
    return data["relateCIs"]
