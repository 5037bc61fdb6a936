"""Grouping incidents under a problem, and taking them out again. An incident has at most
one problem; the audit event of either write hangs off the problem and the incidents."""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import NewEvent
from graph._writes import Writes, Written
from graph.domain import FieldChange, check_problem_incidents, new_event_id
from graph.errors import FieldError, InvalidInput, NotFound
from graph.problems._cypher import LINK_INCIDENTS, UNLINK_INCIDENT
from graph.problems._locks import lock_incidents, lock_problem
from graph.problems._model import Problem, problem_from_projection

__all__ = ["IncidentLinks"]


class IncidentLinks:
    """The linking writes of `ProblemRepository`."""

    _db: Database
    _clock: Clock
    _writes: Writes

    async def link(self, number: str, incident_numbers: Sequence[str], actor: str) -> Problem:
        """Groups the incidents under the problem; those it groups already stay as they are.
        Raises `NotFound` for an unknown problem or incident, `Conflict` for an incident
        another problem groups; nothing is written then. The event hangs off the problem and
        each incident it now groups. One write transaction, three round trips."""
        if not incident_numbers:
            message = "name at least one incident to group"
            raise InvalidInput([FieldError("incidentNumbers", message, "REQUIRED")])
        check_problem_incidents(incident_numbers)
        event_id, now = new_event_id(), self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[Problem]:
            current = await lock_problem(self._db, tx, number)
            ids = await lock_incidents(self._db, tx, incident_numbers, number)
            added = [n for n in incident_numbers if n not in current.incident_numbers]
            if not added:
                return Written(current)
            rows = await self._db.query(
                tx, LINK_INCIDENTS, id=current.id, incidentNumbers=added, now=now, actor=actor
            )
            problem = problem_from_projection(rows[0]["problem"])
            event = NewEvent(
                event_id,
                "linkIncidentsToProblem",
                f"{number} groups {', '.join(sorted(added))}",
                (),
                (
                    FieldChange(
                        "incidentNumbers", current.incident_numbers, problem.incident_numbers
                    ),
                ),
                record_ids=(current.id, *(ids[n] for n in added)),
                at=now,
            )
            return Written(problem, [event])

        return await self._writes.write(
            "linkIncidentsToProblem", actor, work, changes_topology=False
        )

    async def unlink(self, number: str, incident_number: str, actor: str) -> Problem:
        """Takes the incident out of the problem. Raises `NotFound` for an unknown problem or
        incident, or an incident the problem does not group (field `incidentNumber`); nothing
        is written then. One write transaction, three round trips."""
        event_id, now = new_event_id(), self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[Problem]:
            current = await lock_problem(self._db, tx, number)
            ids = await lock_incidents(self._db, tx, [incident_number], number, "incidentNumber")
            if incident_number not in current.incident_numbers:
                raise NotFound(f"{number} does not group {incident_number}", field="incidentNumber")
            rows = await self._db.query(
                tx,
                UNLINK_INCIDENT,
                id=current.id,
                incidentNumber=incident_number,
                now=now,
                actor=actor,
            )
            problem = problem_from_projection(rows[0]["problem"])
            event = NewEvent(
                event_id,
                "unlinkIncidentFromProblem",
                f"{number} no longer groups {incident_number}",
                (),
                (
                    FieldChange(
                        "incidentNumbers", current.incident_numbers, problem.incident_numbers
                    ),
                ),
                record_ids=(current.id, ids[incident_number]),
                at=now,
            )
            return Written(problem, [event])

        return await self._writes.write(
            "unlinkIncidentFromProblem", actor, work, changes_topology=False
        )
