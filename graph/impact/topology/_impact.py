"""The answer to an impact question over a topology: who is impacted, at which depth, in which
state and why, and the services among them.

The heavy part (who is reached, at which depth, who goes DOWN) is array work over the whole
radius, done once per analysis; what is shown (a page of impacted CIs or services, their paths
and reasons) is worked out for the shown CIs only, when asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

import numpy as np

from graph.domain import RelationType, State
from graph.impact.topology._arrays import CISummary, Ints, Topology
from graph.impact.topology._columns import CLASSES
from graph.impact.topology._explain import Explainer, Explanation
from graph.impact.topology._ranking import ServicePage, ServicePosition, ServiceRanking
from graph.impact.topology._reach import down_rounds, upstream

__all__ = ["ImpactAnalysis", "ImpactedCI"]

_CHANGED = Explanation(State.DOWN, "changed")


class ImpactedCI:
    """A CI impacted by a change or failure (or a changed one, at depth 0). Its state is read
    from the analysis' propagation (run once, when the first state is asked); its path, reason
    and causes are worked out when first asked, for this CI only."""

    __slots__ = ("_analysis", "_node", "_state", "ci", "depth")

    def __init__(
        self,
        analysis: ImpactAnalysis,
        node: int,
        ci: CISummary,
        depth: int,
        state: State | None = None,
    ) -> None:
        self._analysis = analysis
        self._node = node
        self.ci = ci
        self.depth = depth
        self._state = state
        """The state when the caller knew it already (a ranking of services does)."""

    @property
    def state(self) -> State:
        if self._state is None:
            self._state = self._analysis.state_of(self._node)
        return self._state

    @property
    def reason(self) -> str:
        return self._analysis.explain(self._node).reason

    @property
    def cause_ids(self) -> tuple[str, ...]:
        ids = self._analysis.topology.ids
        return tuple(ids[i] for i in self._analysis.explain(self._node).causes)

    @property
    def path(self) -> tuple[str, ...]:
        """From a changed CI to this one; each CI depends on the one before it."""
        ids = self._analysis.topology.ids
        return tuple(ids[i] for i in self._analysis.path_of(self._node))

    @property
    def path_cis(self) -> tuple[CISummary, ...]:
        """The CIs of `path`, as the projection knows them."""
        summary = self._analysis.topology.summary
        return tuple(summary(i) for i in self._analysis.path_of(self._node))


class ImpactAnalysis:
    """Everything that depends on some changed CIs within a depth, with redundancy-aware state.
    Pages and services are computed when asked; the propagation of states runs once, when the
    first state is asked (a question for depths and CIs only never pays for it)."""

    def __init__(
        self,
        topology: Topology,
        starts: Ints,
        unknown: Iterable[str],
        relation_types: Iterable[RelationType],
        include_retired: bool,
        max_depth: int,
    ) -> None:
        view = topology.view(relation_types, include_retired)
        # One level more than asked: the states of the CIs shown take the level beyond into
        # account, and whether anything lies there is what `truncated` says.
        levels = upstream(view, starts, max_depth + 1)
        self.topology = topology
        self._view = view
        self.depth = levels.depth
        """Per CI: hops from the nearest changed CI, -1 if not reached."""
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
        reached = self.depth >= 0
        rounds = down_rounds(self._view, self._starts, reached)
        return Explainer(self._view, rounds, self._parent, reached)

    def state_of(self, ci: int) -> State:
        """The state of a CI of this analysis (a changed one is DOWN). O(1) after the
        propagation."""
        if self.depth[ci] == 0:
            return State.DOWN
        return self._explainer.state(ci)

    def explain(self, ci: int) -> Explanation:
        """Why a CI of this analysis is in its state. O(its degree), once per CI."""
        if self.depth[ci] == 0:
            return _CHANGED
        return self._explainer.explain(ci)

    def path_of(self, ci: int) -> list[int]:
        """One shortest path from a changed CI to `ci`. O(its depth)."""
        path = [ci]
        parent = self._parent
        while parent[path[-1]] >= 0:
            path.append(int(parent[path[-1]]))
        path.reverse()
        return path

    def impacted(self, start: int, size: int) -> list[ImpactedCI]:
        """Impacted CIs `start` to `start + size`, nearest first, then by name and id."""
        end = min(start + size, self.count)
        if start >= end:
            return []
        keys = self.depth[self._impacted] * self.topology.size + self._impacted
        if end < self.count:
            chosen = np.argpartition(keys, end - 1)[:end]
            chosen = chosen[np.argsort(keys[chosen])]
        else:
            chosen = np.argsort(keys)
        return self._items(self._impacted[chosen[start:end]])

    def _items(self, nodes: Ints, states: Sequence[State] | None = None) -> list[ImpactedCI]:
        """The impacted CIs of `nodes`, with their states if known: the columns read at once
        (one numpy read each, not one per CI)."""
        topology = self.topology
        ids, names = topology.ids, topology.names
        known: Sequence[State | None] = [None] * len(nodes) if states is None else states
        found = zip(
            nodes.tolist(),
            topology.ci_class[nodes].tolist(),
            self.depth[nodes].tolist(),
            known,
            strict=True,
        )
        return [
            ImpactedCI(self, n, CISummary(ids[n], names[n], CLASSES[c]), depth, state)
            for n, c, depth, state in found
        ]

    @cached_property
    def _services(self) -> ServiceRanking:
        topology = self.topology
        impacted = self._impacted[topology.is_service(self._impacted)]
        changed = self._starts[topology.is_service(self._starts)]
        severity = np.concatenate(
            (
                np.where(self._explainer.rounds[impacted] >= 0, 2, 1),
                np.full(len(changed), 2),
            )
        )
        return ServiceRanking(topology, np.concatenate((impacted, changed)), severity)

    @property
    def service_count(self) -> int:
        """How many services are among the changed and impacted CIs."""
        return self._services.count

    def services_page(self, after: ServicePosition | None, size: int) -> ServicePage[ImpactedCI]:
        """The services after `after` (from the first without it), at most `size`: business
        and technical services among the changed and impacted CIs, most critical first, DOWN
        before DEGRADED, then by name and id. The first call ranks them (the propagation
        included, O(V + E) and O(S log S)); each page costs O(log S + size)."""
        ranking = self._services
        start, end = ranking.window(after, size)
        items = self._items(ranking.nodes[start:end], ranking.states(start, end))
        return ServicePage(tuple(items), end < ranking.count, ranking.count, ranking, start)

    @cached_property
    def services(self) -> tuple[ImpactedCI, ...]:
        """Every service among the changed and impacted CIs, in the order of `services_page`."""
        ranking = self._services
        return tuple(self._items(ranking.nodes, ranking.states(0, ranking.count)))
