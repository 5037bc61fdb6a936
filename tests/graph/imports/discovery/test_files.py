"""`cmdb discover` for docker-compose, Terraform state, Backstage and ServiceNow: the exact CIs
and edges each writes into the real Neo4j, and a second run that changes nothing."""

from __future__ import annotations

from graph import Database
from tests.conftest import TestServer as Server
from tests.graph.imports.discovery._helpers import FIXTURES, cis_of, counts, discover, edges_of

COMPOSE = [
    str(FIXTURES / "compose" / "docker-compose.yml"),
    str(FIXTURES / "compose" / "docker-compose.override.yml"),
]


async def test_compose_files_merge_into_services_and_their_dependencies(
    server: Server, db: Database
) -> None:
    result = await discover(server, "compose", *COMPOSE, "--source", "compose")

    assert result.exit_code == 0, result.output
    assert await cis_of(db, "compose") == {
        "web": ("web", "Microservice", "OPERATIONAL", {}),
        "api": ("api", "Microservice", "OPERATIONAL", {}),
        "db": ("db", "Database", "OPERATIONAL", {}),
        "cache": ("cache", "Cache", "OPERATIONAL", {}),
        "worker": ("worker", "Microservice", "OPERATIONAL", {}),
        "queue": ("queue", "MessageQueue", "OPERATIONAL", {}),
        "metrics": ("metrics", "Microservice", "OPERATIONAL", {}),
    }
    assert await edges_of(db, "compose") == {
        ("web", "DEPENDS_ON", "api", 1.0, None),
        ("api", "DEPENDS_ON", "db", 1.0, None),
        ("api", "DEPENDS_ON", "cache", 1.0, None),
        ("worker", "DEPENDS_ON", "api", 1.0, None),
        ("worker", "DEPENDS_ON", "queue", 0.7, None),
        ("metrics", "DEPENDS_ON", "api", 1.0, None),
    }
    assert (
        "unresolved: service api environment MAIL_HOST: smtp.example.com (names no service of"
        " the files)" in result.output
    )
    [worker] = await db.read_rows(
        "t", "MATCH (c:CI {name: 'worker'}) RETURN c.`attr.label.team` AS team"
    )
    assert worker["team"] == "fulfilment"


async def test_a_compose_folder_reads_its_overrides_last(server: Server, db: Database) -> None:
    result = await discover(server, "compose", str(FIXTURES / "compose"), "--source", "compose")

    assert result.exit_code == 0, result.output
    assert "compose: 7 CIs and 6 relationships" in result.output
    [database] = await db.read_rows("t", "MATCH (c:CI {name: 'db'}) RETURN c.`attr.image` AS i")
    assert database == {"i": "postgres:17"}


async def test_terraform_state_gives_managed_instances_their_classes_and_dependencies(
    server: Server, db: Database
) -> None:
    state = str(FIXTURES / "terraform" / "terraform.tfstate")

    result = await discover(server, "terraform", state, "--source", "terraform")

    assert result.exit_code == 0, result.output
    assert await cis_of(db, "terraform") == {
        "aws_vpc.main": ("shop-vpc", "CloudResource", "OPERATIONAL", {}),
        "aws_instance.web[0]": ("web-0", "VirtualMachine", "OPERATIONAL", {}),
        "aws_instance.web[1]": ("web-1", "VirtualMachine", "OPERATIONAL", {}),
        "aws_lb.front": ("front", "LoadBalancer", "OPERATIONAL", {}),
        "module.db.aws_db_instance.main": ("orders", "Database", "OPERATIONAL", {}),
        "aws_elasticache_cluster.sessions": ("sessions", "Cache", "OPERATIONAL", {}),
        "google_sql_database_instance.reports": ("reports", "Database", "OPERATIONAL", {}),
        "azurerm_linux_virtual_machine.batch": ("batch", "VirtualMachine", "OPERATIONAL", {}),
    }
    assert await edges_of(db, "terraform") == {
        ("aws_instance.web[0]", "DEPENDS_ON", "aws_vpc.main", 1.0, None),
        ("aws_instance.web[1]", "DEPENDS_ON", "aws_vpc.main", 1.0, None),
        ("aws_instance.web[1]", "DEPENDS_ON", "module.db.aws_db_instance.main", 1.0, None),
        ("aws_lb.front", "DEPENDS_ON", "aws_instance.web[0]", 1.0, None),
        ("aws_lb.front", "DEPENDS_ON", "aws_instance.web[1]", 1.0, None),
        ("aws_lb.front", "DEPENDS_ON", "aws_vpc.main", 1.0, None),
        ("module.db.aws_db_instance.main", "DEPENDS_ON", "aws_vpc.main", 1.0, None),
        ("aws_elasticache_cluster.sessions", "DEPENDS_ON", "aws_vpc.main", 1.0, None),
    }
    [web] = await db.read_rows(
        "t",
        "MATCH (c:CI {name: 'web-0'}) RETURN c.externalIds AS ids, c.ipAddress AS ip,"
        " c.`attr.instance_type` AS size",
    )
    assert web == {
        "ids": [
            "terraform\x1faws_instance.web[0]",
            "aws\x1farn:aws:ec2:eu-west-1:123456789012:instance/i-0001",
        ],
        "ip": "10.0.1.10",
        "size": "t3.small",
    }


