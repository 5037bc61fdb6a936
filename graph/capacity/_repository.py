"""The capacity repository: capacity per metric on CIs, utilisation readings, and hotspots.

A CI's capacity of a metric is a `Capacity` node, `(:CI)-[:HAS_CAPACITY]->(:Capacity)`, and a
reading a `UtilisationReading` node, `(:CI)-[:HAS_READING]->(:UtilisationReading)`, each merged on
a key under a uniqueness constraint (migration V0012): a second write of the same CI, metric
(and instant) finds the first's. Each write is one transaction under the CI's lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository, NewEvent
from graph._writes import Writes, Written, lock
from graph.capacity._figures import MERGE_CAPACITIES, MERGE_READINGS, capacity_row, reading_row
from graph.capacity._model import (
    Capacity,
    Figure,
    Hotspot,
    Reading,
    capacity_key,
    reading_key,
)
from graph.domain import CIClass, crossing_date, diff, new_event_id
from graph.errors import FieldError, InvalidInput, NotFound
from graph.impact import Analyst

__all__ = ["MAX_READINGS", "CapacityRepository"]

MAX_READINGS = 1000
"""The most recent readings per CI a hotspot question reads."""

LOCK_CI: LiteralString = (
    """
MATCH (ci:CI {id: $ciId})
"""
    + lock("ci")
    + """
