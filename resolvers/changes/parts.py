"""The parts of a change as the API shows them: its transitions, impact snapshot, CAB
approvals, and the difference a recomputed snapshot makes."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import changes
from graph.domain import ChangeState, State
from resolvers._context import Context
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = [
    "ChangeApproval",
    "ChangeImpactedService",
    "ChangeTransition",
    "ImpactDifference",
    "ServiceStateChange",
    "to_difference",
    "to_impacted",
]


async def _service(info: Info[Context, None], service_id: str) -> ConfigurationItem:
    found = await info.context.ci_loader.load(service_id)
    if found is None:  # an edge always ends at a CI; a delete behind the product's back
        raise LookupError(f"CI {service_id} is gone")
    return to_graphql(found)


@strawberry.type(description="One recorded move of a change between states.")
class ChangeTransition:
    from_state: ChangeState | None = strawberry.field(name="from")
    to_state: ChangeState = strawberry.field(name="to")
    at: datetime
    actor: str
    note: str | None


@strawberry.type(
    description="A service of the change's impact snapshot: its state if the targets fail "
    "(redundancy-aware), and why."
)
class ChangeImpactedService:
    service_id: strawberry.Private[str]
    state: State
    reason: str

    @strawberry.field
    async def service(self, info: Info[Context, None]) -> ConfigurationItem:
        return await _service(info, self.service_id)


@strawberry.type(description="One CAB member's decision on a change in AUTHORIZE.")
class ChangeApproval:
    id: strawberry.ID
    approver: str
    decision: str = strawberry.field(description="APPROVED or REJECTED.")
    comment: str | None
    at: datetime


@strawberry.type(description="A service whose state a recomputed snapshot moved.")
class ServiceStateChange:
    service_id: strawberry.Private[str]
    before: State
    after: State

    @strawberry.field
    async def service(self, info: Info[Context, None]) -> ConfigurationItem:
        return await _service(info, self.service_id)


@strawberry.type(description="What a recomputed impact snapshot changed.")
class ImpactDifference:
    added: list[ChangeImpactedService]
    removed: list[ChangeImpactedService]
    changed: list[ServiceStateChange]


def to_impacted(i: changes.ChangeImpact) -> ChangeImpactedService:
    return ChangeImpactedService(service_id=i.service_id, state=i.state, reason=i.reason)


def to_difference(d: changes.ImpactDifference) -> ImpactDifference:
    return ImpactDifference(
        added=[to_impacted(i) for i in d.added],
        removed=[to_impacted(i) for i in d.removed],
        changed=[
            ServiceStateChange(service_id=c.service_id, before=c.before, after=c.after)
            for c in d.changed
        ],
    )
