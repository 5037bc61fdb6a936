"""The work of `createChange`, `updateChange` and `transitionChange` inside their write
transaction: lock the change, judge the request against what it is now, save, describe it for
the history."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from graph._history import NewEvent
from graph._writes import next_number
from graph.changes._cypher import CREATE_CHANGE
from graph.changes._model import Change, change_from_row
from graph.changes._prepare import (
    NewChange,
    check_long_texts,
    stored_texts,
    validate_new_change,
)
from graph.changes._save import (
    Request,
    Save,
    check_cis_exist,
    event,
    lock_and_read,
    save,
    step_event,
    steps_to,
)
from graph.changes._snapshot import Snapshot, snapshot_of
from graph.domain import (
    CHANGE_NUMBERS,
    ChangeOutcome,
    ChangeState,
    check_change_transition,
    record_number,
)
from graph.errors import Conflict, FieldError, InvalidInput
from graph.impact import Analyst

__all__ = ["FINAL_STATES", "FIRST_NUMBER", "create_work", "transition_work", "update_work"]

FIRST_NUMBER = 1001
"""CHG0001001 is the first change's number."""

FINAL_STATES = (ChangeState.CLOSED, ChangeState.REJECTED, ChangeState.CANCELLED)
_STARTED = (ChangeState.IMPLEMENT, ChangeState.REVIEW)


def _iso(moment: Any) -> Any:
    return moment.isoformat() if moment is not None else None


def _stored(new: NewChange, targets: tuple[str, ...]) -> dict[str, Any]:
    """What the history compares of a change."""
    return {
        **stored_texts(new),
        "type": new.change_type.value,
        "plannedStart": _iso(new.planned_start),
        "plannedEnd": _iso(new.planned_end),
        "targetCiIds": sorted(targets),
    }


async def create_work(r: Request, new: NewChange) -> tuple[Change, list[NewEvent]]:
    """Writes `new` in DRAFT: the targets checked, then the number (late: its lock is held to
    the end of the transaction). Raises InvalidInput or NotFound (targetCiIds[i]). Three round
    trips."""
    targets = validate_new_change(new)
    await check_cis_exist(r.db, r.tx, targets)
    number = record_number(
        CHANGE_NUMBERS, await next_number(r.db, r.tx, CHANGE_NUMBERS, start=FIRST_NUMBER)
    )
    properties = {k: v for k, v in stored_texts(new).items() if v is not None} | {
        "number": number,
        "type": new.change_type.value,
        "state": ChangeState.DRAFT.value,
        "createdBy": r.actor,
        "updatedBy": r.actor,
    }
    rows = await r.db.query(
        r.tx,
        CREATE_CHANGE,
        id=str(uuid.uuid4()),
        properties=properties,
        plannedStart=_iso(new.planned_start),
        plannedEnd=_iso(new.planned_end),
        targets=list(targets),
        now=r.now.isoformat(),
    )
    change = change_from_row(rows[0]["change"])
    fields = {k: v for k, v in _stored(new, targets).items() if v is not None}
    return change, [event(change, "createChange", f"opened: {change.title}", {}, fields, r)]


def _as_new(c: Change) -> NewChange:
    return NewChange(
        title=c.title,
        change_type=c.change_type,
        target_ci_ids=c.target_ci_ids,
        description=c.description,
        planned_start=c.planned_start,
        planned_end=c.planned_end,
        assignee=c.assignee,
        assignment_group=c.assignment_group,
        implementation_plan=c.implementation_plan,
        backout_plan=c.backout_plan,
        test_plan=c.test_plan,
    )


def _check_may_change(current: Change, patch: dict[str, Any], after: NewChange) -> None:
    if current.state in FINAL_STATES:
        message = f"the change is {current.state.value}: it can no longer be changed"
        raise Conflict(message, field="number")
    if after.change_type is not current.change_type and current.state is not ChangeState.DRAFT:
        message = f"the type is fixed once the change leaves DRAFT (it is {current.state.value})"
        raise Conflict(message, field="type")
    if current.state in _STARTED:
        moved = [
            name
            for name, field in (
                ("targetCiIds", "target_ci_ids"),
                ("plannedStart", "planned_start"),
                ("plannedEnd", "planned_end"),
            )
            if field in patch
            and (
                set(patch[field] or ()) != set(current.target_ci_ids)
                if field == "target_ci_ids"
                else patch[field] != getattr(current, field)
            )
        ]
        if moved:
            message = "the targets and the window are fixed once implementation started"
            raise Conflict(message, field=moved[0])
    if current.state is not ChangeState.DRAFT and after.planned_start is None:
        message = "a change past DRAFT keeps a planned window"
        raise InvalidInput([FieldError("plannedStart", message, "REQUIRED")])


