"""Dependency drift: what is declared and what a tracing source observes, compared
(`dependencyDrift(source, days)`, docs/discovery.md "Dependency drift").

Both sides are dependencies between two CIs that are not load balancers: a declared
`checkout -> Service payments -> payments` (Kubernetes) is the dependency `checkout ->
payments` that traces see. A dependency is

- *declared* when a path of current DEPENDS_ON edges, each set by another source than the
  observer (or by hand), joins the two through load balancers only (at most 3 of them);
- *observed* when the observer reported a current DEPENDS_ON edge between them within the
  window (`observedAt` at or after `since`).

Declared dependencies count only between CIs the observer has seen (an end of an edge it
observed at any time): what tracing does not cover is not drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph.domain import CIClass
from graph.errors import FieldError, InvalidInput

__all__ = ["MAX_DAYS", "DependencyDrift", "DriftDependency", "DriftRepository"]

MAX_DAYS = 3650

_SCOPE = """
MATCH (x:CI)-[o:DEPENDS_ON]-(:CI) WHERE o.observedBy = $source AND o.validTo IS NULL
WITH collect(DISTINCT x.id) AS scope
"""

DECLARED_NOT_OBSERVED = (
    _SCOPE
    + """
MATCH p = (a:CI)-[:DEPENDS_ON*1..4]->(b:CI)
WHERE a.id IN scope AND b.id IN scope AND a <> b
  AND a.class <> $lb AND b.class <> $lb
  AND all(n IN nodes(p)[1..-1] WHERE n.class = $lb)
  AND all(e IN relationships(p) WHERE e.validTo IS NULL AND coalesce(e.source <> $source, true))
  AND NOT EXISTS {
    MATCH (a)-[o:DEPENDS_ON]->(b)
    WHERE o.validTo IS NULL AND o.observedBy = $source AND o.observedAt >= $since
  }
WITH a, b, collect(p)[0] AS p
RETURN collect({from: a.id, fromName: a.name, to: b.id, toName: b.name,
    via: [n IN nodes(p)[1..-1] | n.id],
    declaredBy: [e IN relationships(p) | coalesce(e.source, '')]}) AS drift
"""
)

OBSERVED_NOT_DECLARED = """
MATCH (a:CI)-[o:DEPENDS_ON]->(b:CI)
WHERE o.validTo IS NULL AND o.observedBy = $source AND o.observedAt >= $since
  AND NOT EXISTS {
    MATCH p = (a)-[:DEPENDS_ON*1..4]->(b)
    WHERE all(n IN nodes(p)[1..-1] WHERE n.class = $lb)
      AND all(e IN relationships(p) WHERE e.validTo IS NULL AND coalesce(e.source <> $source, true))
  }
RETURN collect({from: a.id, fromName: a.name, to: b.id, toName: b.name,
    callCount: o.callCount, errorCount: o.errorCount, confidence: o.confidence,
    observedAt: o.observedAt}) AS drift
"""


@dataclass(frozen=True)
class DriftDependency:
    from_id: str
    from_name: str
    to_id: str
    to_name: str
    via: tuple[str, ...] = ()
    """Declared: the ids of the load balancers the declared path goes through."""
    declared_by: tuple[str, ...] = ()
    """Declared: the sources of the path's edges ('' for an edge made by hand)."""
    call_count: int | None = None
    error_count: int | None = None
    confidence: float | None = None
    observed_at: datetime | None = None


@dataclass(frozen=True)
class DependencyDrift:
    source: str
    days: int
    since: datetime
    declared_not_observed: tuple[DriftDependency, ...]
    observed_not_declared: tuple[DriftDependency, ...]


def _key(d: DriftDependency) -> tuple[str, str, str, str]:
    return d.from_name, d.to_name, d.from_id, d.to_id


class DriftRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def drift(self, source: str, days: int) -> DependencyDrift:
        """Declared dependencies `source` did not observe in the last `days` days, and
        observed ones nobody declared, sorted by names. One
        read transaction, two queries; paths of at most four edges from the CIs the source
        observed. `InvalidInput` for an empty source or days outside 1..MAX_DAYS."""
        problems = []
        if not source.strip():
            problems.append(FieldError("source", "source is required", "REQUIRED"))
        if not 1 <= days <= MAX_DAYS:
            problems.append(
                FieldError("days", f"must be between 1 and {MAX_DAYS}, got {days}", "INVALID_VALUE")
            )
        if problems:
            raise InvalidInput(problems)
        since = self._clock.now() - timedelta(days=days)
        params = {"source": source.strip(), "since": since, "lb": CIClass.LOAD_BALANCER.value}

        async def work(tx: AsyncManagedTransaction) -> tuple[list[Any], list[Any]]:
            [declared] = await self._db.query(tx, DECLARED_NOT_OBSERVED, **params)
            [observed] = await self._db.query(tx, OBSERVED_NOT_DECLARED, **params)
            return declared["drift"], observed["drift"]

        declared, observed = await self._db.read("dependencyDrift", work)
        return DependencyDrift(
            source.strip(),
            days,
            since,
            tuple(
                sorted(
                    (
                        DriftDependency(
                            d["from"],
                            d["fromName"],
                            d["to"],
                            d["toName"],
                            tuple(d["via"]),
                            tuple(d["declaredBy"]),
                        )
                        for d in declared
                    ),
                    key=_key,
                )
            ),
            tuple(
                sorted(
                    (
                        DriftDependency(
                            d["from"],
                            d["fromName"],
                            d["to"],
                            d["toName"],
                            call_count=d["callCount"],
                            error_count=d["errorCount"],
                            confidence=d["confidence"],
                            observed_at=d["observedAt"].to_native(),
                        )
                        for d in observed
                    ),
                    key=_key,
                )
            ),
        )
