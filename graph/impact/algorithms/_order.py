"""Recovery order (docs/concepts.md, "Impact questions"): dependencies before dependents,
cycles recovered together."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from graph.impact._subgraph import Subgraph
from graph.impact.algorithms._common import SortKey, by_name, dependencies, distances

__all__ = ["RecoveryPlan", "recovery_order"]


@dataclass(frozen=True)
class RecoveryPlan:
    """What to bring up, in order: each step is one CI, or one cycle's CIs brought up together."""

    steps: tuple[tuple[str, ...], ...]
    cycles: tuple[tuple[str, ...], ...]
    """The steps that are cycles: several CIs depending on each other, or one depending on
    itself; in step order."""


def recovery_order(subgraph: Subgraph, service_id: str) -> RecoveryPlan:
    """The service's transitive dependencies, and the service last, in an order where every CI
    comes after what it depends on. A strongly connected component is one step (its CIs sorted
    by name, then id) and is reported in `cycles`; among the steps whose dependencies are all
    up, the one whose first CI sorts first by name, then id, goes first.

    O((V + E) log V): iterative Tarjan (no recursion, so deep graphs are fine), then Kahn's
    algorithm over the components with a heap for the deterministic order.
    """
    needs = dependencies(subgraph)
    closure = list(distances(needs, [service_id]))
    components = _strongly_connected(needs, closure)
    name_key = by_name(subgraph)
    steps = [tuple(sorted(members, key=name_key)) for members in components]
    component_of = {ci: number for number, members in enumerate(components) for ci in members}
    waiting_on = [0] * len(steps)
    needed_by: list[set[int]] = [set() for _ in steps]
    for ci in closure:
        for dependency in needs[ci]:
            dependent_step, dependency_step = component_of[ci], component_of[dependency]
            if (
                dependent_step != dependency_step
                and dependent_step not in needed_by[dependency_step]
            ):
                needed_by[dependency_step].add(dependent_step)
                waiting_on[dependent_step] += 1
    ready: list[tuple[SortKey, int]] = [
        (name_key(steps[number][0]), number) for number, count in enumerate(waiting_on) if not count
    ]
    heapq.heapify(ready)
    ordered: list[tuple[str, ...]] = []
    while ready:
        _, number = heapq.heappop(ready)
        ordered.append(steps[number])
        for dependent_step in needed_by[number]:
            waiting_on[dependent_step] -= 1
            if not waiting_on[dependent_step]:
                heapq.heappush(ready, (name_key(steps[dependent_step][0]), dependent_step))
    cycles = tuple(step for step in ordered if len(step) > 1 or step[0] in needs[step[0]])
    return RecoveryPlan(tuple(ordered), cycles)


def _strongly_connected(adjacency: dict[str, list[str]], nodes: Iterable[str]) -> list[list[str]]:
    """Tarjan's strongly connected components of the graph reachable from `nodes`, with an
    explicit stack. O(V + E)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work[-1]
            neighbours = adjacency.get(node, [])
            if position < len(neighbours):
                work[-1] = (node, position + 1)
                neighbour = neighbours[position]
                if neighbour not in index:
                    index[neighbour] = low[neighbour] = len(index)
                    stack.append(neighbour)
                    on_stack.add(neighbour)
                    work.append((neighbour, 0))
                elif neighbour in on_stack:
                    low[node] = min(low[node], index[neighbour])
                continue
            work.pop()
            if work:
                caller = work[-1][0]
                low[caller] = min(low[caller], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components
