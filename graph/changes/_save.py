"""Reading a change under its lock, checking the CIs it names, and saving what one write
changes of it: the kernel of every change write (`_work.py`, `_cab.py`, `_snapshot.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph._history import NewEvent
from graph.changes._cypher import CHECK_CIS, LOCK_AND_READ, SAVE
from graph.changes._model import Approval, Change, ChangeImpact, change_from_row
from graph.domain import ChangeState, CIStatus, FieldChange, diff, new_event_id
from graph.errors import FieldError, InvalidInput, NotFound

__all__ = [
    "Request",
    "Save",
    "Step",
    "changes_event",
    "check_cis_exist",
    "event",
    "lock_and_read",
    "save",
    "step_event",
    "steps_to",
]


@dataclass(frozen=True)
class Request:
    """Who writes and when: what every write of a change needs."""

    db: Database
    tx: AsyncManagedTransaction
    actor: str
    now: datetime


@dataclass(frozen=True)
class Step:
    """One move of a change between states, about to be recorded."""

    seq: int
    from_state: ChangeState
    to_state: ChangeState
    at: datetime
    actor: str
    note: str | None

    def as_parameter(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "from": self.from_state.value,
            "to": self.to_state.value,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "note": self.note,
        }


def steps_to(
    change: Change, states: Sequence[ChangeState], r: Request, note: str | None
) -> tuple[Step, ...]:
    """The steps that take `change` through `states` in order, numbered after its recorded
    transitions. The caller has checked that each is allowed."""
    steps, state, seq = [], change.state, len(change.transitions)
    for to in states:
        seq += 1
        steps.append(Step(seq, state, to, r.now, r.actor, note))
        state = to
    return tuple(steps)


@dataclass(frozen=True)
class Save:
    """What one write changes of one change; None leaves a part as it is."""

    change: Change
    properties: dict[str, Any] = field(default_factory=dict)
    times: dict[str, datetime | None] = field(default_factory=dict)
    """Datetime properties (`TIMES`) to set; None clears one."""
    steps: tuple[Step, ...] = ()
    targets: tuple[str, ...] | None = None
    impacts: tuple[ChangeImpact, ...] | None = None
    impacted_ci_ids: tuple[str, ...] | None = None
    approvals: tuple[Approval, ...] = ()


async def lock_and_read(db: Database, tx: AsyncManagedTransaction, number: str) -> Change:
    """The change numbered `number`, its write lock taken first (a concurrent writer of it
    waits for this transaction); raises `NotFound` (field `number`). One round trip."""
    rows = await db.query(tx, LOCK_AND_READ, number=number)
    if not rows:
        raise NotFound(f"no change has the number {number}", field="number")
    return change_from_row(rows[0]["change"])


async def check_cis_exist(
    db: Database, tx: AsyncManagedTransaction, ids: Sequence[str], field_name: str = "targetCiIds"
) -> None:
    """Raises `NotFound` naming `targetCiIds[i]` for each id no CI has, or `InvalidInput`
    (INVALID_VALUE) for each retired CI. One round trip."""
    rows = await db.query(tx, CHECK_CIS, ids=list(ids))
    status = {row["id"]: row["status"] for row in rows}
    missing = [(f"{field_name}[{n}]", f"no CI has the id {i}") for n, i in enumerate(ids)]
    missing = [m for m, i in zip(missing, ids, strict=True) if i not in status]
    if missing:
        raise NotFound(missing[0][1], field=missing[0][0], more=missing[1:])
    retired = [
        FieldError(f"{field_name}[{n}]", f"the CI {i} is retired", "INVALID_VALUE")
        for n, i in enumerate(ids)
        if status[i] == CIStatus.RETIRED.name
    ]
    if retired:
        raise InvalidInput(retired)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def save(r: Request, s: Save) -> Change:
    """Writes `s` in the request's transaction (the change's version goes up by one) and
    returns the change as saved. One round trip."""
    state = s.steps[-1].to_state if s.steps else s.change.state
    rows = await r.db.query(
        r.tx,
        SAVE,
        id=s.change.id,
        properties={**s.properties, "state": state.value},
        times={name: _iso(moment) for name, moment in s.times.items()},
        targets=None if s.targets is None else list(s.targets),
        impacts=None
        if s.impacts is None
        else {
            "serviceIds": [i.service_id for i in s.impacts],
            "states": [i.state.value for i in s.impacts],
            "reasons": [i.reason for i in s.impacts],
        },
        impactedCiIds=None if s.impacted_ci_ids is None else list(s.impacted_ci_ids),
        transitions=[step.as_parameter() for step in s.steps],
        approvals=[
            {
                "id": a.id,
                "approver": a.approver,
                "decision": a.decision,
                "comment": a.comment,
                "at": a.at.isoformat(),
                "round": a.round,
            }
            for a in s.approvals
        ],
        now=r.now.isoformat(),
        actor=r.actor,
    )
    return change_from_row(rows[0]["change"])


def event(
    change: Change,
    operation: str,
    summary: str,
    before: dict[str, Any],
    after: dict[str, Any],
    r: Request,
) -> NewEvent:
    """The audit event of one write of `change`, at the request's instant."""
    return changes_event(change, operation, summary, diff(before, after), r)


def changes_event(
    change: Change,
    operation: str,
    summary: str,
    changes: tuple[FieldChange, ...],
    r: Request,
) -> NewEvent:
    """The audit event of one write of `change` with its field changes worked out."""
    return NewEvent(
        new_event_id(),
        operation,
        f"{change.number} {summary}",
        (),
        changes,
        record_ids=(change.id,),
        at=r.now,
    )


def step_event(
    change: Change, step: Step, operation: str, extra: dict[str, Any], r: Request
) -> NewEvent:
    """The audit event of one transition."""
    note = f": {step.note}" if step.note else ""
    return event(
        change,
        operation,
        f"{step.from_state.value} -> {step.to_state.value}{note}",
        {"state": step.from_state.value},
        {"state": step.to_state.value, **extra},
        r,
    )
