"""The topology projection stays in step with Neo4j: every product write is seen by the next
question, creations behind the product's back are seen from the counts, and an unchanged graph
costs one round trip per question."""

from __future__ import annotations

from starlette.applications import Starlette

from graph import Database, announce_topology_change
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import relate
from tests.resolvers.topology import build, impact, impacted_by_name

UPDATE = """
mutation($input: UpdateCIInput!) { updateCI(input: $input) { errors { field code } } }
"""
RETIRE = """
mutation($input: RetireCIInput!) { retireCI(input: $input) { errors { field code } } }
"""
UNRELATE = """
mutation($input: UnrelateCIsInput!) { unrelateCIs(input: $input) { errors { field code } } }
"""


async def chain(gql: GraphQLClient) -> dict[str, str]:
    return await build(
        gql,
        {"db": "DATABASE", "app": "APPLICATION", "shop": "BUSINESS_SERVICE"},
        [("app", "db", "DEPENDS_ON"), ("shop", "app", "PROVIDED_BY")],
    )


async def test_a_relationship_added_after_a_question_is_in_the_next_answer(
    gql: GraphQLClient,
) -> None:
    ids = await chain(gql)
    assert (await impact(gql, [ids["db"]]))["count"] == 2
    other = (await build(gql, {"portal": "BUSINESS_SERVICE"}, []))["portal"]

    payload = await relate(gql, other, ids["app"], "PROVIDED_BY")

    assert payload["errors"] == []
    report = await impact(gql, [ids["db"]])
    assert report["count"] == 3
    assert impacted_by_name(report)["portal"]["depth"] == 2


async def test_a_relationship_removed_after_a_question_is_gone_from_the_next_answer(
    gql: GraphQLClient,
) -> None:
    ids = await chain(gql)
    assert (await impact(gql, [ids["db"]]))["count"] == 2

    data = await gql(UNRELATE, input={"from": ids["shop"], "to": ids["app"], "type": "PROVIDED_BY"})

    assert data["unrelateCIs"]["errors"] == []
    assert set(impacted_by_name(await impact(gql, [ids["db"]]))) == {"app"}


async def test_retiring_and_renaming_cis_show_in_the_next_answer(gql: GraphQLClient) -> None:
    ids = await chain(gql)
    assert (await impact(gql, [ids["db"]]))["count"] == 2

    renamed = await gql(
        UPDATE, input={"id": ids["shop"], "expectedVersion": 1, "name": "online shop"}
    )
    retired = await gql(RETIRE, input={"id": ids["app"]})

    assert renamed["updateCI"]["errors"] == [] and retired["retireCI"]["errors"] == []
    assert (await impact(gql, [ids["db"]]))["count"] == 0
    report = await impact(gql, [ids["db"]], retired=True)
    assert set(impacted_by_name(report)) == {"app", "online shop"}


async def test_edges_created_behind_the_products_back_are_seen_from_the_counts(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await chain(gql)
    assert (await impact(gql, [ids["db"]]))["count"] == 2

    await db.write_rows(
        "t",
        "MATCH (a:CI {id: $a}), (b:CI {id: $b}) "
        "CREATE (b)-[:DEPENDS_ON {validFrom: datetime(), createdAt: datetime()}]->(a)",
        a=ids["shop"],
        b=ids["db"],
    )

    # db now depends on shop, which depends on it: a cycle, every member impacted once.
    assert set(impacted_by_name(await impact(gql, [ids["app"]]))) == {"shop", "db"}


async def test_an_edit_behind_the_products_back_is_seen_once_reloaded_in_the_background(
    gql: GraphQLClient, db: Database, app: Starlette
) -> None:
    ids = await chain(gql)
    assert (await impact(gql, [ids["db"]]))["count"] == 2
    await db.write_rows(
        "t", "MATCH (:CI {id: $shop})-[r:PROVIDED_BY]->() SET r.validTo = datetime()", **ids
    )
    # Same counts, no delta: the projection cannot tell (documented in docs/impact.md).
    assert (await impact(gql, [ids["db"]]))["count"] == 2
    projection = app.state.repositories.impact.projection
    loads = projection.loads

    await announce_topology_change(db)
    # The question that sees the request is answered at once, from the projection it has.
    assert (await impact(gql, [ids["db"]]))["count"] == 2
    await projection.settled()

    assert projection.loads == loads + 1
    assert (await impact(gql, [ids["db"]]))["count"] == 1


async def test_a_question_on_an_unchanged_graph_costs_one_round_trip_before_the_page(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await chain(gql)
    query = "query($ids: [ID!]!) { impact(ciIds: $ids) { count truncated } }"
    await gql(query, ids=[ids["db"]])

    before = db.round_trips
    data = await gql(query, ids=[ids["db"]])

    assert data["impact"] == {"count": 2, "truncated": False}
    assert db.round_trips - before == 1


async def test_impacted_cis_asked_only_by_name_and_class_are_not_read_from_neo4j(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await chain(gql)
    summary = """query($ids: [ID!]!) { impact(ciIds: $ids) {
      impacted { edges { node { ci { id name class classGroup __typename } } } }
      services { edges { node { ci { name } } } } } }"""
    whole = """query($ids: [ID!]!) { impact(ciIds: $ids) {
      impacted { edges { node { ci { name ... on Application { owner status } } } } } } }"""
    await gql(summary, ids=[ids["db"]])

    before = db.round_trips
    data = await gql(summary, ids=[ids["db"]])
    summary_cost = db.round_trips - before
    before = db.round_trips
    read_whole = await gql(whole, ids=[ids["db"]])
    whole_cost = db.round_trips - before

    nodes = [e["node"]["ci"] for e in data["impact"]["impacted"]["edges"]]
    assert nodes == [
        {
            "id": ids["app"],
            "name": "app",
            "class": "APPLICATION",
            "classGroup": "APPLICATION",
            "__typename": "Application",
        },
        {
            "id": ids["shop"],
            "name": "shop",
            "class": "BUSINESS_SERVICE",
            "classGroup": "SERVICE",
            "__typename": "BusinessService",
        },
    ]
    assert data["impact"]["services"] == {"edges": [{"node": {"ci": {"name": "shop"}}}]}
    assert (summary_cost, whole_cost) == (1, 2)
    assert [e["node"]["ci"] for e in read_whole["impact"]["impacted"]["edges"]] == [
        {"name": "app", "owner": None, "status": "OPERATIONAL"},
        {"name": "shop"},
    ]


async def test_outage_and_single_points_of_failure_answer_summaries_without_reading_cis(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await chain(gql)
    outage = """query($ids: [ID!]!) { simulateOutage(ciIds: $ids) {
      services { edges { node { state service { name class } } } } } }"""
    spof = "query($id: ID!) { singlePointsOfFailure(serviceId: $id) { id name class } }"
    await gql(outage, ids=[ids["db"]])

    before = db.round_trips
    outage_data = await gql(outage, ids=[ids["db"]])
    spof_data = await gql(spof, id=ids["shop"])

    assert db.round_trips - before == 2
    assert outage_data["simulateOutage"]["services"]["edges"] == [
        {"node": {"state": "DOWN", "service": {"name": "shop", "class": "BUSINESS_SERVICE"}}}
    ]
    assert spof_data["singlePointsOfFailure"] == [
        {"id": ids["app"], "name": "app", "class": "APPLICATION"},
        {"id": ids["db"], "name": "db", "class": "DATABASE"},
    ]
