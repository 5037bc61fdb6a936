"""Source precedence between imports, through the GraphQL endpoint of an application configured
with `CMDB_IMPORT_PRECEDENCE="servicenow,discovery;monthlyCost=finance,servicenow"`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from api import Settings, create_app
from graph import Database
from tests import conftest
from tests.conftest import AUTH_ENV, GraphQLClient
from tests.resolvers.helpers import create_ci
from tests.resolvers.import_helpers import ci_named, counts, edge, edge_counts, import_cis, row

PRECEDENCE = "servicenow,discovery;monthlyCost=finance,servicenow"


@pytest.fixture(scope="module")
async def ranked_app(server: conftest.TestServer, db: Database) -> AsyncIterator[Starlette]:
    settings = Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            **AUTH_ENV,
            "CMDB_ACTOR": "test-user",
            "CMDB_IMPORT_PRECEDENCE": PRECEDENCE,
        }
    )
    application = create_app(settings, db)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def ranked(ranked_app: Starlette) -> AsyncIterator[GraphQLClient]:
    transport = httpx.ASGITransport(app=ranked_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cmdb.test") as http:
        yield GraphQLClient(http)


def server_row(source_id: str, **fields: object) -> dict[str, object]:
    return row(source_id, "srv-1", "SERVER", serialNumber="SN-1", **fields)


async def test_a_lower_source_never_overwrites_a_higher_ones_value(
    ranked: GraphQLClient, db: Database
) -> None:
    await import_cis(ranked, "servicenow", [server_row("CI001", owner="Ann")])

    payload = await import_cis(
        ranked, "discovery", [server_row("d-1", owner="Bob", hostname="srv-1")]
    )

    assert counts(payload) == (0, 1, 0, 0)
    ci = await ci_named(db, "srv-1")
    assert (ci["owner"], ci["src.owner"]) == ("Ann", "servicenow")
    assert (ci["hostname"], ci["src.hostname"]) == ("srv-1", "discovery")


async def test_a_higher_source_overwrites_a_lower_ones_value(
    ranked: GraphQLClient, db: Database
) -> None:
    await import_cis(ranked, "discovery", [server_row("d-1", owner="Bob")])

    await import_cis(ranked, "servicenow", [server_row("CI001", owner="Ann")])

    ci = await ci_named(db, "srv-1")
    assert (ci["owner"], ci["src.owner"]) == ("Ann", "servicenow")


async def test_between_sources_of_equal_rank_the_latest_wins(
    ranked: GraphQLClient, db: Database
) -> None:
    await import_cis(ranked, "spreadsheet", [server_row("r1", owner="Ann")])
    await import_cis(ranked, "audit", [server_row("a1", owner="Bob")])
    assert (await ci_named(db, "srv-1"))["owner"] == "Bob"

    await import_cis(ranked, "spreadsheet", [server_row("r1", owner="Cem")])

    ci = await ci_named(db, "srv-1")
    assert (ci["owner"], ci["src.owner"]) == ("Cem", "spreadsheet")


async def test_an_attribute_can_have_a_ranking_of_its_own(
    ranked: GraphQLClient, db: Database
) -> None:
    await import_cis(ranked, "servicenow", [server_row("CI001", owner="Ann", monthlyCost="100")])

    await import_cis(ranked, "finance", [server_row("F-7", owner="Bob", monthlyCost="120.50")])

    ci = await ci_named(db, "srv-1")
    assert (ci["monthlyCost"], ci["src.monthlyCost"]) == ("120.50", "finance")
    assert (ci["owner"], ci["src.owner"]) == ("Ann", "servicenow")


async def test_values_set_through_the_api_may_be_set_by_any_source(
    ranked: GraphQLClient, db: Database
) -> None:
    await create_ci(ranked, "srv-1", "SERVER", serialNumber="SN-1", owner="Ann")

    payload = await import_cis(ranked, "spreadsheet", [server_row("r1", owner="Bob")])

    assert counts(payload) == (0, 1, 0, 0)
    assert (await ci_named(db, "srv-1"))["owner"] == "Bob"


async def test_a_higher_source_reporting_the_same_value_protects_it(
    ranked: GraphQLClient, db: Database
) -> None:
    await import_cis(ranked, "discovery", [server_row("d-1", owner="Ann")])
    confirming = await import_cis(ranked, "servicenow", [server_row("CI001", owner="Ann")])

    await import_cis(ranked, "discovery", [server_row("d-1", owner="Bob")])

    assert counts(confirming) == (0, 1, 0, 0)
    ci = await ci_named(db, "srv-1")
    assert (ci["owner"], ci["src.owner"]) == ("Ann", "servicenow")


async def test_a_lower_source_only_confirms_a_higher_sources_relationship(
    ranked: GraphQLClient, db: Database
) -> None:
    cis = [row("app", "checkout", "MICROSERVICE"), row("db", "orders-db", "DATABASE")]
    await import_cis(ranked, "servicenow", cis, [edge("app", "db", "DEPENDS_ON", confidence=1.0)])
    ids = {
        ci["name"]: ci["id"]
        for ci in [await ci_named(db, "checkout"), await ci_named(db, "orders-db")]
    }

    payload = await import_cis(
        ranked,
        "discovery",
        [],
        [edge(ids["checkout"], ids["orders-db"], "DEPENDS_ON", confidence=0.4)],
    )

    assert edge_counts(payload) == (0, 0, 1, 0)
    rows = await db.read_rows(
        "t", "MATCH ()-[r:DEPENDS_ON]->() RETURN r.source AS s, r.confidence AS c"
    )
    assert rows == [{"s": "servicenow", "c": 1.0}]
