"""A CI's direct neighbourhood: the CIs it depends on and the CIs that depend on it.

Built for DataLoaders: one call answers the pages of many CIs in one round trip, so a page of
CIs with their neighbours costs the same number of queries whatever its size.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, LiteralString

from graph._database import Database
from graph.cis._projection import (
    CI_PROJECTION,
    CLASS_BY_LABEL,
    ci_from_projection,
    datetime_from_text,
)
from graph.cis._relationships import Relationship
from graph.domain import CI, CIClass, RelationType

__all__ = ["Direction", "Neighbour", "NeighbourPage", "NeighbourRepository", "NeighbourRequest"]


class Direction(Enum):
    DEPENDS_ON = "dependsOn"
    """Outgoing edges: what the CI needs."""
    DEPENDENTS = "dependents"
    """Incoming edges: what needs the CI."""


# The neighbour is bound to `c` so that it can be projected with `CI_PROJECTION`, or only as
# the summary most pages need; the edge's timestamps travel as text for the reason given in
# graph/cis/_projection.py. The edge's details and the total are read only when asked: a page
# that shows only the edges' types and the neighbours' names costs half the database work.
_PAGE_TEMPLATE: LiteralString = """
UNWIND $requests AS req
MATCH (subject:CI {id: req.ciId})
CALL (subject, req) {
  MATCH PATTERN
  WHERE r.validTo IS NULL AND type(r) IN req.types
    AND (req.afterType IS NULL
         OR type(r) > req.afterType
         OR (type(r) = req.afterType AND (c.name > req.afterName
             OR (c.name = req.afterName AND c.id > req.afterId))))
  WITH r, c ORDER BY type(r), c.name, c.id LIMIT $limit
  RETURN collect({type: type(r)EDGE, ci: NEIGHBOUR}) AS rows
}
TOTAL
RETURN req.key AS key, req.ciId AS ciId, rows, total
"""

_EDGE_DETAILS: LiteralString = """, source: r.source, confidence: r.confidence,
                  redundancyGroup: r.redundancyGroup, createdAt: toString(r.createdAt),
                  lastConfirmedAt: toString(r.lastConfirmedAt),
                  validFrom: toString(r.validFrom), validTo: toString(r.validTo)"""

_TOTAL: LiteralString = """CALL (subject, req) {
  MATCH PATTERN
  WHERE r.validTo IS NULL AND type(r) IN req.types
  RETURN count(r) AS total
}"""

_NO_TOTAL: LiteralString = "WITH req, rows, null AS total"

CI_SUMMARY: LiteralString = "c {.id, .name, .class}"

_PATTERNS: dict[Direction, LiteralString] = {
    Direction.DEPENDS_ON: "(subject)-[r]->(c:CI)",
    Direction.DEPENDENTS: "(subject)<-[r]-(c:CI)",
}


def _page_query(direction: Direction, whole: bool, details: bool, total: bool) -> LiteralString:
    return (
        _PAGE_TEMPLATE.replace("TOTAL", _TOTAL if total else _NO_TOTAL)
        .replace("PATTERN", _PATTERNS[direction])
        .replace("EDGE", _EDGE_DETAILS if details else "")
        .replace("NEIGHBOUR", CI_PROJECTION if whole else CI_SUMMARY)
    )


# By direction, whether the neighbours come whole, the edges with their details, the total.
_QUERIES: dict[tuple[Direction, bool, bool, bool], LiteralString] = {
    (direction, whole, details, total): _page_query(direction, whole, details, total)
    for direction in Direction
    for whole in (False, True)
    for details in (False, True)
    for total in (False, True)
}


_TYPE_BY_NAME = {relation_type.value: relation_type for relation_type in RelationType}


@dataclass(frozen=True)
class NeighbourRequest:
    """One CI's page of neighbours: hashable, so it can key a DataLoader."""

    ci_id: str
    direction: Direction
    first: int
    after: tuple[str, str, str] | None = None
    """(relation type, neighbour name, neighbour id) of the last row of the previous page."""
    types: tuple[RelationType, ...] = tuple(RelationType)
    whole: bool = True
    """False: the neighbours' summaries (id, name, class) suffice, which costs a fraction of
    reading whole CIs, in Neo4j and here."""
    details: bool = True
    """False: of each edge, its type suffices (no source, confidence, redundancy group or
    timestamps)."""
    total: bool = True
    """False: the page's total is not counted (`NeighbourPage.total` is None)."""


