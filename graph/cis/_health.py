"""The health of the CMDB (docs/concepts.md, "CMDB health"): orphans, stale CIs and
relationships, incomplete CIs.

Retired CIs are never reported: retiring is the end of a CI's life, not a gap in the data.
Every list pages by keyset, so it stays correct while the graph changes between pages.

- Orphan: a CI with no current relationship (`validTo` null) of a `RelationType`, either way.
- Stale CI: not confirmed for `days` days. A CI is confirmed when a source reports it: the
  import sets `lastConfirmedAt`; a CI no import has confirmed counts from its `updatedAt`.
- Stale relationship: a current edge whose `lastConfirmedAt` is `days` days old or older,
  between two CIs that are not retired.
- Incomplete CI: a production CI without owner, support group or criticality.

What the lists return is in `graph/cis/_health_model.py`; this module is the Cypher and the
repository that runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, LiteralString, TypeVar

from graph._database import Database, Row
from graph.cis._health_model import (
    HealthPage,
    IncompleteCI,
    RequiredAttribute,
    StaleCI,
    StaleRelationship,
    check_stale_after_days,
)
from graph.cis._projection import ci_from_properties
from graph.cis._relationships import Relationship
from graph.cis._repository import PageKey
from graph.domain import CI, CIStatus, Environment, RelationType
from graph.errors import FieldError, InvalidInput

__all__ = ["CMDBHealthRepository"]

T = TypeVar("T")

ORPHANS: LiteralString = """
MATCH (c:CI)
WHERE c.status <> $retired
  AND NOT EXISTS {
    MATCH (c)-[r]-(:CI) WHERE r.validTo IS NULL AND type(r) IN $relationTypes
  }
"""

PAGE_ORPHANS = (
    ORPHANS
    + """  AND ($afterKey IS NULL OR c.name > $afterKey OR (c.name = $afterKey AND c.id > $afterId))
RETURN c {.*} AS ci, c.name AS sortKey, c.id AS tieBreak
ORDER BY c.name, c.id
LIMIT $limit
"""
)

COUNT_ORPHANS = ORPHANS + "RETURN count(c) AS total"

# A CI's last confirmation: what the import set, else its last update.
STALE_CIS: LiteralString = """
MATCH (c:CI)
WHERE c.status <> $retired
WITH c, coalesce(c.lastConfirmedAt, c.updatedAt) AS confirmedAt
WHERE confirmedAt <= datetime() - duration({days: $days})
"""

PAGE_STALE_CIS = (
    STALE_CIS
    + """  AND ($afterKey IS NULL OR confirmedAt > datetime($afterKey)
       OR (confirmedAt = datetime($afterKey) AND c.id > $afterId))
RETURN c {.*} AS ci, confirmedAt, toString(confirmedAt) AS sortKey, c.id AS tieBreak
ORDER BY confirmedAt, c.id
LIMIT $limit
"""
)

COUNT_STALE_CIS = STALE_CIS + "RETURN count(c) AS total"

# There is at most one current edge of a type between two CIs, so (from, type, to) names it.
STALE_RELATIONSHIPS: LiteralString = """
MATCH (a:CI)-[r]->(b:CI)
WHERE r.validTo IS NULL AND type(r) IN $relationTypes
  AND a.status <> $retired AND b.status <> $retired
WITH a, r, b, coalesce(r.lastConfirmedAt, r.createdAt) AS confirmedAt,
     a.id + ' ' + type(r) + ' ' + b.id AS edgeKey
WHERE confirmedAt <= datetime() - duration({days: $days})
"""

PAGE_STALE_RELATIONSHIPS = (
    STALE_RELATIONSHIPS
    + """  AND ($afterKey IS NULL OR confirmedAt > datetime($afterKey)
       OR (confirmedAt = datetime($afterKey) AND edgeKey > $afterId))
RETURN a.id AS fromId, type(r) AS type, b.id AS toId, r {.*} AS edge, confirmedAt,
       toString(confirmedAt) AS sortKey, edgeKey AS tieBreak
ORDER BY confirmedAt, edgeKey
LIMIT $limit
"""
)

COUNT_STALE_RELATIONSHIPS = STALE_RELATIONSHIPS + "RETURN count(r) AS total"

INCOMPLETE_CIS: LiteralString = """
MATCH (c:CI)
WHERE c.environment = $production AND c.status <> $retired
  AND (c.owner IS NULL OR c.supportGroup IS NULL OR c.criticality IS NULL)
"""

PAGE_INCOMPLETE_CIS = (
    INCOMPLETE_CIS
    + """  AND ($afterKey IS NULL OR c.name > $afterKey OR (c.name = $afterKey AND c.id > $afterId))
