"""The impact questions (docs/concepts.md), answered: one traversal fetch, then pure algorithms.

Each function returns plain frozen dataclasses holding CI ids; the API loads the CIs it shows.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ParamSpec, TypeVar

from graph.domain import DEFAULT_DEPTH, MAX_DEPTH, RelationType
from graph.errors import FieldError, InvalidInput
from graph.impact._subgraph import Edge, Subgraph
from graph.impact._traversal import ImpactRepository, Scope
from graph.impact.algorithms import (
    CostBreakdown,
    RecoveryPlan,
    RootCause,
    cost_rollup,
    recovery_order,
    root_cause_candidates,
)
from graph.impact.topology import (
    CISummary,
    ImpactAnalysis,
    OutageSimulation,
    Topology,
    TopologyProjection,
    analyse_impact,
    fatal_alone,
    simulate_outage,
)
from graph.impact.topology import single_points_of_failure as topology_spof

__all__ = ["Analyst", "DependencyMap", "ServiceCost"]

P = ParamSpec("P")
R = TypeVar("R")

MAX_START_CIS = 1000
MAX_PATHS = 20


@dataclass(frozen=True)
class DependencyMap:
    root: str
    depth: dict[str, int]
    edges: tuple[Edge, ...]
    truncated: bool


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


class Analyst:
    """Answers the impact questions over one database."""

    def __init__(self, repository: ImpactRepository, projection: TopologyProjection) -> None:
        self._repository = repository
        self._projection = projection

    @property
    def projection(self) -> TopologyProjection:
        """The topology projection the questions of "now" are answered from."""
        return self._projection

    async def impact(
        self,
        ci_ids: Collection[str],
        max_depth: int = DEFAULT_DEPTH,
        relation_types: Sequence[RelationType] | None = None,
        include_retired: bool = False,
        as_of: datetime | None = None,
    ) -> ImpactAnalysis:
        """Everything that depends on `ci_ids` within `max_depth`, with redundancy-aware state.
        Now: one round trip (the projection's freshness check), then O(V + E) array work over
        the radius. As of a past time: one round trip fetching the subgraph as it was."""
        _check_depth(max_depth)
        starts = _check_ids(ci_ids)
        types = tuple(relation_types or RelationType)
        if as_of is None:
            topology = await self._projection.current()
        else:
            scope = Scope(max_depth, types, include_retired, as_of)
            topology = Topology.from_subgraph(await self._repository.upstream(starts, scope))
        return await _off_loop(analyse_impact, topology, starts, max_depth, types, include_retired)

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
        depth, truncated = await _off_loop(_levels, subgraph, ci_id, max_depth)
        edges = tuple(e for e in subgraph.edges if e.source in depth and e.target in depth)
        return DependencyMap(ci_id, depth, edges, truncated)

    async def paths(
        self, from_id: str, to_id: str, max_depth: int = DEFAULT_DEPTH
    ) -> list[tuple[tuple[str, ...], tuple[RelationType, ...]]]:
        """The shortest dependency paths from `from_id` down to `to_id` (why `from_id` is
        impacted by `to_id`), at most `MAX_PATHS`. One round trip."""
        _check_depth(max_depth)
        subgraph = await self._repository.downstream([from_id], Scope(max_depth))
        return await _off_loop(_shortest_paths, subgraph, from_id, to_id, max_depth)

    async def simulate_outage(self, ci_ids: Collection[str]) -> OutageSimulation:
        """The state of every service when `ci_ids` fail. One round trip (the projection's
        freshness check), then O(V + E) array work."""
        failed_ids = _check_ids(ci_ids)
        return await _off_loop(simulate_outage, await self._projection.current(), failed_ids)

    async def single_points_of_failure(self, service_id: str) -> list[CISummary] | None:
        """Every CI whose failure alone takes the service DOWN; None for an unknown CI.
        One round trip, then one DOWN-only propagation per CI the service depends on."""
        return await _off_loop(topology_spof, await self._projection.current(), service_id)

    async def fatal_alone(
        self, ci_ids: Collection[str], service_ids: Collection[str]
    ) -> dict[str, frozenset[str]]:
        """For each service, the CIs of `ci_ids` whose failure alone takes it DOWN: its single
        points of failure among `ci_ids`. One round trip, then one DOWN-only propagation per
        CI of `ci_ids`."""
        topology = await self._projection.current()
        return await _off_loop(fatal_alone, topology, list(ci_ids), list(service_ids))

    async def root_cause_candidates(self, ci_ids: Collection[str]) -> list[RootCause]:
        """Shared dependencies of `ci_ids`, ranked by how many each explains. One round trip."""
        given = _check_ids(ci_ids)
        subgraph = await self._repository.downstream(given, Scope(MAX_DEPTH))
        found = [ci for ci in given if ci in subgraph.nodes]
        return await _off_loop(root_cause_candidates, subgraph, found)

    async def recovery_order(self, service_id: str) -> RecoveryPlan | None:
        """The service's dependencies, dependencies first, cycles as groups. One round trip."""
        subgraph = await self._repository.downstream([service_id], Scope(MAX_DEPTH))
        if service_id not in subgraph.nodes:
            return None
        return await _off_loop(recovery_order, subgraph, service_id)

    async def service_cost(self, service_id: str) -> ServiceCost | None:
        """The cost roll-up with its breakdown. One round trip."""
        subgraph = await self._repository.downstream(
            [service_id], Scope(MAX_DEPTH), with_dependents=True
        )
        if service_id not in subgraph.nodes:
            return None
        _, truncated = await _off_loop(_levels, subgraph, service_id, MAX_DEPTH)
        breakdown = await _off_loop(cost_rollup, subgraph, service_id)
        return ServiceCost(service_id, breakdown, truncated)


async def _off_loop(algorithm: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Runs a topology algorithm in a worker thread, so that the event loop keeps answering
    `/healthz` and small questions meanwhile (numpy releases the interpreter lock for most of
    the work; the rest is shared with the loop by the interpreter's switch interval)."""
    return await asyncio.to_thread(algorithm, *args, **kwargs)


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
