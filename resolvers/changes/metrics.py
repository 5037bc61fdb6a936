"""Review metrics and caused incidents (docs/api.md, "Caused incidents and suspected changes";
docs/changes.md, "Success score and change failure rate"): linking an incident to the change
that caused it, the change success scores and the change failure rate of a period."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph import changes
from graph.domain import Priority, SuccessGroupBy
from graph.domain import SuccessScore as StoredScore
from resolvers._context import Context
from resolvers._errors import UserError, bad_request_on_refusal, payload
from resolvers.changes.answers import change_number
from resolvers.changes.types import Change, to_change
from resolvers.cis.types import ConfigurationItem, to_graphql
from resolvers.incidents.answers import incident_number
from resolvers.incidents.types import Incident, to_incident

__all__ = [
    "CausedIncidentCounts",
    "ChangeFailureRate",
    "ChangeMetricsQuery",
    "ChangeSuccessScore",
    "IncidentCauseMutation",
    "LinkIncidentToChangePayload",
    "UnlinkIncidentFromChangePayload",
]


@strawberry.type(description="Incidents the changes caused, by priority.")
class CausedIncidentCounts:
    p1: int = strawberry.field(name="P1")
    p2: int = strawberry.field(name="P2")
    p3: int = strawberry.field(name="P3")
    p4: int = strawberry.field(name="P4")
    p5: int = strawberry.field(name="P5")


@strawberry.type(
    description="The success score of the closed changes sharing a key (docs/changes.md, "
    "'Success score and change failure rate')."
)
class ChangeSuccessScore:
    key: str | None = strawberry.field(
        description="The assignment group, change type or CI id; null for changes without "
        "an assignment group."
    )
    score: float = strawberry.field(
        description="0..100: the mean of each change's points, +3 -> 100, -15 or less -> 0."
    )
    points: int = strawberry.field(description="ServiceNow's raw sum of the points.")
    changes: int
    successful: int
    with_issues: int
    failed: int
    backed_out: int
    caused_incidents: CausedIncidentCounts

    @strawberry.field(description="The CI, when grouped by CI.")
    async def ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        if self.key is None or self.group_by is not SuccessGroupBy.CI:
            return None
        found = await info.context.ci_loader.load(self.key)
        return to_graphql(found) if found else None

    group_by: strawberry.Private[SuccessGroupBy]


@strawberry.type(description="The change failure rate of a period (DORA).")
class ChangeFailureRate:
    rate: float | None = strawberry.field(
        description="failed / total, 0..1; null when no change closed in the period."
    )
    failed: int = strawberry.field(
        description="Closed changes that failed, were backed out or caused an incident."
    )
    total: int = strawberry.field(description="Changes closed in the period (by actualEnd).")
    changes: list[Change] = strawberry.field(description="The failing ones, by number.")


def _score(s: StoredScore, group_by: SuccessGroupBy) -> ChangeSuccessScore:
    counts = s.caused_incidents
    return ChangeSuccessScore(
        key=s.key,
        score=s.score or 0.0,
        points=s.points,
        changes=s.changes,
        successful=s.successful,
        with_issues=s.with_issues,
        failed=s.failed,
        backed_out=s.backed_out,
        caused_incidents=CausedIncidentCounts(
            p1=counts[Priority.P1],
            p2=counts[Priority.P2],
            p3=counts[Priority.P3],
            p4=counts[Priority.P4],
            p5=counts[Priority.P5],
        ),
        group_by=group_by,
    )


@strawberry.type
class ChangeMetricsQuery:
    @strawberry.field(
        description="One success score per assignment group, change type or target CI over "
        "the changes closed (by actualEnd) in [from, to), lowest score first."
    )
    async def change_success_scores(
        self,
        info: Info[Context, None],
        group_by: SuccessGroupBy,
        start: Annotated[datetime, strawberry.argument(name="from")],
        end: Annotated[datetime, strawberry.argument(name="to")],
    ) -> list[ChangeSuccessScore]:
        with bad_request_on_refusal():
            found = await info.context.repositories.changes.success_scores(group_by, start, end)
        return [_score(s, group_by) for s in found]

    @strawberry.field(
        description="The changes closed (by actualEnd) in [from, to) that failed, were backed "
        "out or caused an incident, over all of them."
    )
    async def change_failure_rate(
        self,
        info: Info[Context, None],
        start: Annotated[datetime, strawberry.argument(name="from")],
        end: Annotated[datetime, strawberry.argument(name="to")],
    ) -> ChangeFailureRate:
        with bad_request_on_refusal():
            found = await info.context.repositories.changes.failure_rate(start, end)
        return ChangeFailureRate(
            rate=found.rate.rate,
            failed=len(found.rate.failed),
            total=found.rate.total,
            changes=[to_change(c) for c in found.failed],
        )


@strawberry.input(description="Links an incident to the implemented change that caused it.")
class LinkIncidentToChangeInput:
    incident_number: str
    change_number: str = strawberry.field(description="In IMPLEMENT, REVIEW or CLOSED.")
    note: str | None = strawberry.field(default=None, description="Why; at most 2,000.")


@strawberry.input(description="Takes back the link of an incident to its causing change.")
class UnlinkIncidentFromChangeInput:
    incident_number: str
    change_number: str


@strawberry.type
class LinkIncidentToChangePayload:
    incident: Incident | None = strawberry.field(description="Null if refused.")
    change: Change | None = strawberry.field(description="Null if refused.")
    errors: list[UserError]


@strawberry.type
class UnlinkIncidentFromChangePayload:
    incident: Incident | None = strawberry.field(description="Null if refused.")
    change: Change | None = strawberry.field(description="Null if refused.")
    errors: list[UserError]


def _link(link: changes.CauseLink) -> changes.CauseLink | list[UserError]:
    return link


def _refused(errors: list[UserError]) -> changes.CauseLink | list[UserError]:
    return errors


async def _records(
    info: Info[Context, None], link: changes.CauseLink
) -> tuple[Incident | None, Change | None]:
    incident = await info.context.incident_loader.load(link.incident_id)
    [change] = await info.context.repositories.changes.get_many([link.change_id])
    return (
        to_incident(incident) if incident else None,
        to_change(change) if change else None,
    )


@strawberry.type
class IncidentCauseMutation:
    @strawberry.mutation(
        description="Links the incident as caused by the change. Refused (nothing written): "
        "an unknown incident or change (NOT_FOUND); a change not implemented, an incident "
        "opened before the change was implemented, or one already caused by another change, "
        "named (CONFLICT); a note over 2,000 characters (TOO_LONG)."
    )
    async def link_incident_to_change(
        self, info: Info[Context, None], input: LinkIncidentToChangeInput
    ) -> LinkIncidentToChangePayload:
        work = info.context.repositories.changes.link_incident(
            incident_number(input.incident_number),
            change_number(input.change_number),
            input.note,
            info.context.actor,
        )
        link = await payload(work, done=_link, refused=_refused)
        if isinstance(link, list):
            return LinkIncidentToChangePayload(incident=None, change=None, errors=link)
        incident, change = await _records(info, link)
        return LinkIncidentToChangePayload(incident=incident, change=change, errors=[])

    @strawberry.mutation(
        description="Takes back the link of the incident to the change. Refused (nothing "
        "written): an unknown incident or change, or an incident not linked to it (NOT_FOUND)."
    )
    async def unlink_incident_from_change(
        self, info: Info[Context, None], input: UnlinkIncidentFromChangeInput
    ) -> UnlinkIncidentFromChangePayload:
        work = info.context.repositories.changes.unlink_incident(
            incident_number(input.incident_number),
            change_number(input.change_number),
            info.context.actor,
        )
        link = await payload(work, done=_link, refused=_refused)
        if isinstance(link, list):
            return UnlinkIncidentFromChangePayload(incident=None, change=None, errors=link)
        incident, change = await _records(info, link)
        return UnlinkIncidentFromChangePayload(incident=incident, change=change, errors=[])
