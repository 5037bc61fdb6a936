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


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with one input field, in words the user can act on."""

    field: str
    message: str
    code: str


class _FieldFault(GraphError):
    """An error about one input field; the API shows it as a typed user error."""

    code = ""

    def __init__(self, message: str, field: str = "input") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> list[FieldError]:
        return [FieldError(self.field, self.message, self.code)]


class NotFound(_FieldFault):
    """The record named by the caller (in `field`) does not exist; nothing was written."""

    code = "NOT_FOUND"


class Conflict(_FieldFault):
    """The write clashes with the current state (a stale version, a duplicate key); nothing
    was written."""

    code = "CONFLICT"


class InvalidInput(GraphError):
    """The input breaks a rule of the domain; nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


class MigrationError(GraphError):
    """The schema migrations cannot be applied as asked (changed checksum, held lock, bad file)."""
