"""Versioned Cypher schema migrations (`V0001__what_it_does.cypher`) and their runner."""

from migrations._runner import (
    MIGRATIONS_DIR,
    Migration,
    MigrationStatus,
    load_migrations,
    migrate,
    status,
)

__all__ = [
    "MIGRATIONS_DIR",
    "Migration",
    "MigrationStatus",
    "load_migrations",
    "migrate",
    "status",
]
