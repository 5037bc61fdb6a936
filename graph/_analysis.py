"""The impact questions of DOMAIN.md §4, answered: one traversal fetch, then pure algorithms.

Each function returns plain frozen dataclasses holding CI ids; the API loads the CIs it shows.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from graph._algorithms import (
    Candidate,
    CostBreakdown,
    Outcome,
    RecoveryPlan,
    cost_rollup,
    propagate,
    recovery_order,
    root_cause_candidates,
    single_points_of_failure,
    upstream,
)
from graph._impact import DEFAULT_DEPTH, MAX_DEPTH, ImpactRepository, Scope
from graph._model import CIClass, RelationType
from graph._subgraph import Edge, State, Subgraph
from graph.errors import FieldError, InvalidInput

__all__ = [
    "Analyst",
    "DependencyMap",
    "ImpactAnalysis",
    "ImpactedCI",
    "OutageSimulation",
    "ServiceCost",
    "ServiceOutcome",
]

MAX_START_CIS = 1000
MAX_PATHS = 20
SERVICE_CLASSES = (CIClass.BUSINESS_SERVICE, CIClass.TECHNICAL_SERVICE)


@dataclass(frozen=True)
class ImpactedCI:
    ci_id: str
    depth: int
    path: tuple[str, ...]
    """From a changed CI to this one; each CI depends on the one before it."""
    state: State
    reason: str
    cause_ids: tuple[str, ...]


@dataclass(frozen=True)
class ImpactAnalysis:
    changed: tuple[str, ...]
    """The given CIs found in the graph (in scope)."""
    unknown: tuple[str, ...]
    """The given ids that name no CI (or a retired one, unless retired CIs are included)."""
    impacted: tuple[ImpactedCI, ...]
    """Nearest first, then by name."""
    services: tuple[ImpactedCI, ...]
    """Business and technical services among the changed and impacted CIs, most critical
    first, DOWN before DEGRADED."""
    truncated: bool
    max_depth: int


@dataclass(frozen=True)
class DependencyMap:
    root: str
    depth: dict[str, int]
    edges: tuple[Edge, ...]
    truncated: bool


@dataclass(frozen=True)
class ServiceOutcome:
    service_id: str
    state: State
    reason: str
    failed_causes: tuple[str, ...]
    """The failed CIs that brought it to its state."""


@dataclass(frozen=True)
class OutageSimulation:
    failed: tuple[str, ...]
    unknown: tuple[str, ...]
    services: tuple[ServiceOutcome, ...]
    """Every service: not operational first (DOWN, then DEGRADED), then by criticality, name."""


@dataclass(frozen=True)
class ServiceCost:
    service_id: str
    breakdown: CostBreakdown
    truncated: bool


def _check_depth(max_depth: int) -> None:
    if not 1 <= max_depth <= MAX_DEPTH:
        raise InvalidInput(
            [
                FieldError(
                    "maxDepth",
                    f"maxDepth must be between 1 and {MAX_DEPTH}, got {max_depth}",
                    "OUT_OF_RANGE",
                )
            ]
        )


def _check_ids(ci_ids: Collection[str], field: str = "ciIds") -> list[str]:
    unique = list(dict.fromkeys(ci_ids))
    if not unique:
        raise InvalidInput([FieldError(field, "give at least one CI id", "REQUIRED")])
    if len(unique) > MAX_START_CIS:
        raise InvalidInput(
            [FieldError(field, f"at most {MAX_START_CIS} CI ids at once", "OUT_OF_RANGE")]
        )
    return unique


def _service_rank(subgraph: Subgraph, state: State, ci_id: str) -> tuple[int, int, str, str]:
    node = subgraph.nodes[ci_id]
    return (node.criticality or 5, -state.severity, node.name, ci_id)


class Analyst:
    """Answers the impact questions over one database."""

    def __init__(self, repository: ImpactRepository) -> None:
        self._repository = repository

    async def impact(
        self,
        ci_ids: Collection[str],
        max_depth: int = DEFAULT_DEPTH,
        relation_types: Sequence[RelationType] | None = None,
        include_retired: bool = False,
        as_of: datetime | None = None,
    ) -> ImpactAnalysis:
        """Everything that depends on `ci_ids` within `max_depth`, with redundancy-aware state.
        One round trip, then O(V + E log E) in Python over the fetched subgraph."""
        _check_depth(max_depth)
        starts = _check_ids(ci_ids)
        scope = Scope(max_depth, tuple(relation_types or RelationType), include_retired, as_of)
        subgraph = await self._repository.upstream(starts, scope)
        changed = [ci for ci in starts if ci in subgraph.nodes]
        reach = upstream(subgraph, changed, max_depth)
        outcomes = propagate(subgraph, changed)
        impacted = [
            _impacted(ci, reach.depth[ci], reach.path(ci), outcomes[ci])
            for ci in reach.depth
            if reach.depth[ci] > 0 and ci in outcomes
        ]
        impacted.sort(key=lambda i: (i.depth, subgraph.nodes[i.ci_id].name, i.ci_id))
        services = [i for i in impacted if subgraph.nodes[i.ci_id].ci_class in SERVICE_CLASSES]
        services += [
            ImpactedCI(ci, 0, (ci,), State.DOWN, "changed", ())
            for ci in changed
            if subgraph.nodes[ci].ci_class in SERVICE_CLASSES
        ]
        services.sort(key=lambda i: _service_rank(subgraph, i.state, i.ci_id))
        return ImpactAnalysis(
            changed=tuple(changed),
            unknown=tuple(ci for ci in starts if ci not in subgraph.nodes),
            impacted=tuple(impacted),
            services=tuple(services),
            truncated=reach.truncated,
            max_depth=max_depth,
        )

    async def dependencies(
        self,
        ci_id: str,
        max_depth: int = DEFAULT_DEPTH,
        include_retired: bool = False,
        as_of: datetime | None = None,
    ) -> DependencyMap | None:
        """The service map below `ci_id`: every CI it depends on within `max_depth`, with
        the edges among them. None when the CI is unknown. One round trip."""
        _check_depth(max_depth)
        scope = Scope(max_depth, tuple(RelationType), include_retired, as_of)
        subgraph = await self._repository.downstream([ci_id], scope)
        if ci_id not in subgraph.nodes:
            return None
        depth, truncated = _levels(subgraph, ci_id, max_depth)
        edges = tuple(e for e in subgraph.edges if e.source in depth and e.target in depth)
        return DependencyMap(ci_id, depth, edges, truncated)

    async def paths(
        self, from_id: str, to_id: str, max_depth: int = DEFAULT_DEPTH
    ) -> list[tuple[tuple[str, ...], tuple[RelationType, ...]]]:
        """The shortest dependency paths from `from_id` down to `to_id` (why `from_id` is
        impacted by `to_id`), at most `MAX_PATHS`. One round trip."""
        _check_depth(max_depth)
        subgraph = await self._repository.downstream([from_id], Scope(max_depth))
        return _shortest_paths(subgraph, from_id, to_id, max_depth)

    async def simulate_outage(self, ci_ids: Collection[str]) -> OutageSimulation:
        """The state of every service when `ci_ids` fail. Two round trips."""
        failed_ids = _check_ids(ci_ids)
        subgraph = await self._repository.upstream(failed_ids, Scope(MAX_DEPTH))
        failed = [ci for ci in failed_ids if ci in subgraph.nodes]
        outcomes = propagate(subgraph, failed)
        services = await self._repository.services()
        results = []
        for service in services:
            outcome = outcomes.get(service.id)
            if outcome is None:
                results.append(ServiceOutcome(service.id, State.OPERATIONAL, "operational", ()))
                continue
            causes = _failed_causes(service.id, outcomes, set(failed))
            results.append(ServiceOutcome(service.id, outcome.state, outcome.reason, causes))
        criticality = {s.id: (s.criticality or 5, s.name) for s in services}
        results.sort(key=lambda r: (-r.state.severity, criticality[r.service_id], r.service_id))
        return OutageSimulation(
            tuple(failed),
            tuple(ci for ci in failed_ids if ci not in subgraph.nodes),
            tuple(results),
        )

    async def single_points_of_failure(self, service_id: str) -> list[str] | None:
        """Every CI whose failure alone takes the service DOWN; None for an unknown CI.
        One round trip, then O(V·(V + E)) at worst in Python."""
        subgraph = await self._repository.downstream([service_id], Scope(MAX_DEPTH))
        if service_id not in subgraph.nodes:
            return None
        return single_points_of_failure(subgraph, service_id)

    async def root_cause_candidates(self, ci_ids: Collection[str]) -> list[Candidate]:
        """Shared dependencies of `ci_ids`, ranked by how many each explains. One round trip."""
        given = _check_ids(ci_ids)
        subgraph = await self._repository.downstream(given, Scope(MAX_DEPTH))
        return root_cause_candidates(subgraph, [ci for ci in given if ci in subgraph.nodes])

    async def recovery_order(self, service_id: str) -> RecoveryPlan | None:
        """The service's dependencies, dependencies first, cycles as groups. One round trip."""
        subgraph = await self._repository.downstream([service_id], Scope(MAX_DEPTH))
        if service_id not in subgraph.nodes:
            return None
        return recovery_order(subgraph, service_id)

    async def service_cost(self, service_id: str) -> ServiceCost | None:
        """The cost roll-up of §4.8 with its breakdown. One round trip."""
        subgraph = await self._repository.downstream(
            [service_id], Scope(MAX_DEPTH), with_dependents=True
        )
        if service_id not in subgraph.nodes:
            return None
        _, truncated = _levels(subgraph, service_id, MAX_DEPTH)
        return ServiceCost(service_id, cost_rollup(subgraph, service_id), truncated)


