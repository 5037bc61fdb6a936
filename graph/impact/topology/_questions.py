"""Impact, outage simulation and single points of failure over a topology.

The heavy part (who is reached, at which depth, who goes DOWN) is array work over the whole
radius; what is shown (a page of impacted CIs or services, their paths and reasons) is
computed for the shown CIs only, when asked. Results hold CI ids; the API loads the CIs it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

import numpy as np

from graph.domain import MAX_DEPTH, RelationType, State
from graph.impact.topology._arrays import CISummary, Ints, Topology
from graph.impact.topology._explain import Explainer
from graph.impact.topology._impact import ImpactAnalysis, ImpactedCI
from graph.impact.topology._ranking import ServicePage, ServicePosition, ServiceRanking
from graph.impact.topology._reach import down_rounds, downstream, gather, upstream

__all__ = [
    "ImpactAnalysis",
    "ImpactedCI",
    "OutageSimulation",
    "ServiceOutcome",
    "ServicePage",
    "ServicePosition",
    "analyse_impact",
    "fatal_alone",
    "simulate_outage",
    "single_points_of_failure",
]

_ALL_TYPES = tuple(RelationType)


class ServiceOutcome:
    """A service's state under a simulated outage; the reason and the failed CIs behind it are
    worked out when asked."""

    __slots__ = ("_explainer", "_service", "_topology", "service", "state")

    def __init__(
        self, explainer: Explainer, topology: Topology, service: int, state: State
    ) -> None:
        self._explainer = explainer
        self._topology = topology
        self._service = service
        self.service = topology.summary(service)
        self.state = state

    @property
    def reason(self) -> str:
        return self._explainer.explain(self._service).reason

    @property
    def failed_causes(self) -> tuple[str, ...]:
        if self.state is State.OPERATIONAL:
            return ()
        return tuple(self._topology.ids[i] for i in self._explainer.failed_causes(self._service))


class OutageSimulation:
    """The state of every service when some CIs fail, ranked most critical first, then the
    worst state first, then by name and id; pages of them, the OPERATIONAL ones left out
    unless asked for."""

    def __init__(
        self,
        topology: Topology,
        failed: Ints,
        unknown: Iterable[str],
        explainer: Explainer,
        services: Ints,
        severity: Ints,
    ) -> None:
        self._topology = topology
        self._explainer = explainer
        self.failed = tuple(topology.ids[i] for i in failed)
        self.unknown = tuple(unknown)
        self._every = ServiceRanking(topology, services, severity)
        affected = severity > 0
        self._affected = ServiceRanking(topology, services[affected], severity[affected])

    def _ranking(self, include_operational: bool) -> ServiceRanking:
        return self._every if include_operational else self._affected

    def count(self, include_operational: bool = True) -> int:
        """How many services there are (all, or those not OPERATIONAL)."""
        return self._ranking(include_operational).count

    def page(
        self, after: ServicePosition | None, size: int, include_operational: bool = True
    ) -> ServicePage[ServiceOutcome]:
        """The services after `after` (from the first without it), at most `size`. O(log S +
        size)."""
        ranking = self._ranking(include_operational)
        start, end = ranking.window(after, size)
        outcomes = self._outcomes(ranking, start, end)
        return ServicePage(outcomes, end < ranking.count, ranking.count, ranking, start)

    @cached_property
    def services(self) -> tuple[ServiceOutcome, ...]:
        """Every service, OPERATIONAL ones included, in the order of `page`."""
        return self._outcomes(self._every, 0, self._every.count)

    def _outcomes(
        self, ranking: ServiceRanking, start: int, end: int
    ) -> tuple[ServiceOutcome, ...]:
        nodes = ranking.nodes[start:end].tolist()
        states = ranking.states(start, end)
        return tuple(
            ServiceOutcome(self._explainer, self._topology, node, state)
            for node, state in zip(nodes, states, strict=True)
        )


def analyse_impact(
    topology: Topology,
    ci_ids: Iterable[str],
    max_depth: int,
    relation_types: Sequence[RelationType] | None = None,
    include_retired: bool = False,
) -> ImpactAnalysis:
    """Impact of `ci_ids` within `max_depth`. O(V + E) array work over the radius."""
    starts, unknown = topology.indices(ci_ids, include_retired)
    types = relation_types or _ALL_TYPES
    return ImpactAnalysis(topology, starts, unknown, types, include_retired, max_depth)


def simulate_outage(topology: Topology, ci_ids: Iterable[str]) -> OutageSimulation:
    """Every service's state when `ci_ids` fail (retired CIs out). O(V + E) array work, plus
    ranking the services (O(S log S)); reasons are worked out for the services shown."""
    view = topology.view(_ALL_TYPES, False)
    failed, unknown = topology.indices(ci_ids, False)
    levels = upstream(view, failed, MAX_DEPTH + 1)
    reached = levels.depth >= 0
    rounds = down_rounds(view, failed, reached)
    explainer = Explainer(view, rounds, levels.parent, reached)
    services = topology.services(False)
    severity = np.where(rounds[services] >= 0, 2, np.where(reached[services], 1, 0))
    return OutageSimulation(topology, failed, unknown, explainer, services, severity)


def single_points_of_failure(topology: Topology, service_id: str) -> list[CISummary] | None:
    """Every CI other than the service whose failure alone takes it DOWN (redundancy-aware),
    nearest first, then by name and id; None for an unknown or retired service. Kept with the
    topology: asked again before the next write, O(answer).
    """
    found = topology.answers.get(
        ("single_points_of_failure", service_id), lambda: _single_points(topology, service_id)
    )
    return None if found is None else list(found)


def _single_points(topology: Topology, service_id: str) -> tuple[CISummary, ...] | None:
    """`single_points_of_failure`, computed.

    Candidates are the CIs the service depends on, nearest first. A candidate whose only
    dependent in the closure depends on it outside any pool shares that dependent's answer;
    each other one gets a DOWN-only propagation within the closure (a worklist over plain
    lists: most stop after a few CIs), which stops as soon as it takes down the service or a CI
    already known to be a single point of failure (whose failure would then follow: DOWN is
    monotone). O(V·(V + E)) at worst over the closure, far less when the single points of
    failure sit deep.
    """
    service = topology.index.get(service_id)
    if service is None or topology.retired[service]:
        return None
    view = topology.view(_ALL_TYPES, False)
    below = downstream(view, np.array([service]), MAX_DEPTH + 1)
    closure = below.order
    local = np.full(topology.size, -1, dtype=np.int64)
    local[closure] = np.arange(len(closure))
    positions, origin = gather(view.in_ptr, closure)
    dependent = local[view.in_source[positions]]
    inside = dependent >= 0
    pools = view.in_pool[positions][inside]
    dependents: list[list[tuple[int, int]]] = [[] for _ in closure]
    for at, who, pool in zip(
        origin[inside].tolist(), dependent[inside].tolist(), pools.tolist(), strict=True
    ):
        dependents[at].append((who, pool))
    spare = {p: int(view.members[p] - view.needed[p]) for p in set(pools.tolist()) if p >= 0}
    fatal = bytearray(len(closure))
    fatal[0] = 1
    found = []
    for candidate in range(1, len(closure)):
        entries = dependents[candidate]
        if len(entries) == 1 and entries[0][1] < 0:
            # Its one dependent (nearer the service, so decided already) goes DOWN with it and
            # it is in no pool: its failure does exactly what that dependent's does, and more
            # of the closure has this shape (a container on one VM, a VM on one host).
            fatal[candidate] = fatal[entries[0][0]]
        else:
            _takes_down_fatal(candidate, dependents, spare, fatal)
        if fatal[candidate]:
            found.append(candidate)
    # Breadth-first order is nearest first already; ties at one depth go by name and id.
    found.sort(key=lambda c: (below.depth[closure[c]], closure[c]))
    return tuple(topology.summary(closure[c]) for c in found)


def fatal_alone(
    topology: Topology, ci_ids: Iterable[str], service_ids: Iterable[str]
) -> dict[str, frozenset[str]]:
    """For each service of `service_ids`, the CIs of `ci_ids` among its single points of
    failure: those whose failure alone takes it DOWN (redundancy-aware, the service itself
    excepted; none for an unknown or retired service). The same answer as
    `single_points_of_failure` restricted to `ci_ids`, from one DOWN propagation per CI of
    `ci_ids` instead of one per CI each service depends on: O(|ci_ids| · (V + E)) over the
    radius."""
    view = topology.view(_ALL_TYPES, False)
    nodes: dict[str, int] = {}
    for service_id in service_ids:
        node = topology.index.get(service_id)
        if node is not None and not topology.retired[node]:
            nodes[service_id] = node
    found: dict[str, set[str]] = {service_id: set() for service_id in service_ids}
    for ci_id in dict.fromkeys(ci_ids):
        failed, _ = topology.indices([ci_id], False)
        if not len(failed) or not nodes:
            continue
        levels = upstream(view, failed, MAX_DEPTH + 1)
        rounds = down_rounds(view, failed, levels.depth >= 0)
        for service_id, node in nodes.items():
            if service_id != ci_id and rounds[node] >= 0:
                found[service_id].add(ci_id)
    return {service_id: frozenset(cis) for service_id, cis in found.items()}


def _takes_down_fatal(
    failed: int,
    dependents: list[list[tuple[int, int]]],
    spare: dict[int, int],
    fatal: bytearray,
) -> bool:
    """Whether `failed` alone takes down a CI marked in `fatal`; marks `failed` if so."""
    down = {failed}
    stack = [failed]
    members_down: dict[int, int] = {}
    while stack:
        for dependent, pool in dependents[stack.pop()]:
            if dependent in down:
                continue
            if pool >= 0:
                members_down[pool] = members_down.get(pool, 0) + 1
                if members_down[pool] <= spare[pool]:
                    continue
            if fatal[dependent]:
                fatal[failed] = 1
                return True
            down.add(dependent)
            stack.append(dependent)
    return False
