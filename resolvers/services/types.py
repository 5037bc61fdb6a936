"""GraphQL types of a business service's service level."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from graph.domain import DEFAULT_TARGETS, Priority, SlaKind
from graph.domain import ServiceLevel as StoredLevel
from resolvers._context import Context

__all__ = ["PriorityTarget", "ServiceLevel", "ServiceLevelFields", "to_service_level"]


@strawberry.type(description="The SLA target of one priority.")
class PriorityTarget:
    priority: Priority
    target: str = strawberry.field(description='As text: "15 minutes", "1 business day".')
    overridden: bool = strawberry.field(
        description="True when the service sets it; false for the product's default."
    )


@strawberry.type(description="What a business service promises (docs/sla.md).")
class ServiceLevel:
    availability_target: float | None = strawberry.field(
        description="Percent of a period the service is to be available, e.g. 99.9."
    )
    support_hours: str | None = strawberry.field(
        description="24x7, or days and hours with an optional zone: MON-FRI 08:00-18:00 UTC."
    )
    response_targets: list[PriorityTarget] = strawberry.field(
        description="Every priority's response target for incidents on this service."
    )
    resolution_targets: list[PriorityTarget] = strawberry.field(
        description="Every priority's resolution target for incidents on this service."
    )
    rto: int | None = strawberry.field(description="Recovery time objective, in seconds.")
    rpo: int | None = strawberry.field(description="Recovery point objective, in seconds.")
    outage_cost_per_hour: Decimal | None = strawberry.field(
        description="What an hour of outage costs the business, in the currency of CI costs."
    )
    updated_at: datetime | None
    updated_by: str | None


def _targets(level: StoredLevel, kind: SlaKind) -> list[PriorityTarget]:
    own = level.targets.get(kind, {})
    return [
        PriorityTarget(
            priority=priority,
            target=str(own.get(priority, DEFAULT_TARGETS[kind][priority])),
            overridden=priority in own,
        )
        for priority in Priority
    ]


def to_service_level(level: StoredLevel) -> ServiceLevel:
    return ServiceLevel(
        availability_target=level.availability_target,
        support_hours=level.support_hours,
        response_targets=_targets(level, SlaKind.RESPONSE),
        resolution_targets=_targets(level, SlaKind.RESOLUTION),
        rto=level.rto_seconds,
        rpo=level.rpo_seconds,
        outage_cost_per_hour=level.outage_cost_per_hour,
        updated_at=level.updated_at,
        updated_by=level.updated_by,
    )


@strawberry.type
class ServiceLevelFields:
    """The fields a business service has besides those of every CI."""

    @strawberry.field(description="What the service promises; null until one is set.")
    async def service_level(self, info: Info[Context, None]) -> ServiceLevel | None:
        service_id = str(self.id)  # type: ignore[attr-defined]
        found = await info.context.service_level_loader.load(service_id)
        return to_service_level(found) if found else None
