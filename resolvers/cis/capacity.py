"""A CI's capacity figures as the CI shows them (`ConfigurationItem.capacity`), and the reading
type they share with the capacity mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import capacity
from resolvers._context import Context

__all__ = ["CapacityFigure", "Reading", "load_capacity", "to_reading"]


@strawberry.type(description="A reading of a CI's utilisation of a metric, at an instant.")
class Reading:
    ci_id: strawberry.ID
    metric: str
    value: float
    at: datetime


@strawberry.type(description="A CI's capacity of one metric with its latest reading.")
class CapacityFigure:
    metric: str
    capacity: float
    unit: str
    threshold: float = strawberry.field(
        description="A fraction of capacity in (0, 1]: above it, the CI is a hotspot."
    )
    latest: Reading | None = strawberry.field(description="Null until a reading is recorded.")
    utilisation: float | None = strawberry.field(
        description="The latest reading / capacity; null without a reading."
    )


def to_reading(r: capacity.Reading) -> Reading:
    return Reading(ci_id=strawberry.ID(r.ci_id), metric=r.metric, value=r.value, at=r.at)


async def load_capacity(info: Info[Context, None], ci_id: str) -> list[CapacityFigure]:
    """The CI's figures by metric, batched per request (one round trip for every CI asked)."""
    figures = await info.context.capacity_loader.load(ci_id)
    return [
        CapacityFigure(
            metric=f.capacity.metric,
            capacity=f.capacity.capacity,
            unit=f.capacity.unit,
            threshold=f.capacity.threshold,
            latest=to_reading(f.latest) if f.latest is not None else None,
            utilisation=f.utilisation,
        )
        for f in figures
    ]
