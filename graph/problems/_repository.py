"""The problem repository: create, update, transition problems and group incidents under
them (docs/concepts.md, "Problem management"). Each write is one transaction of the write
recipe (`graph/_writes.py`) that locks what it judges before reading it."""

from __future__ import annotations

import uuid
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository, NewEvent
from graph._writes import Writes, Written, next_number
from graph.domain import (
    PROBLEM_NUMBERS,
    FieldChange,
    ProblemState,
    check_known_error,
    check_problem_incidents,
    check_problem_texts,
    check_problem_transition,
    diff,
    new_event_id,
    record_number,
)
from graph.errors import Conflict
from graph.problems._cypher import (
    CREATE_PROBLEM,
    TRANSITION_PROBLEM,
    UPDATE_PROBLEM,
)
from graph.problems._links import IncidentLinks
from graph.problems._locks import check_root_cause, lock_incidents, lock_problem
from graph.problems._model import (
    UNCHANGED,
    NewProblem,
    Problem,
    ProblemPatch,
    problem_from_projection,
)
from graph.problems._reads import ProblemReader

__all__ = ["ProblemRepository"]

# Stamped when a problem enters the state.
_STAMPS = {ProblemState.RESOLVED: "resolvedAt", ProblemState.CLOSED: "closedAt"}


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


