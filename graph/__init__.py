"""The kernel of everything that talks to Neo4j: the database, the error tree, the audit trail,
the topology delta log, the write recipe, the clock and the migration log. The domains are
sub-packages: `graph.domain` (the pure rules), `graph.cis`, `graph.impact`, `graph.imports`,
`graph.embedded`.
"""

from graph._clock import Clock, SystemClock
from graph._database import Database, connect
from graph._history import HistoryPage, HistoryRepository
from graph._migration_log import AppliedMigration, MigrationLog
from graph._observer import DatabaseObserver
from graph._records import RecordKind, RecordLocator, RecordRef
from graph._topology_version import announce_topology_change
from graph._writes import Committed, Writes, Written, next_number
from graph.errors import (
    Conflict,
    FieldError,
    GraphError,
    GraphUnavailable,
    InvalidInput,
    MigrationError,
    NotFound,
    QueryTimedOut,
)

__all__ = [
    "AppliedMigration",
    "Clock",
    "Committed",
    "Conflict",
    "Database",
    "DatabaseObserver",
    "FieldError",
    "GraphError",
    "GraphUnavailable",
    "HistoryPage",
    "HistoryRepository",
    "InvalidInput",
    "MigrationError",
    "MigrationLog",
    "NotFound",
    "QueryTimedOut",
    "RecordKind",
    "RecordLocator",
    "RecordRef",
    "SystemClock",
    "Writes",
    "Written",
    "announce_topology_change",
    "connect",
    "next_number",
]
