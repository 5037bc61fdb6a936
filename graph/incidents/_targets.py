"""Which SLA targets an incident's clocks use (docs/sla.md, "Targets per service"): those of
the service level of the most critical business service it impacts that sets targets, or the
defaults. Chosen whenever the incident's impacted services change, and kept with the incident
(`slaTargets`, `slaServiceId`), so that its clocks and its stored breach instant agree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph.domain import (
    BusinessCalendar,
    ServiceLevel,
    SlaTargets,
    breach_at,
    governing_level,
    sla_clocks,
    targets_from_json,
    targets_to_json,
    targets_with,
)
from graph.incidents._cypher import INCIDENT_PROJECTION
from graph.incidents._model import Incident, incident_from_row

__all__ = ["apply_service_targets", "incident_targets"]

# The business services an incident shows as impacted (computed and not excluded, or added by
# an agent) whose service level sets targets: few services set a level, so they are matched
# first and looked up in the incident's computed list.
SERVICE_LEVELS_OF: LiteralString = """
UNWIND $ids AS id
MATCH (i:Incident {id: id})
RETURN id, COLLECT {
    MATCH (s:BusinessService)-[:HAS_SERVICE_LEVEL]->(l:ServiceLevel)
    WHERE l.targets IS NOT NULL
      AND ((s.id IN i.computedServiceIds AND NOT EXISTS { (i)-[:EXCLUDES]->(s) })
           OR EXISTS { (i)-[:IMPACTS {source: 'MANUAL'}]->(s) })
    RETURN DISTINCT {serviceId: s.id, name: s.name, criticality: s.criticality,
                     targets: l.targets}
} AS levels
"""

SET_TARGETS: LiteralString = (
    """
UNWIND $rows AS row
MATCH (i:Incident {id: row.id})
SET i.slaTargets = row.targets, i.slaServiceId = row.serviceId,
    i.slaBreachAt = datetime(row.breachAt)
RETURN """
    + INCIDENT_PROJECTION
    + " AS incident"
)


def incident_targets(incident: Incident) -> SlaTargets:
    """The targets the incident's clocks use: the defaults with its service's cells."""
    return targets_with(targets_from_json(incident.sla_targets))


async def apply_service_targets(
    db: Database,
    tx: AsyncManagedTransaction,
    incidents: Sequence[Incident],
    now: datetime,
    calendar: BusinessCalendar,
) -> dict[str, Incident]:
    """`incidents` (as just written in `tx`, their impacted services final) with the targets
    of their governing service level, by id; those whose targets change get them stored with
    their breach instant recomputed. One round trip, two when some change."""
    if not incidents:
        return {}
    rows = await db.query(tx, SERVICE_LEVELS_OF, ids=[i.id for i in incidents])
    levels = {row["id"]: row["levels"] for row in rows}
    updates = []
    for incident in incidents:
        found = [
            (
                entry["criticality"],
                entry["name"],
                ServiceLevel(entry["serviceId"], targets=targets_from_json(entry["targets"])),
            )
            for entry in levels.get(incident.id, [])
        ]
        level = governing_level(found)
        targets = targets_to_json(level.targets) if level else None
        service_id = level.service_id if level else None
        if targets == incident.sla_targets and service_id == incident.sla_service_id:
            continue
        clocks = sla_clocks(
            incident.priority,
            incident.opened_at,
            incident.history,
            now,
            calendar,
            targets_with(targets_from_json(targets)),
        )
        moment = breach_at(clocks)
        updates.append(
            {
                "id": incident.id,
                "targets": targets,
                "serviceId": service_id,
                "breachAt": moment.isoformat() if moment else None,
            }
        )
    result = {i.id: i for i in incidents}
    if updates:
        for row in await db.query(tx, SET_TARGETS, rows=updates):
            changed = incident_from_row(row["incident"])
            result[changed.id] = changed
    return result
