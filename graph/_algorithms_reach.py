"""Who is reached from where: upstream depth and paths (§4.1), root-cause candidates (§4.6)."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from graph._algorithms_common import by_name, dependencies, dependents, distances
from graph._subgraph import Subgraph

__all__ = ["Candidate", "Reach", "root_cause_candidates", "upstream"]


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


@dataclass(frozen=True)
class Candidate:
    """A CI whose failure would explain `count` of the given CIs' incidents."""

    ci_id: str
    explains: tuple[str, ...]
    """The given CIs that depend on it transitively or are it, sorted by id."""
    count: int
    total_distance: int
    """Sum of the hops from each explained CI down to it: smaller means a closer explanation."""


def root_cause_candidates(subgraph: Subgraph, ci_ids: Collection[str]) -> list[Candidate]:
    """Shared dependencies of `ci_ids`, ranked by how many of them each explains (a CI explains
    a given CI that depends on it transitively, or that it is), then by smaller total distance,
    then by name and id.

    With two or more given CIs, only candidates explaining at least two are returned (so a given
    CI is a candidate only when another given CI depends on it). With a single given CI every
    CI it transitively depends on is returned, nearest first: each explains it alone, and that
    list is what an engineer works through. No given CI: empty.

    O(k·(V + E)) for k given CIs, plus sorting the candidates.
    """
    needs = dependencies(subgraph)
    given = sorted(set(ci_ids))
    explained: dict[str, list[str]] = {}
    total_distance: dict[str, int] = {}
    for ci in given:
        for candidate, hops in distances(needs, [ci]).items():
            explained.setdefault(candidate, []).append(ci)
            total_distance[candidate] = total_distance.get(candidate, 0) + hops
    at_least = 2 if len(given) > 1 else 1
    name_key = by_name(subgraph)
    ranked = sorted(
        (
            candidate
            for candidate, cis in explained.items()
            if len(cis) >= at_least and not (len(given) == 1 and candidate in given)
        ),
        key=lambda ci: (-len(explained[ci]), total_distance[ci], *name_key(ci)),
    )
    return [
        Candidate(ci, tuple(explained[ci]), len(explained[ci]), total_distance[ci]) for ci in ranked
    ]
