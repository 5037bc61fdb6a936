"""Impact, outage simulation and single points of failure over a topology.

The heavy part (who is reached, at which depth, who goes DOWN) is array work over the whole
radius; what is shown (a page of impacted CIs, their paths and reasons) is computed for the
shown CIs only, when asked. Results hold CI ids; the API loads the CIs it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from graph.domain import MAX_DEPTH, RelationType, State
from graph.impact.topology._arrays import CISummary, Ints, Topology
from graph.impact.topology._explain import Explainer, Explanation
from graph.impact.topology._reach import down_rounds, downstream, gather, upstream

__all__ = [
    "ImpactAnalysis",
    "ImpactedCI",
    "OutageSimulation",
    "ServiceOutcome",
    "analyse_impact",
    "simulate_outage",
    "single_points_of_failure",
]

_ALL_TYPES = tuple(RelationType)


class ImpactedCI:
    """A CI impacted by a change or failure. Its state and the reason for it are worked out
    when first asked (the redundancy-aware propagation runs once per analysis, only if some
    state is asked)."""

    def __init__(
        self,
        ci: CISummary,
        depth: int,
        path: tuple[str, ...],
        explain: Callable[[], Explanation],
        ids: Sequence[str],
    ) -> None:
        self.ci = ci
        self.depth = depth
        self.path = path
        """From a changed CI to this one; each CI depends on the one before it."""
        self._explain = explain
        self._ids = ids

    @cached_property
    def _explanation(self) -> Explanation:
        return self._explain()

    @property
    def state(self) -> State:
        return self._explanation.state

    @property
    def reason(self) -> str:
        return self._explanation.reason

    @property
    def cause_ids(self) -> tuple[str, ...]:
        return tuple(self._ids[i] for i in self._explanation.causes)


_CHANGED = Explanation(State.DOWN, "changed")


class ImpactAnalysis:
    """Everything that depends on some changed CIs within a depth, with redundancy-aware state.
    Pages and services are computed when asked; the propagation of states runs once, when the
    first state is asked (a question for depths and CIs only never pays for it)."""

    def __init__(
        self,
        topology: Topology,
        starts: Ints,
        unknown: Sequence[str],
        relation_types: Iterable[RelationType],
        include_retired: bool,
        max_depth: int,
    ) -> None:
        view = topology.view(relation_types, include_retired)
        # One level more than asked: the states of the CIs shown take the level beyond into
        # account, and whether anything lies there is what `truncated` says.
        levels = upstream(view, starts, max_depth + 1)
        self._topology = topology
        self._view = view
        self._depth = levels.depth
        self._parent = levels.parent
        self._starts = starts
        order = levels.order
        self._impacted = order[(levels.depth[order] >= 1) & (levels.depth[order] <= max_depth)]
        self.changed = tuple(topology.ids[i] for i in starts)
        self.unknown = tuple(unknown)
        self.truncated = levels.cut or bool((levels.depth > max_depth).any())
        self.max_depth = max_depth
        self.count = len(self._impacted)

    @cached_property
    def _explainer(self) -> Explainer:
        reached = self._depth >= 0
        rounds = down_rounds(self._view, self._starts, reached)
        return Explainer(self._view, rounds, self._parent, reached)

    def impacted(self, start: int, size: int) -> list[ImpactedCI]:
        """Impacted CIs `start` to `start + size`, nearest first, then by name and id."""
        end = min(start + size, self.count)
        if start >= end:
            return []
        keys = self._depth[self._impacted] * self._topology.size + self._impacted
        if end < self.count:
            chosen = np.argpartition(keys, end - 1)[:end]
            chosen = chosen[np.argsort(keys[chosen])]
        else:
            chosen = np.argsort(keys)
        return [self._item(int(i)) for i in self._impacted[chosen[start:end]]]

    @cached_property
    def services(self) -> tuple[ImpactedCI, ...]:
        """Business and technical services among the changed and impacted CIs, most critical
        first, DOWN before DEGRADED, then by name and id."""
        topology = self._topology
        impacted = self._impacted[topology.is_service(self._impacted)]
        changed = self._starts[topology.is_service(self._starts)]
        severity = np.concatenate(
            (
                np.where(self._explainer.rounds[impacted] >= 0, 2, 1),
                np.full(len(changed), 2),
            )
        )
        nodes = np.concatenate((impacted, changed))
        order = np.lexsort((nodes, -severity, topology.criticality[nodes]))
        items = [self._item(int(i)) for i in impacted]
        items += [
            ImpactedCI(topology.summary(i), 0, (topology.ids[i],), lambda: _CHANGED, topology.ids)
            for i in changed
        ]
        return tuple(items[i] for i in order)

    def _item(self, ci: int) -> ImpactedCI:
        ids = self._topology.ids
        path = [ci]
        while self._parent[path[-1]] >= 0:
            path.append(int(self._parent[path[-1]]))
        return ImpactedCI(
            self._topology.summary(ci),
            int(self._depth[ci]),
            tuple(ids[i] for i in reversed(path)),
            lambda: self._explainer.explain(ci),
            ids,
        )


class ServiceOutcome:
    """A service's state under a simulated outage; the reason and the failed CIs behind it are
    worked out when asked."""

    def __init__(self, explainer: Explainer, topology: Topology, service: int) -> None:
        self._explainer = explainer
        self._topology = topology
        self._service = service
        self.service = topology.summary(service)
        self.state = explainer.state(service)

    @property
    def reason(self) -> str:
        return self._explainer.explain(self._service).reason

    @property
    def failed_causes(self) -> tuple[str, ...]:
        if self.state is State.OPERATIONAL:
            return ()
        return tuple(self._topology.ids[i] for i in self._explainer.failed_causes(self._service))


@dataclass(frozen=True)
class OutageSimulation:
    failed: tuple[str, ...]
    unknown: tuple[str, ...]
    services: tuple[ServiceOutcome, ...]
    """Every service: not operational first (DOWN, then DEGRADED), then by criticality, name."""


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
    sorting the services."""
    view = topology.view(_ALL_TYPES, False)
    failed, unknown = topology.indices(ci_ids, False)
    levels = upstream(view, failed, MAX_DEPTH + 1)
    reached = levels.depth >= 0
    rounds = down_rounds(view, failed, reached)
    explainer = Explainer(view, rounds, levels.parent, reached)
    services = topology.services(False)
    severity = np.where(rounds[services] >= 0, 2, np.where(reached[services], 1, 0))
    order = np.lexsort((services, topology.criticality[services], -severity))
    return OutageSimulation(
        tuple(topology.ids[i] for i in failed),
        tuple(unknown),
        tuple(ServiceOutcome(explainer, topology, int(s)) for s in services[order]),
    )


def single_points_of_failure(topology: Topology, service_id: str) -> list[CISummary] | None:
    """Every CI other than the service whose failure alone takes it DOWN (redundancy-aware),
    nearest first, then by name and id; None for an unknown or retired service.

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
    return [topology.summary(closure[c]) for c in found]


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
