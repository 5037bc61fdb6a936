"""What is going on below a service (docs/concepts.md, "Incident management"): the open
incidents on it and on everything it depends on, each with the path down to its CI; the
incidents counted per impacted service for a dashboard; and the affected CIs of open incidents
that feed the root-cause analysis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graph._database import Database
from graph.domain import MAX_CANDIDATE_INCIDENTS, MAX_DEPTH, OPEN_STATES, IncidentState, Priority
from graph.errors import FieldError, InvalidInput, NotFound
from graph.impact import Analyst, DependencyMap
from graph.incidents._cypher import IMPACTED_SERVICE_IDS, INCIDENT_PROJECTION
from graph.incidents._model import Incident, incident_from_row

__all__ = [
    "MAX_COUNTED_SERVICES",
    "PriorityCount",
    "ServiceIncidentCount",
    "ServiceTrace",
    "ServiceTraces",
    "TracedIncident",
]

MAX_COUNTED_SERVICES = 1000
"""The most services `incident_counts` takes by id."""

OPEN_ON_CIS: LiteralString = (
    """
MATCH (c:CI) WHERE c.id IN $ids
MATCH (i:Incident)-[:AFFECTS]->(c)
WHERE i.state IN $open
WITH DISTINCT i
RETURN """
    + INCIDENT_PROJECTION
    + " AS incident"
)

# Impacted as `impactedServices` lists it: computed (the incident's list) and not excluded, or
# added by hand; an incident counts once per service (UNION). One pass over the incidents'
# lists, counted per service and priority before any service is looked up.
_PAIRS: LiteralString = (
    """
MATCH (i:Incident)
WHERE $states IS NULL OR i.state IN $states
"""
    + IMPACTED_SERVICE_IDS
    + """
WITH serviceId, i.priority AS priority, count(i) AS n
"""
)

COUNT_ALL: LiteralString = (
    _PAIRS
    + """
MATCH (s:CI {id: serviceId})
WITH s, sum(n) AS total, collect({priority: priority, count: n}) AS byPriority
RETURN s.id AS id, s.name AS name, total, byPriority
ORDER BY total DESC, name, id
"""
)

# The given services (unknown ids left out) and the counts of those among them that have any;
# zeros and the order are worked out by the caller.
COUNT_SERVICES: LiteralString = (
    """
CALL () {
    UNWIND $serviceIds AS serviceId
    MATCH (s:CI {id: serviceId})
    RETURN collect([s.id, s.name]) AS names
}
CALL () {"""
    + _PAIRS
    + """
    WITH serviceId, priority, n WHERE serviceId IN $serviceIds
    RETURN collect({serviceId: serviceId, priority: priority, count: n}) AS counts
}
RETURN names, counts
"""
)

AFFECTED_OF: LiteralString = """
UNWIND $numbers AS number
OPTIONAL MATCH (i:Incident {number: number})
RETURN number, i.state AS state,
    COLLECT { MATCH (i)-[:AFFECTS]->(c:CI) RETURN c.id ORDER BY c.id } AS affected
"""


@dataclass(frozen=True)
class TracedIncident:
    incident: Incident
    affected_ci_id: str
    """Its affected CI nearest the service (ties by id)."""
    depth: int
    path: tuple[str, ...]
    """CI ids from the service down to the affected CI: a shortest path."""


@dataclass(frozen=True)
class ServiceTrace:
    service_id: str
    incidents: tuple[TracedIncident, ...]
    truncated: bool
    """Whether the service's dependencies go deeper than `MAX_DEPTH`."""


@dataclass(frozen=True)
class PriorityCount:
    priority: Priority
    count: int


@dataclass(frozen=True)
class ServiceIncidentCount:
    service_id: str
    name: str
    total: int
    by_priority: tuple[PriorityCount, ...]
    """Every priority P1 .. P5, zeros included."""


def _paths(found: DependencyMap) -> dict[str, tuple[str, ...]]:
    """A shortest path from the root to every CI of the map: each CI's predecessor is the one
    with the smallest id one level up. O(V + E)."""
    before: dict[str, str] = {}
    for edge in found.edges:
        source, target = edge.source, edge.target
        if found.depth[source] + 1 != found.depth[target]:
            continue
        if target not in before or source < before[target]:
            before[target] = source
    paths: dict[str, tuple[str, ...]] = {found.root: (found.root,)}
    for ci in sorted(found.depth, key=lambda c: found.depth[c]):
        if ci != found.root and ci in before:
            paths[ci] = (*paths[before[ci]], ci)
    return paths


