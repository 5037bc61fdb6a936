"""Redundancy-aware failure propagation (docs/concepts.md, "States") and single points of
failure ("Single points of failure: `singlePointsOfFailure`").

Edges point from the dependent CI to the CI it depends on, so a failure spreads against them.
A CI's state is a monotone function of its dependencies' states, which is why a worklist from
the failed CIs reaches the least fixed point even when the graph has cycles: each CI changes
state at most twice (OPERATIONAL -> DEGRADED -> DOWN), and each change is announced once to its
dependents, which keep counters instead of re-reading all their dependencies.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from graph.domain import State
from graph.impact._subgraph import Subgraph
from graph.impact.algorithms._common import by_name, dependencies, dependents, distances, name_of

__all__ = ["Outcome", "Reach", "propagate", "single_points_of_failure", "upstream"]

PoolKey = tuple[str, str]
"""(dependent CI, redundancy group)."""


@dataclass(frozen=True)
class Outcome:
    """A CI's computed state under a failure and why, in a change manager's words."""

    state: State
    reason: str
    cause_ids: tuple[str, ...] = ()
    """The dependencies `reason` names: the one dependency, or the pool's DOWN members (the one
    that tipped it first, then by name). Following the first cause leads to a failed CI."""
    pool: str | None = None
    """The redundancy group `reason` is about, if it is about a pool."""


@dataclass(frozen=True)
class _Wiring:
    """Who depends on what, and how, precomputed once per subgraph."""

    roles: dict[str, dict[str, dict[str | None, None]]]
    """Dependency -> dependent -> the groups it is a member of there (None: outside any group)."""
    members: dict[PoolKey, list[str]]
    """Distinct members of each pool, in edge order."""
    needed: dict[PoolKey, int]
    """Members of each pool that must not be DOWN, clamped to 0..members."""
    pools_of: dict[str, list[str]]
    """Each dependent's group names, sorted."""


def _wire(subgraph: Subgraph) -> _Wiring:
    roles: dict[str, dict[str, dict[str | None, None]]] = {}
    members: dict[PoolKey, dict[str, None]] = {}
    for edge in subgraph.edges:
        roles.setdefault(edge.target, {}).setdefault(edge.source, {})[edge.redundancy_group] = None
        if edge.redundancy_group is not None:
            members.setdefault((edge.source, edge.redundancy_group), {})[edge.target] = None
    needed: dict[PoolKey, int] = {}
    pools_of: dict[str, list[str]] = {}
    for (source, group), pool in members.items():
        node = subgraph.nodes.get(source)
        # A pool asking for more members than it has needs all of them; one asking for none never
        # breaks. Either way nothing changes state unless something failed.
        asked = node.min_operational.get(group, len(pool)) if node is not None else len(pool)
        needed[(source, group)] = min(max(asked, 0), len(pool))
        pools_of.setdefault(source, []).append(group)
    for groups in pools_of.values():
        groups.sort()
    # Dependents in name order make the worklist, and so the reasons, independent of the order
    # the subgraph was fetched in.
    name_key = by_name(subgraph)
    roles = {
        target: {source: by_source[source] for source in sorted(by_source, key=name_key)}
        for target, by_source in roles.items()
    }
    return _Wiring(roles, {key: list(pool) for key, pool in members.items()}, needed, pools_of)


def _fixed_point(
    wiring: _Wiring, failed: Iterable[str], *, down_only: bool = False, watch: str | None = None
) -> tuple[dict[str, State], dict[str, str]]:
    """States of every CI reached (OPERATIONAL ones left out) and, per changed CI, the
    dependency whose change moved it to its final state. With `down_only`, DEGRADED is neither
    computed nor spread (DOWN never depends on it); the run stops once `watch` is DOWN."""
    state: dict[str, State] = {}
    trigger: dict[str, str] = {}
    announced: dict[str, State] = {}
    plain_down: Counter[str] = Counter()
    pool_down: Counter[PoolKey] = Counter()
    broken_pools: Counter[str] = Counter()
    affected: Counter[str] = Counter()
    queue: deque[str] = deque()
    for ci in failed:
        if ci not in state:
            state[ci] = State.DOWN
            queue.append(ci)
    while queue:
        dependency = queue.popleft()
        old, new = announced.get(dependency, State.OPERATIONAL), state[dependency]
        if old is new:
            continue
        announced[dependency] = new
        for dependent, groups in wiring.roles.get(dependency, {}).items():
            if old is State.OPERATIONAL:
                affected[dependent] += 1
            if new is State.DOWN:
                for group in groups:
                    if group is None:
                        plain_down[dependent] += 1
                        continue
                    key = (dependent, group)
                    pool_down[key] += 1
                    if pool_down[key] == len(wiring.members[key]) - wiring.needed[key] + 1:
                        broken_pools[dependent] += 1
            current = state.get(dependent, State.OPERATIONAL)
            if plain_down[dependent] or broken_pools[dependent]:
                updated = State.DOWN
            elif affected[dependent] and not down_only:
                updated = State.DEGRADED
            else:
                continue
            if updated.severity <= current.severity:
                continue
            state[dependent] = updated
            trigger[dependent] = dependency
            if updated is State.DOWN and dependent == watch:
                return state, trigger
            queue.append(dependent)
    return state, trigger


