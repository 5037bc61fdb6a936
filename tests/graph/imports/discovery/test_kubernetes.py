"""`cmdb discover k8s`: manifests into the real Neo4j, through the import."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.conftest import TestServer as Server
from tests.graph.imports.discovery._helpers import FIXTURES, cis_of, counts, discover, edges_of

K8S = FIXTURES / "k8s"

EXPECTED_CIS = {
    "Deployment/shop/checkout": (
        "checkout",
        "Microservice",
        "OPERATIONAL",
        {"minOperational.replicas": 1},
    ),
    "Pod/shop/checkout-0": ("checkout-0", "Container", "OPERATIONAL", {}),
    "Pod/shop/checkout-1": ("checkout-1", "Container", "OPERATIONAL", {}),
    "Pod/shop/checkout-2": ("checkout-2", "Container", "OPERATIONAL", {}),
    "Deployment/shop/payments": ("payments", "Microservice", "OPERATIONAL", {}),
    "StatefulSet/shop/orders-db": ("orders-db", "Database", "OPERATIONAL", {}),
    "Deployment/shop/redis": ("redis", "Cache", "OPERATIONAL", {"minOperational.replicas": 1}),
    "Pod/shop/redis-0": ("redis-0", "Container", "OPERATIONAL", {}),
    "Pod/shop/redis-1": ("redis-1", "Container", "OPERATIONAL", {}),
    "DaemonSet/shop/log-agent": ("log-agent", "Microservice", "OPERATIONAL", {}),
    "Service/shop/checkout": ("checkout", "LoadBalancer", "OPERATIONAL", {}),
    "Service/shop/payments": ("payments", "LoadBalancer", "OPERATIONAL", {}),
    "Service/shop/orders-db": ("orders-db", "LoadBalancer", "OPERATIONAL", {}),
    "Service/shop/redis": ("redis", "LoadBalancer", "OPERATIONAL", {}),
    "Ingress/shop/storefront": ("storefront", "LoadBalancer", "OPERATIONAL", {}),
}

EXPECTED_EDGES = {
    ("Deployment/shop/checkout", "RUNS_ON", "Pod/shop/checkout-0", 1.0, "replicas"),
    ("Deployment/shop/checkout", "RUNS_ON", "Pod/shop/checkout-1", 1.0, "replicas"),
    ("Deployment/shop/checkout", "RUNS_ON", "Pod/shop/checkout-2", 1.0, "replicas"),
    ("Deployment/shop/redis", "RUNS_ON", "Pod/shop/redis-0", 1.0, "replicas"),
    ("Deployment/shop/redis", "RUNS_ON", "Pod/shop/redis-1", 1.0, "replicas"),
    ("Service/shop/checkout", "DEPENDS_ON", "Deployment/shop/checkout", 1.0, None),
    ("Service/shop/payments", "DEPENDS_ON", "Deployment/shop/payments", 1.0, None),
    ("Service/shop/orders-db", "DEPENDS_ON", "StatefulSet/shop/orders-db", 1.0, None),
    ("Service/shop/redis", "DEPENDS_ON", "Deployment/shop/redis", 1.0, None),
    ("Deployment/shop/checkout", "DEPENDS_ON", "Service/shop/payments", 0.7, None),
    ("Deployment/shop/checkout", "DEPENDS_ON", "Service/shop/redis", 0.7, None),
    ("Deployment/shop/checkout", "DEPENDS_ON", "Service/shop/orders-db", 0.6, None),
    ("Ingress/shop/storefront", "DEPENDS_ON", "Service/shop/checkout", 1.0, None),
}


async def test_manifests_become_workloads_replica_pools_services_and_ingresses(
    server: Server, db: Database
) -> None:
    result = await discover(server, "k8s", str(K8S), "--source", "k8s")

    assert result.exit_code == 0, result.output
    assert await cis_of(db, "k8s") == EXPECTED_CIS
    assert await edges_of(db, "k8s") == EXPECTED_EDGES
    assert "k8s: 15 CIs and 13 relationships for source 'k8s'" in result.output
    assert (
        "unresolved: Deployment shop/checkout env STRIPE_URL: api.stripe.com (names no Service"
        " of the manifests)" in result.output
    )
    assert "unresolved: Ingress shop/storefront backend: legacy" in result.output


async def test_a_pool_needs_the_settings_share_of_its_replicas(
    server: Server, db: Database
) -> None:
    result = await discover(
        server, "k8s", str(K8S), "--source", "k8s", CMDB_DISCOVERY_POOL_MIN_PERCENT="50"
    )

    assert result.exit_code == 0, result.output
    found = await cis_of(db, "k8s")
    assert found["Deployment/shop/checkout"][3] == {"minOperational.replicas": 2}
    assert found["Deployment/shop/redis"][3] == {"minOperational.replicas": 1}


async def test_a_second_run_on_the_same_manifests_changes_nothing(
    server: Server, db: Database
) -> None:
    await discover(server, "k8s", str(K8S), "--source", "k8s")
    before = await counts(db)

    again = await discover(server, "k8s", str(K8S), "--source", "k8s")

    assert again.exit_code == 0, again.output
    assert await counts(db) == before
    assert "│ CIs           │ 0       │ 0       │ 15                    │ 0      │" in again.output
    assert "│ relationships │ 0       │ 0       │ 13                    │ 0      │" in again.output
    assert "stale" not in again.output


async def test_changed_manifests_update_confirm_and_report_what_disappeared_as_stale(
    server: Server, db: Database, tmp_path: Path
) -> None:
    await discover(server, "k8s", str(K8S), "--source", "k8s")
    [row] = await db.read_rows(
        "t", "MATCH (c:CI {name: 'payments', class: 'Microservice'}) RETURN c.lastConfirmedAt AS at"
    )
    changed = (K8S / "shop.yaml").read_text().replace("replicas: 3", "replicas: 2")
    (tmp_path / "shop.yaml").write_text(changed.replace("payments:2.0", "payments:2.1"))
    services = (K8S / "services.yaml").read_text()
    (tmp_path / "services.yaml").write_text(services.split("---")[0])  # the Ingress is gone

    result = await discover(server, "k8s", str(tmp_path), "--source", "k8s")

    assert result.exit_code == 0, result.output
    assert "│ CIs           │ 0       │ 2       │ 11                    │ 0      │" in result.output
    assert (
        "stale: 2 CIs and 2 relationships that 'k8s' reported before and not now are left as"
        " they are (never deleted):" in result.output
    )
    assert "  CONTAINER checkout-2 (Pod/shop/checkout-2)" in result.output
    assert "  LOAD_BALANCER storefront (Ingress/shop/storefront)" in result.output
    assert "  RUNS_ON checkout -> checkout-2" in result.output
    assert "  DEPENDS_ON storefront -> checkout" in result.output
    found = await cis_of(db, "k8s")
    assert set(found) == set(EXPECTED_CIS)  # nothing deleted
    [after] = await db.read_rows(
        "t",
        "MATCH (c:CI {name: 'payments', class: 'Microservice'})"
        " RETURN c.lastConfirmedAt AS at, c.`attr.image` AS image, c.version AS version",
    )
    assert (after["image"], after["version"]) == ("payments:2.1", 2)
    assert after["at"] > row["at"]
    assert await edges_of(db, "k8s") == EXPECTED_EDGES


async def test_a_dry_run_prints_what_would_change_and_writes_nothing(
    server: Server, db: Database, tmp_path: Path
) -> None:
    await discover(server, "k8s", str(K8S / "shop.yaml"), "--source", "k8s")
    before = await counts(db)
    shutil.copy(K8S / "services.yaml", tmp_path / "services.yaml")
    (tmp_path / "shop.yaml").write_text(
        (K8S / "shop.yaml").read_text().replace("payments:2.0", "payments:2.1")
    )

    result = await discover(server, "k8s", str(tmp_path), "--source", "k8s", "--dry-run")

    assert result.exit_code == 0, result.output
    assert await counts(db) == before
    output = result.output
    assert "dry run: nothing written" in output
    assert "would create 5 CIs" in output and "  LOAD_BALANCER storefront" in output
    assert "would update 1 CIs\n  MICROSERVICE payments\n" in output
    assert "would confirm 9 CIs" in output
    assert "would create 8 relationships" in output
    assert "  DEPENDS_ON storefront -> checkout" in output
    assert "would confirm 5 relationships" in output


IMPACT = """
query ($ids: [ID!]!) {
  impact(ciIds: $ids) { impacted(first: 50) { edges { node { ci { name class } state } } } }
}
"""


async def test_a_replica_down_degrades_its_workload_and_every_replica_down_takes_it_down(
    server: Server, db: Database, gql: GraphQLClient
) -> None:
    await discover(server, "k8s", str(K8S), "--source", "k8s")
    pods = await db.read_rows(
        "t", "MATCH (p:Container) WHERE p.name STARTS WITH 'checkout-' RETURN p.id AS id"
    )

    def states(data: dict[str, Any]) -> dict[tuple[str, str], str]:
        edges = data["impact"]["impacted"]["edges"]
        return {
            (e["node"]["ci"]["class"], e["node"]["ci"]["name"]): e["node"]["state"] for e in edges
        }

    one = states(await gql(IMPACT, ids=[pods[0]["id"]]))
    every = states(await gql(IMPACT, ids=[p["id"] for p in pods]))

    assert one == {
        ("MICROSERVICE", "checkout"): "DEGRADED",
        ("LOAD_BALANCER", "checkout"): "DEGRADED",
        ("LOAD_BALANCER", "storefront"): "DEGRADED",
    }
    assert every == {
        ("MICROSERVICE", "checkout"): "DOWN",
        ("LOAD_BALANCER", "checkout"): "DOWN",
        ("LOAD_BALANCER", "storefront"): "DOWN",
    }
