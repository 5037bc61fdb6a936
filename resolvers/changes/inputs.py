"""GraphQL inputs of the change mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from graph.changes import NewChange
from graph.domain import ChangeOutcome, ChangeState, ChangeType

__all__ = [
    "ApproveChangeInput",
    "CreateChangeInput",
    "RecomputeImpactInput",
    "RejectChangeInput",
    "TransitionChangeInput",
    "UpdateChangeInput",
]


@strawberry.input(description="A new change; it opens in DRAFT.")
class CreateChangeInput:
    title: str = strawberry.field(description="Required, at most 200 characters.")
    type: ChangeType
    target_ci_ids: list[strawberry.ID] = strawberry.field(
        description="At least one; each must exist and not be retired."
    )
    description: str | None = None
    planned_start: datetime | None = strawberry.field(
        default=None, description="With plannedEnd, or neither; with a time zone."
    )
    planned_end: datetime | None = strawberry.field(default=None, description="After plannedStart.")
    assignee: str | None = None
    assignment_group: str | None = None
    implementation_plan: str | None = None
    backout_plan: str | None = None
    test_plan: str | None = None

    def to_new(self) -> NewChange:
        return NewChange(
            title=self.title,
            change_type=self.type,
            target_ci_ids=[str(i) for i in self.target_ci_ids],
            description=self.description,
            planned_start=self.planned_start,
            planned_end=self.planned_end,
            assignee=self.assignee,
            assignment_group=self.assignment_group,
            implementation_plan=self.implementation_plan,
            backout_plan=self.backout_plan,
            test_plan=self.test_plan,
        )


_OPTIONAL = (
    "description",
    "planned_start",
    "planned_end",
    "assignee",
    "assignment_group",
    "implementation_plan",
    "backout_plan",
    "test_plan",
)


@strawberry.input(
    description="Changes a change; absent fields stay as they are, null clears an optional "
    "one. Guarded by `expectedVersion` when given."
)
class UpdateChangeInput:
    number: str
    expected_version: int | None = None
    title: str | None = strawberry.UNSET
    type: ChangeType | None = strawberry.field(
        default=strawberry.UNSET, description="Only in DRAFT."
    )
    target_ci_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Replaces the targets (not once implementation started); an assessed "
        "change takes a new impact snapshot.",
    )
    description: str | None = strawberry.UNSET
    planned_start: datetime | None = strawberry.UNSET
    planned_end: datetime | None = strawberry.UNSET
    assignee: str | None = strawberry.UNSET
    assignment_group: str | None = strawberry.UNSET
    implementation_plan: str | None = strawberry.UNSET
    backout_plan: str | None = strawberry.UNSET
    test_plan: str | None = strawberry.UNSET

    def to_patch(self) -> dict[str, Any]:
        """The fields given, by `NewChange` name; a null required field stays unchanged."""
        patch: dict[str, Any] = {}
        if self.title is not strawberry.UNSET and self.title is not None:
            patch["title"] = self.title
        if self.type is not strawberry.UNSET and self.type is not None:
            patch["change_type"] = self.type
        if self.target_ci_ids is not strawberry.UNSET and self.target_ci_ids is not None:
            patch["target_ci_ids"] = tuple(str(i) for i in self.target_ci_ids)
        for name in _OPTIONAL:
            value = getattr(self, name)
            if value is not strawberry.UNSET:
                patch[name] = value
        return patch


@strawberry.input(description="Moves a change to another state, if its type allows the transition.")
class TransitionChangeInput:
    number: str
    to: ChangeState
    note: str | None = strawberry.field(default=None, description="Why; kept with the transition.")
    outcome: ChangeOutcome | None = strawberry.field(
        default=None,
        description="How it went: entering REVIEW or CLOSED; required for CLOSED unless given "
        "before.",
    )


@strawberry.input(description="A CAB member's approval of a change in AUTHORIZE.")
class ApproveChangeInput:
    number: str
    comment: str | None = None
    implement_now: bool = strawberry.field(
        default=False,
        description="An emergency change only: authorised and moved to IMPLEMENT at once.",
    )


@strawberry.input(description="A CAB member's rejection of a change in AUTHORIZE.")
class RejectChangeInput:
    number: str
    comment: str = strawberry.field(description="Required: why it is rejected.")


@strawberry.input(description="Takes the change's impact snapshot again.")
class RecomputeImpactInput:
    number: str
