"""`incidentUpdated`: incidents as they are after each committed write that adds to their
history (docs/subscriptions.md)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from graph import incidents
from graph.domain import IncidentState, Priority
from graph.events import INCIDENTS, RecordUpdate
from resolvers._context import Context
from resolvers._subscriptions import check_watched, events
from resolvers.incidents.answers import incident_number
from resolvers.incidents.types import Incident, to_incident

__all__ = ["IncidentSubscription", "IncidentUpdate", "IncidentUpdateFilter"]


@strawberry.input(
    description="Which incident updates to receive. Every field given narrows them (AND; "
    "values within a list OR), matched against the incident after the write; null or an "
    "empty list does not filter."
)
class IncidentUpdateFilter:
    numbers: list[str] | None = None
    states: list[IncidentState] | None = None
    priorities: list[Priority] | None = None
    affected_ci_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Incidents affecting any of these CIs."
    )
    major: bool | None = None

    def accepts(self, incident: incidents.Incident) -> bool:
        numbers = {incident_number(n) for n in self.numbers or ()}
        affected = {str(i) for i in self.affected_ci_ids or ()}
        return (
            (not numbers or incident.number in numbers)
            and (not self.states or incident.state in self.states)
            and (not self.priorities or incident.priority in self.priorities)
            and (not affected or not affected.isdisjoint(incident.affected_ci_ids))
            and (self.major is None or incident.major is self.major)
        )


@strawberry.type(description="An incident after a committed write.")
class IncidentUpdate:
    incident: Incident = strawberry.field(description="As it is after the write.")
    operation: str = strawberry.field(description="The mutation: `transitionIncident`, ...")
    actor: str
    changed_fields: list[str] = strawberry.field(
        description="The fields the write's history names (empty for a creation)."
    )


def _update(update: RecordUpdate[incidents.Incident]) -> IncidentUpdate:
    return IncidentUpdate(
        incident=to_incident(update.record),
        operation=update.operation,
        actor=update.actor,
        changed_fields=list(update.changed_fields),
    )


@strawberry.type
class IncidentSubscription:
    @strawberry.subscription(
        description="Every incident the filter accepts, after each committed write that adds "
        "an event to its history (creation, update, transition, impact, links)."
    )
    async def incident_updated(
        self, info: Info[Context, None], filter: IncidentUpdateFilter | None = None
    ) -> AsyncGenerator[IncidentUpdate, None]:
        chosen = filter or IncidentUpdateFilter()
        check_watched("filter.numbers", chosen.numbers)
        check_watched("filter.affectedCiIds", [str(i) for i in chosen.affected_ci_ids or ()])
        async for update in events(info.context, INCIDENTS, lambda u: chosen.accepts(u.record)):
            yield _update(update)
