"""The service-level repository: set and read what a business service promises.

A level is a `ServiceLevel` node per service, `(:CI)-[:HAS_SERVICE_LEVEL]->(:ServiceLevel)`,
merged on the service's id under a uniqueness constraint (migration V0010): two writers of one
service's level write one node, the second after the first (the service is locked first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import NewEvent
from graph._writes import Writes, Written, lock
from graph.domain import (
    CIClass,
    ServiceLevel,
    check_service_level,
    diff,
    new_event_id,
    targets_from_json,
    targets_to_json,
)
from graph.errors import FieldError, InvalidInput, NotFound

__all__ = ["SERVICE_LEVEL_CLASSES", "ServiceLevelRepository"]

SERVICE_LEVEL_CLASSES = (CIClass.BUSINESS_SERVICE,)
"""The classes of CI that carry a service level."""

LOCK_SERVICE: LiteralString = (
    """
MATCH (s:CI {id: $serviceId})
"""
    + lock("s")
    + """
WITH s
OPTIONAL MATCH (s)-[:HAS_SERVICE_LEVEL]->(l:ServiceLevel)
RETURN s.class AS class, s.name AS name, l {.*} AS level
"""
)

SET_LEVEL = """
MATCH (s:CI {id: $serviceId})
MERGE (l:ServiceLevel {serviceId: $serviceId})
SET l += $properties, l.updatedAt = datetime($now), l.updatedBy = $actor
MERGE (s)-[:HAS_SERVICE_LEVEL]->(l)
RETURN l {.*} AS level
"""

GET_LEVELS = """
UNWIND $ids AS id
MATCH (l:ServiceLevel {serviceId: id})
RETURN l {.*} AS level
"""


def level_from_properties(props: Mapping[str, Any]) -> ServiceLevel:
    updated = props.get("updatedAt")
    cost = props.get("outageCostPerHour")
    return ServiceLevel(
        service_id=props["serviceId"],
        availability_target=props.get("availabilityTarget"),
        support_hours=props.get("supportHours"),
        targets=targets_from_json(props.get("targets")),
        rto_seconds=props.get("rtoSeconds"),
        rpo_seconds=props.get("rpoSeconds"),
        outage_cost_per_hour=Decimal(cost) if cost is not None else None,
        updated_at=updated.to_native() if updated is not None else None,
        updated_by=props.get("updatedBy"),
    )


def _properties(level: ServiceLevel) -> dict[str, Any]:
    return {
        "availabilityTarget": level.availability_target,
        "supportHours": level.support_hours,
        "targets": targets_to_json(level.targets) if level.targets else None,
        "rtoSeconds": level.rto_seconds,
        "rpoSeconds": level.rpo_seconds,
        # A decimal string: money keeps its cents exactly, as a CI's monthlyCost does.
        "outageCostPerHour": (
            str(level.outage_cost_per_hour) if level.outage_cost_per_hour is not None else None
        ),
    }


class ServiceLevelRepository:
    def __init__(self, db: Database, writes: Writes, clock: Clock) -> None:
        self._db = db
        self._writes = writes
        self._clock = clock

    async def set(self, service_id: str, changes: Mapping[str, Any], actor: str) -> ServiceLevel:
        """Changes the service level of a business service: each key of `changes` (a field of
        `ServiceLevel`) replaces the stored value, None clears it; the rest stays. `targets`
        replaces the stored targets of each kind it names (an empty mapping clears them). Raises
        `NotFound` for an unknown service, `InvalidInput` for another class or bad values.
        One write transaction, two round trips (three with an audit event)."""
        event_id = new_event_id()
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[ServiceLevel]:
            rows = await self._db.query(tx, LOCK_SERVICE, serviceId=service_id)
            if not rows:
                raise NotFound(f"no CI has the id {service_id}", field="serviceId")
            [row] = rows
            if row["class"] not in {c.label for c in SERVICE_LEVEL_CLASSES}:
                raise InvalidInput(
                    [
                        FieldError(
                            "serviceId",
                            f"{row['name']} is a {row['class']}: only business services "
                            "carry a service level",
                            "INVALID_VALUE",
                        )
                    ]
                )
            stored = row["level"]
            current = (
                level_from_properties(stored) if stored else ServiceLevel(service_id=service_id)
            )
            given = dict(changes)
            if "targets" in given:
                merged = {**current.targets, **given["targets"]}
                given["targets"] = {kind: cells for kind, cells in merged.items() if cells}
            wanted = replace(current, **given)
            check_service_level(wanted)
            before = _properties(current) if stored else {}
            after = _properties(wanted)
            changed = diff(before, after)
            if stored and not changed:
                return Written(current)
            [saved] = await self._db.query(
                tx,
                SET_LEVEL,
                serviceId=service_id,
                properties=after,
                now=now.isoformat(),
                actor=actor,
            )
            event = NewEvent(
                event_id,
                "setServiceLevel",
                f"service level of {row['name']} set",
                (service_id,),
                changed,
                at=now,
            )
            return Written(level_from_properties(saved["level"]), [event])

        return await self._writes.write("setServiceLevel", actor, work, changes_topology=False)

    async def get_many(self, service_ids: Sequence[str]) -> list[ServiceLevel | None]:
        """The service levels of these services, in order (None where a service has none).
        One round trip: the DataLoader's batch function."""
        rows = await self._db.read_rows("getServiceLevels", GET_LEVELS, ids=list(service_ids))
        by_id = {row["level"]["serviceId"]: level_from_properties(row["level"]) for row in rows}
        return [by_id.get(service_id) for service_id in service_ids]
