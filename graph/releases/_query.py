"""Which releases `releases` lists: the filter, the order and the Cypher of one page (newest
first by default), keyset over the number."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, LiteralString

from graph.domain import ReleaseState, ReleaseType
from graph.releases._cypher import RELEASE_PROJECTION

__all__ = ["ReleaseFilter", "ReleaseOrder", "ReleaseOrderField", "count_query", "page_query"]


class ReleaseOrderField(Enum):
    NUMBER = "NUMBER"


@dataclass(frozen=True)
class ReleaseOrder:
    """By number: newest (highest) first by default."""

    field: ReleaseOrderField = ReleaseOrderField.NUMBER
    descending: bool = True


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
}
_AFTER: dict[bool, LiteralString] = {True: "r.number < $after", False: "r.number > $after"}
_SORT: dict[bool, LiteralString] = {True: "r.number DESC", False: "r.number ASC"}


def count_query(parameters: dict[str, Any]) -> LiteralString:
    """The Cypher that counts the releases the filter's `parameters` match (as `total`)."""
    conditions = [p for name, p in _PREDICATES.items() if name in parameters]
    where: LiteralString = "WHERE " + " AND ".join(conditions) + "\n" if conditions else ""
    return "MATCH (r:Release)\n" + where + "RETURN count(r) AS total"


def page_query(parameters: dict[str, Any], order: ReleaseOrder = ReleaseOrder()) -> LiteralString:
    """The Cypher of one page (releases as `release`, in `order`) for `parameters` (the
    filter's, `after` when paging on, and `$limit`)."""
    conditions = [p for name, p in _PREDICATES.items() if name in parameters]
    if "after" in parameters:
        conditions.append(_AFTER[order.descending])
    where: LiteralString = "WHERE " + " AND ".join(conditions) + "\n" if conditions else ""
    sort = _SORT[order.descending]
    return (
        "MATCH (r:Release)\n"
        + where
        + "WITH r ORDER BY "
        + sort
        + " LIMIT $limit\nRETURN "
        + RELEASE_PROJECTION
        + " AS release\nORDER BY "
        + sort
    )
