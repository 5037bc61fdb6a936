"""The incident repository: one method per use case, each one write transaction (through the
write recipe) or one read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository, NewEvent
from graph._writes import Writes, Written
from graph.domain import DEFAULT_CORRELATION_WINDOW, IncidentState, State
from graph.errors import NotFound
from graph.impact import Analyst
from graph.incidents import _changes, _impact
from graph.incidents._cypher import GET_BY_IDS, GET_BY_NUMBER
from graph.incidents._history_import import HistoryImportResult, find_cis, import_history
from graph.incidents._history_rows import HistoryRequest
from graph.incidents._major import MajorIncidents
from graph.incidents._major_candidates import MajorCandidates
from graph.incidents._model import Incident, IncidentPage, incident_from_row
from graph.incidents._prepare import (
    NewIncident,
    PreparedIncident,
    TransitionStep,
    check_affected_ids,
    prepare_incident,
    validate_new_incident,
)
from graph.incidents._query import IncidentFilter, IncidentOrder, count_query, page_query
from graph.incidents._sla import BusinessCalendar, SlaClock, incident_clocks, with_breach
from graph.incidents._trace import ServiceTraces
from graph.incidents._write import write_new_incidents

__all__ = ["IncidentRepository"]

Step = Callable[[_changes.Request], Awaitable[tuple[Incident, list[NewEvent]]]]


class IncidentRepository(MajorIncidents, MajorCandidates, ServiceTraces):
    """Incidents; major incidents and their candidates (`_major.py`, `_major_candidates.py`);
    service traces and counts (`_trace.py`)."""

    def __init__(
        self,
        db: Database,
        history: HistoryRepository,
        writes: Writes,
        impact: Analyst,
        clock: Clock,
        calendar: BusinessCalendar | None = None,
        correlation_window: timedelta = DEFAULT_CORRELATION_WINDOW,
    ) -> None:
        self._db = db
        self._history = history
        self._writes = writes
        self._impact = impact
        self._clock = clock
        self.calendar = calendar or BusinessCalendar.parse()
        """The business calendar of the SLA clocks' business days."""
        self.correlation_window = correlation_window
        """How close in time incidents sharing a root cause open to be one candidate group."""

    def now(self) -> datetime:
        return self._clock.now()

    async def prepare(
        self,
        new: NewIncident,
        actor: str,
        *,
        opened_at: datetime | None = None,
        transitions: Sequence[TransitionStep] = (),
    ) -> PreparedIncident:
        """`new` checked and derived (priority, computed impact of its affected CIs, SLA
        breach instant as of now), opened at `opened_at` (now by default) and moved through
        the recorded `transitions`. Raises `InvalidInput`. One round trip (the impact
        analysis's freshness check); nothing is written."""
        affected = validate_new_incident(new)
        computed = await _impact.computed_impact(
            self._impact, affected, new.category, new.causes_outage
        )
        now = self._clock.now()
        prepared = prepare_incident(
            new,
            opened_at=opened_at or now,
            transitions=transitions,
            computed=computed,
            actor=actor,
        )
        return with_breach(prepared, now, self.calendar)

    async def create(self, new: NewIncident, actor: str) -> Incident:
        """Opens one incident now: NEW, numbered INC0001001 upward. Raises `InvalidInput` or
        `NotFound` (affectedCiIds[i]); nothing is written then. Five round trips."""
        prepared = await self.prepare(new, actor)
        [incident] = await self.create_prepared([prepared], actor)
        return incident

    async def create_prepared(
        self, prepared: Sequence[PreparedIncident], actor: str, operation: str = "createIncident"
    ) -> list[Incident]:
        """Writes incidents made by `prepare` in one write transaction: one CI check, one
        `next_number` for all, one UNWIND query, one for the history events."""

        async def work(tx: AsyncManagedTransaction) -> Written[list[Incident]]:
            incidents, events = await write_new_incidents(
                self._db, tx, prepared, operation, now=self._clock.now(), calendar=self.calendar
            )
            return Written(incidents, events)

        return await self._writes.write(operation, actor, work, changes_topology=False)

    async def _change(self, operation: str, actor: str, step: Step) -> Incident:
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[Incident]:
            request = _changes.Request(self._db, tx, actor, now, self.calendar)
            incident, events = await step(request)
            return Written(incident, events)

        return await self._writes.write(operation, actor, work, changes_topology=False)

    async def update(
        self, number: str, expected_version: int | None, patch: dict[str, Any], actor: str
    ) -> Incident:
        """Applies `patch` (fields of `NewIncident`; absent ones stay) to the incident when it
        is at `expected_version`: priority recomputed, impact recomputed when the affected CIs
        change, or its category or causesOutage (how it lists them: `computed_state`). Raises
        NotFound, Conflict or InvalidInput, writing nothing. Four to seven round trips."""
        computed = None
        if patch.keys() & {"affected_ci_ids", "category", "causes_outage"}:
            current = await self.get(number)
            if current is None:
                raise NotFound(f"no incident has the number {number}", field="number")
            affected = current.affected_ci_ids
            if "affected_ci_ids" in patch:
                affected = check_affected_ids(patch["affected_ci_ids"] or ())
            computed = await _impact.computed_impact(
                self._impact,
                affected,
                patch.get("category", current.category),
                patch.get("causes_outage", current.causes_outage),
            )

        async def step(r: _changes.Request) -> tuple[Incident, list[NewEvent]]:
            return await _changes.update_work(r, number, expected_version, patch, computed)

        return await self._change("updateIncident", actor, step)

    async def transition(
        self,
        number: str,
        to: IncidentState,
        actor: str,
        *,
        note: str | None = None,
        workaround: str | None = None,
        resolution: str | None = None,
    ) -> Incident:
        """Moves the incident to `to` if its state (read under its lock) allows it; resolving
        a parent resolves its open children. Three round trips (four with children)."""

        async def step(r: _changes.Request) -> tuple[Incident, list[NewEvent]]:
            return await _changes.transition_work(r, number, to, note, workaround, resolution)

        return await self._change("transitionIncident", actor, step)

    async def add_impacted_service(
        self, number: str, service_id: str, state: State, reason: str | None, actor: str
    ) -> Incident:
        """Adds a service the impact analysis does not reach (source MANUAL)."""

        async def step(r: _changes.Request) -> tuple[Incident, list[NewEvent]]:
            return await _impact.add_work(r, number, service_id, state, reason)

        return await self._change("addImpactedService", actor, step)

    async def exclude_impacted_service(
        self, number: str, service_id: str, reason: str | None, actor: str
    ) -> Incident:
        """Hides a computed impacted service; the exclusion survives recomputation."""

        async def step(r: _changes.Request) -> tuple[Incident, list[NewEvent]]:
            return await _impact.exclude_work(r, number, service_id, reason)

        return await self._change("excludeImpactedService", actor, step)

    async def clear_manual_impact(self, number: str, service_id: str, actor: str) -> Incident:
        """Forgets the manual addition and the exclusion of one service."""

        async def step(r: _changes.Request) -> tuple[Incident, list[NewEvent]]:
            return await _impact.clear_work(r, number, service_id)

        return await self._change("clearManualImpact", actor, step)

    async def recompute_impact(self, number: str, actor: str) -> Incident:
        """Runs the impact analysis of the affected CIs again (the topology may have changed)
        and replaces the computed impacted services."""
        current = await self.get(number)
        if current is None:
            raise NotFound(f"no incident has the number {number}", field="number")
        affected = current.affected_ci_ids
        computed = await _impact.computed_impact(
            self._impact, affected, current.category, current.causes_outage
        )

        async def step(r: _changes.Request) -> tuple[Incident, list[NewEvent]]:
            return await _impact.recompute_work(r, number, affected, computed)

        return await self._change("recomputeIncidentImpact", actor, step)

    async def get(self, number: str) -> Incident | None:
        """The incident with this number, or None. One round trip."""
        rows = await self._db.read_rows("getIncident", GET_BY_NUMBER, numbers=[number])
        return incident_from_row(rows[0]["incident"]) if rows else None

    async def get_many_by_number(self, numbers: Sequence[str]) -> list[Incident | None]:
        """The incidents with these numbers, in order (None where absent). One round trip."""
        rows = await self._db.read_rows("getIncidents", GET_BY_NUMBER, numbers=list(numbers))
        found = {row["incident"]["number"]: incident_from_row(row["incident"]) for row in rows}
        return [found.get(n) for n in numbers]

    async def get_many(self, ids: Sequence[str]) -> list[Incident | None]:
        """The incidents with these ids, in order (None where absent). One round trip."""
        rows = await self._db.read_rows("getIncidents", GET_BY_IDS, ids=list(ids))
        found = {row["incident"]["id"]: incident_from_row(row["incident"]) for row in rows}
        return [found.get(i) for i in ids]

    async def page(
        self,
        first: int,
        after: tuple[str, str] | None = None,
        incident_filter: IncidentFilter | None = None,
        order: IncidentOrder | None = None,
    ) -> IncidentPage:
        """Up to `first` incidents matching the filter in `order`, after the position `after`,
        each with its transitions, affected CIs, impacts and exclusions. One round trip."""
        parameters = (incident_filter or IncidentFilter()).parameters(self._clock.now())
        cypher, extra = page_query(parameters, order or IncidentOrder(), after)
        rows = await self._db.read_rows(
            "pageIncidents", cypher, **parameters, **extra, limit=first + 1
        )
        return IncidentPage(
            items=tuple(incident_from_row(row["incident"]) for row in rows[:first]),
            has_next=len(rows) > first,
            positions=tuple((row["sortKey"], row["incident"]["number"]) for row in rows[:first]),
        )

    async def count(self, incident_filter: IncidentFilter | None = None) -> int:
        """How many incidents match the filter. One round trip."""
        parameters = (incident_filter or IncidentFilter()).parameters(self._clock.now())
        rows = await self._db.read_rows("countIncidents", count_query(parameters), **parameters)
        return int(rows[0]["total"])

    def sla(self, incident: Incident) -> tuple[SlaClock, SlaClock]:
        """The incident's (response, resolution) clocks now. No round trip."""
        return incident_clocks(incident, self._clock.now(), self.calendar)

    async def import_history(
        self, request: HistoryRequest, actor: str, *, ci_source: str | None = None
    ) -> HistoryImportResult:
        """Imports incident history from the tool being replaced (`_history_import.py`):
        checked whole, then written in `openedAt` order; idempotent per source and external
        id."""
        return await import_history(
            self._db,
            self._writes,
            self._impact,
            self.calendar,
            request,
            actor=actor,
            now=self._clock.now(),
            ci_source=ci_source,
        )

    async def find_cis(self, refs: Sequence[str], source: str) -> dict[str, str]:
        """The id of each CI named in `refs` by its id or by the external id it has for
        `source` (references that name no CI are left out). Two round trips at most."""
        found = await find_cis(self._db, refs, source)
        return {ref: ci_id for ref, (ci_id, _) in found.items()}
