"""Freeze windows, maintenance windows and the change schedule (docs/api.md, "Change windows
and schedule"): `createBlackoutWindow`, `deleteBlackoutWindow`, `setMaintenanceWindow`,
`clearMaintenanceWindow`; `blackoutWindows(from, to)`, `maintenanceWindows(ciIds)` and
`changeSchedule(from, to)`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from graph.changes import Schedule
from resolvers._context import Context
from resolvers._errors import BadRequest, UserError, bad_request_on_refusal, payload
from resolvers.changes.assessment import (
    BlackoutWindow,
    MaintenanceWindow,
    to_blackout,
    to_maintenance,
)

if TYPE_CHECKING:
    from resolvers.changes.types import Change

__all__ = ["ChangeSchedule", "WindowMutation", "WindowQuery"]

LazyChange = Annotated["Change", strawberry.lazy("resolvers.changes.types")]
MAX_WINDOW_CIS = 500


@strawberry.type(description="The changes and freezes of a period, for a calendar view.")
class ChangeSchedule:
    stored: strawberry.Private[Schedule]
    start: datetime = strawberry.field(name="from")
    end: datetime = strawberry.field(name="to")
    truncated: bool = strawberry.field(description="More than 500 changes matched: the earliest.")
    freezes: list[BlackoutWindow] = strawberry.field(description="By start.")

    @strawberry.field(
        description="Changes whose planned window meets the period, not CANCELLED or REJECTED, "
        "by planned start; each with its conflicts."
    )
    def changes(self) -> list[LazyChange]:
        from resolvers.changes.types import to_change

        return [to_change(c) for c in self.stored.changes]


@strawberry.input(description="A new freeze window.")
class CreateBlackoutWindowInput:
    name: str = strawberry.field(description="Required, at most 200 characters.")
    start: datetime = strawberry.field(description="With a time zone offset.")
    end: datetime = strawberry.field(description="After start (exclusive).")
    reason: str | None = None
    service_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Business or technical services; empty for a global freeze.",
    )


@strawberry.input
class DeleteBlackoutWindowInput:
    id: strawberry.ID


@strawberry.input(description="A CI's weekly maintenance window; it replaces the one it had.")
class SetMaintenanceWindowInput:
    ci_id: strawberry.ID
    days: str = strawberry.field(description="MON-FRI, SAT,SUN, FRI-MON, ...")
    opens: str = strawberry.field(description="HH:MM, local time.")
    closes: str = strawberry.field(description="HH:MM, local time; next day if <= opens.")
    timezone: str = strawberry.field(description="An IANA zone, such as Europe/Paris or UTC.")


@strawberry.input
class ClearMaintenanceWindowInput:
    ci_id: strawberry.ID


@strawberry.type
class CreateBlackoutWindowPayload:
    blackout_window: BlackoutWindow | None
    errors: list[UserError]


@strawberry.type
class DeleteBlackoutWindowPayload:
    blackout_window: BlackoutWindow | None = strawberry.field(description="As it was.")
    errors: list[UserError]


@strawberry.type
class SetMaintenanceWindowPayload:
    maintenance_window: MaintenanceWindow | None
    errors: list[UserError]


@strawberry.type
class ClearMaintenanceWindowPayload:
    maintenance_window: MaintenanceWindow | None = strawberry.field(
        description="The window cleared; null when the CI had none (or on errors)."
    )
    errors: list[UserError]


@strawberry.type
class WindowQuery:
    @strawberry.field(description="Freezes that meet the period (at most 366 days), by start.")
    async def blackout_windows(
        self,
        info: Info[Context, None],
        start: Annotated[datetime, strawberry.argument(name="from")],
        end: Annotated[datetime, strawberry.argument(name="to")],
    ) -> list[BlackoutWindow]:
        with bad_request_on_refusal():
            found = await info.context.repositories.windows.blackouts(start, end)
        return [to_blackout(w) for w in found]

    @strawberry.field(description="The maintenance windows of these CIs (those that have one).")
    async def maintenance_windows(
        self, info: Info[Context, None], ci_ids: list[strawberry.ID]
    ) -> list[MaintenanceWindow]:
        if len(ci_ids) > MAX_WINDOW_CIS:
            raise BadRequest(f"ciIds: at most {MAX_WINDOW_CIS} CIs")
        found = await info.context.repositories.windows.maintenance_windows(
            [str(i) for i in ci_ids]
        )
        return [to_maintenance(found[str(i)]) for i in dict.fromkeys(ci_ids) if str(i) in found]

    @strawberry.field(
        description="The changes and freezes of a period (at most 366 days), with each "
        "change's conflicts: a calendar view."
    )
    async def change_schedule(
        self,
        info: Info[Context, None],
        start: Annotated[datetime, strawberry.argument(name="from")],
        end: Annotated[datetime, strawberry.argument(name="to")],
    ) -> ChangeSchedule:
        with bad_request_on_refusal():
            found = await info.context.repositories.windows.schedule(start, end)
        return ChangeSchedule(
            stored=found,
            start=found.start,
            end=found.end,
            truncated=found.truncated,
            freezes=[to_blackout(w) for w in found.freezes],
        )


@strawberry.type
class WindowMutation:
    @strawberry.mutation(description="Creates a freeze window; global when serviceIds is empty.")
    async def create_blackout_window(
        self, info: Info[Context, None], input: CreateBlackoutWindowInput
    ) -> CreateBlackoutWindowPayload:
        work = info.context.repositories.windows.create_blackout(
            input.name,
            input.start,
            input.end,
            input.reason,
            [str(s) for s in input.service_ids],
            info.context.actor,
        )
        return await payload(
            work,
            done=lambda w: CreateBlackoutWindowPayload(blackout_window=to_blackout(w), errors=[]),
            refused=lambda e: CreateBlackoutWindowPayload(blackout_window=None, errors=e),
        )

    @strawberry.mutation(description="Deletes a freeze window.")
    async def delete_blackout_window(
        self, info: Info[Context, None], input: DeleteBlackoutWindowInput
    ) -> DeleteBlackoutWindowPayload:
        work = info.context.repositories.windows.delete_blackout(str(input.id), info.context.actor)
        return await payload(
            work,
            done=lambda w: DeleteBlackoutWindowPayload(blackout_window=to_blackout(w), errors=[]),
            refused=lambda e: DeleteBlackoutWindowPayload(blackout_window=None, errors=e),
        )

    @strawberry.mutation(description="Sets a CI's weekly maintenance window (one per CI).")
    async def set_maintenance_window(
        self, info: Info[Context, None], input: SetMaintenanceWindowInput
    ) -> SetMaintenanceWindowPayload:
        work = info.context.repositories.windows.set_maintenance(
            str(input.ci_id),
            input.days,
            input.opens,
            input.closes,
            input.timezone,
            info.context.actor,
        )
        return await payload(
            work,
            done=lambda w: SetMaintenanceWindowPayload(
                maintenance_window=to_maintenance(w), errors=[]
            ),
            refused=lambda e: SetMaintenanceWindowPayload(maintenance_window=None, errors=e),
        )

    @strawberry.mutation(description="Removes a CI's maintenance window.")
    async def clear_maintenance_window(
        self, info: Info[Context, None], input: ClearMaintenanceWindowInput
    ) -> ClearMaintenanceWindowPayload:
        work = info.context.repositories.windows.clear_maintenance(
            str(input.ci_id), info.context.actor
        )
        return await payload(
            work,
            done=lambda w: ClearMaintenanceWindowPayload(
                maintenance_window=to_maintenance(w) if w else None, errors=[]
            ),
            refused=lambda e: ClearMaintenanceWindowPayload(maintenance_window=None, errors=e),
        )
