"""GraphQL types for impact analysis (docs/concepts.md, "Impact questions"; docs/api.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import strawberry
from strawberry.types import Info

from graph import impact
from graph.domain import CI, RelationType, State
from resolvers._context import Context
from resolvers._pagination import CountedConnection, Edge
from resolvers.cis.lookahead import selects, selects_only_summary_below
from resolvers.cis.types import ConfigurationItem, to_graphql, to_summary

__all__ = [
    "CostShare",
    "DependencyEdge",
    "DependencyNode",
    "DependencyPath",
    "ImpactedCI",
    "ImpactedCIConnection",
    "ImpactedCIEdge",
    "RecoveryPlan",
    "RecoveryStep",
    "RootCauseCandidate",
    "ServiceCost",
    "ServiceMap",
    "Shown",
    "cis_or_summaries",
    "impacted_cis",
    "load_ci",
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
    whole_path: strawberry.Private[bool]
    ci: ConfigurationItem | None
    depth: int = strawberry.field(description="Hops from the nearest changed CI.")
    state: State = strawberry.field(
        description="DOWN or DEGRADED, redundancy-aware (docs/concepts.md#states)."
    )

    @strawberry.field(
        description="Why this state, e.g. 'pool web: 1 of 3 members affected, 2 needed, 2 remain'."
    )
    def reason(self) -> str:
        return self.found.reason

    # A plain function: a path of summaries is answered without an await; CIs read whole
    # (the query asks more of them than the projection knows) come in one batched load.
    @strawberry.field(
        graphql_type=list[ConfigurationItem],
        description="One shortest explaining path: from a changed CI to this one, each CI "
        "depending on the one before it.",
    )
    def path(self, info: Info[Context, None]) -> object:
        if self.whole_path:
            return load_cis(info, list(self.found.path))
        return [to_summary(c.id, c.name, c.ci_class) for c in self.found.path_cis]

    @strawberry.field(description="The dependencies that caused the state.")
    async def causes(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.found.cause_ids))


@strawberry.type
class ImpactedCIEdge(Edge[ImpactedCI]):
    pass


@strawberry.type
class ImpactedCIConnection(CountedConnection[ImpactedCIEdge]):
    pass


@dataclass(frozen=True)
class Shown:
    """What a query asks of the impacted CIs it lists: decided once per list, from its
    selection, so that no item pays for a field nobody reads."""

    whole: bool
    """Whether `ci` asks more than the projection knows (then the CIs are read whole)."""
    whole_path: bool
    """The same for the CIs of `path`."""
    state: bool
    """Whether `state` is asked (working it out propagates the failure once)."""

    @classmethod
    def of(cls, info: Info[Context, None], node: Sequence[str]) -> Shown:
        """What the fields of `info` ask of the impacted CIs reached along `node`."""
        selected = info.selected_fields
        return cls(
            whole=not selects_only_summary_below(selected, (*node, "ci")),
            whole_path=not selects_only_summary_below(selected, (*node, "path")),
            state=selects(selected, node, "state"),
        )


async def impacted_cis(
    info: Info[Context, None], items: Sequence[impact.ImpactedCI], shown: Shown
) -> list[ImpactedCI]:
    """The GraphQL objects of `items`: their CIs in one batched load at most, their states
    when asked (a plain field, read without a resolver)."""
    cis = await cis_or_summaries(info, [item.ci for item in items], shown.whole)
    found = []
    for item, ci in zip(items, cis, strict=True):
        # Built without __init__ (as `to_summary` builds CIs): `state` is set only when the
        # selection asks for it, and reading it unset would fail loudly, never answer wrong.
        node = object.__new__(ImpactedCI)
        node.found = item
        node.whole_path = shown.whole_path
        node.ci = ci
        node.depth = item.depth
        if shown.state:
            node.state = item.state
        found.append(node)
    return found


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
