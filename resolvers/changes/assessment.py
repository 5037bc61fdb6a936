"""The assessment of a change as the API shows it (docs/changes.md): its risk and its
conflicts, with the freeze and maintenance windows they name, computed at read for every change
a request shows at once (one DataLoader per request, so a page of changes costs the same round
trips as one)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from graph import changes, domain
from graph.domain import ChangeState, ChangeType, ConflictKind, Priority, RiskLevel
from resolvers._context import Context
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = [
    "BlackoutWindow",
    "ChangeAssessmentFields",
    "ChangeConflict",
    "ChangeRisk",
    "ConflictingChange",
    "ConflictingIncident",
    "MaintenanceWindow",
    "RiskFactor",
    "to_blackout",
    "to_maintenance",
]


@strawberry.type(
    description="A freeze: no change should be implemented in it, on the services "
    "it covers and everything they depend on, or anywhere when it is global."
)
class BlackoutWindow:
    stored: strawberry.Private[domain.BlackoutWindow]
    id: strawberry.ID
    name: str
    start: datetime
    end: datetime = strawberry.field(description="Exclusive: a change may start at `end`.")
    reason: str | None
    created_at: datetime
    created_by: str
    is_global: bool = strawberry.field(name="global", description="It covers no service: all.")
    service_ids: list[strawberry.ID]

    @strawberry.field(description="The business and technical services it covers.")
    async def services(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        found = await info.context.ci_loader.load_many(list(self.stored.service_ids))
        return [to_graphql(ci) for ci in found if ci is not None]


def to_blackout(w: domain.BlackoutWindow) -> BlackoutWindow:
    return BlackoutWindow(
        stored=w,
        id=strawberry.ID(w.id),
        name=w.name,
        start=w.start,
        end=w.end,
        reason=w.reason,
        created_at=w.created_at,
        created_by=w.created_by,
        is_global=w.is_global,
        service_ids=[strawberry.ID(s) for s in w.service_ids],
    )


@strawberry.type(
    description="A CI's weekly maintenance window, in its time zone; it may wrap "
    "past midnight (22:00-04:00 closes the next day)."
)
class MaintenanceWindow:
    ci_id: strawberry.ID
    days: str = strawberry.field(description="The days it opens: MON-FRI, SAT,SUN, FRI-MON.")
    opens: str = strawberry.field(description="Local time of day, HH:MM.")
    closes: str = strawberry.field(description="Local time of day, HH:MM; next day if <= opens.")
    timezone: str = strawberry.field(description="An IANA zone; daylight saving is followed.")

    @strawberry.field(description="The CI.")
    async def ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        found = await info.context.ci_loader.load(str(self.ci_id))
        return to_graphql(found) if found else None


def to_maintenance(w: domain.MaintenanceWindow) -> MaintenanceWindow:
    return MaintenanceWindow(
        ci_id=strawberry.ID(w.ci_id),
        days=w.days,
        opens=f"{w.opens:%H:%M}",
        closes=f"{w.closes:%H:%M}",
        timezone=w.timezone,
    )


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
    description="The other change of a conflict, as the conflict sees it; `change(number)` "
    "reads it whole."
)
class ConflictingChange:
    id: strawberry.ID
    number: str
    title: str
    state: ChangeState
    type: ChangeType
    assignee: str | None
    planned_start: datetime | None
    planned_end: datetime | None
    target_ci_ids: list[strawberry.ID]


def to_conflicting(c: changes.Change) -> ConflictingChange:
    return ConflictingChange(
        id=strawberry.ID(c.id),
        number=c.number,
        title=c.title,
        state=c.state,
        type=c.change_type,
        assignee=c.assignee,
        planned_start=c.planned_start,
        planned_end=c.planned_end,
        target_ci_ids=[strawberry.ID(t) for t in c.target_ci_ids],
    )


@strawberry.type(description="The open incident of a conflict; `incident(number)` reads it whole.")
class ConflictingIncident:
    id: strawberry.ID
    number: str
    title: str
    priority: Priority


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
    def change(self) -> ConflictingChange | None:
        other = self.stored.change
        return to_conflicting(other) if other else None

    @strawberry.field(description="OPEN_INCIDENT: the open P1/P2 incident.")
    def incident(self) -> ConflictingIncident | None:
        found = self.stored.incident
        if found is None:
            return None
        return ConflictingIncident(
            id=strawberry.ID(found.id),
            number=found.number,
            title=found.title,
            priority=Priority(found.priority),
        )

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
        found = (await info.context.change_assessment_loader.load(self.stored)).risk
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
        found = await info.context.change_assessment_loader.load(self.stored)
        return [_conflict(c) for c in found.conflicts]
