"""GraphQL types of releases (docs/concepts.md, "Release management"; docs/api.md,
"Releases"): the release, its changes, transitions and the union of their impact."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import releases
from graph.domain import ReleaseState, ReleaseType
from resolvers._context import Context
from resolvers._pagination import (
    CountedConnection,
    Edge,
)
from resolvers.cis.history import AuditEventConnection, history_page
from resolvers.cis.types import ConfigurationItem, Node, to_graphql
from resolvers.releases.parts import (
    ReleaseChange,
    ReleaseImpactedService,
    ReleaseTransition,
    to_release_change,
)

__all__ = ["Release", "ReleaseConnection", "ReleaseEdge", "to_release"]


@strawberry.type(description="Changes bundled to be built, tested and deployed together.")
class Release(Node):
    stored: strawberry.Private[releases.Release]
    id: strawberry.ID
    number: str = strawberry.field(description="REL0001001 upward, never reused.")
    name: str
    version: str = strawberry.field(description="The release's own version, e.g. 2.4.0.")
    type: ReleaseType
    state: ReleaseState
    description: str | None
    planned_start: datetime | None
    planned_end: datetime | None
    rollback_plan: str | None
    rollback_note: str | None = strawberry.field(description="Why it was rolled back.")
    created_at: datetime
    updated_at: datetime
    deployed_at: datetime | None = strawberry.field(description="When it entered DEPLOY.")
    closed_at: datetime | None
    rolled_back_at: datetime | None
    created_by: str
    updated_by: str
    revision: int = strawberry.field(description="Increases with every change of the release.")
    change_numbers: list[str]
    changes: list[ReleaseChange] = strawberry.field(description="By number.")
    deployed_ci_ids: list[strawberry.ID]
    deployed_cis_given: bool = strawberry.field(
        description="False: the deployed CIs are the union of the changes' targets, kept so "
        "as changes come and go."
    )
    transitions: list[ReleaseTransition] = strawberry.field(description="Oldest first.")
    impacted_ci_count: int = strawberry.field(
        description="CIs in the union of the changes' impact closures, targets included."
    )

    @strawberry.field(description="The CIs the release deploys.")
    async def deployed_cis(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        found = await info.context.ci_loader.load_many(list(self.stored.deployed_ci_ids))
        return [to_graphql(ci) for ci in found if ci is not None]

    @strawberry.field(
        description="The union of the changes' impact snapshots: each service once, in its "
        "worst state, with the changes that impact it; most critical services first."
    )
    def impacted_services(self) -> list[ReleaseImpactedService]:
        by_number = {c.number: c for c in self.changes}
        return [
            ReleaseImpactedService(
                service_id=i.service_id,
                state=i.state,
                reason=i.reason,
                changes=[by_number[n] for n in i.change_numbers],
            )
            for i in self.stored.impacted_services
        ]

    @strawberry.field(description="The release's audit trail, newest first.")
    async def history(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> AuditEventConnection:
        return await history_page(info, str(self.id), first, after, record=True)


@strawberry.type
class ReleaseEdge(Edge[Release]):
    pass


@strawberry.type(description="A page of releases, newest first.")
class ReleaseConnection(CountedConnection[ReleaseEdge]):
    pass


def to_release(r: releases.Release) -> Release:
    return Release(
        stored=r,
        id=strawberry.ID(r.id),
        number=r.number,
        name=r.name,
        version=r.version,
        type=r.release_type,
        state=r.state,
        description=r.description,
        planned_start=r.planned_start,
        planned_end=r.planned_end,
        rollback_plan=r.rollback_plan,
        rollback_note=r.rollback_note,
        created_at=r.created_at,
        updated_at=r.updated_at,
        deployed_at=r.deployed_at,
        closed_at=r.closed_at,
        rolled_back_at=r.rolled_back_at,
        created_by=r.created_by,
        updated_by=r.updated_by,
        revision=r.revision,
        change_numbers=list(r.change_numbers),
        changes=[to_release_change(c) for c in r.changes],
        deployed_ci_ids=[strawberry.ID(c) for c in r.deployed_ci_ids],
        deployed_cis_given=r.deployed_cis_given,
        transitions=[
            ReleaseTransition(
                from_state=t.from_state, to_state=t.to_state, at=t.at, actor=t.actor, note=t.note
            )
            for t in r.transitions
        ],
        impacted_ci_count=r.impacted_ci_count,
    )