WITH ci
OPTIONAL MATCH (ci)-[:HAS_CAPACITY]->(c:Capacity {key: $key})
OPTIONAL MATCH (ci)-[:HAS_READING]->(r:UtilisationReading {key: $key})
RETURN ci.name AS name, c {.*} AS capacity, r {.*} AS reading
"""
)

HOTSPOT_CANDIDATES = """
MATCH (ci:CI)-[:HAS_CAPACITY]->(c:Capacity {metric: $metric})
CALL (ci) {
  MATCH (ci)-[:HAS_READING]->(r:UtilisationReading {metric: $metric})
  WITH r ORDER BY r.at DESC LIMIT $limit
  RETURN collect(r {.value, .at}) AS readings
}
WITH ci, c, readings WHERE size(readings) > 0
RETURN ci.id AS id, ci.name AS name, c {.*} AS capacity, readings
"""

FIGURES = """
UNWIND $ids AS id
MATCH (ci:CI {id: id})-[:HAS_CAPACITY]->(c:Capacity)
CALL (ci, c) {
  OPTIONAL MATCH (ci)-[:HAS_READING]->(r:UtilisationReading {metric: c.metric})
  WITH r ORDER BY r.at DESC LIMIT 1
  RETURN r {.value, .at} AS latest
}
RETURN id, c {.*} AS capacity, latest ORDER BY id, c.metric
"""


def _check(metric: str, numbers: dict[str, float], threshold: float | None) -> None:
    errors: list[FieldError] = []
    if not metric.strip():
        errors.append(FieldError("metric", "a metric is required", "REQUIRED"))
    for name, number in numbers.items():
        if number < 0 or (name == "capacity" and number == 0):
            errors.append(FieldError(name, f"{name} must be positive", "INVALID_VALUE"))
    if threshold is not None and not 0 < threshold <= 1:
        errors.append(FieldError("threshold", "a fraction of capacity in (0, 1]", "INVALID_VALUE"))
    if errors:
        raise InvalidInput(errors)


def _capacity(props: dict[str, Any]) -> Capacity:
    return Capacity(
        props["ciId"], props["metric"], props["capacity"], props["unit"], props["threshold"]
    )


class CapacityRepository:
    def __init__(
        self, db: Database, history: HistoryRepository, writes: Writes, clock: Clock
    ) -> None:
        self._db = db
        self._history = history
        self._writes = writes
        self._clock = clock

    async def _lock(self, tx: AsyncManagedTransaction, ci_id: str, key: str) -> dict[str, Any]:
        rows = await self._db.query(tx, LOCK_CI, ciId=ci_id, key=key)
        if not rows:
            raise NotFound(f"no CI has the id {ci_id}", field="ciId")
        return rows[0]

    async def set_capacity(
        self, ci_id: str, metric: str, capacity: float, unit: str, threshold: float, actor: str
    ) -> Capacity:
        """Sets a CI's capacity of `metric` and its threshold (a fraction of the capacity).
        Raises `NotFound` for an unknown CI, `InvalidInput` for bad values. One write
        transaction under the CI's lock, with an audit event on the CI when it changes."""
        _check(metric, {"capacity": capacity}, threshold)
        wanted = Capacity(ci_id, metric, capacity, unit, threshold)
        key, event_id, now = capacity_key(ci_id, metric), new_event_id(), self._clock.now()
        after = {"capacity": capacity, "unit": unit, "threshold": threshold}

        async def work(tx: AsyncManagedTransaction) -> Written[Capacity]:
            row = await self._lock(tx, ci_id, key)
            stored = row["capacity"] or {}
            before = {name: stored.get(name) for name in after}
            changed = diff(before, after)
            if not changed:
                return Written(wanted)
            figure = capacity_row(ci_id, metric, capacity, unit, threshold)
            await self._db.query(tx, MERGE_CAPACITIES, rows=[figure])
            summary = f"capacity of {metric} of {row['name']} set to {capacity} {unit}"
            event = NewEvent(event_id, "setCapacity", summary, (ci_id,), changed, at=now)
            return Written(wanted, [event])

        return await self._writes.write("setCapacity", actor, work, changes_topology=False)

    async def record_utilisation(
        self, ci_id: str, metric: str, value: float, at: datetime, actor: str
    ) -> Reading:
        """Records a reading of a CI's `metric` at the instant `at`: a second reading of the
        same CI, metric and instant replaces the first's value (the same value changes
        nothing). One write transaction under the CI's lock, with an audit event on the CI."""
        _check(metric, {"value": value}, None)
        reading = Reading(ci_id, metric, value, at)
        key = reading_key(ci_id, metric, at)
        event_id, now = new_event_id(), self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[Reading]:
            row = await self._lock(tx, ci_id, key)
            stored = row["reading"] or {}
            changed = diff({"value": stored.get("value")}, {"value": value})
            if not changed:
                return Written(reading)
            figure = reading_row(ci_id, metric, value, at)
            await self._db.query(tx, MERGE_READINGS, rows=[figure])
            summary = f"utilisation of {metric} of {row['name']} at {at.isoformat()}: {value}"
            event = NewEvent(event_id, "recordUtilisation", summary, (ci_id,), changed, at=now)
            return Written(reading, [event])

        return await self._writes.write("recordUtilisation", actor, work, changes_topology=False)

    async def figures(self, ci_ids: Sequence[str]) -> list[tuple[Figure, ...]]:
        """Each CI's capacities by metric, each with its latest reading, in the order of
        `ci_ids` (empty for a CI without any). One round trip: the DataLoader's batch."""
        rows = await self._db.read_rows("capacityFigures", FIGURES, ids=list(ci_ids))
        found: dict[str, list[Figure]] = {}
        for row in rows:
            capacity, latest = _capacity(row["capacity"]), row["latest"]
            reading = None
            if latest is not None:
                at = latest["at"].to_native()
                reading = Reading(capacity.ci_id, capacity.metric, float(latest["value"]), at)
            found.setdefault(row["id"], []).append(Figure(capacity, reading))
        return [tuple(found.get(ci_id, ())) for ci_id in ci_ids]

    async def hotspots(
        self, metric: str, threshold: float | None, impact: Analyst
    ) -> list[Hotspot]:
        """The CIs whose latest reading of `metric` is above `threshold` (a fraction of
        capacity; each CI's own when None), most used first, each with its forecast and the
        business services that depend on it. One round trip, then one impact question per
        hotspot, run together (over the in-process projection)."""
        now = self._clock.now()
        rows = await self._db.read_rows(
            "capacityHotspots", HOTSPOT_CANDIDATES, metric=metric, limit=MAX_READINGS
        )
        found: list[Hotspot] = []
        for row in rows:
            capacity = _capacity(row["capacity"])
            readings = [(r["at"].to_native(), float(r["value"])) for r in row["readings"]]
            at, value = readings[0]
            limit = threshold if threshold is not None else capacity.threshold
            if value / capacity.capacity <= limit:
                continue
            own_limit = capacity.threshold * capacity.capacity
            forecast = crossing_date(readings, own_limit, now)
            latest = Reading(row["id"], metric, value, at)
            found.append(Hotspot(row["id"], row["name"], capacity, latest, forecast))
        found.sort(key=lambda h: (-h.utilisation, h.ci_name, h.ci_id))
        analyses = await asyncio.gather(*(impact.impact([h.ci_id]) for h in found))
        return [
            Hotspot(
                h.ci_id,
                h.ci_name,
                h.capacity,
                h.latest,
                h.forecast,
                tuple(
                    s.ci.id
                    for s in analysis.services
                    if s.ci.ci_class is CIClass.BUSINESS_SERVICE and s.ci.id != h.ci_id
                ),
            )
            for h, analysis in zip(found, analyses, strict=True)
        ]
