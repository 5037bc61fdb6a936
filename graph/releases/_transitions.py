"""The work of `transitionRelease` inside its write transaction: the release locked, and for
DEPLOY its changes too, so that none leaves its authorised state while the release enters
DEPLOY; the move judged as things are now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph._history import NewEvent
from graph.domain import (
    ReleaseState,
    check_deployable,
    check_release_transition,
    diff,
)
from graph.errors import FieldError, InvalidInput
from graph.releases._locks import Request, lock_changes, lock_release
from graph.releases._model import Release
from graph.releases._save import release_event, save

__all__ = ["transition_work"]

MAX_NOTE = 10_000

# Stamped when a release enters the state.
_STAMPS = {
    ReleaseState.DEPLOY: "deployedAt",
    ReleaseState.CLOSED: "closedAt",
    ReleaseState.ROLLED_BACK: "rolledBackAt",
}


async def transition_work(
    r: Request, number: str, to: ReleaseState, note: str | None
) -> tuple[Release, list[NewEvent]]:
    """Moves the release to `to` through `RELEASE_TRANSITIONS`. Entering DEPLOY needs at least
    one change and every change authorised (read under their locks); entering ROLLED_BACK
    needs a note, recorded with the rollback plan. Raises NotFound or InvalidInput
    (INVALID_TRANSITION naming the allowed states or the unauthorised changes; REQUIRED
    note), writing nothing. Three round trips (four into DEPLOY)."""
    note = note.strip() or None if note is not None else None
    if note is not None and len(note) > MAX_NOTE:
        message = f"note holds at most {MAX_NOTE} characters, got {len(note)}"
        raise InvalidInput([FieldError("note", message, "TOO_LONG")])
    current = await lock_release(r, number)
    check_release_transition(current.state, to)
    if to is ReleaseState.DEPLOY:
        if not current.changes:
            message = "a release with no changes has nothing to deploy; add changes first"
            raise InvalidInput([FieldError("to", message, "INVALID_TRANSITION")])
        numbers = current.change_numbers
        locked = await lock_changes(r, numbers, ["to"] * len(numbers))
        check_deployable([(c.change.number, c.change.state) for c in locked])
    if to is ReleaseState.ROLLED_BACK and note is None:
        message = "say why the release is rolled back"
        raise InvalidInput([FieldError("note", message, "REQUIRED")])
    properties: dict[str, Any] = {"state": to.value}
    if to in _STAMPS:
        properties[_STAMPS[to]] = r.now
    extra: dict[str, Any] = {}
    if to is ReleaseState.ROLLED_BACK:
        properties["rollbackNote"] = note
        extra = {"rollbackNote": note, "rollbackPlan": current.rollback_plan}
    release = await save(
        r,
        current.id,
        properties,
        steps=[(current.state, to, note)],
        first_seq=len(current.transitions) + 1,
    )
    said = f": {note}" if note else ""
    event = release_event(
        r,
        "transitionRelease",
        f"{number} {current.state.value} -> {to.value}{said}",
        diff(
            {"state": current.state.value},
            {"state": to.value, **{k: _text(v) for k, v in extra.items()}},
        ),
        [current.id],
    )
    return release, [event]


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
