"""Cypher injection (docs/security.md, "OWASP GraphQL cheat sheet"): values travel to Neo4j
only as parameters, and a label or relationship type only from an allow-list, so text written
to break out of a Cypher string, a label or a map is stored and matched as text, and a hostile
class is a typed error that writes nothing."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.resolvers.helpers import CREATE_CI, create_ci

HOSTILE = (
    "web'}) MATCH (n) DETACH DELETE n //",
    'db"}) MATCH (n) DETACH DELETE n //',
    "lb`) DETACH DELETE n //",
    "$name} RETURN 1 UNION MATCH (n) RETURN n //",
    "q\\' OR 1=1 --",
)

READ = "query($id: ID!) { ci(id: $id) { name description owner attributes { key value } } }"
PREFIX = (
    "query($n: String) { cis(filter: {nameStartsWith: $n, owner: $n}) { edges { node { id } } } }"
)


async def test_text_written_to_break_out_of_cypher_is_stored_and_matched_as_text(
    gql: GraphQLClient,
) -> None:
    await create_ci(gql, "bystander", "SERVER")
    ids = {}
    for text in HOSTILE:
        ids[text] = await create_ci(
            gql,
            text,
            "SERVER",
            description=text,
            owner=text,
            attributes=[{"key": "note", "value": text}],
        )

    for text, ci_id in ids.items():
        stored = await gql(READ, id=ci_id)
        found = await gql(PREFIX, n=text)
        assert stored["ci"] == {
            "name": text,
            "description": text,
            "owner": text,
            "attributes": [{"key": "note", "value": text}],
        }
        assert [edge["node"]["id"] for edge in found["cis"]["edges"]] == [ci_id]
    assert (await gql("{ cis { totalCount } }"))["cis"]["totalCount"] == len(HOSTILE) + 1


async def test_a_class_written_as_a_cypher_label_is_a_typed_error_that_writes_nothing(
    gql: GraphQLClient,
) -> None:
    for hostile in ("Server`) DETACH DELETE n //", "SERVER:Admin", "SERVER {x: 1}"):
        data = await gql(CREATE_CI, input={"name": "evil", "class": hostile})

        assert data["createCI"]["ci"] is None
        assert [e["field"] for e in data["createCI"]["errors"]] == ["class"], hostile
    assert (await gql("{ cis { totalCount } }"))["cis"]["totalCount"] == 0