async def update_work(
    r: Request,
    analyst: Analyst,
    number: str,
    expected_version: int | None,
    patch: dict[str, Any],
    ready: Snapshot | None = None,
) -> tuple[Change, list[NewEvent]]:
    """Applies `patch` (NewChange field names; absent ones stay) when the change is still at
    `expected_version`; new targets of an assessed change take a new impact snapshot (`ready`
    when it was taken of them before the transaction). Raises NotFound, Conflict or
    InvalidInput; writes nothing then."""
    current = await lock_and_read(r.db, r.tx, number)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(
            f"the change was changed meanwhile: it is at version {current.version}, not "
            f"{expected_version}; reload it and apply your change again",
            field="expectedVersion",
        )
    after = replace(_as_new(current), **patch)
    targets = validate_new_change(after)
    _check_may_change(current, patch, after)
    before_fields = _stored(_as_new(current), current.target_ci_ids)
    after_fields = _stored(after, targets)
    changes = {k for k in after_fields if after_fields[k] != before_fields[k]}
    if not changes:
        return current, []
    s = Save(
        current,
        properties={**stored_texts(after), "type": after.change_type.value},
        times={"plannedStart": after.planned_start, "plannedEnd": after.planned_end},
    )
    if "targetCiIds" in changes:
        await check_cis_exist(r.db, r.tx, targets)
        s = replace(s, targets=targets)
        if current.assessed_at is not None:
            snapshot = await snapshot_of(analyst, targets, ready)
            s = replace(
                s,
                impacts=snapshot.impacts,
                impacted_ci_ids=snapshot.impacted_ci_ids,
                times={**s.times, "assessedAt": r.now},
            )
    saved = await save(r, s)
    return saved, [event(current, "updateChange", "updated", before_fields, after_fields, r)]


async def transition_work(
    r: Request,
    analyst: Analyst,
    number: str,
    to: ChangeState,
    note: str | None,
    outcome: ChangeOutcome | None,
    ready: Snapshot | None = None,
) -> tuple[Change, list[NewEvent]]:
    """Moves the change to `to`, judged against its state and type after its lock is taken.
    Entering ASSESS takes the impact snapshot (`ready` when it was taken of the targets the
    change still has; and ends an authorisation); IMPLEMENT sets the
    actual start, REVIEW the actual end; CLOSED needs an outcome. Raises NotFound or
    InvalidInput (INVALID_TRANSITION naming the allowed states; REQUIRED)."""
    errors = check_long_texts({"note": note})
    if errors:
        raise InvalidInput(errors)
    current = await lock_and_read(r.db, r.tx, number)
    check_change_transition(current.change_type, current.state, to)
    if outcome is not None and to not in (ChangeState.REVIEW, ChangeState.CLOSED):
        message = "an outcome is recorded entering REVIEW or CLOSED"
        raise InvalidInput([FieldError("outcome", message, "INVALID_VALUE")])
    s = Save(current, steps=steps_to(current, [to], r, note))
    if to is ChangeState.ASSESS:
        if current.planned_start is None:
            message = "plan the change's window before assessing it"
            raise InvalidInput([FieldError("plannedStart", message, "REQUIRED")])
        snapshot = await snapshot_of(analyst, current.target_ci_ids, ready)
        s = replace(
            s,
            impacts=snapshot.impacts,
            impacted_ci_ids=snapshot.impacted_ci_ids,
            times={"assessedAt": r.now, "authorisedAt": None},
        )
    elif to is ChangeState.IMPLEMENT:
        s = replace(s, times={"actualStart": r.now})
    elif to is ChangeState.REVIEW:
        s = replace(s, times={"actualEnd": r.now})
    elif to is ChangeState.CLOSED and outcome is None and current.outcome is None:
        message = "say how the change went (SUCCESSFUL, SUCCESSFUL_WITH_ISSUES, FAILED, BACKED_OUT)"
        raise InvalidInput([FieldError("outcome", message, "REQUIRED")])
    extra: dict[str, Any] = {}
    if outcome is not None:
        s = replace(s, properties={"outcome": outcome.value})
        extra["outcome"] = outcome.value
    saved = await save(r, s)
    return saved, [step_event(current, s.steps[0], "transitionChange", extra, r)]
