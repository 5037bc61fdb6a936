"""The availability read model: a service's availability over a period, computed exactly from
incident history (docs/service-levels.md, "Availability").

Four round trips for one service or for every business service at once: the services, their
service levels, the subgraphs they depend on (every edge not closed before the period starts,
with when it closed), and the outage-causing incidents on those CIs that opened before the period
ends, with their transitions. The sweep and the propagation
are pure (`graph/domain/_availability.py`, `graph/impact/topology/`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, LiteralString

from graph._clock import Clock
from graph._database import Database, Row
from graph.domain import (
    MAX_DEPTH,
    MIN_OPERATIONAL_PREFIX,
    Availability,
    CIClass,
    CIStatus,
    RelationType,
    ServiceLevel,
    State,
    availability_from_history,
    downtime_cost,
    support_calendar,
)
from graph.errors import FieldError, InvalidInput
from graph.impact import Edge, NodeInfo, Subgraph
from graph.impact.topology import Topology, simulate_outage
from graph.services import ServiceLevelRepository

__all__ = ["AvailabilityRepository", "ServiceAvailability"]

_TYPES = "DEPENDS_ON|RUNS_ON|HOSTED_ON|CONNECTED_THROUGH|PROVIDED_BY"
_OPEN = "(r.validTo IS NULL OR r.validTo > $from)"

SUBGRAPHS: LiteralString = f"""
UNWIND $ids AS id
MATCH (s:CI {{id: id}})
CALL (s) {{
  OPTIONAL MATCH (s)-[rs:{_TYPES}*1..{MAX_DEPTH}]->(n:CI)
  WHERE all(r IN rs WHERE {_OPEN})
  WITH s, collect(DISTINCT n) AS found
  WITH [s] + [n IN found WHERE n <> s] AS reached
  UNWIND reached AS c
  OPTIONAL MATCH (c)-[r:{_TYPES}]->(d:CI) WHERE {_OPEN} AND d.status <> 'RETIRED'
  WITH c, collect([d.id, type(r), r.redundancyGroup, r.validTo]) AS out
  RETURN collect([c.id, c.name, c.class, c.status, c.criticality,
         [k IN keys(c) WHERE k STARTS WITH '{MIN_OPERATIONAL_PREFIX}'
          | [substring(k, size('{MIN_OPERATIONAL_PREFIX}')), c[k]]], out]) AS nodes
}}
RETURN s.id AS id, nodes
"""
"""The subgraph each service depends on: every edge not closed before the period starts."""

INCIDENTS: LiteralString = """
MATCH (i:Incident)-[:AFFECTS]->(c:CI)
WHERE c.id IN $ids AND i.causesOutage = true AND i.openedAt < $to
WITH DISTINCT i
RETURN i.number AS number, i.openedAt AS openedAt,
       COLLECT { MATCH (i)-[:AFFECTS]->(a:CI) RETURN a.id } AS affected,
       COLLECT { MATCH (i)-[:HAS_TRANSITION]->(t:Transition)
                 RETURN [t.from, t.to, t.at] ORDER BY t.seq } AS transitions
ORDER BY number
"""

SERVICES: LiteralString = """
MATCH (s:CI) WHERE s.class = $class AND s.status <> 'RETIRED'
RETURN s.id AS id ORDER BY s.name, s.id
"""

MAX_AVAILABILITY_DAYS = 366
"""The longest period an availability question may cover."""

CLASS_OF: LiteralString = "MATCH (s:CI {id: $id}) RETURN s.class AS class"


@dataclass(frozen=True)
class ServiceAvailability:
    service_id: str
    start: datetime
    end: datetime
    availability: Availability
    level: ServiceLevel | None
    """The service's level; None when it has none."""

    @property
    def target(self) -> float | None:
        """The service level's availability target, percent; None when it states none."""
        return self.level.availability_target if self.level is not None else None

    @property
    def downtime_cost(self) -> Decimal | None:
        """The downtime times the service's cost per hour of outage; None without one."""
        return downtime_cost(self.level, self.availability.downtime_seconds)

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.availability.availability_percent >= self.target


def check_period(start: datetime, end: datetime) -> None:
    """Refuses a period that is empty, reversed or longer than `MAX_AVAILABILITY_DAYS`."""
    if end <= start:
        raise InvalidInput([FieldError("to", "must be after from", "INVALID")])
    if end - start > timedelta(days=MAX_AVAILABILITY_DAYS):
        message = f"the period must be at most {MAX_AVAILABILITY_DAYS} days"
        raise InvalidInput([FieldError("to", message, "INVALID")])


