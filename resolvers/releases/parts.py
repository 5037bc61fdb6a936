"""The parts of a release as the API shows them: its changes, its transitions and the services
it impacts."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import releases
from graph.domain import ChangeState, ChangeType, ReleaseState, State
from resolvers._context import Context
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = [
    "ReleaseChange",
    "ReleaseImpactedService",
    "ReleaseTransition",
    "to_release_change",
]


@strawberry.type(description="One recorded move of a release between states.")
class ReleaseTransition:
    from_state: ReleaseState | None = strawberry.field(name="from")
    to_state: ReleaseState = strawberry.field(name="to")
    at: datetime
    actor: str
    note: str | None


@strawberry.type(description="A change a release holds, as the release manager sees it.")
class ReleaseChange:
    id: strawberry.ID
    number: str
    title: str
    type: ChangeType
    state: ChangeState
    authorised: bool = strawberry.field(
        description="Scheduled or further on (SCHEDULED, IMPLEMENT, REVIEW, CLOSED): the "
        "release may deploy it."
    )
    planned_start: datetime | None
    planned_end: datetime | None
    target_ci_ids: list[strawberry.ID]


def to_release_change(c: releases.IncludedChange) -> ReleaseChange:
    return ReleaseChange(
        id=strawberry.ID(c.id),
        number=c.number,
        title=c.title,
        type=c.change_type,
        state=c.state,
        authorised=c.authorised,
        planned_start=c.planned_start,
        planned_end=c.planned_end,
        target_ci_ids=[strawberry.ID(t) for t in c.target_ci_ids],
    )


@strawberry.type(
    description="A service the release impacts: the worst state its changes' impact snapshots "
    "give it (DOWN over DEGRADED), with the reason of the first change giving that state, and "
    "every change whose snapshot lists it."
)
class ReleaseImpactedService:
    service_id: strawberry.Private[str]
    state: State
    reason: str
    changes: list[ReleaseChange]

    @strawberry.field
    async def service(self, info: Info[Context, None]) -> ConfigurationItem:
        found = await info.context.ci_loader.load(self.service_id)
        if found is None:  # an edge always ends at a CI; a delete behind the product's back
            raise LookupError(f"CI {self.service_id} is gone")
        return to_graphql(found)
