"""Root-cause candidates: the shared dependencies that would explain several failing CIs."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from graph.impact._subgraph import Subgraph
from graph.impact.algorithms._common import by_name, dependencies, distances

__all__ = ["RootCause", "root_cause_candidates"]


@dataclass(frozen=True)
class RootCause:
    """A CI whose failure would explain `count` of the given CIs' incidents."""

    ci_id: str
    explains: tuple[str, ...]
    """The given CIs that depend on it transitively or are it, sorted by id."""
    count: int
    total_distance: int
    """Sum of the hops from each explained CI down to it: smaller means a closer explanation."""


def root_cause_candidates(subgraph: Subgraph, ci_ids: Collection[str]) -> list[RootCause]:
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
        RootCause(ci, tuple(explained[ci]), len(explained[ci]), total_distance[ci]) for ci in ranked
    ]