class AvailabilityRepository:
    def __init__(self, db: Database, levels: ServiceLevelRepository, clock: Clock) -> None:
        self._db = db
        self._levels = levels
        self._clock = clock

    async def service_availability(
        self, service_id: str, start: datetime, end: datetime
    ) -> ServiceAvailability | None:
        """The availability of a business service over [start, end); None for an unknown CI.
        Raises InvalidInput for a bad period or a CI that is not a business service."""
        check_period(start, end)
        rows = await self._db.read_rows("availability.class", CLASS_OF, id=service_id)
        if not rows:
            return None
        if rows[0]["class"] != CIClass.BUSINESS_SERVICE.label:
            message = "must be a business service"
            raise InvalidInput([FieldError("serviceId", message, "INVALID")])
        [measured] = await self._measure([service_id], start, end)
        return measured

    async def report(self, start: datetime, end: datetime) -> list[ServiceAvailability]:
        """Every business service that is not retired, by name then id."""
        check_period(start, end)
        rows = await self._db.read_rows(
            "availability.services", SERVICES, **{"class": CIClass.BUSINESS_SERVICE.label}
        )
        return await self._measure([row["id"] for row in rows], start, end)

    async def _measure(
        self, service_ids: list[str], start: datetime, end: datetime
    ) -> list[ServiceAvailability]:
        if not service_ids:
            return []
        levels = await self._levels.get_many(service_ids)
        rows = await self._db.read_rows(
            "availability.subgraphs", SUBGRAPHS, ids=service_ids, **{"from": start}
        )
        graphs = {row["id"]: _with_closings(row["nodes"]) for row in rows}
        reached = sorted({ci for graph, _ in graphs.values() for ci in graph.nodes})
        incidents = [
            _history(row)
            for row in await self._db.read_rows(
                "availability.incidents", INCIDENTS, ids=reached, to=end
            )
        ]
        now = self._clock.now()
        measured = []
        for service_id, level in zip(service_ids, levels, strict=True):
            graph, closings = graphs[service_id]
            calendar = None
            if level is not None and level.support_hours is not None:
                calendar = support_calendar(level.support_hours)
            states = _States(service_id, graph, closings)
            availability = availability_from_history(
                start,
                end,
                now,
                [i for i in incidents if not graph.nodes.keys().isdisjoint(i[1])],
                [at for at in closings.values() if at is not None],
                states.state,
                calendar.business_seconds if calendar is not None else None,
            )
            measured.append(ServiceAvailability(service_id, start, end, availability, level))
        return measured


def _with_closings(found: Sequence[Any]) -> tuple[Subgraph, dict[Edge, datetime | None]]:
    """The subgraph (retired CIs out), and when each of its edges closed (None: still open)."""
    nodes: dict[str, NodeInfo] = {}
    closings: dict[Edge, datetime | None] = {}
    for ci_id, name, label, status, criticality, pools, out in found:
        if CIStatus(status) is CIStatus.RETIRED:
            continue
        nodes[ci_id] = NodeInfo(
            id=ci_id,
            name=name,
            ci_class=CIClass.from_label(label),
            criticality=criticality,
            min_operational={group: int(needed) for group, needed in pools},
        )
        for target, kind, group, valid_to in out:
            if target is not None:
                edge = Edge(ci_id, target, RelationType(kind), group)
                closings[edge] = valid_to.to_native() if valid_to is not None else None
    kept = {e: at for e, at in closings.items() if e.target in nodes or e.redundancy_group}
    return Subgraph(nodes, tuple(kept)), kept


def _history(row: Row) -> tuple[str, list[str], datetime, list[tuple[str, str, datetime]]]:
    transitions = [(f, t, at.to_native()) for f, t, at in row["transitions"]]
    return (row["number"], row["affected"], row["openedAt"].to_native(), transitions)


class _States:
    """The service's state for a set of failed CIs at an instant, over the edges not closed by
    then; one topology per set of closed edges, one answer per (failed, topology)."""

    def __init__(self, service_id: str, graph: Subgraph, closings: dict[Edge, datetime | None]):
        self._service = service_id
        self._graph = graph
        self._closings = closings
        self._topologies: dict[frozenset[Edge], Topology] = {}
        self._answers: dict[tuple[frozenset[str], frozenset[Edge]], State] = {}

    def state(self, failed: frozenset[str], at: datetime) -> State:
        closed = frozenset(e for e, end in self._closings.items() if end is not None and end <= at)
        key = (failed, closed)
        if key not in self._answers:
            self._answers[key] = self._compute(failed, closed)
        return self._answers[key]

    def _compute(self, failed: frozenset[str], closed: frozenset[Edge]) -> State:
        if self._service in failed:
            return State.DOWN
        topology = self._topologies.get(closed)
        if topology is None:
            edges = tuple(e for e in self._graph.edges if e not in closed)
            topology = Topology.from_subgraph(Subgraph(self._graph.nodes, edges))
            self._topologies[closed] = topology
        outcome = simulate_outage(topology, failed)
        for service in outcome.services:
            if service.service.id == self._service:
                return service.state
        return State.OPERATIONAL
