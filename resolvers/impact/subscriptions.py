"""`impactChanged`: a watched service's computed state changed because an incident opened,
was resolved or changed its affected CIs, or the topology changed (docs/subscriptions.md)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from graph.domain import State
from graph.events import SERVICE_STATES, ServiceStates
from resolvers._context import Context
from resolvers._subscriptions import SubscriptionEnded, check_watched, watching
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["ImpactChange", "ImpactSubscription"]


@strawberry.type(description="A service whose computed state changed.")
class ImpactChange:
    service: ConfigurationItem
    state: State = strawberry.field(description="Its state now.")
    previous_state: State | None = strawberry.field(
        description="Its state before the write; null in the first messages, which give each "
        "watched service's state when subscribing."
    )
    operation: str | None = strawberry.field(
        description="The mutation that changed it; null in the first messages."
    )
    actor: str | None


@strawberry.type
class ImpactSubscription:
    @strawberry.subscription(
        description="Each change of a watched service's computed state: the impact analysis "
        "with every CI affected by an open incident that causes an outage failed. The first "
        "messages give each watched service's state when subscribing (previousState null), "
        "in the order of serviceIds."
    )
    async def impact_changed(
        self, info: Info[Context, None], service_ids: list[strawberry.ID]
    ) -> AsyncGenerator[ImpactChange, None]:
        ids = list(dict.fromkeys(str(i) for i in service_ids))
        check_watched("serviceIds", ids)
        if not ids:
            raise SubscriptionEnded("serviceIds: give at least one service", "BAD_USER_INPUT")
        repositories = info.context.repositories
        found = await repositories.cis.get_many(ids)
        missing = [i for i, ci in zip(ids, found, strict=True) if ci is None]
        if missing:
            raise SubscriptionEnded(f"serviceIds: no CI has the id {missing[0]}", "BAD_USER_INPUT")
        # Subscribed before the starting point is read: no write committed after it is missed.
        async with watching(info.context, SERVICE_STATES) as stream:
            start = ServiceStates(await repositories.service_states.current(), "", "")
            last = {i: start.state_of(i) for i in ids}
            for service_id, ci in zip(ids, found, strict=True):
                assert ci is not None
                yield ImpactChange(
                    service=to_graphql(ci),
                    state=last[service_id],
                    previous_state=None,
                    operation=None,
                    actor=None,
                )
            async for event in stream:
                for change in _changes(ids, last, event):
                    service = await info.context.ci_loader.load(change[0])
                    if service is not None:  # deleted meanwhile: nothing to show
                        yield ImpactChange(
                            service=to_graphql(service),
                            state=change[2],
                            previous_state=change[1],
                            operation=event.operation,
                            actor=event.actor,
                        )


def _changes(
    ids: list[str], last: dict[str, State], event: ServiceStates
) -> list[tuple[str, State, State]]:
    """The watched services whose state differs from the last one seen: (id, before, now);
    `last` is brought up to date."""
    changed = []
    for service_id in ids:
        state = event.state_of(service_id)
        if state is not last[service_id]:
            changed.append((service_id, last[service_id], state))
            last[service_id] = state
    return changed
