"""`setServiceLevel`: what a business service promises."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from graph.domain import Priority, SlaKind, Target
from graph.errors import FieldError, InvalidInput
from resolvers._context import Context
from resolvers._errors import UserError, payload
from resolvers.services.types import ServiceLevel, to_service_level

__all__ = ["ServiceMutation", "SetServiceLevelInput", "SetServiceLevelPayload"]


@strawberry.input(description="The target of one priority.")
class PriorityTargetInput:
    priority: Priority
    target: str = strawberry.field(
        description='"15m", "4h", "3d" (24x7) or "1bd" (business days), or the long forms '
        '"15 minutes", "1 business day".'
    )


@strawberry.input(
    description="Each field given replaces the stored one (null clears it); the others stay."
)
class SetServiceLevelInput:
    service_id: strawberry.ID
    availability_target: float | None = strawberry.UNSET
    support_hours: str | None = strawberry.UNSET
    response_targets: list[PriorityTargetInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Replace the response targets the service sets; priorities left out keep "
        "the default.",
    )
    resolution_targets: list[PriorityTargetInput] | None = strawberry.UNSET
    rto: int | None = strawberry.field(default=strawberry.UNSET, description="In seconds.")
    rpo: int | None = strawberry.field(default=strawberry.UNSET, description="In seconds.")
    outage_cost_per_hour: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="What an hour of outage costs the business, in the currency of CI costs: "
        "costReport multiplies it by the downtime of a period.",
    )

    def _cells(
        self, name: str, given: list[PriorityTargetInput], errors: list[FieldError]
    ) -> dict[Priority, Target]:
        cells: dict[Priority, Target] = {}
        for index, cell in enumerate(given):
            try:
                cells[cell.priority] = Target.parse(cell.target)
            except ValueError as error:
                errors.append(FieldError(f"{name}[{index}].target", str(error), "INVALID_FORMAT"))
        return cells

    def changes(self) -> dict[str, Any]:
        """The fields of `ServiceLevel` this input changes; `targets` holds the target lists
        given, per kind (each replaces that kind's). Raises `InvalidInput` for an unreadable
        target."""
        changes: dict[str, Any] = {}
        for name, field in (
            ("availability_target", "availability_target"),
            ("support_hours", "support_hours"),
            ("rto", "rto_seconds"),
            ("rpo", "rpo_seconds"),
            ("outage_cost_per_hour", "outage_cost_per_hour"),
        ):
            value = getattr(self, name)
            if value is not strawberry.UNSET:
                changes[field] = value
        errors: list[FieldError] = []
        targets: dict[SlaKind, dict[Priority, Target]] = {}
        for kind, name, given in (
            (SlaKind.RESPONSE, "responseTargets", self.response_targets),
            (SlaKind.RESOLUTION, "resolutionTargets", self.resolution_targets),
        ):
            if given is not strawberry.UNSET:
                targets[kind] = self._cells(name, given or [], errors)
        if errors:
            raise InvalidInput(errors)
        if targets:
            changes["targets"] = targets
        return changes


@strawberry.type
class SetServiceLevelPayload:
    service_level: ServiceLevel | None
    errors: list[UserError]


@strawberry.type
class ServiceMutation:
    @strawberry.mutation(
        description="Sets what a business service promises: availability target, support "
        "hours, SLA targets per priority (they override the defaults for incidents on it), "
        "recovery objectives."
    )
    async def set_service_level(
        self, info: Info[Context, None], input: SetServiceLevelInput
    ) -> SetServiceLevelPayload:
        levels = info.context.repositories.service_levels

        async def work() -> Any:
            changes = input.changes()
            return await levels.set(str(input.service_id), changes, info.context.actor)

        return await payload(
            work(),
            done=lambda level: SetServiceLevelPayload(
                service_level=to_service_level(level), errors=[]
            ),
            refused=lambda errors: SetServiceLevelPayload(service_level=None, errors=errors),
        )
