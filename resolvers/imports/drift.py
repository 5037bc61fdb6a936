"""`dependencyDrift(source, days)`: declared dependencies a tracing source did not observe,
and observed ones nobody declared (docs/discovery.md, "Dependency drift")."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph.imports import discovery
from resolvers._context import Context
from resolvers._errors import bad_request_on_refusal
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["DependencyDrift", "DriftDependency", "DriftQuery"]


@strawberry.type(description="A dependency between two CIs that are not load balancers.")
class DriftDependency:
    stored: strawberry.Private[discovery.DriftDependency]
    declared_by: list[str] = strawberry.field(
        description="Declared: the source of each edge of the declared path ('' for an edge "
        "made by hand); empty for an observed dependency."
    )
    call_count: int | None = strawberry.field(description="Observed: the calls counted.")
    error_count: int | None = strawberry.field(
        description="Observed: the failed calls (null when the source counts none)."
    )
    confidence: float | None = strawberry.field(description="Observed: the edge's confidence.")
    observed_at: datetime | None = strawberry.field(description="Observed: last reported.")

    @strawberry.field(name="from", description="The dependent CI.")
    async def from_ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        found = await info.context.ci_loader.load(self.stored.from_id)
        return to_graphql(found) if found else None

    @strawberry.field(name="to", description="The CI depended on.")
    async def to_ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        found = await info.context.ci_loader.load(self.stored.to_id)
        return to_graphql(found) if found else None

    @strawberry.field(
        description="Declared: the load balancers (Kubernetes Services, Ingresses) between."
    )
    async def via(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        found = await info.context.ci_loader.load_many(list(self.stored.via))
        return [to_graphql(ci) for ci in found if ci is not None]


@strawberry.type(description="What is declared and what a tracing source observes, compared.")
class DependencyDrift:
    source: str
    days: int
    since: datetime = strawberry.field(description="The window's start: now - days.")
    declared_not_observed: list[DriftDependency] = strawberry.field(
        description="Declared between CIs the source has seen, not observed in the window."
    )
    observed_not_declared: list[DriftDependency] = strawberry.field(
        description="Observed in the window, declared by no other source."
    )


def _dependency(d: discovery.DriftDependency) -> DriftDependency:
    return DriftDependency(
        stored=d,
        declared_by=list(d.declared_by),
        call_count=d.call_count,
        error_count=d.error_count,
        confidence=d.confidence,
        observed_at=d.observed_at,
    )


@strawberry.type
class DriftQuery:
    @strawberry.field(
        description="Declared dependencies the observing `source` (e.g. traces) did not see in "
        "the last `days` days, and the dependencies it saw that nobody declared."
    )
    async def dependency_drift(
        self, info: Info[Context, None], source: str, days: int = 7
    ) -> DependencyDrift:
        with bad_request_on_refusal():
            found = await info.context.repositories.drift.drift(source, days)
        return DependencyDrift(
            source=found.source,
            days=found.days,
            since=found.since,
            declared_not_observed=[_dependency(d) for d in found.declared_not_observed],
            observed_not_declared=[_dependency(d) for d in found.observed_not_declared],
        )
