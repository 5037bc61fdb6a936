"""GraphQL types of `importCIs`: the payload and its row errors."""

from __future__ import annotations

import strawberry

from graph.imports import ImportResult, ImportSection
from resolvers._enums import ErrorCode
from resolvers._errors import UserError

__all__ = ["ImportCIsPayload", "ImportRowError", "to_payload"]


@strawberry.type(description="One invalid row of an import; the row was not written.")
class ImportRowError:
    section: ImportSection
    index: int = strawberry.field(description="The row's position in its list, from 0.")
    external_id: str | None = strawberry.field(description="The row's externalId, if any.")
    field: str = strawberry.field(description="The row's field at fault, e.g. `class`.")
    message: str
    code: ErrorCode


@strawberry.type(
    description=(
        "What an import did. CI rows: created, updated, unchanged (found as reported) or "
        "failed; relationship rows: created, updated (a property changed), confirmed (found "
        "as reported: `lastConfirmedAt` refreshed) or failed."
    )
)
class ImportCIsPayload:
    created: int
    updated: int
    unchanged: int
    failed: int
    relationships_created: int
    relationships_updated: int
    relationships_confirmed: int
    relationships_failed: int
    refused: bool = strawberry.field(
        description="True when nothing was written: the input as a whole was refused "
        "(`errors`), or rows were invalid (`rowErrors`) and `skipInvalid` was false."
    )
    row_errors: list[ImportRowError] = strawberry.field(
        description="Every invalid row with the reason, in row order."
    )
    errors: list[UserError] = strawberry.field(
        description="Problems with the input as a whole (e.g. the source); nothing written."
    )


def to_payload(result: ImportResult, errors: list[UserError] | None = None) -> ImportCIsPayload:
    return ImportCIsPayload(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        failed=result.failed,
        relationships_created=result.relationships_created,
        relationships_updated=result.relationships_updated,
        relationships_confirmed=result.relationships_confirmed,
        relationships_failed=result.relationships_failed,
        refused=result.refused,
        row_errors=[
            ImportRowError(
                section=e.section,
                index=e.index,
                external_id=e.external_id,
                field=e.field,
                message=e.message,
                code=ErrorCode(e.code),
            )
            for e in result.errors
        ],
        errors=errors or [],
    )
