"""`importIncidents`: incident history from the tool being replaced (docs/incidents-import.md)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph.domain import IncidentCategory, IncidentState
from graph.incidents import HistoricalIncident, HistoryRequest, RecordedTransition
from resolvers._context import Context
from resolvers._errors import UserError, payload

__all__ = ["ImportIncidentsInput", "ImportIncidentsPayload", "IncidentImportMutation"]


@strawberry.input(description="One change of state as the old tool recorded it.")
class RecordedTransitionInput:
    to: IncidentState
    at: datetime = strawberry.field(description="With its offset.")
    note: str | None = None
    actor: str | None = strawberry.field(
        default=None, description="Who made it in the old tool; default: the importer."
    )


@strawberry.input(description="One incident as the old tool recorded it.")
class HistoricalIncidentInput:
    external_id: str = strawberry.field(
        description="The old tool's id: with the source, what makes a re-import find the incident."
    )
    title: str
    category: IncidentCategory
    impact: int
    urgency: int
    affected_ci_ids: list[str] = strawberry.field(
        description="CI ids, or the external ids the CIs have for `ciSource`."
    )
    opened_at: datetime = strawberry.field(description="With its offset.")
    transitions: list[RecordedTransitionInput] = strawberry.field(
        default_factory=list, description="In time order, from NEW."
    )
    description: str | None = None
    opened_by: str | None = None
    assignment_group: str | None = None
    assignee: str | None = None
    causes_outage: bool | None = None
    workaround: str | None = None
    resolution: str | None = None

    def to_row(self) -> HistoricalIncident:
        return HistoricalIncident(
            external_id=self.external_id,
            title=self.title,
            category=self.category,
            impact=self.impact,
            urgency=self.urgency,
            opened_at=self.opened_at,
            affected=tuple(self.affected_ci_ids),
            transitions=tuple(
                RecordedTransition(t.to, t.at, t.note, t.actor) for t in self.transitions
            ),
            description=self.description,
            assignment_group=self.assignment_group,
            assignee=self.assignee,
            workaround=self.workaround,
            resolution=self.resolution,
            causes_outage=self.causes_outage,
            opened_by=self.opened_by,
        )


@strawberry.input
class ImportIncidentsInput:
    source: str = strawberry.field(description="The tool the history comes from.")
    incidents: list[HistoricalIncidentInput]
    ci_source: str | None = strawberry.field(
        default=None,
        description="The source whose external ids `affectedCiIds` may use; default: `source`.",
    )


@strawberry.type(description="The number an imported incident has here.")
class ImportedIncident:
    external_id: str
    number: str


@strawberry.type
class ImportIncidentsPayload:
    created: int = strawberry.field(description="Incidents written by this import.")
    unchanged: int = strawberry.field(
        description="Incidents of the request that an earlier import wrote already (left as "
        "they are)."
    )
    incidents: list[ImportedIncident] = strawberry.field(
        description="Every incident of the request with its number, in the request's order."
    )
    errors: list[UserError] = strawberry.field(
        description="Every bad row, by index (`incidents[3].transitions[1].to`); nothing was "
        "written when there is any."
    )


@strawberry.type
class IncidentImportMutation:
    @strawberry.mutation(
        description="Imports incidents with their history (opened time, transitions) from the "
        "tool being replaced: checked whole first, idempotent per source and external id."
    )
    async def import_incidents(
        self, info: Info[Context, None], input: ImportIncidentsInput
    ) -> ImportIncidentsPayload:
        request = HistoryRequest(input.source, [row.to_row() for row in input.incidents])
        return await payload(
            info.context.repositories.incidents.import_history(
                request, info.context.actor, ci_source=input.ci_source
            ),
            done=lambda result: ImportIncidentsPayload(
                created=result.created,
                unchanged=result.unchanged,
                incidents=[
                    ImportedIncident(external_id=row.external_id, number=number)
                    for row in request.incidents
                    if (number := result.numbers.get(row.external_id)) is not None
                ],
                errors=[],
            ),
            refused=lambda errors: ImportIncidentsPayload(
                created=0, unchanged=0, incidents=[], errors=errors
            ),
        )
