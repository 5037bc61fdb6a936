"""What changed? The fields an incident gets from change enablement (docs/api.md, "Caused
incidents and suspected changes"): the change that caused it and the changes suspected of it.
`Incident` inherits them, so the incident types import the change types and not the reverse."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import changes, incidents
from resolvers._context import Context
from resolvers.changes.types import Change, to_change
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["IncidentChangeFields", "SuspectedChange"]


@strawberry.type(
    description="A change implemented recently on an incident's affected CIs or on something "
    "they depend on."
)
class SuspectedChange:
    stored: strawberry.Private[changes.SuspectedChange]
    change: Change
    depth: int = strawberry.field(
        description="0 when it targets an affected CI; else the dependency edges between."
    )
    implemented_at: datetime = strawberry.field(description="When it entered IMPLEMENT.")

    @strawberry.field(description="Its target nearest the incident's affected CIs.")
    async def target(self, info: Info[Context, None]) -> ConfigurationItem | None:
        found = await info.context.ci_loader.load(self.stored.target_ci_id)
        return to_graphql(found) if found else None

    @strawberry.field(
        description="The CIs from the affected CI down its dependencies to the target, both "
        "included (one CI when the change targets an affected CI)."
    )
    async def path(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        found = await info.context.ci_loader.load_many(list(self.stored.path))
        return [to_graphql(ci) for ci in found if ci is not None]


def _suspect(s: changes.SuspectedChange) -> SuspectedChange:
    return SuspectedChange(
        stored=s, change=to_change(s.change), depth=s.depth, implemented_at=s.implemented_at
    )


@strawberry.type
class IncidentChangeFields:
    """The change fields of `Incident`."""

    stored: strawberry.Private[incidents.Incident]

    @strawberry.field(description="The change linked as having caused the incident, if any.")
    async def causing_change(self, info: Info[Context, None]) -> Change | None:
        found = await info.context.causing_change_loader.load(self.stored.id)
        return to_change(found) if found else None

    @strawberry.field(
        description="The changes implemented (IMPLEMENT, REVIEW or CLOSED) from the incident's "
        "opening minus the suspect window (CMDB_SUSPECT_CHANGE_HOURS) until now, on its "
        "affected CIs or anything they depend on; nearest first, then the latest implemented. "
        "One query for every incident of a request."
    )
    async def suspected_changes(self, info: Info[Context, None]) -> list[SuspectedChange]:
        found = await info.context.suspected_changes_loader.load(self.stored.id)
        return [_suspect(s) for s in found]
