"""`importCIs`: creating, identifying and validating CI rows, through the GraphQL endpoint."""

from __future__ import annotations

import json

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.cis.test_update_history import HISTORY
from tests.resolvers.helpers import create_ci
from tests.resolvers.import_helpers import (
    ci_named,
    ci_properties,
    counts,
    edge,
    import_cis,
    row,
)

SEP = "\x1f"


async def test_an_import_creates_its_cis_with_the_sources_external_id(
    gql: GraphQLClient, db: Database
) -> None:
    payload = await import_cis(
        gql,
        "discovery",
        [
            row("srv-1", "srv-1", "SERVER", serialNumber="SN1", hostname="SRV-1", criticality=2),
            row(
                "shop",
                "Online Shop",
                "BUSINESS_SERVICE",
                attributes=[{"key": "rto", "value": "2h"}],
            ),
        ],
    )

    assert payload["errors"] == [] and payload["rowErrors"] == []
    assert counts(payload) == (2, 0, 0, 0)
    assert payload["refused"] is False
    server = await ci_named(db, "srv-1")
    assert server["class"] == "Server"
    assert server["externalIds"] == [f"discovery{SEP}srv-1"]
    assert (server["hostname"], server["serialNumber"], server["criticality"]) == (
        "srv-1",
        "SN1",
        2,
    )
    assert (server["status"], server["environment"], server["version"]) == (
        "OPERATIONAL",
        "PRODUCTION",
        1,
    )
    assert server["lastConfirmedAt"] == server["createdAt"]
    shop = await ci_named(db, "Online Shop")
    assert shop["attr.rto"] == "2h"


async def test_the_sources_external_id_finds_the_ci_again(gql: GraphQLClient, db: Database) -> None:
    await import_cis(gql, "discovery", [row("srv-1", "srv-1", "SERVER", owner="Ann")])

    payload = await import_cis(gql, "discovery", [row("srv-1", "srv-1 (renamed)", "SERVER")])

    assert counts(payload) == (0, 1, 0, 0)
    [ci] = await ci_properties(db)
    assert (ci["name"], ci["owner"], ci["version"]) == ("srv-1 (renamed)", "Ann", 2)


