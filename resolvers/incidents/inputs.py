"""GraphQL inputs of the incident mutations."""

from __future__ import annotations

from typing import Any

import strawberry

from graph.domain import IncidentCategory, IncidentState, State
from graph.incidents import NewIncident

__all__ = [
    "AddImpactedServiceInput",
    "ClearManualImpactInput",
    "CreateIncidentInput",
    "ExcludeImpactedServiceInput",
    "RecomputeIncidentImpactInput",
    "TransitionIncidentInput",
    "UpdateIncidentInput",
]


@strawberry.input(description="A new incident; it opens NEW, its priority from impact x urgency.")
class CreateIncidentInput:
    title: str = strawberry.field(description="Required, at most 200 characters.")
    category: IncidentCategory
    impact: int = strawberry.field(description="1 (high) .. 3 (low).")
    urgency: int = strawberry.field(description="1 (high) .. 3 (low).")
    affected_ci_ids: list[strawberry.ID] = strawberry.field(
        description="At least one; each must exist and not be retired."
    )
    description: str | None = None
    assignment_group: str | None = None
    assignee: str | None = None
    causes_outage: bool | None = strawberry.field(
        default=None,
        description="Default: true for APPLICATION and HARDWARE, false for SERVICE_REQUEST.",
    )

    def to_new(self) -> NewIncident:
        return NewIncident(
            title=self.title,
            category=self.category,
            impact=self.impact,
            urgency=self.urgency,
            affected_ci_ids=[str(i) for i in self.affected_ci_ids],
            description=self.description,
            assignment_group=self.assignment_group,
            assignee=self.assignee,
            causes_outage=self.causes_outage,
        )


@strawberry.input(
    description="Changes an incident; absent fields stay as they are, null clears an optional "
    "text. Guarded by `expectedVersion` when given."
)
class UpdateIncidentInput:
    number: str
    expected_version: int | None = None
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    category: IncidentCategory | None = strawberry.UNSET
    impact: int | None = strawberry.UNSET
    urgency: int | None = strawberry.UNSET
    affected_ci_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Replaces the affected CIs; the computed impact is recomputed.",
    )
    assignment_group: str | None = strawberry.UNSET
    assignee: str | None = strawberry.UNSET
    causes_outage: bool | None = strawberry.UNSET
    workaround: str | None = strawberry.UNSET

    def to_patch(self) -> dict[str, Any]:
        """The fields given, by `NewIncident` name; a null required field stays unchanged."""
        required = {"title", "category", "impact", "urgency", "causes_outage", "affected_ci_ids"}
        names = [*required, "description", "assignment_group", "assignee", "workaround"]
        patch: dict[str, Any] = {}
        for name in names:
            value = getattr(self, name)
            if value is strawberry.UNSET or (value is None and name in required):
                continue
            patch[name] = [str(i) for i in value] if name == "affected_ci_ids" else value
        return patch


@strawberry.input(description="Moves an incident to another state, if the transition is allowed.")
class TransitionIncidentInput:
    number: str
    to: IncidentState
    note: str | None = strawberry.field(default=None, description="Why; kept with the transition.")
    workaround: str | None = None
    resolution: str | None = strawberry.field(
        default=None, description="Required when `to` is RESOLVED."
    )


@strawberry.input(description="Adds a service the impact analysis does not reach (MANUAL).")
class AddImpactedServiceInput:
    number: str
    service_id: strawberry.ID
    state: State = strawberry.field(description="DOWN or DEGRADED.")
    reason: str | None = None


@strawberry.input(description="Hides a computed impacted service, with the reason.")
class ExcludeImpactedServiceInput:
    number: str
    service_id: strawberry.ID
    reason: str


@strawberry.input(description="Forgets the manual addition and the exclusion of a service.")
class ClearManualImpactInput:
    number: str
    service_id: strawberry.ID


@strawberry.input(description="Runs the impact analysis of the affected CIs again.")
class RecomputeIncidentImpactInput:
    number: str
