"""`setCapacity` and `recordUtilisation`; the query `capacityHotspots`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._errors import UserError, payload
from resolvers.capacity.types import (
    Capacity,
    Hotspot,
    Reading,
    to_capacity,
    to_hotspot,
    to_reading,
)

__all__ = ["CapacityMutation", "CapacityQuery"]


@strawberry.input
class SetCapacityInput:
    ci_id: strawberry.ID
    metric: str = strawberry.field(description='E.g. "cpu", "memory", "storage".')
    capacity: float
    unit: str = strawberry.field(description='E.g. "cores", "GiB", "TiB".')
    threshold: float = strawberry.field(
        default=0.8, description="A fraction of capacity in (0, 1]; 0.8 by default."
    )


@strawberry.input
class RecordUtilisationInput:
    ci_id: strawberry.ID
    metric: str
    value: float = strawberry.field(description="In the unit of the CI's capacity.")
    at: datetime


@strawberry.type
class SetCapacityPayload:
    capacity: Capacity | None
    errors: list[UserError]


@strawberry.type
class RecordUtilisationPayload:
    reading: Reading | None
    errors: list[UserError]


@strawberry.type
class CapacityMutation:
    @strawberry.mutation(description="Sets a CI's capacity of a metric and its threshold.")
    async def set_capacity(
        self, info: Info[Context, None], input: SetCapacityInput
    ) -> SetCapacityPayload:
        repository = info.context.repositories.capacity

        async def work() -> Any:
            return await repository.set_capacity(
                str(input.ci_id),
                input.metric,
                input.capacity,
                input.unit,
                input.threshold,
                info.context.actor,
            )

        return await payload(
            work(),
            done=lambda c: SetCapacityPayload(capacity=to_capacity(c), errors=[]),
            refused=lambda errors: SetCapacityPayload(capacity=None, errors=errors),
        )

    @strawberry.mutation(
        description="Records a CI's utilisation of a metric at an instant; the same CI, "
        "metric and instant again replaces the value."
    )
    async def record_utilisation(
        self, info: Info[Context, None], input: RecordUtilisationInput
    ) -> RecordUtilisationPayload:
        repository = info.context.repositories.capacity

        async def work() -> Any:
            return await repository.record_utilisation(
                str(input.ci_id), input.metric, input.value, input.at, info.context.actor
            )

        return await payload(
            work(),
            done=lambda r: RecordUtilisationPayload(reading=to_reading(r), errors=[]),
            refused=lambda errors: RecordUtilisationPayload(reading=None, errors=errors),
        )


@strawberry.type
class CapacityQuery:
    @strawberry.field(
        description="CIs whose latest utilisation of `metric` is above `threshold` (a fraction "
        "of capacity; each CI's own when null), most used first."
    )
    async def capacity_hotspots(
        self, info: Info[Context, None], metric: str, threshold: float | None = None
    ) -> list[Hotspot]:
        repositories = info.context.repositories
        found = await repositories.capacity.hotspots(metric, threshold, repositories.impact)
        return [to_hotspot(h) for h in found]
