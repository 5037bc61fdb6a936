"""The parts of a change as the API shows them: its transitions, impact snapshot, CAB
approvals, and the difference a recomputed snapshot makes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import changes
from graph.domain import CI, ChangeState, CIClass, State
from resolvers._context import Context
from resolvers.cis.lookahead import selects, selects_only_summary_below
from resolvers.cis.types import ConfigurationItem, to_graphql, to_summary

__all__ = [
    "ChangeApproval",
    "ChangeImpactedService",
    "ChangeTransition",
    "ImpactDifference",
    "ServiceStateChange",
    "impacted_list",
    "service_cis",
    "to_difference",
    "to_impacted",
]


async def _service(info: Info[Context, None], service_id: str) -> ConfigurationItem:
    found = await info.context.ci_loader.load(service_id)
    if found is None:  # an edge always ends at a CI; a delete behind the product's back
        raise LookupError(f"CI {service_id} is gone")
    return to_graphql(found)


async def service_cis(
    info: Info[Context, None], service_ids: Sequence[str]
) -> list[ConfigurationItem | None]:
    """The `service` of each entry of a list of impacted services (the field `info` resolves),
    in order, worked out for the whole list at once: nothing when the query does not ask for
    it; built from the services' names and classes (one light batched read) when it asks only
    `SUMMARY_FIELDS` of them; else the CIs read whole (one batched read). A snapshot lists
    thousands of services under a shared database: one resolver per entry, each awaiting its
    CI, cost more than everything else of the answer."""
    selected = info.selected_fields
    if not service_ids or not selects(selected, (), "service"):
        return [None] * len(service_ids)
    ids = list(service_ids)
    if selects_only_summary_below(selected, ("service",)):
        summaries = await info.context.ci_summary_loader.load(tuple(ids))
        return [_summary(i, s) for i, s in zip(ids, summaries, strict=True)]
    found = await info.context.ci_loader.load_many(ids)
    return [_whole(i, ci) for i, ci in zip(ids, found, strict=True)]


def _summary(service_id: str, found: tuple[str, CIClass] | None) -> ConfigurationItem:
    if found is None:  # a snapshot names CIs of the graph; a delete behind the product's back
        raise LookupError(f"CI {service_id} is gone")
    return to_summary(service_id, found[0], found[1])


def _whole(service_id: str, found: CI | None) -> ConfigurationItem:
    if found is None:
        raise LookupError(f"CI {service_id} is gone")
    return to_graphql(found)


def gone(service: ConfigurationItem | None, service_id: str) -> ConfigurationItem:
    """The service worked out by `service_cis` (None only when it was not asked for)."""
    if service is None:
        raise LookupError(f"the service {service_id} was not read")
    return service


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
    found: strawberry.Private[ConfigurationItem | None] = None
    """The service, worked out for the whole list (`service_cis`)."""

    # A plain function: the list worked its services out at once, nothing awaits per entry.
    @strawberry.field
    def service(self) -> ConfigurationItem:
        return gone(self.found, self.service_id)


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
    stored: strawberry.Private[changes.ImpactDifference]
    changed: list[ServiceStateChange]

    @strawberry.field
    async def added(self, info: Info[Context, None]) -> list[ChangeImpactedService]:
        return await impacted_list(info, self.stored.added)

    @strawberry.field
    async def removed(self, info: Info[Context, None]) -> list[ChangeImpactedService]:
        return await impacted_list(info, self.stored.removed)


async def impacted_list(
    info: Info[Context, None], impacts: Sequence[changes.ChangeImpact]
) -> list[ChangeImpactedService]:
    """The list field `info` resolves, of `impacts`, with their services worked out at once."""
    services = await service_cis(info, [i.service_id for i in impacts])
    return [to_impacted(i, s) for i, s in zip(impacts, services, strict=True)]


def to_impacted(
    i: changes.ChangeImpact, found: ConfigurationItem | None = None
) -> ChangeImpactedService:
    return ChangeImpactedService(
        service_id=i.service_id, state=i.state, reason=i.reason, found=found
    )


def to_difference(d: changes.ImpactDifference) -> ImpactDifference:
    return ImpactDifference(
        stored=d,
        changed=[
            ServiceStateChange(service_id=c.service_id, before=c.before, after=c.after)
            for c in d.changed
        ],
    )
