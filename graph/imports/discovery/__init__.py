"""Discovery from the files teams already have: one mapper per source, each giving one call
of the import (docs/discovery.md); the drift between declared and observed dependencies."""

from graph.imports.discovery._backstage import map_backstage
from graph.imports.discovery._compose import map_compose, merge_compose
from graph.imports.discovery._drift import DependencyDrift, DriftDependency, DriftRepository
from graph.imports.discovery._k8s import REPLICA_GROUP, map_kubernetes
from graph.imports.discovery._model import (
    EXPLICIT,
    FROM_CONFIG,
    FROM_ENVIRONMENT,
    Discovery,
    PoolRule,
    Unresolved,
)
from graph.imports.discovery._names import ServiceNames
from graph.imports.discovery._servicenow import map_servicenow, servicenow_records
from graph.imports.discovery._terraform import map_terraform
from graph.imports.discovery._traces import (
    ObservedCall,
    confidence_of_calls,
    map_traces,
    read_jaeger,
    read_service_graph,
)

__all__ = [
    "EXPLICIT",
    "FROM_CONFIG",
    "FROM_ENVIRONMENT",
    "REPLICA_GROUP",
    "DependencyDrift",
    "Discovery",
    "DriftDependency",
    "DriftRepository",
    "ObservedCall",
    "PoolRule",
    "ServiceNames",
    "Unresolved",
    "confidence_of_calls",
    "map_backstage",
    "map_compose",
    "map_kubernetes",
    "map_servicenow",
    "map_terraform",
    "map_traces",
    "merge_compose",
    "read_jaeger",
    "read_service_graph",
    "servicenow_records",
]
