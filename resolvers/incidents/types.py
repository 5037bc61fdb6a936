"""GraphQL types of incidents (docs/concepts.md, "Incident management"; docs/api.md,
"Incidents"): the incident, its transitions, impacted and excluded services and SLA clocks."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import incidents
from graph.domain import (
    IncidentCategory,
    IncidentState,
    Priority,
)
from resolvers._context import Context
from resolvers._pagination import (
    CountedConnection,
    Edge,
)
from resolvers.changes.parts import service_cis
from resolvers.changes.suspects import IncidentChangeFields
from resolvers.cis.history import AuditEventConnection, history_page
from resolvers.cis.types import ConfigurationItem, Node, to_graphql
from resolvers.incidents.candidates import CandidateReason, candidate_reasons
from resolvers.incidents.parts import (
    ExcludedService,
    ImpactedService,
    IncidentTransition,
    SlaClock,
    sla_clock,
)
from resolvers.problems.types import Problem, to_problem

__all__ = [
    "ExcludedService",
    "ImpactedService",
    "Incident",
    "IncidentConnection",
    "IncidentEdge",
    "IncidentTransition",
    "SlaClock",
    "to_incident",
]


@strawberry.type(description="A disruption of service, from NEW to CLOSED.")
class Incident(IncidentChangeFields, Node):
    stored: strawberry.Private[incidents.Incident]
    id: strawberry.ID
    number: str = strawberry.field(description="INC0001001 upward, never reused.")
    title: str
    description: str | None
    category: IncidentCategory
    impact: int = strawberry.field(description="1 (high) .. 3 (low).")
    urgency: int = strawberry.field(description="1 (high) .. 3 (low).")
    priority: Priority = strawberry.field(description="From impact x urgency.")
    state: IncidentState
    assignment_group: str | None
    assignee: str | None
    causes_outage: bool = strawberry.field(
        description="Whether its affected CIs count as failed while it is open."
    )
    workaround: str | None
    resolution: str | None
    major: bool
    major_reason: str | None
    opened_at: datetime
    updated_at: datetime
    responded_at: datetime | None = strawberry.field(description="When it first left NEW.")
    resolved_at: datetime | None
    closed_at: datetime | None
    created_by: str
    updated_by: str
    version: int = strawberry.field(description="Increases with every change.")
    sla_breach_at: datetime | None = strawberry.field(
        description="When an SLA clock breached or will breach if nothing changes."
    )
    source: str | None = strawberry.field(description="The tool it was imported from.")
    external_id: str | None
    affected_ci_ids: list[strawberry.ID]
    transitions: list[IncidentTransition] = strawberry.field(description="Oldest first.")

    @strawberry.field(description="The CIs the incident is about.")
    async def affected_cis(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        found = await info.context.ci_loader.load_many(list(self.stored.affected_ci_ids))
        return [to_graphql(ci) for ci in found if ci is not None]

    @strawberry.field(description="Computed services minus the excluded ones, then manual ones.")
    async def impacted_services(self, info: Info[Context, None]) -> list[ImpactedService]:
        shown = self.stored.impacted_services
        services = await service_cis(info, [i.service_id for i in shown])
        return [
            ImpactedService(
                service_id=i.service_id,
                state=i.state,
                reason=i.reason,
                source=i.source,
                added_by=i.by,
                added_at=i.at,
                found=service,
            )
            for i, service in zip(shown, services, strict=True)
        ]

    @strawberry.field
    def excluded_services(self) -> list[ExcludedService]:
        return [
            ExcludedService(service_id=e.service_id, reason=e.reason, by=e.by, at=e.at)
            for e in self.stored.exclusions
        ]

    @strawberry.field(description="The RESPONSE and RESOLUTION clocks, computed now.")
    def sla(self, info: Info[Context, None]) -> list[SlaClock]:
        return [sla_clock(c) for c in info.context.repositories.incidents.sla(self.stored)]

    @strawberry.field(
        description="The business service whose service level sets the SLA targets (the most "
        "critical impacted one that sets any); null when the defaults apply."
    )
    async def sla_service(self, info: Info[Context, None]) -> ConfigurationItem | None:
        if self.stored.sla_service_id is None:
            return None
        found = await info.context.ci_loader.load(self.stored.sla_service_id)
        return to_graphql(found) if found else None

    @strawberry.field(description="The incident's audit trail, newest first.")
    async def history(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> AuditEventConnection:
        return await history_page(info, str(self.id), first, after, record=True)

    @strawberry.field(description="The major incident this one is a child of.")
    async def parent(self, info: Info[Context, None]) -> Incident | None:
        if self.stored.parent_id is None:
            return None
        found = await info.context.incident_loader.load(self.stored.parent_id)
        return to_incident(found) if found else None

    @strawberry.field(description="The incidents grouped under this major incident.")
    async def children(self, info: Info[Context, None]) -> list[Incident]:
        if not self.stored.child_ids:
            return []
        found = await info.context.incident_loader.load_many(list(self.stored.child_ids))
        return [to_incident(i) for i in found if i is not None]

    @strawberry.field(description="The problem that groups this incident, if any.")
    async def problem(self, info: Info[Context, None]) -> Problem | None:
        found = await info.context.problem_of_incident_loader.load(self.stored.id)
        return to_problem(found) if found else None

    @strawberry.field(
        description="The workaround of the known error this incident is linked to: what "
        "restores service while the root cause is fixed. Null unless its problem is a known "
        "error."
    )
    async def known_error_workaround(self, info: Info[Context, None]) -> str | None:
        found = await info.context.problem_of_incident_loader.load(self.stored.id)
        return found.workaround if found is not None and found.known_error else None

    @strawberry.field(description="Why it is a major-incident candidate; empty if it is not.")
    async def major_candidate(self, info: Info[Context, None]) -> list[MajorCandidateReason]:
        return await candidate_reasons(info, self.stored, MajorCandidateReason, to_incident)


@strawberry.type(description="Why an open incident is a major-incident candidate.")
class MajorCandidateReason(CandidateReason[Incident]): ...


@strawberry.type
class IncidentEdge(Edge[Incident]):
    pass


@strawberry.type(description="A page of incidents.")
class IncidentConnection(CountedConnection[IncidentEdge]):
    pass


def to_incident(i: incidents.Incident) -> Incident:
    return Incident(
        stored=i,
        id=strawberry.ID(i.id),
        number=i.number,
        title=i.title,
        description=i.description,
        category=i.category,
        impact=i.impact,
        urgency=i.urgency,
        priority=i.priority,
        state=i.state,
        assignment_group=i.assignment_group,
        assignee=i.assignee,
        causes_outage=i.causes_outage,
        workaround=i.workaround,
        resolution=i.resolution,
        major=i.major,
        major_reason=i.major_reason,
        opened_at=i.opened_at,
        updated_at=i.updated_at,
        responded_at=i.responded_at,
        resolved_at=i.resolved_at,
        closed_at=i.closed_at,
        created_by=i.created_by,
        updated_by=i.updated_by,
        version=i.version,
        sla_breach_at=i.sla_breach_at,
        source=i.source,
        external_id=i.external_id,
        affected_ci_ids=[strawberry.ID(c) for c in i.affected_ci_ids],
        transitions=[
            IncidentTransition(
                from_state=t.from_state, to_state=t.to_state, at=t.at, actor=t.actor, note=t.note
            )
            for t in i.transitions
        ],
    )
