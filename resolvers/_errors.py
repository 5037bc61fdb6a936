"""Errors as the API shows them: user errors typed in payloads, server faults masked."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator
from types import TracebackType
from typing import TypeVar

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from graph.errors import (
    Conflict,
    FieldError,
    GraphUnavailable,
    InvalidInput,
    NotFound,
    QueryTimedOut,
    StorageFailed,
)
from resolvers._enums import ErrorCode

__all__ = [
    "REFUSALS",
    "RETRY_AFTER_SECONDS",
    "BadRequest",
    "MaskServerFaults",
    "UserError",
    "bad_request_on_refusal",
    "payload",
    "user_errors",
]

log = logging.getLogger("cmdb.errors")

_STORAGE_FAILED = (
    "The graph database cannot write to its disk (full or failing), or must be restarted "
    "after such a failure; nothing of this request's writes was committed; retry in a moment."
)


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


REFUSALS = (InvalidInput, NotFound, Conflict)
"""What `graph/` raises when it refuses a request and wrote nothing: the user's to fix."""

Refusal = InvalidInput | NotFound | Conflict
T = TypeVar("T")
P = TypeVar("P")


async def payload(
    work: Awaitable[T], *, done: Callable[[T], P], refused: Callable[[list[UserError]], P]
) -> P:
    """A mutation's payload: `done` with what `work` returned, or `refused` with the typed
    errors of a refusal (bad input, a missing record, a conflict such as a stale version or a
    unique key already taken). Anything else is a server fault, masked by `MaskServerFaults`."""
    try:
        outcome = await work
    except REFUSALS as error:
        return refused(user_errors(error.errors))
    return done(outcome)


def bad_request_on_refusal(*, fields: bool = True) -> _BadRequestOnRefusal:
    """Around the work of a query: a refusal from `graph/` becomes a bad request (a GraphQL
    error with code BAD_USER_INPUT) saying what is wrong; with `fields`, each reason starts
    with the input it is about (`staleAfterDays: must be ...`)."""
    return _BadRequestOnRefusal(fields)


class _BadRequestOnRefusal:
    def __init__(self, fields: bool) -> None:
        self._fields = fields

    def __enter__(self) -> None:
        return None

    # Returns None, not bool: it never swallows an error, which mypy then knows too.
    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if isinstance(error, REFUSALS):
            raise BadRequest(self._message(error)) from error

    def _message(self, error: Refusal) -> str:
        if self._fields:
            return "; ".join(f"{e.field}: {e.message}" for e in error.errors)
        return "; ".join(e.message for e in error.errors)


def _is_expected(error: GraphQLError) -> bool:
    # Validation and parse errors have no original error; BadRequest is raised on purpose.
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


RETRY_AFTER_SECONDS = 5
"""What a 503 asks the client to wait (the `Retry-After` header)."""


def _with_code(error: GraphQLError, code: str) -> GraphQLError:
    if (error.extensions or {}).get("code"):
        return error
    error.extensions = {**(error.extensions or {}), "code": code}
    return error


class MaskServerFaults(SchemaExtension):
    """Gives every error its `extensions.code` (docs/api.md) and replaces unexpected errors by
    a generic one carrying the request's id, logged with the full traceback; an unreachable
    or exhausted Neo4j becomes a clear 503 with `Retry-After`."""

    _validation_errors: tuple[GraphQLError, ...] = ()

    def on_validate(self) -> Iterator[None]:
        yield
        self._validation_errors = tuple(self.execution_context.pre_execution_errors or ())

    def on_operation(self) -> Iterator[None]:
        yield
        self._mask_result(self.execution_context.result)

    def on_stream_result(self, result: object) -> Iterator[None]:
        # Each result of a subscription (WebSocket), before it is sent.
        self._mask_result(result)
        yield

    def _mask_result(self, result: object) -> None:
        errors = getattr(result, "errors", None)
        if not errors:
            return
        masked: list[GraphQLError] = []
        for error in errors:
            if _is_expected(error):
                masked.append(_with_code(error, self._code_of(error)))
                continue
            masked.append(self._mask(error))
        result.errors = masked  # type: ignore[attr-defined]

    def _code_of(self, error: GraphQLError) -> str:
        if isinstance(error, GraphQLSyntaxError):
            return "GRAPHQL_PARSE_FAILED"
        if any(error is seen for seen in self._validation_errors):
            return "GRAPHQL_VALIDATION_FAILED"
        # Variables that do not fit their types, an unknown operationName, a bad argument.
        return "BAD_USER_INPUT"

    def _mask(self, error: GraphQLError) -> GraphQLError:
        context = self.execution_context.context
        request_id = getattr(context, "request_id", None) or uuid.uuid4().hex
        extensions: dict[str, object] = {}
        if isinstance(error.original_error, QueryTimedOut):
            log.warning("query timed out [%s]: %s", request_id, error.original_error)
            response = getattr(context, "response", None)
            if response is not None:
                response.status_code = 503
            message = (
                "Neo4j stopped the question at its time limit: ask a smaller one (fewer CIs, "
                "a smaller maxDepth, smaller pages, a narrower filter)."
            )
            code = "TIMEOUT"
            extensions["timeoutSeconds"] = error.original_error.timeout_seconds
        elif isinstance(error.original_error, GraphUnavailable):
            log.warning("graph unavailable [%s]: %s", request_id, error.original_error)
            response = getattr(context, "response", None)
            if response is not None:
                response.status_code = 503
                response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            message = (
                _STORAGE_FAILED
                if isinstance(error.original_error, StorageFailed)
                else "The graph database is unavailable; retry in a moment."
            )
            code = "SERVICE_UNAVAILABLE"
        else:
            log.error(
                "unexpected error [%s] at %s",
                request_id,
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
            extensions={
                "code": code,
                "requestId": request_id,
                "correlationId": request_id,
                **extensions,
            },
        )
