"""The GraphQL types of continuity plans and cost reports."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from graph.continuity import CostGroupBy
from resolvers._context import Context
from resolvers.cis.types import ConfigurationItem
from resolvers.impact.types import load_ci, load_cis

__all__ = [
    "ContinuityPlan",
    "ContinuityStep",
    "CostGroup",
    "CostReport",
    "ServiceCostLine",
]

strawberry.enum(CostGroupBy, description="How costReport groups business services.")


@strawberry.type(description="One recovery step: a CI, or one cycle's CIs restored together.")
class ContinuityStep:
    ci_ids: strawberry.Private[tuple[str, ...]]
    cycle: bool
    restore_minutes: int = strawberry.field(
        description="The longest restoreMinutes of its CIs (0 where a CI has none)."
    )
    start_minute: int = strawberry.field(description="When everything it needs is restored.")
    finish_minute: int
    wave: int = strawberry.field(description="Steps of one wave can run in parallel.")

    @strawberry.field
    async def cis(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.ci_ids))


@strawberry.type(description="A service's recovery order scheduled against its RTO.")
class ContinuityPlan:
    steps: list[ContinuityStep]
    parallel_steps: list[list[ContinuityStep]] = strawberry.field(
        description="The steps grouped by wave, first wave first."
    )
    achievable_minutes: int = strawberry.field(description="The critical path's length.")
    critical_path: list[ContinuityStep]
    rto: int | None = strawberry.field(description="The service's RTO in seconds.")
    met: bool | None = strawberry.field(description="Null when the service has no RTO.")
    breaking_chain: list[ContinuityStep] = strawberry.field(
        description="The critical path when it breaks the RTO; empty otherwise."
    )
    missing_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="The CIs without a restoreMinutes attribute (counted as 0).")
    async def without_restore_time(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.missing_ids))


@strawberry.type
class ServiceCostLine:
    service_id: strawberry.Private[str]
    total: Decimal
    truncated: bool
    downtime_seconds: float | None = strawberry.field(
        description="The service's downtime over the report's period; null without a period."
    )
    outage_cost_per_hour: Decimal | None = strawberry.field(
        description="The service level's cost of an hour of outage; null when none is stated "
        "or without a period."
    )
    downtime_cost: Decimal | None = strawberry.field(
        description="downtimeSeconds / 3600 x outageCostPerHour, to the cent."
    )

    @strawberry.field
    async def service(self, info: Info[Context, None]) -> ConfigurationItem | None:
        return await load_ci(info, self.service_id)


@strawberry.type(description="The business services of one service, owner or support group.")
class CostGroup:
    key: str | None = strawberry.field(
        description="The service's id, the owner or the support group; null when unset."
    )
    total: Decimal
    downtime_cost: Decimal | None = strawberry.field(
        description="The sum of its services' stated costs of downtime; null when none is."
    )
    services: list[ServiceCostLine]


@strawberry.type(description="Every business service's monthly cost roll-up, grouped.")
class CostReport:
    group_by: CostGroupBy
    total: Decimal = strawberry.field(description="The sum of every service's roll-up.")
    start: datetime | None = strawberry.field(
        name="from", description="The period of the downtime; null without one."
    )
    end: datetime | None = strawberry.field(name="to")
    downtime_cost: Decimal | None = strawberry.field(
        description="The sum of every stated cost of downtime over the period; null when none."
    )
    groups: list[CostGroup]
