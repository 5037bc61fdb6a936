"""GraphQL types of capacity: a CI's capacity of a metric, a reading, a hotspot."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from graph import capacity
from resolvers._context import Context
from resolvers.cis.capacity import Reading, to_reading
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["Capacity", "Hotspot", "Reading", "to_capacity", "to_hotspot", "to_reading"]


@strawberry.type(description="How much of a metric a CI has (docs/service-levels.md).")
class Capacity:
    ci_id: strawberry.ID
    metric: str
    capacity: float
    unit: str
    threshold: float = strawberry.field(
        description="A fraction of capacity in (0, 1]: 0.8 is 80 %. Above it, the CI is a hotspot."
    )


@strawberry.type(description="A CI whose latest utilisation of a metric is above a threshold.")
class Hotspot:
    service_ids: strawberry.Private[tuple[str, ...]]
    ci_id: strawberry.Private[str]
    capacity: Capacity
    latest: Reading
    utilisation: float = strawberry.field(description="The latest reading / capacity.")
    forecast: date | None = strawberry.field(
        description="The day (UTC) the linear trend of the last 90 days' readings crosses the "
        "CI's own threshold; null when flat or falling, or already above it."
    )

    @strawberry.field(description="The CI.")
    async def ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        found = await info.context.ci_loader.load(self.ci_id)
        return to_graphql(found) if found else None

    @strawberry.field(description="The business services that depend on the CI.")
    async def services(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        found = await info.context.ci_loader.load_many(list(self.service_ids))
        return [to_graphql(ci) for ci in found if ci is not None]


def to_capacity(c: capacity.Capacity) -> Capacity:
    return Capacity(
        ci_id=strawberry.ID(c.ci_id),
        metric=c.metric,
        capacity=c.capacity,
        unit=c.unit,
        threshold=c.threshold,
    )


def to_hotspot(h: capacity.Hotspot) -> Hotspot:
    return Hotspot(
        service_ids=h.service_ids,
        ci_id=h.ci_id,
        capacity=to_capacity(h.capacity),
        latest=to_reading(h.latest),
        utilisation=h.utilisation,
        forecast=h.forecast,
    )
