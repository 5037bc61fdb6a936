"""`serviceAvailability(serviceId, from, to)` and `serviceLevelReport(from, to)`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph.availability import ServiceAvailability as Measured
from resolvers._context import Context
from resolvers._errors import bad_request_on_refusal
from resolvers.cis.types import ConfigurationItem
from resolvers.impact.types import load_ci

__all__ = ["AvailabilityQuery", "OutageCause", "ServiceAvailability", "ServiceOutage"]


@strawberry.type(description="An incident open during an outage.")
class OutageCause:
    number: str


@strawberry.type(description="A maximal interval in which the service was DOWN, within the period.")
class ServiceOutage:
    start: datetime
    end: datetime
    causes: list[OutageCause] = strawberry.field(
        description="The outage-causing incidents open during it, by number."
    )


@strawberry.type(description="A business service's availability over a period, from incidents.")
class ServiceAvailability:
    service_id: strawberry.Private[str]
    start: datetime = strawberry.field(name="from")
    end: datetime = strawberry.field(name="to")
    availability_percent: float = strawberry.field(
        description="100 x (1 - downtime / period), within support hours when the service has them."
    )
    outage_count: int
    downtime_seconds: float
    degraded_seconds: float = strawberry.field(
        description="Time the service was DEGRADED (not down); not downtime."
    )
    mttr_seconds: float | None = strawberry.field(
        description="Downtime / outages; null without an outage."
    )
    mtbf_seconds: float | None = strawberry.field(
        description="(Period - downtime) / outages; null without an outage."
    )
    target: float | None = strawberry.field(
        description="The service level's availability target, percent; null when none."
    )
    met: bool | None = strawberry.field(
        description="Availability reached the target; null without a target."
    )
    outages: list[ServiceOutage]
    outage_cost_per_hour: Decimal | None = strawberry.field(
        description="The service level's cost of an hour of outage; null when none."
    )
    downtime_cost: Decimal | None = strawberry.field(
        description="downtimeSeconds / 3600 x outageCostPerHour, to the cent; null without a "
        "cost per hour."
    )

    @strawberry.field
    async def service(self, info: Info[Context, None]) -> ConfigurationItem | None:
        return await load_ci(info, self.service_id)


def to_graphql(found: Measured) -> ServiceAvailability:
    a = found.availability
    return ServiceAvailability(
        service_id=found.service_id,
        start=found.start,
        end=found.end,
        availability_percent=a.availability_percent,
        outage_count=a.outage_count,
        downtime_seconds=a.downtime_seconds,
        degraded_seconds=a.degraded_seconds,
        mttr_seconds=a.mttr_seconds,
        mtbf_seconds=a.mtbf_seconds,
        target=found.target,
        met=found.met,
        outages=[
            ServiceOutage(
                start=o.start, end=o.end, causes=[OutageCause(number=n) for n in o.causes]
            )
            for o in a.outages
        ],
        outage_cost_per_hour=found.level.outage_cost_per_hour if found.level else None,
        downtime_cost=found.downtime_cost,
    )


@strawberry.type
class AvailabilityQuery:
    @strawberry.field(
        description="The service's availability over [from, to) (at most 366 days), computed "
        "from the incidents that cause an outage. Null for an unknown CI."
    )
    async def service_availability(
        self,
        info: Info[Context, None],
        service_id: strawberry.ID,
        start: Annotated[datetime, strawberry.argument(name="from")],
        end: Annotated[datetime, strawberry.argument(name="to")],
    ) -> ServiceAvailability | None:
        with bad_request_on_refusal():
            found = await info.context.repositories.availability.service_availability(
                str(service_id), start, end
            )
        return to_graphql(found) if found is not None else None

    @strawberry.field(
        description="The availability of every business service over [from, to), by name."
    )
    async def service_level_report(
        self,
        info: Info[Context, None],
        start: Annotated[datetime, strawberry.argument(name="from")],
        end: Annotated[datetime, strawberry.argument(name="to")],
    ) -> list[ServiceAvailability]:
        with bad_request_on_refusal():
            found = await info.context.repositories.availability.report(start, end)
        return [to_graphql(f) for f in found]
