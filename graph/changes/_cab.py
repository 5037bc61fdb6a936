"""The change advisory board's decisions (`approveChange`, `rejectChange`) inside their write
transaction: each approver's decision recorded once per stay in AUTHORIZE; the approval that
reaches the number required authorises the change and schedules it in the same write (or, for
an emergency change approved to implement now, starts it); a rejection ends it."""

from __future__ import annotations

import uuid
from dataclasses import replace

from graph._history import NewEvent
from graph.changes._model import Approval, Change
from graph.changes._prepare import check_long_texts
from graph.changes._save import (
    Request,
    Save,
    event,
    lock_and_read,
    save,
    step_event,
    steps_to,
)
from graph.domain import ChangeState, ChangeType
from graph.errors import Conflict, FieldError, InvalidInput

__all__ = [
    "APPROVED",
    "AUTHORISED_NOTE",
    "IMPLEMENT_NOW_NOTE",
    "REJECTED",
    "approve_work",
    "reject_work",
]

APPROVED = "APPROVED"
REJECTED = "REJECTED"
AUTHORISED_NOTE = "authorised by CAB"
IMPLEMENT_NOW_NOTE = "authorised by the emergency CAB: implement now"


async def _decidable(r: Request, number: str, comment: str | None) -> Change:
    errors = check_long_texts({"comment": comment})
    if errors:
        raise InvalidInput(errors)
    current = await lock_and_read(r.db, r.tx, number)
    if current.state is not ChangeState.AUTHORIZE:
        message = f"the change is {current.state.value}: the CAB decides on a change in AUTHORIZE"
        raise Conflict(message, field="number")
    if any(a.approver == r.actor for a in current.current_approvals):
        message = f"{r.actor} has decided on this change already; one decision per CAB member"
        raise Conflict(message, field="number")
    return current


def _approval(current: Change, r: Request, decision: str, comment: str | None) -> Approval:
    text = comment.strip() if comment and comment.strip() else None
    return Approval(str(uuid.uuid4()), r.actor, decision, text, r.now, current.authorisation_round)


async def approve_work(
    r: Request, number: str, comment: str | None, implement_now: bool, required: int
) -> tuple[Change, list[NewEvent]]:
    """Records the actor's approval; with `required` approvals in, the change moves to
    SCHEDULED (a transition by the approver, "authorised by CAB"); an emergency change
    approved with `implement_now` moves to IMPLEMENT at once. Raises Conflict (not in
    AUTHORIZE, decided already) or InvalidInput (implementNow on another type)."""
    current = await _decidable(r, number, comment)
    if implement_now and current.change_type is not ChangeType.EMERGENCY:
        message = "only an emergency change can be implemented at once"
        raise InvalidInput([FieldError("implementNow", message, "INVALID_VALUE")])
    approval = _approval(current, r, APPROVED, comment)
    approved = 1 + sum(1 for a in current.current_approvals if a.decision == APPROVED)
    s = Save(current, approvals=(approval,))
    if implement_now:
        s = replace(
            s,
            steps=steps_to(current, [ChangeState.IMPLEMENT], r, IMPLEMENT_NOW_NOTE),
            times={"authorisedAt": r.now, "actualStart": r.now},
        )
    elif approved >= required:
        s = replace(
            s,
            steps=steps_to(current, [ChangeState.SCHEDULED], r, AUTHORISED_NOTE),
            times={"authorisedAt": r.now},
        )
    saved = await save(r, s)
    summary = f"approved by {r.actor} ({approved} of {required})"
    decision = {
        "approval": {"approver": r.actor, "decision": APPROVED, "comment": approval.comment}
    }
    events = [event(current, "approveChange", summary, {}, decision, r)]
    events += [step_event(current, step, "approveChange", {}, r) for step in s.steps]
    return saved, events


async def reject_work(
    r: Request, number: str, comment: str | None
) -> tuple[Change, list[NewEvent]]:
    """Records the actor's rejection (a comment is required) and moves the change to
    REJECTED."""
    if comment is None or not comment.strip():
        message = "say why the change is rejected"
        raise InvalidInput([FieldError("comment", message, "REQUIRED")])
    current = await _decidable(r, number, comment)
    approval = _approval(current, r, REJECTED, comment)
    steps = steps_to(current, [ChangeState.REJECTED], r, approval.comment)
    saved = await save(r, Save(current, steps=steps, approvals=(approval,)))
    decision = {
        "approval": {"approver": r.actor, "decision": REJECTED, "comment": approval.comment}
    }
    events = [event(current, "rejectChange", f"rejected by {r.actor}", {}, decision, r)]
    events += [step_event(current, step, "rejectChange", {}, r) for step in steps]
    return saved, events