RETURN c {.*} AS ci, c.name AS sortKey, c.id AS tieBreak
ORDER BY c.name, c.id
LIMIT $limit
"""
)

COUNT_INCOMPLETE_CIS = INCOMPLETE_CIS + "RETURN count(c) AS total"


def _after(after: PageKey | None) -> dict[str, Any]:
    return {"afterKey": after[0] if after else None, "afterId": after[1] if after else None}


def _after_instant(after: PageKey | None) -> dict[str, Any]:
    """`_after` for the lists ordered by time: the key must be Neo4j datetime text."""
    if after is not None:
        try:
            # Neo4j writes a named zone in brackets after the offset; Python reads the rest.
            datetime.fromisoformat(after[0].split("[", 1)[0])
        except ValueError as error:
            raise InvalidInput(
                [FieldError("after", "the cursor does not fit this list", "INVALID_VALUE")]
            ) from error
    return _after(after)


class CMDBHealthRepository:
    """Reads only. Each page is one round trip, each count another; counts scan the CIs (or,
    for relationships, the edges) once."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._common = {
            "retired": CIStatus.RETIRED.value,
            "production": Environment.PRODUCTION.value,
            "relationTypes": [t.value for t in RelationType],
        }

    async def orphans(self, first: int, after: PageKey | None) -> HealthPage[CI]:
        """Non-retired CIs with no current relationship, by name then id."""
        rows = await self._page("health.orphans", PAGE_ORPHANS, first, _after(after))
        return _page(rows, first, lambda row: ci_from_properties(row["ci"]))

    async def count_orphans(self) -> int:
        return await self._count("health.countOrphans", COUNT_ORPHANS)

    async def stale_cis(self, days: int, first: int, after: PageKey | None) -> HealthPage[StaleCI]:
        """Non-retired CIs last confirmed `days` or more days ago, oldest first."""
        check_stale_after_days(days)
        rows = await self._page(
            "health.staleCIs", PAGE_STALE_CIS, first, _after_instant(after), days=days
        )
        return _page(
            rows,
            first,
            lambda row: StaleCI(ci_from_properties(row["ci"]), row["confirmedAt"].to_native()),
        )

    async def count_stale_cis(self, days: int) -> int:
        check_stale_after_days(days)
        return await self._count("health.countStaleCIs", COUNT_STALE_CIS, days=days)

    async def stale_relationships(
        self, days: int, first: int, after: PageKey | None
    ) -> HealthPage[StaleRelationship]:
        """Current edges between non-retired CIs last confirmed `days` or more days ago,
        oldest first."""
        check_stale_after_days(days)
        rows = await self._page(
            "health.staleRelationships",
            PAGE_STALE_RELATIONSHIPS,
            first,
            _after_instant(after),
            days=days,
        )
        return _page(rows, first, _stale_relationship)

    async def count_stale_relationships(self, days: int) -> int:
        check_stale_after_days(days)
        return await self._count(
            "health.countStaleRelationships", COUNT_STALE_RELATIONSHIPS, days=days
        )

    async def incomplete_cis(self, first: int, after: PageKey | None) -> HealthPage[IncompleteCI]:
        """Non-retired production CIs missing an owner, support group or criticality, by name
        then id, each with what it misses."""
        rows = await self._page("health.incompleteCIs", PAGE_INCOMPLETE_CIS, first, _after(after))
        return _page(rows, first, _incomplete)

    async def count_incomplete_cis(self) -> int:
        return await self._count("health.countIncompleteCIs", COUNT_INCOMPLETE_CIS)

    async def _page(
        self,
        operation: str,
        cypher: LiteralString,
        first: int,
        after: dict[str, Any],
        **params: Any,
    ) -> list[Row]:
        return await self._db.read_rows(
            operation, cypher, **self._common, **after, **params, limit=first + 1
        )

    async def _count(self, operation: str, cypher: LiteralString, **params: Any) -> int:
        rows = await self._db.read_rows(operation, cypher, **self._common, **params)
        return int(rows[0]["total"])


def _page(rows: list[Row], first: int, item: Callable[[Row], T]) -> HealthPage[T]:
    shown = rows[:first]
    return HealthPage(
        items=tuple(item(row) for row in shown),
        positions=tuple((row["sortKey"], row["tieBreak"]) for row in shown),
        has_next=len(rows) > first,
    )


def _incomplete(row: Row) -> IncompleteCI:
    ci = ci_from_properties(row["ci"])
    values = {
        RequiredAttribute.OWNER: ci.owner,
        RequiredAttribute.SUPPORT_GROUP: ci.support_group,
        RequiredAttribute.CRITICALITY: ci.criticality,
    }
    return IncompleteCI(ci, tuple(a for a, value in values.items() if value is None))


def _stale_relationship(row: Row) -> StaleRelationship:
    edge = row["edge"]
    confirmed = row["confirmedAt"].to_native()
    created = edge["createdAt"].to_native() if edge.get("createdAt") else confirmed
    valid_from = edge.get("validFrom")
    return StaleRelationship(
        Relationship(
            from_id=row["fromId"],
            to_id=row["toId"],
            type=RelationType(row["type"]),
            source=edge.get("source"),
            confidence=edge.get("confidence"),
            redundancy_group=edge.get("redundancyGroup"),
            created_at=created,
            last_confirmed_at=confirmed,
            valid_from=valid_from.to_native() if valid_from is not None else created,
            valid_to=None,
        )
    )
