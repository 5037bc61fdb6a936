"""What is going on below a service, and how many incidents each service has (docs/api.md,
"Major incidents, trace and counts"): `serviceTrace(serviceId)`, `incidentCounts`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import incidents
from graph.domain import Priority
from resolvers._context import Context
from resolvers._errors import bad_request_on_refusal
from resolvers.cis.types import ConfigurationItem, to_graphql
from resolvers.impact.types import load_ci, load_cis
from resolvers.incidents.types import Incident, to_incident

__all__ = [
    "PriorityCount",
    "ServiceIncidentCount",
    "ServiceTrace",
    "ServiceTraceQuery",
    "TracedIncident",
]


async def _ci(info: Info[Context, None], ci_id: str) -> ConfigurationItem:
    found = await info.context.ci_loader.load(ci_id)
    if found is None:  # read a moment ago; deleted behind the product's back since
        raise LookupError(f"CI {ci_id} is gone")
    return to_graphql(found)


@strawberry.type(description="An open incident below a service, and how the service needs it.")
class TracedIncident:
    incident: Incident
    affected_ci_id: strawberry.Private[str]
    depth: int = strawberry.field(description="Hops from the service down to the affected CI.")
    path_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="Its affected CI nearest the service.")
    async def affected_ci(self, info: Info[Context, None]) -> ConfigurationItem:
        return await _ci(info, self.affected_ci_id)

    @strawberry.field(
        description="A shortest dependency path from the service down to the affected CI, both "
        "included."
    )
    async def path(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.path_ids))


@strawberry.type(description="The open incidents on a service and on everything it depends on.")
class ServiceTrace:
    service_id: strawberry.Private[str]
    incidents: list[TracedIncident] = strawberry.field(
        description="Nearest first, then by priority, opened time and number; each once."
    )
    truncated: bool = strawberry.field(description="The dependencies go deeper than 50 hops.")

    @strawberry.field
    async def service(self, info: Info[Context, None]) -> ConfigurationItem | None:
        return await load_ci(info, self.service_id)


@strawberry.type
class PriorityCount:
    priority: Priority
    count: int


@strawberry.type(description="How many incidents impact one service.")
class ServiceIncidentCount:
    service_id: strawberry.Private[str]
    total: int
    by_priority: list[PriorityCount] = strawberry.field(description="P1 .. P5, zeros included.")

    @strawberry.field
    async def service(self, info: Info[Context, None]) -> ConfigurationItem:
        return await _ci(info, self.service_id)


def _traced(t: incidents.TracedIncident) -> TracedIncident:
    return TracedIncident(
        incident=to_incident(t.incident),
        affected_ci_id=t.affected_ci_id,
        depth=t.depth,
        path_ids=t.path,
    )


@strawberry.type
class ServiceTraceQuery:
    @strawberry.field(
        description="The open incidents on the service and on everything it depends on "
        "(downstream, to 50 hops), each with the path down to its CI. Null for an unknown CI."
    )
    async def service_trace(
        self, info: Info[Context, None], service_id: strawberry.ID
    ) -> ServiceTrace | None:
        found = await info.context.repositories.incidents.service_trace(str(service_id))
        if found is None:
            return None
        return ServiceTrace(
            service_id=found.service_id,
            incidents=[_traced(t) for t in found.incidents],
            truncated=found.truncated,
        )

    @strawberry.field(
        description="Incidents per impacted service (as `impactedServices` lists them), with a "
        "count per priority; most incidents first. Without serviceIds: every service with at "
        "least one; with them: those services (unknown ids left out), zeros included."
    )
    async def incident_counts(
        self,
        info: Info[Context, None],
        service_ids: list[strawberry.ID] | None = None,
        open_only: bool = True,
    ) -> list[ServiceIncidentCount]:
        ids = None if service_ids is None else [str(i) for i in service_ids]
        with bad_request_on_refusal():
            found = await info.context.repositories.incidents.incident_counts(ids, open_only)
        return [
            ServiceIncidentCount(
                service_id=c.service_id,
                total=c.total,
                by_priority=[
                    PriorityCount(priority=p.priority, count=p.count) for p in c.by_priority
                ],
            )
            for c in found
        ]
