"""The product's error tree. Repositories translate driver errors into these; no `neo4j`
exception leaves `graph/`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Conflict",
    "FieldError",
    "GraphError",
    "GraphUnavailable",
    "InvalidInput",
    "MigrationError",
    "NotFound",
    "QueryTimedOut",
    "StorageFailed",
]


class GraphError(Exception):
    """Base of every error raised by `graph/`."""


class GraphUnavailable(GraphError):
    """Neo4j cannot be reached or is shutting down; retry later (HTTP 503)."""


class QueryTimedOut(GraphUnavailable):
    """Neo4j stopped a transaction at its timeout: the question is too large, or it waited
    too long for a lock another write held. Retrying the same question rarely helps."""

    def __init__(self, message: str, timeout_seconds: float | None) -> None:
        super().__init__(message)
        self.timeout_seconds = timeout_seconds


class StorageFailed(GraphUnavailable):
    """Neo4j could not write to its disk (full, or failing), or its database has panicked after
    such a failure and answers nothing until it is restarted (docs/operations.md, "Disk
    full"). Nothing of the failed write was committed."""


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with one input field, in words the user can act on."""

    field: str
    message: str
    code: str


class _FieldFault(GraphError):
    """An error about input fields; the API shows it as typed user errors. Usually one field;
    `more` names further (field, message) pairs, as when both ends of an edge are missing."""

    code = ""

    def __init__(
        self, message: str, field: str = "input", *, more: Sequence[tuple[str, str]] = ()
    ) -> None:
        text = "; ".join(f"{f}: {m}" for f, m in ((field, message), *more)) if more else message
        super().__init__(text)
        self.message = message
        self.field = field
        self.more = tuple(more)

    @property
    def errors(self) -> list[FieldError]:
        return [
            FieldError(field, message, self.code)
            for field, message in ((self.field, self.message), *self.more)
        ]


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