def _impacted(ci: str, depth: int, path: tuple[str, ...], outcome: Outcome) -> ImpactedCI:
    return ImpactedCI(ci, depth, path, outcome.state, outcome.reason, outcome.cause_ids)


def _levels(subgraph: Subgraph, root: str, max_depth: int) -> tuple[dict[str, int], bool]:
    """Breadth-first depth of every CI below `root` within `max_depth`, and whether the limit
    cut something off. O(V + E)."""
    needs: dict[str, list[str]] = {}
    for edge in subgraph.edges:
        if edge.target in subgraph.nodes:
            needs.setdefault(edge.source, []).append(edge.target)
    depth = {root: 0}
    queue = deque([root])
    truncated = False
    while queue:
        ci = queue.popleft()
        for target in needs.get(ci, ()):
            if target in depth:
                continue
            if depth[ci] == max_depth:
                truncated = True
                continue
            depth[target] = depth[ci] + 1
            queue.append(target)
    return depth, truncated


def _failed_causes(
    service_id: str, outcomes: dict[str, Outcome], failed: set[str]
) -> tuple[str, ...]:
    """The failed CIs behind a service's state, following each outcome's causes. O(V)."""
    found: set[str] = set()
    seen = {service_id}
    queue = deque([service_id])
    while queue:
        ci = queue.popleft()
        if ci in failed:
            found.add(ci)
            continue
        outcome = outcomes.get(ci)
        for cause in outcome.cause_ids if outcome else ():
            if cause not in seen:
                seen.add(cause)
                queue.append(cause)
    return tuple(sorted(found))


