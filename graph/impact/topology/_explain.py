"""Why a CI is in its computed state, in a change manager's words (docs/concepts.md, "States").

Computed per CI on demand (for the page shown, the services listed), never for a whole blast
radius: each explanation reads the CI's own dependencies, O(its degree · log).
Reasons, as the reference algorithm of the property tests words them:

- ``failed``
- ``depends on <name> (DOWN)`` / ``depends on <name> (DEGRADED)``
- ``pool <group>: <d> of <n> members affected, <m> needed, <n-d> remain``
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.domain import State
from graph.impact.topology._arrays import NO_POOL, Ints, View

__all__ = ["Explainer", "Explanation"]


@dataclass(frozen=True)
class Explanation:
    state: State
    reason: str
    causes: tuple[int, ...] = ()
    """The dependencies the reason names; following the first leads back to a failed CI."""


class Explainer:
    """Explains states of one propagation: `rounds` from `down_rounds`, `parent` from the
    breadth-first traversal that found the CIs not OPERATIONAL (`reached`)."""

    def __init__(self, view: View, rounds: Ints, parent: Ints, reached: np.ndarray) -> None:
        self._view = view
        self.rounds = rounds
        """Per CI, the round it went DOWN in (0: failed), -1 if it did not."""
        self._parent = parent
        self._reached = reached
        self._names = view.topology.names
        self._cache: dict[int, Explanation] = {}

    def state(self, ci: int) -> State:
        if self.rounds[ci] >= 0:
            return State.DOWN
        return State.DEGRADED if self._reached[ci] else State.OPERATIONAL

    def explain(self, ci: int) -> Explanation:
        found = self._cache.get(ci)
        if found is None:
            found = self._cache[ci] = self._explain(ci)
        return found

    def failed_causes(self, ci: int) -> tuple[int, ...]:
        """The failed CIs behind `ci`'s state, following causes. O(CIs on the way)."""
        found: set[int] = set()
        seen = {ci}
        queue = [ci]
        while queue:
            current = queue.pop()
            if self.rounds[current] == 0:
                found.add(current)
                continue
            for cause in self.explain(current).causes:
                if cause not in seen:
                    seen.add(cause)
                    queue.append(cause)
        return tuple(sorted(found))

    def _explain(self, ci: int) -> Explanation:
        rounds = self.rounds
        state = self.state(ci)
        if state is State.OPERATIONAL:
            return Explanation(state, "operational")
        if rounds[ci] == 0:
            return Explanation(state, "failed")
        targets, pools = self._view.dependencies(ci)
        if state is State.DOWN:
            # What went DOWN the round before this CI did is what took it down.
            tipping = (rounds[targets] >= 0) & (rounds[targets] == rounds[ci] - 1)
            plain = targets[tipping & (pools == NO_POOL)]
            if len(plain):
                return Explanation(state, f"depends on {self._names[plain[0]]} (DOWN)", (plain[0],))
            # Else a pool broke: take a tipping member of a pool that is broken.
            down = rounds[targets] >= 0
            cause = next(
                int(t)
                for t, p in zip(targets[tipping], pools[tipping], strict=True)
                if int(np.count_nonzero(down[pools == p])) > self._slack(int(p))
            )
        else:
            cause = int(self._parent[ci])
        pool_reason = self._pool_reason(ci, state, cause, targets, pools)
        if pool_reason is not None:
            return pool_reason
        return Explanation(
            state, f"depends on {self._names[cause]} ({self.state(cause).value})", (cause,)
        )

    def _slack(self, pool: int) -> int:
        return int(self._view.members[pool] - self._view.needed[pool])

    def _pool_reason(
        self, ci: int, state: State, cause: int, targets: Ints, pools: Ints
    ) -> Explanation | None:
        """The first pool (the cause's first, then by group name) with members DOWN that broke
        (for DOWN) or held (for DEGRADED)."""
        topology = self._view.topology
        owned = sorted(
            {int(p) for p in pools if p != NO_POOL},
            key=lambda p: (cause not in targets[pools == p], topology.pool_group[p]),
        )
        for pool in owned:
            members = targets[pools == pool]
            down = sorted(
                (int(m) for m in members if self.rounds[m] >= 0), key=lambda m: (m != cause, m)
            )
            needed = int(self._view.needed[pool])
            remain = len(members) - len(down)
            if down and (remain < needed) == (state is State.DOWN):
                reason = (
                    f"pool {topology.pool_group[pool]}: {len(down)} of {len(members)} members "
                    f"affected, {needed} needed, {remain} remain"
                )
                return Explanation(state, reason, tuple(down))
        return None
