"""Errors as the API shows them: user errors typed in payloads, server faults masked."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from enum import Enum

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graph.errors import FieldError, GraphUnavailable

__all__ = ["BadRequest", "ErrorCode", "MaskServerFaults", "UserError", "user_errors"]

log = logging.getLogger("cmdb.errors")


@strawberry.enum(description="Why a mutation's input was refused.")
class ErrorCode(Enum):
    REQUIRED = "REQUIRED"
    INVALID_VALUE = "INVALID_VALUE"
    INVALID_FORMAT = "INVALID_FORMAT"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    TOO_LONG = "TOO_LONG"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"


@strawberry.type(description="One thing wrong with one input field; nothing was written.")
class UserError:
    field: str = strawberry.field(description="The input field, as a path: `name`, `cis[3].class`.")
    message: str = strawberry.field(description="What is wrong, in words a user can act on.")
    code: ErrorCode


def user_errors(errors: list[FieldError]) -> list[UserError]:
    return [UserError(field=e.field, message=e.message, code=ErrorCode(e.code)) for e in errors]


class BadRequest(GraphQLError):
    """A query argument out of bounds (for example a page too large): shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


def _is_expected(error: GraphQLError) -> bool:
    # Validation and parse errors have no original error; BadRequest is raised on purpose.
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


class MaskServerFaults(SchemaExtension):
    """Replaces unexpected errors by a generic one carrying a correlation id, logged with the
    full traceback; an unreachable Neo4j becomes a clear 503."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        masked: list[GraphQLError] = []
        for error in errors:
            if _is_expected(error):
                masked.append(error)
                continue
            masked.append(self._mask(error))
        result.errors = masked  # type: ignore[union-attr]

    def _mask(self, error: GraphQLError) -> GraphQLError:
        correlation_id = uuid.uuid4().hex
        if isinstance(error.original_error, GraphUnavailable):
            log.warning("graph unavailable [%s]: %s", correlation_id, error.original_error)
            response = getattr(self.execution_context.context, "response", None)
            if response is not None:
                response.status_code = 503
            message = "The graph database is unavailable; retry in a moment."
            code = "SERVICE_UNAVAILABLE"
        else:
            log.error(
                "unexpected error [%s] at %s",
                correlation_id,
                error.path,
                exc_info=error.original_error,
            )
            message = "Internal server error."
            code = "INTERNAL_SERVER_ERROR"
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": code, "correlationId": correlation_id},
        )