async def test_another_sources_external_id_does_not_identify(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", [row("srv-1", "srv-1", "SERVER")])

    payload = await import_cis(gql, "spreadsheet", [row("srv-1", "srv-1", "SERVER")])

    assert counts(payload) == (1, 0, 0, 0)
    assert len(await ci_properties(db)) == 2


async def test_class_and_serial_number_find_a_ci_created_through_the_api(
    gql: GraphQLClient, db: Database
) -> None:
    ci_id = await create_ci(gql, "srv-1", "SERVER", serialNumber="SN-42")

    payload = await import_cis(
        gql, "discovery", [row("d-17", "srv-1", "SERVER", serialNumber="SN-42")]
    )

    assert counts(payload) == (0, 1, 0, 0)
    [ci] = await ci_properties(db)
    assert ci["id"] == ci_id
    assert ci["externalIds"] == [f"discovery{SEP}d-17"]


async def test_a_serial_number_identifies_only_within_the_class(
    gql: GraphQLClient, db: Database
) -> None:
    await create_ci(gql, "array-1", "STORAGE_DEVICE", serialNumber="SN-42")

    payload = await import_cis(
        gql, "discovery", [row("d-17", "srv-1", "SERVER", serialNumber="SN-42")]
    )

    assert counts(payload) == (1, 0, 0, 0)


async def test_class_and_fqdn_find_the_ci(gql: GraphQLClient, db: Database) -> None:
    ci_id = await create_ci(gql, "web-1", "VIRTUAL_MACHINE", fqdn="web-1.example.com")

    payload = await import_cis(
        gql, "discovery", [row("vm-9", "web-1", "VIRTUAL_MACHINE", fqdn="WEB-1.Example.com")]
    )

    assert counts(payload) == (0, 1, 0, 0)
    assert [ci["id"] for ci in await ci_properties(db)] == [ci_id]


async def test_class_and_hostname_find_the_ci(gql: GraphQLClient, db: Database) -> None:
    ci_id = await create_ci(gql, "web-1", "VIRTUAL_MACHINE", hostname="web-1")

    payload = await import_cis(
        gql, "discovery", [row("vm-9", "web-1", "VIRTUAL_MACHINE", hostname="WEB-1")]
    )

    assert counts(payload) == (0, 1, 0, 0)
    assert [ci["id"] for ci in await ci_properties(db)] == [ci_id]


async def test_the_first_rule_that_finds_a_ci_decides(gql: GraphQLClient, db: Database) -> None:
    await import_cis(gql, "discovery", [row("a", "by-external-id", "SERVER")])
    await create_ci(gql, "by-serial", "SERVER", serialNumber="SN-1")

    payload = await import_cis(
        gql, "discovery", [row("a", "by-external-id", "SERVER", serialNumber="SN-1")]
    )

    assert counts(payload) == (0, 1, 0, 0)
    assert (await ci_named(db, "by-external-id"))["serialNumber"] == "SN-1"


async def test_a_rule_that_finds_several_cis_refuses_the_row(
    gql: GraphQLClient, db: Database
) -> None:
    await create_ci(gql, "web-1a", "SERVER", hostname="web-1")
    await create_ci(gql, "web-1b", "SERVER", hostname="web-1")

    payload = await import_cis(gql, "discovery", [row("x", "web-1", "SERVER", hostname="web-1")])

    assert payload["refused"] is True
    [error] = payload["rowErrors"]
    assert (error["index"], error["field"], error["code"]) == (0, "hostname", "CONFLICT")
    assert "hostname matches 2 Server CIs" in error["message"]
    assert len(await ci_properties(db)) == 2


async def test_an_external_id_cannot_change_a_cis_class(gql: GraphQLClient, db: Database) -> None:
    await import_cis(gql, "discovery", [row("x", "web-1", "SERVER")])

    payload = await import_cis(gql, "discovery", [row("x", "web-1", "VIRTUAL_MACHINE")])

    [error] = payload["rowErrors"]
    assert (error["field"], error["code"]) == ("class", "CONFLICT")
    assert "names the SERVER CI" in error["message"] and "not a VIRTUAL_MACHINE" in error["message"]


async def test_two_rows_naming_the_same_ci_are_refused(gql: GraphQLClient, db: Database) -> None:
    payload = await import_cis(
        gql,
        "discovery",
        [
            row("a", "srv", "SERVER", serialNumber="SN-1"),
            row("b", "srv again", "SERVER", serialNumber="SN-1"),
            row("a", "srv a", "SERVER"),
        ],
    )

    errors = [(e["index"], e["field"], e["code"]) for e in payload["rowErrors"]]
    assert errors == [(1, "serialNumber", "CONFLICT"), (2, "externalId", "CONFLICT")]
    assert "cis[0]" in payload["rowErrors"][0]["message"]
    assert counts(payload) == (0, 0, 0, 2)
    assert await ci_properties(db) == []


async def test_every_invalid_row_is_reported_with_its_index_and_reason(
    gql: GraphQLClient, db: Database
) -> None:
    payload = await import_cis(
        gql,
        "discovery",
        [
            row("ok", "fine", "SERVER"),
            row("bad-class", "x", "MAINFRAME"),
            row("no-name", None, "SERVER"),
            row("bad-ip", "y", "SERVER", ipAddress="10.0.0.300", criticality=7),
            row("bad-min", "z", "CLUSTER", minOperational=[{"group": "pool", "minOperational": 0}]),
        ],
    )

    assert payload["refused"] is True
    assert [(e["index"], e["externalId"], e["field"], e["code"]) for e in payload["rowErrors"]] == [
        (1, "bad-class", "class", "INVALID_VALUE"),
        (2, "no-name", "name", "REQUIRED"),
        (3, "bad-ip", "criticality", "OUT_OF_RANGE"),
        (3, "bad-ip", "ipAddress", "INVALID_FORMAT"),
        (4, "bad-min", "minOperational", "OUT_OF_RANGE"),
    ]
    assert "unknown class 'MAINFRAME'" in payload["rowErrors"][0]["message"]
    assert {e["section"] for e in payload["rowErrors"]} == {"CIS"}
    assert counts(payload) == (0, 0, 0, 4)
    assert await ci_properties(db) == []


async def test_one_invalid_row_among_a_thousand_writes_nothing(
    gql: GraphQLClient, db: Database
) -> None:
    rows = [row(f"vm-{i}", f"vm-{i:04}", "VIRTUAL_MACHINE") for i in range(1000)]
    rows[617]["class"] = "VIRTUAL_MASHEEN"

    payload = await import_cis(gql, "hypervisor", rows)

    assert payload["refused"] is True
    assert counts(payload) == (0, 0, 0, 1)
    assert [(e["index"], e["field"]) for e in payload["rowErrors"]] == [(617, "class")]
    assert await ci_properties(db) == []


async def test_skip_invalid_writes_the_999_valid_rows_of_a_thousand(
    gql: GraphQLClient, db: Database
) -> None:
    rows = [row(f"vm-{i}", f"vm-{i:04}", "VIRTUAL_MACHINE") for i in range(1000)]
    rows[617]["class"] = "VIRTUAL_MASHEEN"

    payload = await import_cis(gql, "hypervisor", rows, skip_invalid=True)

    assert payload["refused"] is False
    assert counts(payload) == (999, 0, 0, 1)
    assert [(e["index"], e["externalId"]) for e in payload["rowErrors"]] == [(617, "vm-617")]
    names = {ci["name"] for ci in await ci_properties(db)}
    assert len(names) == 999 and "vm-0617" not in names


async def test_a_source_is_required(gql: GraphQLClient, db: Database) -> None:
    payload = await import_cis(gql, "  ", [row("a", "srv", "SERVER")])

    assert payload["errors"] == [
        {"field": "source", "message": "source is required", "code": "REQUIRED"}
    ]
    assert payload["refused"] is True
    assert await ci_properties(db) == []


async def test_values_left_out_are_kept_and_defaults_do_not_reset_them(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", [row("a", "srv", "SERVER", owner="Ann", status="RETIRED")])

    payload = await import_cis(gql, "discovery", [row("a", "srv", "SERVER")])

    assert counts(payload) == (0, 0, 1, 0)
    ci = await ci_named(db, "srv")
    assert (ci["owner"], ci["status"], ci["version"]) == ("Ann", "RETIRED", 1)


async def test_an_unchanged_ci_is_confirmed_without_a_new_version(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", [row("a", "srv", "SERVER", hostname="srv")])
    before = await ci_named(db, "srv")

    payload = await import_cis(gql, "discovery", [row("a", "srv", "SERVER", hostname="srv")])

    after = await ci_named(db, "srv")
    assert counts(payload) == (0, 0, 1, 0)
    assert after["version"] == before["version"] == 1
    assert after["updatedAt"] == before["updatedAt"]
    assert after["lastConfirmedAt"] > before["lastConfirmedAt"]


async def test_other_sources_ids_are_kept_one_per_source(gql: GraphQLClient, db: Database) -> None:
    await import_cis(
        gql,
        "discovery",
        [row("a", "srv", "SERVER", externalIds=[{"source": "servicenow", "id": "CI001"}])],
    )

    payload = await import_cis(
        gql,
        "discovery",
        [row("a", "srv", "SERVER", externalIds=[{"source": "servicenow", "id": "CI002"}])],
    )

    assert counts(payload) == (0, 1, 0, 0)
    ci = await ci_named(db, "srv")
    assert ci["externalIds"] == [f"discovery{SEP}a", f"servicenow{SEP}CI002"]


async def test_an_import_records_history_with_before_and_after_values(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", [row("a", "srv", "SERVER", owner="Ann")])
    await import_cis(gql, "discovery", [row("a", "srv", "SERVER", owner="Bob")])
    ci_id = (await ci_named(db, "srv"))["id"]

    data = await gql(HISTORY, id=ci_id)

    events = [edge_["node"] for edge_ in data["ci"]["history"]["edges"]]
    assert [(e["operation"], e["summary"], e["actor"]) for e in events] == [
        ("importCIs", "SERVER srv updated by import from discovery", "test-user"),
        ("importCIs", "SERVER srv created by import from discovery", "test-user"),
    ]
    assert events[0]["changes"] == [{"field": "owner", "before": '"Ann"', "after": '"Bob"'}]
    created = {c["field"]: c["after"] for c in events[1]["changes"]}
    assert json.loads(created["name"]) == "srv" and json.loads(created["owner"]) == "Ann"


async def test_relationships_name_their_ends_by_external_id(
    gql: GraphQLClient, db: Database
) -> None:
    payload = await import_cis(
        gql,
        "discovery",
        [row("app", "checkout", "MICROSERVICE"), row("db", "orders-db", "DATABASE")],
        [edge("app", "db", "DEPENDS_ON", confidence=0.8)],
    )

    assert payload["relationshipsCreated"] == 1
    rows = await db.read_rows(
        "t",
        "MATCH (a:CI)-[r]->(b:CI) RETURN a.name AS a, type(r) AS type, b.name AS b, "
        "r.source AS source, r.confidence AS confidence, r.validTo IS NULL AS current",
    )
    assert rows == [
        {
            "a": "checkout",
            "type": "DEPENDS_ON",
            "b": "orders-db",
            "source": "discovery",
            "confidence": 0.8,
            "current": True,
        }
    ]


async def test_the_import_sources_own_id_belongs_in_external_id(gql: GraphQLClient) -> None:
    payload = await import_cis(
        gql,
        "discovery",
        [row("a", "srv", "SERVER", externalIds=[{"source": "discovery", "id": "b"}])],
    )

    [error] = payload["rowErrors"]
    assert (error["field"], error["code"]) == ("externalIds", "INVALID_VALUE")
    assert "goes in externalId" in error["message"]
