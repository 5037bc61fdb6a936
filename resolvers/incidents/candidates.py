"""Why an open incident is a major-incident candidate (docs/api.md, "Major incidents, trace
and counts"), computed once per request for the whole open set.

The reason type lists incidents, and `Incident` lists its reasons: so that neither module
imports the other, the reason is generic here in the incident type, and `types.py` names it
(`class MajorCandidateReason(CandidateReason[Incident])`), as the connections do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from graph import incidents
from graph.domain import OPEN_STATES, MajorCandidateKind
from resolvers._context import Context
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["CandidateReason", "candidate_reasons", "open_candidates"]

T = TypeVar("T")
R = TypeVar("R", bound="CandidateReason[Any]")


async def _load(ci_id: str | None, info: Info[Context, None]) -> ConfigurationItem | None:
    if ci_id is None:
        return None
    found = await info.context.ci_loader.load(ci_id)
    return to_graphql(found) if found else None


@strawberry.type
class CandidateReason(Generic[T]):
    kind: MajorCandidateKind
    message: str = strawberry.field(description="The reason in words, naming what it is about.")
    incidents: list[T] = strawberry.field(
        description="SHARED_ROOT_CAUSE: the open incidents sharing the root cause (this one "
        "too), by number; empty otherwise."
    )
    service_id: strawberry.Private[str | None]
    root_cause_id: strawberry.Private[str | None]

    @strawberry.field(description="P1_ON_CRITICAL_SERVICE: the business service; else null.")
    async def service(self, info: Info[Context, None]) -> ConfigurationItem | None:
        return await _load(self.service_id, info)

    @strawberry.field(description="SHARED_ROOT_CAUSE: the CI that would explain them; else null.")
    async def root_cause(self, info: Info[Context, None]) -> ConfigurationItem | None:
        return await _load(self.root_cause_id, info)


Found = tuple[list[incidents.MajorCandidate], dict[str, incidents.MajorCandidate]]


async def _search(info: Info[Context, None]) -> Found:
    """The request's one candidate search (the context starts it when first asked)."""
    found = await info.context.major_candidates()
    return found, {c.incident.id: c for c in found}


async def open_candidates(info: Info[Context, None]) -> list[incidents.MajorCandidate]:
    """Every major-incident candidate, by priority then opened time: the request's one
    search (its cost: `IncidentRepository.major_candidates`)."""
    return (await _search(info))[0]


async def candidate_reasons(
    info: Info[Context, None],
    incident: incidents.Incident,
    reason_type: type[R],
    as_incident: Callable[[incidents.Incident], Any],
) -> list[R]:
    """Why `incident` is a candidate, as `reason_type`s (their incidents made by `as_incident`);
    empty when it is not. No round trip for an incident that is closed, major or a child;
    otherwise the request's one search, shared by every incident it shows."""
    if incident.state not in OPEN_STATES or incident.major or incident.parent_id is not None:
        return []
    found = (await _search(info))[1].get(incident.id)
    if found is None:
        return []
    return [
        reason_type(
            kind=r.kind,
            message=r.message,
            incidents=[as_incident(i) for i in r.incidents],
            service_id=r.service_id,
            root_cause_id=r.root_cause_id,
        )
        for r in found.reasons
    ]
