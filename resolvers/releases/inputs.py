"""GraphQL inputs of the release mutations and of the `releases` list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from graph import releases
from graph.cis import OrderDirection
from graph.domain import ReleaseState, ReleaseType

__all__ = [
    "AddChangesToReleaseInput",
    "CreateReleaseInput",
    "ReleaseFilter",
    "ReleaseOrder",
    "RemoveChangeFromReleaseInput",
    "TransitionReleaseInput",
    "UpdateReleaseInput",
]


@strawberry.input(description="A new release; it starts in PLANNING.")
class CreateReleaseInput:
    name: str = strawberry.field(description="Required, at most 200 characters.")
    version: str = strawberry.field(description="Required, at most 50 characters.")
    type: ReleaseType
    change_numbers: list[str] = strawberry.field(
        default_factory=list,
        description="Changes it bundles: each in no other release, neither CANCELLED nor REJECTED.",
    )
    planned_start: datetime | None = None
    planned_end: datetime | None = strawberry.field(
        default=None, description="After the start; both with a time zone."
    )
    rollback_plan: str | None = None
    description: str | None = None
    deployed_ci_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="The CIs it deploys; null: the union of its changes' targets, kept so as "
        "changes come and go.",
    )

    def to_new(self) -> releases.NewRelease:
        return releases.NewRelease(
            name=self.name,
            version=self.version,
            release_type=self.type,
            change_numbers=tuple(self.change_numbers),
            planned_start=self.planned_start,
            planned_end=self.planned_end,
            rollback_plan=self.rollback_plan,
            description=self.description,
            deployed_ci_ids=(
                tuple(str(i) for i in self.deployed_ci_ids)
                if self.deployed_ci_ids is not None
                else None
            ),
        )


@strawberry.input(
    description="Changes a release that is not finished; absent fields stay as they are, null "
    "clears an optional one (null `deployedCiIds`: back to the changes' targets). Guarded by "
    "`expectedRevision` when given."
)
class UpdateReleaseInput:
    number: str
    expected_revision: int | None = None
    name: str | None = strawberry.UNSET
    version: str | None = strawberry.UNSET
    type: ReleaseType | None = strawberry.UNSET
    planned_start: datetime | None = strawberry.UNSET
    planned_end: datetime | None = strawberry.UNSET
    rollback_plan: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    deployed_ci_ids: list[strawberry.ID] | None = strawberry.UNSET

    def to_patch(self) -> dict[str, Any]:
        """The fields given, by `NewRelease` name; a null required field stays unchanged."""
        given: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "release_type": self.type,
            "planned_start": self.planned_start,
            "planned_end": self.planned_end,
            "rollback_plan": self.rollback_plan,
            "description": self.description,
            "deployed_ci_ids": self.deployed_ci_ids,
        }
        required = {"name", "version", "release_type"}
        patch = {
            k: v
            for k, v in given.items()
            if v is not strawberry.UNSET and not (v is None and k in required)
        }
        if patch.get("deployed_ci_ids") is not None:
            patch["deployed_ci_ids"] = tuple(str(i) for i in patch["deployed_ci_ids"])
        return patch


@strawberry.input(description="Adds changes to a release that is not finished.")
class AddChangesToReleaseInput:
    number: str
    change_numbers: list[str] = strawberry.field(
        description="Each in no other release, neither CANCELLED nor REJECTED; authorised when "
        "the release is deploying. Changes already in it stay."
    )


@strawberry.input(description="Takes a change out of a release that is not finished.")
class RemoveChangeFromReleaseInput:
    number: str
    change_number: str


@strawberry.input(description="Moves a release to another state, if the transition is allowed.")
class TransitionReleaseInput:
    number: str
    to: ReleaseState
    note: str | None = strawberry.field(
        default=None, description="Why; kept with the transition. Required for ROLLED_BACK."
    )


@strawberry.input(
    description="Which releases to list. Every field given narrows the result (AND; values "
    "within a list OR); null or an empty list does not filter."
)
class ReleaseFilter:
    states: list[ReleaseState] | None = None
    types: list[ReleaseType] | None = None

    def to_stored(self) -> releases.ReleaseFilter:
        return releases.ReleaseFilter(tuple(self.states or ()), tuple(self.types or ()))


@strawberry.input(description="The order of `releases`: by number, newest first (DESC) by default.")
class ReleaseOrder:
    field: releases.ReleaseOrderField = releases.ReleaseOrderField.NUMBER
    direction: OrderDirection | None = None

    def to_stored(self) -> releases.ReleaseOrder:
        return releases.ReleaseOrder(self.field, self.direction is not OrderDirection.ASC)
