"""Everything that talks to Neo4j: the driver, Cypher, repositories and the embedded server."""

from graph._ci_input import NewCI
from graph._cis import CIPage, CIRepository, PageKey
from graph._database import Database, connect
from graph._demo import DEMO_FILE, load_demo
from graph._embedded import (
    EmbeddedNeo4j,
    Neo4jBuildError,
    Neo4jStartError,
    RunningNeo4j,
    build_launcher,
    find_java_home,
    free_port,
    read_or_create_password,
)
from graph._history import AuditEvent, FieldChange, HistoryPage, HistoryRepository
from graph._migration_log import AppliedMigration, MigrationLog
from graph._model import CI, CIClass, CIStatus, ClassGroup, Environment, ExternalId, RelationType
from graph._neighbours import (
    Direction,
    Neighbour,
    NeighbourPage,
    NeighbourRepository,
    NeighbourRequest,
)
from graph._relationship_rules import RULES, Rule
from graph._relationships import (
    NewRelationship,
    RelateOutcome,
    Relationship,
    RelationshipRepository,
)
from graph.errors import (
    Conflict,
    FieldError,
    GraphError,
    GraphUnavailable,
    InvalidInput,
    MigrationError,
    NotFound,
)

__all__ = [
    "CI",
    "DEMO_FILE",
    "RULES",
    "AppliedMigration",
    "AuditEvent",
    "CIClass",
    "CIPage",
    "CIRepository",
    "CIStatus",
    "ClassGroup",
    "Conflict",
    "Database",
    "Direction",
    "EmbeddedNeo4j",
    "Environment",
    "ExternalId",
    "FieldChange",
    "FieldError",
    "GraphError",
    "GraphUnavailable",
    "HistoryPage",
    "HistoryRepository",
    "InvalidInput",
    "MigrationError",
    "MigrationLog",
    "Neighbour",
    "NeighbourPage",
    "NeighbourRepository",
    "NeighbourRequest",
    "Neo4jBuildError",
    "Neo4jStartError",
    "NewCI",
    "NewRelationship",
    "NotFound",
    "PageKey",
    "RelateOutcome",
    "RelationType",
    "Relationship",
    "RelationshipRepository",
    "Rule",
    "RunningNeo4j",
    "build_launcher",
    "connect",
    "find_java_home",
    "free_port",
    "load_demo",
    "read_or_create_password",
]
