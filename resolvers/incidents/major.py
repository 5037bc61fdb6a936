"""Major incidents (docs/api.md, "Major incidents, trace and counts"): the candidates, promoting
one, and linking and unlinking its child incidents."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._errors import UserError
from resolvers.incidents.answers import incident_number, incident_payload
from resolvers.incidents.candidates import open_candidates
from resolvers.incidents.types import Incident, MajorCandidateReason, to_incident

__all__ = [
    "LinkChildIncidentsPayload",
    "MajorCandidate",
    "MajorIncidentMutation",
    "MajorIncidentQuery",
    "PromoteMajorIncidentPayload",
    "UnlinkChildIncidentPayload",
]


@strawberry.type(description="An open incident that may be a major incident, and why.")
class MajorCandidate:
    incident: Incident
    reasons: list[MajorCandidateReason] = strawberry.field(description="At least one.")


@strawberry.input(description="Makes an open incident a major incident.")
class PromoteMajorIncidentInput:
    number: str
    reason: str = strawberry.field(description="Why it is major; required.")


@strawberry.input(description="Groups open incidents under an open major incident.")
class LinkChildIncidentsInput:
    number: str = strawberry.field(description="The major incident.")
    child_numbers: list[str] = strawberry.field(description="At least one, at most 100.")


@strawberry.input(description="Takes a child incident out of its major incident.")
class UnlinkChildIncidentInput:
    number: str = strawberry.field(description="The major incident.")
    child_number: str


@strawberry.type
class PromoteMajorIncidentPayload:
    incident: Incident | None = strawberry.field(description="The major incident; null if refused.")
    errors: list[UserError]


@strawberry.type
class LinkChildIncidentsPayload:
    incident: Incident | None = strawberry.field(description="The parent; null if refused.")
    errors: list[UserError]


@strawberry.type
class UnlinkChildIncidentPayload:
    incident: Incident | None = strawberry.field(description="The parent; null if refused.")
    errors: list[UserError]


@strawberry.type
class MajorIncidentQuery:
    @strawberry.field(
        description="Open incidents that may be major incidents: a P1 impacting a business "
        "service of criticality 1, or several open incidents sharing a root-cause candidate. "
        "Neither major incidents nor their children; by priority, then opened time."
    )
    async def major_incident_candidates(self, info: Info[Context, None]) -> list[MajorCandidate]:
        return [
            MajorCandidate(
                incident=to_incident(c.incident),
                reasons=[
                    MajorCandidateReason(
                        kind=r.kind,
                        message=r.message,
                        incidents=[to_incident(i) for i in r.incidents],
                        service_id=r.service_id,
                        root_cause_id=r.root_cause_id,
                    )
                    for r in c.reasons
                ],
            )
            for c in await open_candidates(info)
        ]


@strawberry.type
class MajorIncidentMutation:
    @strawberry.mutation(
        description="Makes an open incident a major incident, with the reason; refused for a "
        "closed incident, a major one, or a child of another."
    )
    async def promote_major_incident(
        self, info: Info[Context, None], input: PromoteMajorIncidentInput
    ) -> PromoteMajorIncidentPayload:
        work = info.context.repositories.incidents.promote(
            incident_number(input.number), input.reason, info.context.actor
        )
        return await incident_payload(work, PromoteMajorIncidentPayload)

    @strawberry.mutation(
        description="Groups open incidents under an open major incident; resolving it resolves "
        "them. Children it has already stay."
    )
    async def link_child_incidents(
        self, info: Info[Context, None], input: LinkChildIncidentsInput
    ) -> LinkChildIncidentsPayload:
        work = info.context.repositories.incidents.link_children(
            incident_number(input.number), input.child_numbers, info.context.actor
        )
        return await incident_payload(work, LinkChildIncidentsPayload)

    @strawberry.mutation(description="Takes a child incident out of its major incident.")
    async def unlink_child_incident(
        self, info: Info[Context, None], input: UnlinkChildIncidentInput
    ) -> UnlinkChildIncidentPayload:
        work = info.context.repositories.incidents.unlink_child(
            incident_number(input.number), input.child_number, info.context.actor
        )
        return await incident_payload(work, UnlinkChildIncidentPayload)
