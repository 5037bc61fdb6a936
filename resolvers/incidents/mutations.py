"""Incident mutations: `createIncident`, `updateIncident`, `transitionIncident`, and the
corrections of an incident's impacted services."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._errors import UserError
from resolvers.incidents.answers import incident_number, incident_payload
from resolvers.incidents.inputs import (
    AddImpactedServiceInput,
    ClearManualImpactInput,
    CreateIncidentInput,
    ExcludeImpactedServiceInput,
    RecomputeIncidentImpactInput,
    TransitionIncidentInput,
    UpdateIncidentInput,
)
from resolvers.incidents.types import Incident

__all__ = [
    "AddImpactedServicePayload",
    "ClearManualImpactPayload",
    "CreateIncidentPayload",
    "ExcludeImpactedServicePayload",
    "IncidentMutation",
    "RecomputeIncidentImpactPayload",
    "TransitionIncidentPayload",
    "UpdateIncidentPayload",
]


@strawberry.type
class CreateIncidentPayload:
    incident: Incident | None = strawberry.field(description="The new incident; null if refused.")
    errors: list[UserError] = strawberry.field(description="Empty when it was created.")


@strawberry.type
class UpdateIncidentPayload:
    incident: Incident | None
    errors: list[UserError]


@strawberry.type
class TransitionIncidentPayload:
    incident: Incident | None
    errors: list[UserError]


@strawberry.type
class AddImpactedServicePayload:
    incident: Incident | None
    errors: list[UserError]


@strawberry.type
class ExcludeImpactedServicePayload:
    incident: Incident | None
    errors: list[UserError]


@strawberry.type
class ClearManualImpactPayload:
    incident: Incident | None
    errors: list[UserError]


@strawberry.type
class RecomputeIncidentImpactPayload:
    incident: Incident | None
    errors: list[UserError]


@strawberry.type
class IncidentMutation:
    @strawberry.mutation(description="Opens an incident (NEW); refused whole on bad input.")
    async def create_incident(
        self, info: Info[Context, None], input: CreateIncidentInput
    ) -> CreateIncidentPayload:
        work = info.context.repositories.incidents.create(input.to_new(), info.context.actor)
        return await incident_payload(work, CreateIncidentPayload)

    @strawberry.mutation(description="Changes an incident, guarded by optimistic locking.")
    async def update_incident(
        self, info: Info[Context, None], input: UpdateIncidentInput
    ) -> UpdateIncidentPayload:
        work = info.context.repositories.incidents.update(
            incident_number(input.number),
            input.expected_version,
            input.to_patch(),
            info.context.actor,
        )
        return await incident_payload(work, UpdateIncidentPayload)

    @strawberry.mutation(
        description="Moves an incident to another state; a refused transition names the "
        "allowed ones. Resolving a major incident resolves its open children."
    )
    async def transition_incident(
        self, info: Info[Context, None], input: TransitionIncidentInput
    ) -> TransitionIncidentPayload:
        work = info.context.repositories.incidents.transition(
            incident_number(input.number),
            input.to,
            info.context.actor,
            note=input.note,
            workaround=input.workaround,
            resolution=input.resolution,
        )
        return await incident_payload(work, TransitionIncidentPayload)

    @strawberry.mutation(description="Adds an impacted service by hand (MANUAL).")
    async def add_impacted_service(
        self, info: Info[Context, None], input: AddImpactedServiceInput
    ) -> AddImpactedServicePayload:
        work = info.context.repositories.incidents.add_impacted_service(
            incident_number(input.number),
            str(input.service_id),
            input.state,
            input.reason,
            info.context.actor,
        )
        return await incident_payload(work, AddImpactedServicePayload)

    @strawberry.mutation(description="Hides a computed impacted service, with a reason.")
    async def exclude_impacted_service(
        self, info: Info[Context, None], input: ExcludeImpactedServiceInput
    ) -> ExcludeImpactedServicePayload:
        work = info.context.repositories.incidents.exclude_impacted_service(
            incident_number(input.number), str(input.service_id), input.reason, info.context.actor
        )
        return await incident_payload(work, ExcludeImpactedServicePayload)

    @strawberry.mutation(description="Forgets the manual addition and exclusion of a service.")
    async def clear_manual_impact(
        self, info: Info[Context, None], input: ClearManualImpactInput
    ) -> ClearManualImpactPayload:
        work = info.context.repositories.incidents.clear_manual_impact(
            incident_number(input.number), str(input.service_id), info.context.actor
        )
        return await incident_payload(work, ClearManualImpactPayload)

    @strawberry.mutation(
        description="Recomputes the impacted services from the affected CIs; manual additions "
        "and exclusions stay."
    )
    async def recompute_incident_impact(
        self, info: Info[Context, None], input: RecomputeIncidentImpactInput
    ) -> RecomputeIncidentImpactPayload:
        work = info.context.repositories.incidents.recompute_impact(
            incident_number(input.number), info.context.actor
        )
        return await incident_payload(work, RecomputeIncidentImpactPayload)
