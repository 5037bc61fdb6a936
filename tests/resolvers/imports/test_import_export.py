"""Idempotent imports and the export round trip, through the GraphQL endpoint."""

from __future__ import annotations

from graph import Database
from tests.conftest import CLEAR_GRAPH, GraphQLClient
from tests.resolvers.helpers import create_ci
from tests.resolvers.import_helpers import (
    ci_properties,
    counts,
    demo_document,
    edge_counts,
    export,
    import_cis,
    import_document,
    row,
)


async def test_importing_the_demo_twice_changes_nothing_the_second_time(
    gql: GraphQLClient, db: Database
) -> None:
    document = demo_document()
    cis, relationships = len(document["cis"]), len(document["relationships"])

    first = await import_document(gql, document)
    nodes_before = await ci_properties(db)
    second = await import_document(gql, document)

    assert counts(first) == (cis, 0, 0, 0)
    assert edge_counts(first) == (relationships, 0, 0, 0)
    assert counts(second) == (0, 0, cis, 0)
    assert edge_counts(second) == (0, 0, relationships, 0)
    assert second["rowErrors"] == []
    nodes_after = await ci_properties(db)
    unconfirmed = [{k: v for k, v in n.items() if k != "lastConfirmedAt"} for n in nodes_after]
    assert unconfirmed == [
        {k: v for k, v in n.items() if k != "lastConfirmedAt"} for n in nodes_before
    ]
    [total] = await db.read_rows("t", "MATCH (:CI)-[r]->(:CI) RETURN count(r) AS edges")
    assert total == {"edges": relationships}


async def test_export_import_into_an_empty_graph_and_export_again_gives_the_same_document(
    gql: GraphQLClient, db: Database
) -> None:
    await import_document(gql, demo_document())
    await create_ci(gql, "made by hand", "SERVER", serialNumber="SN-9", monthlyCost="12.50")
    first = await export(db)
    await db.write_rows("t.clear", CLEAR_GRAPH)

    payload = await import_document(gql, first)
    second = await export(db)

    assert payload["rowErrors"] == []
    assert second == first
    assert len(first["cis"]) == len(demo_document()["cis"]) + 1
    by_hand = next(ci for ci in first["cis"] if ci["name"] == "made by hand")
    assert by_hand["monthlyCost"] == "12.50"
    assert "externalIds" not in by_hand


async def test_an_export_reimported_into_the_same_graph_changes_nothing(
    gql: GraphQLClient, db: Database
) -> None:
    await import_document(gql, demo_document())
    await create_ci(gql, "made by hand", "BUSINESS_SERVICE")
    document = await export(db)

    payload = await import_document(gql, document)

    assert counts(payload) == (0, 0, len(document["cis"]), 0)
    assert edge_counts(payload) == (0, 0, len(document["relationships"]), 0)
    assert await export(db) == document


async def test_the_export_names_cis_by_the_export_sources_ids(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "servicenow", [row("CI001", "srv", "SERVER")])

    document = await export(db, "servicenow")

    assert document["source"] == "servicenow"
    assert document["cis"] == [
        {
            "externalId": "CI001",
            "name": "srv",
            "class": "SERVER",
            "status": "OPERATIONAL",
            "environment": "PRODUCTION",
        }
    ]


async def test_an_import_costs_a_fixed_number_of_round_trips_per_batch(
    gql: GraphQLClient, db: Database
) -> None:
    rows = [row(f"vm-{i}", f"vm-{i}", "VIRTUAL_MACHINE", hostname=f"vm-{i}") for i in range(2500)]
    start = db.round_trips
    await import_cis(gql, "hypervisor", rows)
    creating = db.round_trips - start

    start = db.round_trips
    payload = await import_cis(gql, "hypervisor", rows)
    confirming = db.round_trips - start

    # Creating: lookups by external id, id and hostname, then three batches of 1,000 with
    # create (history included) + topology token each. Confirming: the external id finds every
    # CI, so the later rules look up nothing; three batches with read + confirm (nothing
    # changed: no history, no token).
    assert creating == 3 + 3 * 2
    assert confirming == 1 + 3 * 2
    assert counts(payload) == (0, 0, 2500, 0)
