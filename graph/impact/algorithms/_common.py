"""Helpers the impact algorithms share: names, deterministic orderings, adjacency, closures."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from graph.impact._subgraph import Subgraph

SortKey = tuple[str, str]


def name_of(subgraph: Subgraph, ci_id: str) -> str:
    """The CI's name, or its id when the fetch did not include it."""
    node = subgraph.nodes.get(ci_id)
    return node.name if node is not None else ci_id


def by_name(subgraph: Subgraph) -> Callable[[str], SortKey]:
    """A sort key ordering CI ids by name, then id: the tie-break every result uses."""

    def key(ci_id: str) -> SortKey:
        return (name_of(subgraph, ci_id), ci_id)

    return key


def dependencies(subgraph: Subgraph) -> dict[str, list[str]]:
    """Distinct CIs each CI depends on directly, sorted by name then id. O(V + E log E)."""
    found: dict[str, dict[str, None]] = {node: {} for node in subgraph.nodes}
    for edge in subgraph.edges:
        found.setdefault(edge.source, {})[edge.target] = None
        found.setdefault(edge.target, {})
    key = by_name(subgraph)
    return {ci: sorted(targets, key=key) for ci, targets in found.items()}


def dependents(subgraph: Subgraph) -> dict[str, list[str]]:
    """Distinct CIs depending directly on each CI, sorted by name then id. O(V + E log E)."""
    found: dict[str, dict[str, None]] = {node: {} for node in subgraph.nodes}
    for edge in subgraph.edges:
        found.setdefault(edge.target, {})[edge.source] = None
        found.setdefault(edge.source, {})
    key = by_name(subgraph)
    return {ci: sorted(sources, key=key) for ci, sources in found.items()}


def distances(adjacency: dict[str, list[str]], starts: Iterable[str]) -> dict[str, int]:
    """Breadth-first hop counts from `starts` (0) along `adjacency`, in visiting order. O(V + E)."""
    depth: dict[str, int] = {}
    queue: deque[str] = deque()
    for start in starts:
        if start not in depth:
            depth[start] = 0
            queue.append(start)
    while queue:
        current = queue.popleft()
        for neighbour in adjacency.get(current, ()):
            if neighbour not in depth:
                depth[neighbour] = depth[current] + 1
                queue.append(neighbour)
    return depth
