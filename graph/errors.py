"""The product's error tree. Repositories translate driver errors into these; no `neo4j`
exception leaves `graph/`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Conflict",
    "FieldError",
    "GraphError",
    "GraphUnavailable",
    "InvalidInput",
    "MigrationError",
    "NotFound",
]


class GraphError(Exception):
    """Base of every error raised by `graph/`."""


class GraphUnavailable(GraphError):
    """Neo4j cannot be reached or is shutting down; retry later (HTTP 503)."""


class NotFound(GraphError):
    """The record named by the caller does not exist."""


class Conflict(GraphError):
    """The write clashes with the current state (a stale version, a duplicate key)."""


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with one input field, in words the user can act on."""

    field: str
    message: str
    code: str


class InvalidInput(GraphError):
    """The input breaks a rule of the domain; nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


class MigrationError(GraphError):
    """The schema migrations cannot be applied as asked (changed checksum, held lock, bad file)."""
