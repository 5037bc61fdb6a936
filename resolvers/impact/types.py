"""GraphQL types for impact analysis (docs/concepts.md, "Impact questions"; docs/api.md)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import strawberry
from strawberry.types import Info

from graph import impact
from graph.domain import CI, RelationType, State
from resolvers._context import Context
from resolvers._errors import BadRequest
from resolvers._pagination import (
    CountedConnection,
    Edge,
    check_first,
    decode_cursor,
    encode_cursor,
    page_info,
)
from resolvers.cis.lookahead import selects_only_summary, selects_only_summary_below
from resolvers.cis.types import ConfigurationItem, to_graphql, to_summary

__all__ = [
    "CostShare",
    "DependencyEdge",
    "DependencyNode",
    "DependencyPath",
    "ImpactReport",
    "ImpactedCI",
    "ImpactedCIConnection",
    "ImpactedCIEdge",
    "OutageSimulation",
    "RecoveryPlan",
    "RecoveryStep",
    "RootCauseCandidate",
    "ServiceCost",
    "ServiceMap",
    "ServiceOutcome",
    "cis_or_summaries",
    "impacted_cis",
    "load_cis",
]


async def load_cis(info: Info[Context, None], ids: list[str]) -> list[ConfigurationItem]:
    """The CIs with these ids, in order (those deleted meanwhile left out): one batched load."""
    found: list[CI | None] = await info.context.ci_loader.load_many(ids)
    return [to_graphql(ci) for ci in found if ci is not None]


async def load_ci(info: Info[Context, None], ci_id: str) -> ConfigurationItem | None:
    found = await info.context.ci_loader.load(ci_id)
    return to_graphql(found) if found else None


async def cis_or_summaries(
    info: Info[Context, None], summaries: Sequence[impact.CISummary], whole: bool
) -> list[ConfigurationItem | None]:
    """The CIs, read from Neo4j in one batch when the query asks more of them than the
    projection knows (`whole`), else built from what it knows, without a round trip. Given
    whole to the types that show them, so that no field of theirs waits on a resolver."""
    if not whole:
        return [to_summary(s.id, s.name, s.ci_class) for s in summaries]
    found: list[CI | None] = await info.context.ci_loader.load_many([s.id for s in summaries])
    return [to_graphql(ci) if ci is not None else None for ci in found]


@strawberry.type(description="A CI impacted by a change or failure.")
class ImpactedCI:
    found: strawberry.Private[impact.ImpactedCI]
    ci: ConfigurationItem | None
    depth: int = strawberry.field(description="Hops from the nearest changed CI.")

    @strawberry.field(description="DOWN or DEGRADED, redundancy-aware (docs/concepts.md#states).")
    def state(self) -> State:
        return self.found.state

    @strawberry.field(
        description="Why this state, e.g. 'pool web: 1 of 3 members affected, 2 needed, 2 remain'."
    )
    def reason(self) -> str:
        return self.found.reason

    @strawberry.field(
        description="One shortest explaining path: from a changed CI to this one, each CI "
        "depending on the one before it."
    )
    async def path(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.found.path))

    @strawberry.field(description="The dependencies that caused the state.")
    async def causes(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.found.cause_ids))


@strawberry.type
class ImpactedCIEdge(Edge[ImpactedCI]):
    pass


@strawberry.type
class ImpactedCIConnection(CountedConnection[ImpactedCIEdge]):
    pass


@strawberry.type(description="What a change or failure of some CIs touches.")
class ImpactReport:
    analysis: strawberry.Private[impact.ImpactAnalysis]
    count: int = strawberry.field(description="How many CIs are impacted.")
    truncated: bool = strawberry.field(
        description="True when the depth limit cut the traversal: more CIs lie beyond it."
    )
    max_depth: int
    unknown_ci_ids: list[strawberry.ID] = strawberry.field(
        description="Given ids that name no CI in scope (unknown, or retired unless "
        "includeRetired)."
    )

    @strawberry.field(description="The given CIs found in the graph.")
    async def changed(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.analysis.changed))

    @strawberry.field(
        description="Business and technical services among the changed and impacted CIs, "
        "most critical first."
    )
    async def services(self, info: Info[Context, None]) -> list[ImpactedCI]:
        whole = not selects_only_summary_below(info.selected_fields, ("ci",))
        return await impacted_cis(info, self.analysis.services, whole)

    @strawberry.field(description="Every impacted CI, nearest first, a page at a time.")
    async def impacted(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> ImpactedCIConnection:
        size = check_first(first)
        start = 0
        if after:
            depth, index = decode_cursor(after, 2)
            if not (depth.isdigit() and index.isdigit()):
                raise BadRequest(f"'{after}' is not a cursor this API returned")
            start = int(index) + 1
        chosen = await impacted_cis(
            info,
            self.analysis.impacted(start, size),
            not selects_only_summary(info.selected_fields, "ci"),
        )
        edges = [
            ImpactedCIEdge(cursor=encode_cursor(str(item.depth), str(start + i)), node=item)
            for i, item in enumerate(chosen)
        ]
        has_next = start + size < self.analysis.count
        return ImpactedCIConnection(
            edges=edges, page_info=page_info(edges, has_next, start > 0), count=self.analysis.count
        )


async def impacted_cis(
    info: Info[Context, None], items: Sequence[impact.ImpactedCI], whole: bool
) -> list[ImpactedCI]:
    cis = await cis_or_summaries(info, [item.ci for item in items], whole)
    return [
        ImpactedCI(found=item, ci=ci, depth=item.depth) for item, ci in zip(items, cis, strict=True)
    ]


@strawberry.type
class DependencyNode:
    ci_id: strawberry.Private[str]
    depth: int

    @strawberry.field
    async def ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        return await load_ci(info, self.ci_id)


@strawberry.type
class DependencyEdge:
    from_id: strawberry.ID = strawberry.field(name="from")
    to_id: strawberry.ID = strawberry.field(name="to")
    type: RelationType
    redundancy_group: str | None


@strawberry.type(description="A CI's dependencies as nodes and edges a UI can draw directly.")
class ServiceMap:
    root_id: strawberry.ID
    nodes: list[DependencyNode]
    edges: list[DependencyEdge]
    truncated: bool


@strawberry.type(description="A shortest chain of dependencies from one CI down to another.")
class DependencyPath:
    ci_ids: strawberry.Private[tuple[str, ...]]
    types: list[RelationType] = strawberry.field(description="The edge types along the path.")
    length: int

    @strawberry.field
    async def cis(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.ci_ids))


@strawberry.type
class ServiceOutcome:
    outcome: strawberry.Private[impact.ServiceOutcome]
    service: ConfigurationItem | None
    state: State

    @strawberry.field
    def reason(self) -> str:
        return self.outcome.reason

    @strawberry.field(description="The failed CIs that brought the service to this state.")
    async def failed_causes(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.outcome.failed_causes))


@strawberry.type(description="The state of every service when some CIs fail.")
class OutageSimulation:
    failed_ids: strawberry.Private[tuple[str, ...]]
    services: list[ServiceOutcome]
    unknown_ci_ids: list[strawberry.ID]

    @strawberry.field
    async def failed(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.failed_ids))


@strawberry.type
class RootCauseCandidate:
    ci_id: strawberry.Private[str]
    explains_ids: strawberry.Private[tuple[str, ...]]
    count: int = strawberry.field(description="How many of the given CIs it would explain.")
    total_distance: int

    @strawberry.field
    async def ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        return await load_ci(info, self.ci_id)

    @strawberry.field(description="The given CIs it would explain.")
    async def explains(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.explains_ids))


@strawberry.type(description="One CI to recover, or a cycle of CIs to recover together.")
class RecoveryStep:
    ci_ids: strawberry.Private[tuple[str, ...]]
    cycle: bool

    @strawberry.field
    async def cis(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.ci_ids))


@strawberry.type(description="The order to bring a service's dependencies up in.")
class RecoveryPlan:
    steps: list[RecoveryStep]
    cycles: list[RecoveryStep] = strawberry.field(description="Dependency cycles found.")


@strawberry.type
class CostShare:
    ci_id: strawberry.Private[str]
    own: Decimal = strawberry.field(description="The CI's own monthly cost.")
    share: float = strawberry.field(description="The part of it the service carries (0..1).")
    allocated: Decimal

    @strawberry.field
    async def ci(self, info: Info[Context, None]) -> ConfigurationItem | None:
        return await load_ci(info, self.ci_id)


@strawberry.type(description="A service's monthly cost with a share of its dependencies'.")
class ServiceCost:
    total: Decimal
    items: list[CostShare]
    truncated: bool
