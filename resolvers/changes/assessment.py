"""The assessment of a change as the API shows it (docs/changes.md): its risk and its
conflicts, computed at read for every change a request shows at once (one DataLoader per
request, so a page of changes costs the same round trips as one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from graph import changes
from graph.domain import ConflictKind, RiskLevel
from resolvers._context import Context
from resolvers.changes.windows import (
    BlackoutWindow,
    MaintenanceWindow,
    to_blackout,
    to_maintenance,
)
from resolvers.cis.types import ConfigurationItem, to_graphql

if TYPE_CHECKING:
    from resolvers.changes.types import Change
    from resolvers.incidents.types import Incident

__all__ = ["ChangeAssessmentFields", "ChangeConflict", "ChangeRisk", "RiskFactor"]

Loader = DataLoader[changes.Change, changes.ChangeAssessment]
_LOADER = "_change_assessment_loader"


def _assessments(info: Info[Context, None]) -> Loader:
    """The request's assessment loader, made when first asked. It lives on the context's
    instance (the context is fresh per request) so this module owns it whole."""
    context = info.context
    found: Loader | None = vars(context).get(_LOADER)
    if found is None:
        windows, impact = context.repositories.windows, context.repositories.impact

        async def assess(batch: list[changes.Change]) -> list[changes.ChangeAssessment]:
            return await windows.assess(batch, impact)

        found = DataLoader(load_fn=assess)
        vars(context)[_LOADER] = found
    return found


@strawberry.type(description="One reason a change is risky, and what it adds to the score.")
class RiskFactor:
    name: str = strawberry.field(description="CHANGE_TYPE, BUSINESS_SERVICES_DOWN, ... (docs).")
    weight: int = strawberry.field(description="The points it adds (docs/changes.md).")
    detail: str = strawberry.field(description="What it saw, naming the records.")


@strawberry.type(description="A change's risk, computed and explained, never typed in.")
class ChangeRisk:
    level: RiskLevel
    score: int = strawberry.field(description="The sum of the factors' weights.")
    factors: list[RiskFactor]


@strawberry.type(
    description="Something the change clashes with. `change`, `incident`, `blackoutWindow`, "
    "`maintenanceWindow` and `ci` are set where they apply to the kind, null otherwise."
)
class ChangeConflict:
    stored: strawberry.Private[changes.Conflict]
    kind: ConflictKind
    reason: str = strawberry.field(description="In words, naming the other record.")
    blackout_window: BlackoutWindow | None = strawberry.field(description="BLACKOUT.")
    maintenance_window: MaintenanceWindow | None = strawberry.field(
        description="OUTSIDE_MAINTENANCE_WINDOW: the target's window."
    )

    @strawberry.field(description="OVERLAPPING_CHANGE, ASSIGNEE_BUSY: the other change.")
    def change(self) -> Annotated[Change, strawberry.lazy("resolvers.changes.types")] | None:
        from resolvers.changes.types import to_change

        other = self.stored.change
        return to_change(other) if other else None

    @strawberry.field(description="OPEN_INCIDENT: the open P1/P2 incident.")
    async def incident(
        self, info: Info[Context, None]
    ) -> Annotated[Incident, strawberry.lazy("resolvers.incidents.types")] | None:
        from resolvers.incidents.types import to_incident

        incident_id = self.stored.found.incident_id
        if incident_id is None:
            return None
        found = await info.context.incident_loader.load(incident_id)
        return to_incident(found) if found else None

    @strawberry.field(
        description="The CI it is about: the shared CI (OVERLAPPING_CHANGE), the covered "
        "service (BLACKOUT), the target (OUTSIDE_MAINTENANCE_WINDOW), the impacted service "
        "(OPEN_INCIDENT); null for a global freeze and ASSIGNEE_BUSY."
    )
    async def ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        ci_id = self.stored.found.ci_id
        if ci_id is None:
            return None
        found = await info.context.ci_loader.load(ci_id)
        return to_graphql(found) if found else None


def _conflict(c: changes.Conflict) -> ChangeConflict:
    return ChangeConflict(
        stored=c,
        kind=c.found.kind,
        reason=c.found.reason,
        blackout_window=to_blackout(c.blackout) if c.blackout else None,
        maintenance_window=to_maintenance(c.maintenance) if c.maintenance else None,
    )


@strawberry.type
class ChangeAssessmentFields:
    """The fields of `Change` that assess it (risk, conflicts); `Change` inherits them."""

    stored: strawberry.Private[Any]

    @strawberry.field(
        description="The change's risk from its impact snapshot and what the graph says now "
        "(docs/changes.md); before assessment from its type and targets only."
    )
    async def risk(self, info: Info[Context, None]) -> ChangeRisk:
        found = (await _assessments(info).load(self.stored)).risk
        return ChangeRisk(
            level=found.level,
            score=found.score,
            factors=[
                RiskFactor(name=f.name, weight=f.weight, detail=f.detail) for f in found.factors
            ],
        )

    @strawberry.field(
        description="What the change clashes with over its whole impact closure, kind by kind "
        "(docs/changes.md); none once it is closed, rejected or cancelled."
    )
    async def conflicts(self, info: Info[Context, None]) -> list[ChangeConflict]:
        found = await _assessments(info).load(self.stored)
        return [_conflict(c) for c in found.conflicts]
