"""GraphQL types of changes (docs/concepts.md, "Change enablement"; docs/api.md, "Changes"):
the change, its targets, impact snapshot, transitions and CAB approvals. Its risk and conflicts
come from `ChangeAssessmentFields` (`assessment.py`)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import changes
from graph.domain import CHANGE_TRANSITIONS, ChangeOutcome, ChangeState, ChangeType
from resolvers._context import Context
from resolvers._pagination import (
    CountedConnection,
    Edge,
)
from resolvers.changes.assessment import ChangeAssessmentFields
from resolvers.changes.caused import CausedIncident, caused_incidents
from resolvers.changes.parts import (
    ChangeApproval,
    ChangeImpactedService,
    ChangeTransition,
    impacted_list,
)
from resolvers.cis.history import AuditEventConnection, history_page
from resolvers.cis.types import ConfigurationItem, Node, to_graphql
from resolvers.releases.types import Release, to_release

__all__ = ["Change", "ChangeConnection", "ChangeEdge", "to_change"]


@strawberry.type(description="A request for change (RFC), from DRAFT to CLOSED.")
class Change(ChangeAssessmentFields, Node):
    stored: strawberry.Private[changes.Change]
    id: strawberry.ID
    number: str = strawberry.field(description="CHG0001001 upward, never reused.")
    title: str
    description: str | None
    type: ChangeType
    state: ChangeState
    assignee: str | None
    assignment_group: str | None
    implementation_plan: str | None
    backout_plan: str | None
    test_plan: str | None
    planned_start: datetime | None
    planned_end: datetime | None
    actual_start: datetime | None = strawberry.field(description="When IMPLEMENT was entered.")
    actual_end: datetime | None = strawberry.field(description="When REVIEW was entered.")
    outcome: ChangeOutcome | None
    opened_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int = strawberry.field(description="Increases with every change.")
    assessed_at: datetime | None = strawberry.field(
        description="When the impact snapshot was last taken."
    )
    target_ci_ids: list[strawberry.ID]
    impacted_ci_ids: list[strawberry.ID] = strawberry.field(
        description="Every CI in the impact closure of the targets, targets included."
    )
    transitions: list[ChangeTransition] = strawberry.field(description="Oldest first.")
    approvals: list[ChangeApproval] = strawberry.field(description="Oldest first.")
    authorised: bool = strawberry.field(
        description="Standard changes are pre-authorised; others once the CAB's approvals "
        "reached the number required."
    )

    @strawberry.field(
        description="The states `transitionChange` may move it to now, as its type allows, in "
        "the order of the transition table (docs/concepts.md#change-enablement); the CAB's "
        "`approveChange` and `rejectChange` move a change out of AUTHORIZE besides."
    )
    def next_states(self) -> list[ChangeState]:
        return list(CHANGE_TRANSITIONS[self.stored.change_type][self.stored.state])

    @strawberry.field(description="The CIs the change is made to.")
    async def targets(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        found = await info.context.ci_loader.load_many(list(self.stored.target_ci_ids))
        return [to_graphql(ci) for ci in found if ci is not None]

    @strawberry.field(
        description="The business and technical services of the impact snapshot, most "
        "critical first; empty until assessed."
    )
    async def impacted_services(self, info: Info[Context, None]) -> list[ChangeImpactedService]:
        return await impacted_list(info, self.stored.impacted)

    @strawberry.field(description="How many CIs the impact closure holds, targets included.")
    def impacted_ci_count(self) -> int:
        return len(self.stored.impacted_ci_ids)

    @strawberry.field(description="CAB approvals a normal or emergency change needs.")
    def required_approvals(self, info: Info[Context, None]) -> int:
        if self.stored.change_type is ChangeType.STANDARD:
            return 0
        return info.context.repositories.changes.required_approvals

    @strawberry.field(description="The change's audit trail, newest first.")
    async def history(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> AuditEventConnection:
        return await history_page(info, str(self.id), first, after, record=True)

    @strawberry.field(description="The incidents linked as caused by this change, by number.")
    async def caused_incidents(self, info: Info[Context, None]) -> list[CausedIncident]:
        return await caused_incidents(info, self.stored)

    @strawberry.field(description="The release that bundles this change, if any.")
    async def release(self, info: Info[Context, None]) -> Release | None:
        found = await info.context.release_of_change_loader.load(self.stored.id)
        return to_release(found) if found else None


@strawberry.type
class ChangeEdge(Edge[Change]):
    pass


@strawberry.type(description="A page of changes.")
class ChangeConnection(CountedConnection[ChangeEdge]):
    pass


def to_change(c: changes.Change) -> Change:
    return Change(
        stored=c,
        id=strawberry.ID(c.id),
        number=c.number,
        title=c.title,
        description=c.description,
        type=c.change_type,
        state=c.state,
        assignee=c.assignee,
        assignment_group=c.assignment_group,
        implementation_plan=c.implementation_plan,
        backout_plan=c.backout_plan,
        test_plan=c.test_plan,
        planned_start=c.planned_start,
        planned_end=c.planned_end,
        actual_start=c.actual_start,
        actual_end=c.actual_end,
        outcome=c.outcome,
        opened_at=c.opened_at,
        updated_at=c.updated_at,
        created_by=c.created_by,
        updated_by=c.updated_by,
        version=c.version,
        assessed_at=c.assessed_at,
        target_ci_ids=[strawberry.ID(i) for i in c.target_ci_ids],
        impacted_ci_ids=[strawberry.ID(i) for i in c.impacted_ci_ids],
        transitions=[
            ChangeTransition(
                from_state=t.from_state, to_state=t.to_state, at=t.at, actor=t.actor, note=t.note
            )
            for t in c.transitions
        ],
        approvals=[
            ChangeApproval(
                id=strawberry.ID(a.id),
                approver=a.approver,
                decision=a.decision,
                comment=a.comment,
                at=a.at,
            )
            for a in c.approvals
        ],
        authorised=c.authorised,
    )
