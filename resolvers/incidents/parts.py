"""The parts of an incident as the API shows them: its transitions, impacted and excluded
services, and SLA clocks."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import domain
from graph.domain import ImpactSource, IncidentState, SlaKind, State
from resolvers._context import Context
from resolvers.changes.parts import gone
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["ExcludedService", "ImpactedService", "IncidentTransition", "SlaClock", "sla_clock"]


async def _service(info: Info[Context, None], service_id: str) -> ConfigurationItem:
    found = await info.context.ci_loader.load(service_id)
    if found is None:  # an edge always ends at a CI; a delete behind the product's back
        raise LookupError(f"CI {service_id} is gone")
    return to_graphql(found)


@strawberry.type(description="One recorded move of an incident between states.")
class IncidentTransition:
    from_state: IncidentState | None = strawberry.field(name="from")
    to_state: IncidentState = strawberry.field(name="to")
    at: datetime
    actor: str
    note: str | None


@strawberry.type(
    description="A service the incident impacts: computed from its affected CIs by the impact "
    "analysis (COMPUTED) or added by an agent (MANUAL)."
)
class ImpactedService:
    service_id: strawberry.Private[str]
    state: State
    reason: str
    source: ImpactSource
    added_by: str = strawberry.field(description="Who added it; for COMPUTED, whose write ran it.")
    added_at: datetime
    found: strawberry.Private[ConfigurationItem | None] = None
    """The service, worked out for the whole list (`service_cis`)."""

    # A plain function: the list worked its services out at once, nothing awaits per entry.
    @strawberry.field
    def service(self) -> ConfigurationItem:
        return gone(self.found, self.service_id)


@strawberry.type(description="A computed impacted service an agent excluded, and why.")
class ExcludedService:
    service_id: strawberry.Private[str]
    reason: str
    by: str
    at: datetime

    @strawberry.field
    async def service(self, info: Info[Context, None]) -> ConfigurationItem:
        return await _service(info, self.service_id)


@strawberry.type(description="One SLA clock of an incident, as of now (docs/sla.md).")
class SlaClock:
    kind: SlaKind
    target: str = strawberry.field(description='The target as text, e.g. "15 minutes".')
    target_seconds: int
    due_at: datetime | None = strawberry.field(
        description="When the target is (or was) reached; null while paused or once stopped."
    )
    remaining_seconds: int = strawberry.field(description="Negative once breached.")
    elapsed_seconds: int
    breached: bool
    breached_at: datetime | None
    paused: bool = strawberry.field(description="The resolution clock pauses ON_HOLD.")
    stopped_at: datetime | None


def sla_clock(clock: domain.SlaClock) -> SlaClock:
    return SlaClock(
        kind=clock.kind,
        target=str(clock.target),
        target_seconds=clock.target_seconds,
        due_at=clock.due_at,
        remaining_seconds=int(clock.remaining_seconds),
        elapsed_seconds=int(clock.elapsed_seconds),
        breached=clock.breached,
        breached_at=clock.breached_at,
        paused=clock.paused,
        stopped_at=clock.stopped_at,
    )
