"""Which releases `releases` lists: the filter and the Cypher of one page, newest first, keyset
over the number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

from graph.domain import ReleaseState, ReleaseType
from graph.releases._cypher import RELEASE_PROJECTION

__all__ = ["ReleaseFilter", "count_query", "page_query"]


@dataclass(frozen=True)
class ReleaseFilter:
    """Every field set narrows the result (AND; values within one OR); empty does not filter."""

    states: tuple[ReleaseState, ...] = ()
    types: tuple[ReleaseType, ...] = ()

    def parameters(self) -> dict[str, Any]:
        values = {
            "states": sorted({s.value for s in self.states}),
            "types": sorted({t.value for t in self.types}),
        }
        return {name: value for name, value in values.items() if value}


_PREDICATES: dict[str, LiteralString] = {
    "states": "r.state IN $states",
    "types": "r.type IN $types",
    "after": "r.number < $after",
}


def count_query(parameters: dict[str, Any]) -> LiteralString:
    """The Cypher that counts the releases the filter's `parameters` match (as `total`)."""
    conditions = [p for name, p in _PREDICATES.items() if name in parameters and name != "after"]
    where: LiteralString = "WHERE " + " AND ".join(conditions) + "\n" if conditions else ""
    return "MATCH (r:Release)\n" + where + "RETURN count(r) AS total"


def page_query(parameters: dict[str, Any]) -> LiteralString:
    """The Cypher of one page (releases as `release`, newest first) for `parameters` (the
    filter's, `after` when paging on, and `$limit`)."""
    conditions = [p for name, p in _PREDICATES.items() if name in parameters]
    where: LiteralString = "WHERE " + " AND ".join(conditions) + "\n" if conditions else ""
    return (
        "MATCH (r:Release)\n"
        + where
        + "WITH r ORDER BY r.number DESC LIMIT $limit\nRETURN "
        + RELEASE_PROJECTION
        + " AS release\nORDER BY r.number DESC"
    )
