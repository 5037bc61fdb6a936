"""The pure parts of discovery: host names in configuration, the class tables, the compose
merge, Backstage refs, ServiceNow records, trace counts and their confidence, pools."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.settings import Settings, SettingsError
from graph.errors import InvalidInput
from graph.imports.discovery import (
    ObservedCall,
    PoolRule,
    confidence_of_calls,
    map_kubernetes,
    map_terraform,
    map_traces,
    merge_compose,
    read_jaeger,
    read_service_graph,
    servicenow_records,
)
from graph.imports.discovery._backstage import entity_ref
from graph.imports.discovery._hosts import cluster_service, host_references
from graph.imports.discovery._tables import (
    backstage_class,
    image_class,
    servicenow_class,
    servicenow_relationship,
    terraform_class,
)


@pytest.mark.parametrize(
    ("key", "value", "hosts"),
    [
        ("DATABASE_URL", "postgres://app:secret@orders-db:5432/orders", ["orders-db"]),
        ("JDBC", "jdbc:postgresql://db.shop.svc:5432/x", ["db.shop.svc"]),
        ("REDIS_HOST", "redis", ["redis"]),
        ("KAFKA_BROKERS", "kafka-0:9092,kafka-1:9092", ["kafka-0", "kafka-1"]),
        ("ANYTHING", "payments.shop.svc.cluster.local", ["payments.shop.svc.cluster.local"]),
        ("LOG_LEVEL", "info", []),
        ("CONFIG_FILE", "config.yaml", []),
        ("UPSTREAM_ADDR", "10.0.0.7:80", []),
        ("COMMAND", "$(OTHER_HOST)", []),
    ],
)
def test_configuration_values_name_hosts_by_url_port_dns_name_or_a_host_key(
    key: str, value: str, hosts: list[str]
) -> None:
    assert host_references(key, value) == hosts


def test_a_host_names_a_service_in_its_own_or_another_namespace() -> None:
    assert cluster_service("redis", "shop") == ("redis", "shop")
    assert cluster_service("redis.cache", "shop") == ("redis", "cache")
    assert cluster_service("redis.cache.svc.cluster.local", "shop") == ("redis", "cache")
    assert cluster_service("api.stripe.com", "shop") is None


@pytest.mark.parametrize(
    ("image", "ci_class"),
    [
        ("postgres:16", "DATABASE"),
        ("bitnami/postgresql:16@sha256:abc", "DATABASE"),
        ("mongo", "DATABASE"),
        ("library/mariadb:11", "DATABASE"),
        ("cassandra:5", "DATABASE"),
        ("redis:7-alpine", "CACHE"),
        ("memcached", "CACHE"),
        ("rabbitmq:3-management", "MESSAGE_QUEUE"),
        ("confluentinc/cp-kafka:7.6", "MESSAGE_QUEUE"),
        ("nats:2", "MESSAGE_QUEUE"),
        ("registry.example:5000/shop/checkout:1.4", "MICROSERVICE"),
        (None, "MICROSERVICE"),
    ],
)
def test_the_image_decides_the_class(image: str | None, ci_class: str) -> None:
    assert image_class(image) == ci_class


def test_the_other_tables_map_exact_names_and_prefixes() -> None:
    assert terraform_class("aws_elasticache_replication_group") == "CACHE"
    assert terraform_class("aws_alb") == "LOAD_BALANCER"
    assert terraform_class("google_compute_instance") == "VIRTUAL_MACHINE"
    assert terraform_class("azurerm_postgresql_flexible_server") == "DATABASE"
    assert terraform_class("aws_s3_bucket") == "CLOUD_RESOURCE"
    assert backstage_class("Component", "service") == "MICROSERVICE"
    assert backstage_class("Component", "unknown") == "APPLICATION"
    assert backstage_class("Group", None) is None
    assert servicenow_class("cmdb_ci_db_mssql_instance") == "DATABASE"
    assert servicenow_class("cmdb_ci_printer") is None
    assert servicenow_relationship(" Members :: Member of ") == ("DEPENDS_ON", "members")
    assert servicenow_relationship("Runs on::Runs") == ("RUNS_ON", None)


def test_compose_files_merge_as_compose_merges_them() -> None:
    merged = merge_compose(
        [
            {"services": {"a": {"image": "x:1", "ports": ["80"], "environment": ["A=1", "B=2"]}}},
            {"services": {"a": {"image": "x:2", "ports": ["443"], "environment": {"B": "3"}}}},
        ]
    )

    assert merged == {
        "services": {
            "a": {"image": "x:2", "ports": ["80", "443"], "environment": {"A": "1", "B": "3"}}
        }
    }


def test_entity_refs_fill_in_kind_and_namespace() -> None:
    assert entity_ref("orders-db", "resource") == "resource:default/orders-db"
    assert entity_ref("Group:Ops/SRE", "group") == "group:ops/sre"
    assert entity_ref("payments-api", "api", "billing") == "api:billing/payments-api"


def test_servicenow_json_exports_in_each_shape_give_the_same_records() -> None:
    for document in ('{"records": %s}', '{"result": %s}', "%s"):
        text = document % '[{"sys_id": {"value": "a1", "display_value": "A"}, "name": "x"}]'
        assert servicenow_records(text, json_format=True) == [{"sys_id": "a1", "name": "x"}]
    with pytest.raises(InvalidInput):
        servicenow_records('{"other": 1}', json_format=True)


def test_jaeger_links_and_service_graph_counters_become_observed_calls() -> None:
    assert read_jaeger('{"data": [{"parent": "a", "child": "b", "callCount": 4}]}') == [
        ObservedCall("a", "b", 4)
    ]
    text = (
        'traces_service_graph_request_total{client="a",server="b",x="1"} 3\n'
        'traces_service_graph_request_total{client="a",server="b",x="2"} 2\n'
        'traces_service_graph_request_failed_total{client="a",server="b"} 1\n'
    )
    assert read_service_graph(text) == [ObservedCall("a", "b", 5, 1)]


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_more_calls_never_mean_less_confidence_and_never_certainty(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert 0.5 <= confidence_of_calls(low) <= confidence_of_calls(high) <= 0.95


def test_confidence_steps_by_tenfold_calls() -> None:
    assert [confidence_of_calls(n) for n in (0, 1, 10, 100, 1000, 10**6)] == [
        0.0,
        0.5,
        0.65,
        0.8,
        0.95,
        0.95,
    ]


def test_traces_naming_no_ci_or_several_are_unresolved_and_create_nothing() -> None:
    calls = [ObservedCall("web", "api", 10), ObservedCall("web", "ghost", 3)]

    found = map_traces(calls, {"web": "id-web"}, "traces", ambiguous={"api": 2})

    assert found.request.relationships == ()
    assert [(u.reference, u.reason) for u in found.unresolved] == [
        ("api", "names 2 CIs"),
        ("ghost", "names no CI of the graph"),
    ]


@pytest.mark.parametrize(
    ("percent", "members", "needed"), [(None, 5, 1), (50, 3, 2), (100, 4, 4), (1, 2, 1)]
)
def test_a_pool_needs_one_member_or_the_settings_share(
    percent: int | None, members: int, needed: int
) -> None:
    assert PoolRule(percent).needed(members) == needed


def test_a_service_in_another_namespace_is_found_by_its_dns_name() -> None:
    documents = [
        {
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "front"},
            "spec": {
                "template": {
                    "spec": {
                        "containers": [
                            {
                                "image": "web",
                                "env": [{"name": "API", "value": "http://api.back:80"}],
                            }
                        ]
                    }
                }
            },
        },
        {"kind": "Service", "metadata": {"name": "api", "namespace": "back"}, "spec": {}},
    ]

    found = map_kubernetes(documents, "k8s")

    assert [(r.from_ref, r.to_ref, r.confidence) for r in found.request.relationships] == [
        ("Deployment/front/web", "Service/back/api", 0.7)
    ]


def test_a_state_of_another_format_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        map_terraform({"version": 3, "modules": []}, "terraform")
    assert refused.value.errors[0].message == "not a Terraform state of format version 4"


def test_a_jaeger_link_without_a_count_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_jaeger('{"data": [{"parent": "a", "child": "b", "callCount": "many"}]}')
    assert refused.value.errors[0].message == "callCount of a -> b is not a count"


def test_unrendered_replicas_count_as_one_and_zero_replicas_make_no_pool() -> None:
    documents = [
        {"kind": "Deployment", "metadata": {"name": "a"}, "spec": {"replicas": "{{ .n }}"}},
        {"kind": "StatefulSet", "metadata": {"name": "b"}, "spec": {"replicas": 0}},
    ]

    found = map_kubernetes(documents, "k8s")

    assert [(r.external_id, r.min_operational) for r in found.request.cis] == [
        ("Deployment/default/a", ()),
        ("StatefulSet/default/b", ()),
    ]
    assert found.request.relationships == ()


def test_the_pool_setting_is_a_percentage_or_unset() -> None:
    base = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"}
    assert Settings.from_env(base).discovery_pool_min_percent is None
    assert (
        Settings.from_env(
            {**base, "CMDB_DISCOVERY_POOL_MIN_PERCENT": "50"}
        ).discovery_pool_min_percent
        == 50
    )
    with pytest.raises(SettingsError, match="CMDB_DISCOVERY_POOL_MIN_PERCENT must be between 1"):
        Settings.from_env({**base, "CMDB_DISCOVERY_POOL_MIN_PERCENT": "0"})