def _shortest_paths(
    subgraph: Subgraph, source: str, target: str, max_depth: int
) -> list[tuple[tuple[str, ...], tuple[RelationType, ...]]]:
    """All shortest paths from `source` to `target` along dependency edges (at most
    MAX_PATHS, in name order): breadth-first layering, then walking back. O(V + E + paths)."""
    if source not in subgraph.nodes or target not in subgraph.nodes:
        return []
    needs: dict[str, list[Edge]] = {}
    for edge in subgraph.edges:
        needs.setdefault(edge.source, []).append(edge)
    depth = {source: 0}
    into: dict[str, list[Edge]] = {}
    frontier = [source]
    while frontier and target not in depth and depth[frontier[0]] < max_depth:
        following: list[str] = []
        for ci in frontier:
            for edge in needs.get(ci, ()):
                if edge.target not in subgraph.nodes:
                    continue
                if edge.target not in depth:
                    depth[edge.target] = depth[ci] + 1
                    following.append(edge.target)
                if depth[edge.target] == depth[ci] + 1:
                    into.setdefault(edge.target, []).append(edge)
        frontier = following
    if target not in depth or source == target:
        return []
    name = {ci: node.name for ci, node in subgraph.nodes.items()}
    paths: list[tuple[tuple[str, ...], tuple[RelationType, ...]]] = []
    stack: list[tuple[str, tuple[str, ...], tuple[RelationType, ...]]] = [(target, (target,), ())]
    while stack and len(paths) < MAX_PATHS:
        ci, cis, types = stack.pop()
        if ci == source:
            paths.append((cis, types))
            continue
        for edge in sorted(
            into.get(ci, ()), key=lambda e: (name[e.source], e.type.value), reverse=True
        ):
            stack.append((edge.source, (edge.source, *cis), (edge.type, *types)))
    return paths