async def test_a_backstage_catalog_maps_kinds_owners_and_relations(
    server: Server, db: Database
) -> None:
    result = await discover(
        server, "backstage", str(FIXTURES / "backstage"), "--source", "backstage"
    )

    assert result.exit_code == 0, result.output
    assert await cis_of(db, "backstage") == {
        "system:default/shop": ("Online Shop", "BusinessService", "OPERATIONAL", {}),
        "component:default/checkout": ("checkout", "Microservice", "OPERATIONAL", {}),
        "api:default/checkout-api": ("checkout-api", "TechnicalService", "OPERATIONAL", {}),
        "resource:default/orders-db": ("orders-db", "Database", "OPERATIONAL", {}),
        "component:default/payments": ("payments", "Microservice", "OPERATIONAL", {}),
        "api:default/payments-api": ("payments-api", "TechnicalService", "OPERATIONAL", {}),
    }
    assert await edges_of(db, "backstage") == {
        ("component:default/checkout", "DEPENDS_ON", "resource:default/orders-db", 1.0, None),
        ("component:default/checkout", "DEPENDS_ON", "api:default/payments-api", 1.0, None),
        ("api:default/checkout-api", "PROVIDED_BY", "component:default/checkout", 1.0, None),
        ("system:default/shop", "PROVIDED_BY", "component:default/checkout", 1.0, None),
        ("system:default/shop", "PROVIDED_BY", "api:default/checkout-api", 1.0, None),
        ("system:default/shop", "PROVIDED_BY", "resource:default/orders-db", 1.0, None),
        ("api:default/payments-api", "PROVIDED_BY", "component:default/payments", 1.0, None),
    }
    owners = await db.read_rows("t", "MATCH (c:CI) RETURN c.name AS name, c.owner AS owner")
    assert {row["name"]: row["owner"] for row in owners} == {
        "Online Shop": "Commerce Team",
        "checkout": "Commerce Team",
        "checkout-api": "Commerce Team",
        "orders-db": "dba",
        "payments": "payments-team",
        "payments-api": "payments-team",
    }
    assert "unresolved: component:default/checkout dependsOn: component:default/ledger" in (
        result.output
    )


async def test_a_servicenow_export_maps_classes_identifiers_relationships_and_pools(
    server: Server, db: Database
) -> None:
    result = await discover(
        server, "servicenow", str(FIXTURES / "servicenow"), "--source", "servicenow"
    )

    assert result.exit_code == 0, result.output
    assert await cis_of(db, "servicenow") == {
        "a1": ("Online Banking", "BusinessService", "OPERATIONAL", {}),
        "b2": ("bank-app", "Application", "OPERATIONAL", {}),
        "c3": ("bank-cluster", "Cluster", "OPERATIONAL", {"minOperational.members": 1}),
        "d4": ("node-1", "Server", "OPERATIONAL", {}),
        "e5": ("node-2", "Server", "MAINTENANCE", {}),
        "f6": ("core-switch", "NetworkDevice", "OPERATIONAL", {}),
    }
    assert await edges_of(db, "servicenow") == {
        ("a1", "DEPENDS_ON", "b2", 1.0, None),
        ("b2", "RUNS_ON", "c3", 1.0, None),
        ("c3", "DEPENDS_ON", "d4", 1.0, "members"),
        ("c3", "DEPENDS_ON", "e5", 1.0, "members"),
        ("d4", "CONNECTED_THROUGH", "f6", 1.0, None),
        ("e5", "CONNECTED_THROUGH", "f6", 1.0, None),
    }
    [node] = await db.read_rows(
        "t",
        "MATCH (c:CI {name: 'node-1'}) RETURN c.serialNumber AS serial, c.fqdn AS fqdn,"
        " c.ipAddress AS ip",
    )
    assert node == {"serial": "SN-1001", "fqdn": "node-1.bank.example", "ip": "10.1.0.1"}
    assert "unresolved: cmdb_ci g7 old-printer: cmdb_ci_printer (no CMDB class maps it)" in (
        result.output
    )
    assert "unresolved: cmdb_rel_ci b2 -> d4: Sends data to::Receives data from" in result.output


async def test_every_source_run_twice_changes_nothing_the_second_time(
    server: Server, db: Database
) -> None:
    runs = [
        ("compose", *COMPOSE),
        ("terraform", str(FIXTURES / "terraform" / "terraform.tfstate")),
        ("backstage", str(FIXTURES / "backstage")),
        ("servicenow", str(FIXTURES / "servicenow")),
    ]
    for kind, *paths in runs:
        first = await discover(server, kind, *paths, "--source", kind)
        assert first.exit_code == 0, first.output
    before = await counts(db)

    for kind, *paths in runs:
        again = await discover(server, kind, *paths, "--source", kind)
        assert again.exit_code == 0, again.output
        assert "│ 0       │ 0       │" in again.output

    assert await counts(db) == before