@dataclass(frozen=True)
class Neighbour:
    type: RelationType
    from_id: str
    to_id: str
    relationship: Relationship | None
    """The edge with its details; None when its page was read without them."""
    ci_id: str
    ci_name: str
    ci_class: CIClass
    """The summary of the CI at the other end."""
    ci: CI | None
    """The CI at the other end, whole; None when its page was read as summaries."""

    @property
    def position(self) -> tuple[str, str, str]:
        return (self.type.value, self.ci_name, self.ci_id)


@dataclass(frozen=True)
class NeighbourPage:
    items: tuple[Neighbour, ...]
    has_next: bool
    total: int | None
    """All the current edges the page is one of; None when not asked for."""


class NeighbourRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def pages(self, requests: Sequence[NeighbourRequest]) -> list[NeighbourPage]:
        """The pages asked for, in order. One round trip per direction and page size present
        in `requests`, whatever their number (LIMIT must be the same for every row of a
        query), sent concurrently; ordered by relation type, name, id. The neighbours come
        whole, the edges with their details and the pages with their totals when any request
        of their query asks for it."""
        groups: dict[tuple[Direction, int], list[tuple[int, NeighbourRequest]]] = {}
        for i, request in enumerate(requests):
            groups.setdefault((request.direction, request.first), []).append((i, request))
        answers: dict[int, NeighbourPage] = {}
        # Independent reads: each on its own session, so neither waits for the other.
        for answered in await asyncio.gather(
            *(self._pages(direction, first, batch) for (direction, first), batch in groups.items())
        ):
            answers.update(answered)
        empty = NeighbourPage((), has_next=False, total=0)
        return [answers.get(i, empty) for i in range(len(requests))]

    async def _pages(
        self, direction: Direction, first: int, batch: list[tuple[int, NeighbourRequest]]
    ) -> dict[int, NeighbourPage]:
        """The pages of `batch` by their key: one round trip."""
        whole = any(request.whole for _, request in batch)
        details = any(request.details for _, request in batch)
        total = any(request.total for _, request in batch)
        rows = await self._db.read_rows(
            f"neighbours.{direction.value}",
            _QUERIES[direction, whole, details, total],
            requests=[_parameter(key, request) for key, request in batch],
            limit=first + 1,
        )
        pages: dict[int, NeighbourPage] = {}
        for row in rows:
            neighbours = [
                _neighbour(direction, row["ciId"], item, whole, details) for item in row["rows"]
            ]
            counted = row["total"]
            pages[row["key"]] = NeighbourPage(
                tuple(neighbours[:first]),
                has_next=len(neighbours) > first,
                total=int(counted) if counted is not None else None,
            )
        return pages


def _parameter(key: int, request: NeighbourRequest) -> dict[str, Any]:
    after = request.after or (None, None, None)
    return {
        "key": key,
        "ciId": request.ci_id,
        "types": [t.value for t in request.types],
        "afterType": after[0],
        "afterName": after[1],
        "afterId": after[2],
    }


def _neighbour(
    direction: Direction, subject: str, item: dict[str, Any], whole: bool, details: bool
) -> Neighbour:
    """One item of a row's `rows`; `subject` is the CI whose neighbour it is."""
    other = item["ci"]
    other_id = other["id"]
    outgoing = direction is Direction.DEPENDS_ON
    from_id, to_id = (subject, other_id) if outgoing else (other_id, subject)
    relation_type = _TYPE_BY_NAME[item["type"]]
    relationship = None
    if details:
        valid_to = item["validTo"]
        relationship = Relationship(
            from_id=from_id,
            to_id=to_id,
            type=relation_type,
            source=item["source"],
            confidence=item["confidence"],
            redundancy_group=item["redundancyGroup"],
            created_at=datetime_from_text(item["createdAt"]),
            last_confirmed_at=datetime_from_text(item["lastConfirmedAt"]),
            valid_from=datetime_from_text(item["validFrom"]),
            valid_to=datetime_from_text(valid_to) if valid_to is not None else None,
        )
    return Neighbour(
        relation_type,
        from_id,
        to_id,
        relationship,
        other_id,
        other["name"],
        CLASS_BY_LABEL[other["class"]],
        ci_from_projection(other) if whole else None,
    )
