"""`/metrics` in Prometheus' text format (prometheus-client), one registry per application.

What is measured: GraphQL requests and their latency per operation name, errors by code,
Neo4j query and transaction latency (the database's observer), topology loads and deltas, and the
subscribers of the event bus (read from the bus at each scrape: `watch_event_bus`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["MAX_OPERATION_NAMES", "Metrics"]

MAX_OPERATION_NAMES = 200
"""Operation names are the client's words: past this many, new ones count as `other`, so a
client cannot grow the series without bound."""


class Metrics:
    """The application's metrics; also the observer of its database (graph.DatabaseObserver)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._names: set[str] = set()
        self._lock = threading.Lock()
        self.requests = Counter(
            "cmdb_graphql_requests",
            "GraphQL requests answered, by operation name.",
            ["operation"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "cmdb_graphql_request_duration_seconds",
            "Time to answer a GraphQL request, by operation name.",
            ["operation"],
            registry=self.registry,
        )
        self.errors = Counter(
            "cmdb_graphql_errors",
            "GraphQL errors returned, by extensions.code.",
            ["code"],
            registry=self.registry,
        )
        self.queries = Histogram(
            "cmdb_neo4j_query_duration_seconds",
            "Time of one Neo4j query, rows read.",
            registry=self.registry,
        )
        self.transactions = Histogram(
            "cmdb_neo4j_transaction_duration_seconds",
            "Time of one Neo4j transaction (retries included), by operation.",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.topology_loads = Counter(
            "cmdb_topology_loads",
            "Whole loads of the topology projection from Neo4j (at start, then only when it "
            "cannot follow the delta log, or in the background on refresh-topology).",
            registry=self.registry,
        )
        self.topology_reloads = Counter(
            "cmdb_topology_reloads",
            "Whole loads of the topology projection, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self.topology_deltas = Counter(
            "cmdb_topology_deltas_applied",
            "Topology deltas (one per committed topology write) applied to the projection.",
            registry=self.registry,
        )
        self.topology_delta_seconds = Histogram(
            "cmdb_topology_delta_apply_duration_seconds",
            "Time to apply the deltas one question found (default view included).",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5),
            registry=self.registry,
        )
        self.topology_load_seconds = Histogram(
            "cmdb_topology_load_duration_seconds",
            "Time to load the topology projection.",
            buckets=(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.subscribers = Gauge(
            "cmdb_event_bus_subscribers",
            "Subscriptions currently listening on the event bus.",
            registry=self.registry,
        )

    def operation_label(self, name: str) -> str:
        name = name[:64]
        with self._lock:
            if name in self._names:
                return name
            if len(self._names) >= MAX_OPERATION_NAMES:
                return "other"
            self._names.add(name)
            return name

    def request(self, operation: str, seconds: float) -> None:
        label = self.operation_label(operation)
        self.requests.labels(label).inc()
        self.latency.labels(label).observe(seconds)

    def error(self, code: str) -> None:
        self.errors.labels(code or "UNKNOWN").inc()

    def watch_event_bus(self, count: Callable[[], float]) -> None:
        """Reads the event bus's subscribers when scraped (`count`), instead of a set value."""
        self.subscribers.set_function(count)

    # graph.DatabaseObserver
    def query_finished(self, seconds: float) -> None:
        self.queries.observe(seconds)

    def transaction_finished(self, operation: str, seconds: float, *, failed: bool) -> None:
        self.transactions.labels(operation, "failed" if failed else "ok").observe(seconds)

    def topology_loaded(self, seconds: float, reason: str) -> None:
        self.topology_loads.inc()
        self.topology_reloads.labels(reason).inc()
        self.topology_load_seconds.observe(seconds)

    def topology_followed(self, deltas: int, seconds: float) -> None:
        self.topology_deltas.inc(deltas)
        self.topology_delta_seconds.observe(seconds)

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