def _given(names: list[list[str]], counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of `COUNT_ALL` for the services `names` ([id, name]), zeros kept, in its
    order."""
    by_service: dict[str, list[dict[str, Any]]] = {}
    for count in counts:
        by_service.setdefault(count["serviceId"], []).append(count)
    rows = [
        {
            "id": service_id,
            "name": name,
            "total": sum(int(c["count"]) for c in by_service.get(service_id, ())),
            "byPriority": by_service.get(service_id, []),
        }
        for service_id, name in names
    ]
    return sorted(rows, key=lambda r: (-r["total"], r["name"], r["id"]))


class ServiceTraces:
    """The service-centred reads of `IncidentRepository`."""

    _db: Database
    _impact: Analyst

    async def service_trace(self, service_id: str) -> ServiceTrace | None:
        """The open incidents on the service and on everything it depends on (to `MAX_DEPTH`),
        nearest first, then by priority, opened time and number; each once, at its affected CI
        nearest the service. None for an unknown CI. Two round trips: the dependencies, then
        the open incidents on them (one indexed lookup per CI)."""
        found = await self._impact.dependencies(service_id, MAX_DEPTH)
        if found is None:
            return None
        rows = await self._db.read_rows(
            "serviceTrace", OPEN_ON_CIS, ids=list(found.depth), open=[s.value for s in OPEN_STATES]
        )
        paths = _paths(found)
        traced = []
        for row in rows:
            incident = incident_from_row(row["incident"])
            here = [c for c in incident.affected_ci_ids if c in paths]
            if not here:
                continue
            ci = min(here, key=lambda c: (found.depth[c], c))
            traced.append(TracedIncident(incident, ci, found.depth[ci], paths[ci]))
        traced.sort(
            key=lambda t: (
                t.depth,
                t.incident.priority.rank,
                t.incident.opened_at,
                t.incident.number,
            )
        )
        return ServiceTrace(service_id, tuple(traced), found.truncated)

    async def incident_counts(
        self, service_ids: Sequence[str] | None, open_only: bool = True
    ) -> list[ServiceIncidentCount]:
        """Incidents per impacted service (as `impactedServices` lists them), with a count per
        priority; open ones only when `open_only`. For the given services (unknown ids left
        out, zeros kept), or for every service with at least one. Most incidents first, then
        by name. One round trip, O(the incidents' impacted services)."""
        states = [s.value for s in OPEN_STATES] if open_only else None
        if service_ids is None:
            rows = await self._db.read_rows("incidentCounts", COUNT_ALL, states=states)
        else:
            ids = list(dict.fromkeys(service_ids))
            if len(ids) > MAX_COUNTED_SERVICES:
                message = f"at most {MAX_COUNTED_SERVICES} services at once"
                raise InvalidInput([FieldError("serviceIds", message, "OUT_OF_RANGE")])
            [row] = await self._db.read_rows(
                "incidentCounts", COUNT_SERVICES, serviceIds=ids, states=states
            )
            rows = _given(row["names"], row["counts"])
        counts = []
        for row in rows:
            found = {p["priority"]: int(p["count"]) for p in row["byPriority"]}
            by_priority = tuple(PriorityCount(p, found.get(p.value, 0)) for p in Priority)
            counts.append(
                ServiceIncidentCount(row["id"], row["name"], int(row["total"]), by_priority)
            )
        return counts

    async def open_affected_cis(self, numbers: Sequence[str]) -> list[str]:
        """The affected CIs of the open incidents `numbers`, each once, in order. Raises
        `NotFound` naming every unknown number (`incidentNumbers[i]`) and `InvalidInput` for
        one that is not open. One round trip."""
        given = list(dict.fromkeys(n.strip().upper() for n in numbers))
        if len(given) > MAX_CANDIDATE_INCIDENTS:
            message = f"at most {MAX_CANDIDATE_INCIDENTS} incidents at once"
            raise InvalidInput([FieldError("incidentNumbers", message, "OUT_OF_RANGE")])
        rows = await self._db.read_rows("openAffectedCis", AFFECTED_OF, numbers=given)
        by_number = {row["number"]: row for row in rows}
        missing = [
            (f"incidentNumbers[{n}]", f"no incident has the number {number}")
            for n, number in enumerate(given)
            if by_number[number]["state"] is None
        ]
        if missing:
            raise NotFound(missing[0][1], field=missing[0][0], more=missing[1:])
        closed = [
            FieldError(f"incidentNumbers[{n}]", f"{number} is {state}, not open", "INVALID_VALUE")
            for n, number in enumerate(given)
            if IncidentState(state := by_number[number]["state"]) not in OPEN_STATES
        ]
        if closed:
            raise InvalidInput(closed)
        return list(dict.fromkeys(ci for n in given for ci in by_number[n]["affected"]))