class ProblemRepository(ProblemReader, IncidentLinks):
    def __init__(
        self, db: Database, history: HistoryRepository, writes: Writes, clock: Clock
    ) -> None:
        super().__init__(db, clock)
        self._history = history
        self._writes = writes

    async def create(self, new: NewProblem, actor: str) -> Problem:
        """Opens a problem in NEW: reactive when it groups incidents, proactive otherwise.
        Raises `InvalidInput` for bad texts, `NotFound` for an unknown incident
        (`incidentNumbers[i]`) or root-cause CI (`rootCauseCiId`), `Conflict` for an incident
        another problem groups; nothing is written then. One write transaction, five round
        trips (four without incidents)."""
        check_problem_texts(
            title=new.title,
            description=new.description,
            workaround=new.workaround,
            title_given=True,
        )
        check_problem_incidents(new.incident_numbers)
        problem_id, event_id, now = str(uuid.uuid4()), new_event_id(), self._clock.now()
        stored = {
            "title": new.title.strip(),
            "description": _clean(new.description),
            "workaround": _clean(new.workaround),
        }

        async def work(tx: AsyncManagedTransaction) -> Written[Problem]:
            incident_ids = await lock_incidents(self._db, tx, new.incident_numbers, None)
            await check_root_cause(self._db, tx, new.root_cause_ci_id)
            number = record_number(
                PROBLEM_NUMBERS, await next_number(self._db, tx, PROBLEM_NUMBERS, start=1001)
            )
            rows = await self._db.query(
                tx,
                CREATE_PROBLEM,
                id=problem_id,
                number=number,
                now=now,
                actor=actor,
                incidentNumbers=list(new.incident_numbers),
                rootCauseCiId=new.root_cause_ci_id,
                **stored,
            )
            problem = problem_from_projection(rows[0]["problem"])
            after: dict[str, Any] = {
                **stored,
                "state": "NEW",
                "rootCauseCiId": new.root_cause_ci_id,
            }
            if new.incident_numbers:
                after["incidentNumbers"] = sorted(new.incident_numbers)
            event = NewEvent(
                event_id,
                "createProblem",
                f"{number} {stored['title']} opened",
                (),
                diff({}, after),
                record_ids=(problem_id, *incident_ids.values()),
                at=now,
            )
            return Written(problem, [event])

        return await self._writes.write("createProblem", actor, work, changes_topology=False)

    async def update(
        self, number: str, expected_version: int | None, patch: ProblemPatch, actor: str
    ) -> Problem:
        """Applies `patch` when the problem is still at `expected_version`. Raises `NotFound`
        for an unknown number or root-cause CI, `Conflict` for a stale version, `InvalidInput`
        for bad texts or for clearing the workaround of a known error; nothing is written then.
        An update that changes nothing writes nothing. One write transaction, up to three
        round trips."""
        given = {
            key: getattr(patch, key)
            for key in ("title", "description", "workaround", "root_cause_ci_id")
            if getattr(patch, key) is not UNCHANGED
        }
        check_problem_texts(
            title=given.get("title"),
            description=given.get("description"),
            workaround=given.get("workaround"),
            title_given="title" in given,
        )
        event_id, now = new_event_id(), self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[Problem]:
            current = await lock_problem(self._db, tx, number)
            if expected_version is not None and current.version != expected_version:
                raise Conflict(
                    f"the problem was changed meanwhile: it is at version {current.version}, "
                    f"not {expected_version}; reload it and apply your change again",
                    field="expectedVersion",
                )
            before = _editable(current)
            after = {**before, **{_PROPERTY[k]: _clean(v) for k, v in given.items()}}
            if current.state is ProblemState.KNOWN_ERROR:
                check_known_error(ProblemState.KNOWN_ERROR, after["workaround"])
            changes = diff(before, after)
            if not changes:
                return Written(current)
            changed = {c.field for c in changes}
            if "rootCauseCiId" in changed:
                await check_root_cause(self._db, tx, after["rootCauseCiId"])
            rows = await self._db.query(
                tx,
                UPDATE_PROBLEM,
                id=current.id,
                now=now,
                actor=actor,
                changes={c.field: c.after for c in changes if c.field != "rootCauseCiId"},
                changeRootCause="rootCauseCiId" in changed,
                rootCauseCiId=after["rootCauseCiId"],
            )
            event = NewEvent(
                event_id,
                "updateProblem",
                f"{number} {after['title']} updated",
                (),
                changes,
                record_ids=(current.id,),
                at=now,
            )
            return Written(problem_from_projection(rows[0]["problem"]), [event])

        return await self._writes.write("updateProblem", actor, work, changes_topology=False)

    async def transition(
        self, number: str, to: ProblemState, note: str | None, actor: str
    ) -> Problem:
        """Moves the problem to `to`, recording who, when and why. Raises `NotFound` for an
        unknown number, `InvalidInput` for a transition the state machine does not allow
        (INVALID_TRANSITION, naming the allowed ones) or for entering KNOWN_ERROR without a
        workaround (REQUIRED on `workaround`); nothing is written then. One write
        transaction, three round trips."""
        check_problem_texts(note=note)
        event_id, now = new_event_id(), self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[Problem]:
            current = await lock_problem(self._db, tx, number)
            check_problem_transition(current.state, to)
            check_known_error(to, current.workaround)
            changes: dict[str, Any] = {"state": to.value}
            if to in _STAMPS:
                changes[_STAMPS[to]] = now
            rows = await self._db.query(
                tx,
                TRANSITION_PROBLEM,
                id=current.id,
                changes=changes,
                now=now,
                actor=actor,
                seq=len(current.transitions) + 1,
                note=_clean(note),
                **{"from": current.state.value, "to": to.value},
            )
            event = NewEvent(
                event_id,
                "transitionProblem",
                f"{number} moved from {current.state.value} to {to.value}",
                (),
                (FieldChange("state", current.state.value, to.value),),
                record_ids=(current.id,),
                at=now,
            )
            return Written(problem_from_projection(rows[0]["problem"]), [event])

        return await self._writes.write("transitionProblem", actor, work, changes_topology=False)


_PROPERTY = {
    "title": "title",
    "description": "description",
    "workaround": "workaround",
    "root_cause_ci_id": "rootCauseCiId",
}


def _editable(problem: Problem) -> dict[str, Any]:
    """What `updateProblem` can change, under its stored names."""
    return {
        "title": problem.title,
        "description": problem.description,
        "workaround": problem.workaround,
        "rootCauseCiId": problem.root_cause_ci_id,
    }
