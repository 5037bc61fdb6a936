"""Import mutation: `importCIs`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph.imports import ImportResult
from resolvers._context import Context
from resolvers._errors import payload
from resolvers.imports.inputs import ImportCIsInput
from resolvers.imports.types import ImportCIsPayload, to_payload

__all__ = ["ImportMutation"]


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        name="importCIs",
        description=(
            "Imports CIs and relationships from one source: identifies existing CIs, applies "
            "source precedence per attribute, creates no duplicates. Idempotent: the same "
            "import again changes nothing. See docs/import.md."
        ),
    )
    async def import_cis(
        self, info: Info[Context, None], input: ImportCIsInput
    ) -> ImportCIsPayload:
        return await payload(
            info.context.repositories.imports.run(input.to_request(), info.context.actor),
            done=to_payload,
            refused=lambda errors: to_payload(ImportResult(refused=True), errors),
        )