def propagate(subgraph: Subgraph, failed: Collection[str]) -> dict[str, Outcome]:
    """The redundancy-aware state of every CI that is not OPERATIONAL when `failed` are DOWN.

    Rules of docs/concepts.md, "States", per CI from its outgoing edges: DOWN if a dependency
    outside any redundancy group is DOWN or a group has fewer than `minOperational` members
    (default: all of them) that are not DOWN; DEGRADED if some dependency is DOWN or DEGRADED;
    else OPERATIONAL. CIs absent from `subgraph.nodes` are OPERATIONAL unless failed. Cycles settle
    at the least fixed point. Reasons (the most severe cause, and one that leads back to a
    failed CI, never around a cycle):

    - ``failed``
    - ``depends on <name> (DOWN)`` / ``depends on <name> (DEGRADED)``
    - ``pool <group>: <d> of <n> members affected, <m> needed, <n-d> remain`` (a member counts
      as affected when DOWN); DOWN when ``n-d < m``, else DEGRADED.

    O(V + E) after sorting each CI's dependents by name (O(E log E)): each CI changes state at
    most twice and announces each change to its dependents, which keep counters.
    """
    wiring = _wire(subgraph)
    state, trigger = _fixed_point(wiring, sorted(failed, key=by_name(subgraph)))
    failed_ids = set(failed)
    return {
        ci: Outcome(State.DOWN, "failed")
        if ci in failed_ids
        else _explain(subgraph, wiring, state, ci, trigger[ci])
        for ci in state
    }


def _explain(
    subgraph: Subgraph, wiring: _Wiring, state: dict[str, State], ci: str, cause: str
) -> Outcome:
    """Why `ci` is in its state, given the dependency whose change put it there."""
    ci_state = state[ci]
    name_key = by_name(subgraph)
    pools = [(group, wiring.members[(ci, group)]) for group in wiring.pools_of.get(ci, ())]
    if ci_state is State.DOWN:
        if None in wiring.roles[cause][ci]:
            return Outcome(State.DOWN, f"depends on {name_of(subgraph, cause)} (DOWN)", (cause,))
        pools = [(group, members) for group, members in pools if cause in members]
    for group, members in sorted(pools, key=lambda pool: cause not in pool[1]):
        # The member whose failure tipped the pool comes first: following first causes then
        # leads back to a failed CI, never around a cycle through this CI.
        down = sorted(
            (m for m in members if state.get(m) is State.DOWN),
            key=lambda m: (m != cause, *name_key(m)),
        )
        needed = wiring.needed[(ci, group)]
        remain = len(members) - len(down)
        if down and (remain < needed) == (ci_state is State.DOWN):
            reason = (
                f"pool {group}: {len(down)} of {len(members)} members affected, "
                f"{needed} needed, {remain} remain"
            )
            return Outcome(ci_state, reason, tuple(down), group)
    cause_state = state[cause].value
    return Outcome(ci_state, f"depends on {name_of(subgraph, cause)} ({cause_state})", (cause,))


def single_points_of_failure(subgraph: Subgraph, service_id: str) -> list[str]:
    """Every CI other than the service whose failure alone takes the service DOWN
    (redundancy-aware), nearest to the service first, then by name and id.

    Only CIs the service transitively depends on can qualify, and only their edges matter.
    Each candidate gets a DOWN-only propagation (DEGRADED never makes anything DOWN) that stops
    as soon as the service is DOWN: O(V·(V + E)) in the worst case, O(V + E) per candidate.
    """
    depth = distances(dependencies(subgraph), [service_id])
    closure = Subgraph(
        {ci: node for ci, node in subgraph.nodes.items() if ci in depth},
        tuple(edge for edge in subgraph.edges if edge.source in depth),
    )
    wiring = _wire(closure)
    name_key = by_name(subgraph)
    candidates = sorted(
        (ci for ci in depth if ci != service_id), key=lambda ci: (depth[ci], *name_key(ci))
    )
    return [
        candidate
        for candidate in candidates
        if service_id in _fixed_point(wiring, [candidate], down_only=True, watch=service_id)[0]
    ]


@dataclass(frozen=True)
class Reach:
    """The CIs that transitively depend on some start CIs, as far as a depth limit."""

    depth: Mapping[str, int]
    """Each reached CI's hop count from the nearest start CI (starts are 0), nearest first."""
    parent: Mapping[str, str | None]
    """The CI one hop nearer a start on a shortest path (what it depends on); None for starts."""
    truncated: bool
    """Whether the depth limit cut anything off: a CI at the limit has a dependent not reached."""

    def path(self, ci_id: str) -> tuple[str, ...]:
        """One shortest explaining path, from a start CI to `ci_id` (each CI depends on the one
        before it); empty if `ci_id` was not reached. O(depth)."""
        if ci_id not in self.parent:
            return ()
        steps = [ci_id]
        previous = self.parent[ci_id]
        while previous is not None:
            steps.append(previous)
            previous = self.parent[previous]
        return tuple(reversed(steps))


def upstream(subgraph: Subgraph, start_ids: Collection[str], max_depth: int) -> Reach:
    """Every CI that transitively depends on `start_ids` within `max_depth` hops (the starts
    included at depth 0), each with its depth and one shortest path. Ties between equally short
    paths go to the start and dependency first by name, then id, so the answer does not depend
    on the order the subgraph was fetched in. Raises ValueError if `max_depth` is negative.

    O(V + E log E) (the sort of each CI's dependents).
    """
    if max_depth < 0:
        raise ValueError(f"max_depth must be 0 or more, not {max_depth}")
    needed_by = dependents(subgraph)
    depth: dict[str, int] = {}
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    for start in sorted(start_ids, key=by_name(subgraph)):
        if start not in depth:
            depth[start], parent[start] = 0, None
            queue.append(start)
    while queue:
        current = queue.popleft()
        if depth[current] == max_depth:
            continue
        for dependent in needed_by.get(current, ()):
            if dependent not in depth:
                depth[dependent], parent[dependent] = depth[current] + 1, current
                queue.append(dependent)
    truncated = any(
        dependent not in depth
        for ci, hops in depth.items()
        if hops == max_depth
        for dependent in needed_by.get(ci, ())
    )
    return Reach(depth, parent, truncated)
