"""The work of `addChangesToRelease` and `removeChangeFromRelease` inside their write
transaction: the release and the changes locked (release first, changes in number order), the
membership judged as it is now, the deployed CIs kept to the changes' targets when the release
names none, one event on the release and on each change concerned."""

from __future__ import annotations

from collections.abc import Sequence

from graph._history import NewEvent
from graph.domain import MAX_RELEASE_CHANGES, FieldChange, diff
from graph.errors import FieldError, InvalidInput
from graph.releases._locks import (
    Request,
    check_joinable,
    check_open,
    lock_changes,
    lock_release,
)
from graph.releases._model import Release
from graph.releases._save import release_event, save

__all__ = ["add_work", "remove_work"]


def _numbers(raw: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip().upper() for n in raw))


async def add_work(
    r: Request, number: str, change_numbers: Sequence[str]
) -> tuple[Release, list[NewEvent]]:
    """Adds the changes to the release: each in no other release, neither CANCELLED nor
    REJECTED, and authorised when the release is deploying; the release not finished. Changes
    already in it stay. Raises NotFound, Conflict or InvalidInput, writing nothing. Three
    round trips."""
    numbers = _numbers(change_numbers)
    if not numbers:
        message = "name at least one change"
        raise InvalidInput([FieldError("changeNumbers", message, "REQUIRED")])
    if len(numbers) > MAX_RELEASE_CHANGES:
        message = f"add at most {MAX_RELEASE_CHANGES} changes at once"
        raise InvalidInput([FieldError("changeNumbers", message, "OUT_OF_RANGE")])
    current = await lock_release(r, number)
    check_open(current)
    fields = [f"changeNumbers[{n}]" for n in range(len(numbers))]
    locked = await lock_changes(r, numbers, fields)
    check_joinable(current.number, current.state, locked, fields)
    new = [c.change for c in locked if c.release_number != current.number]
    if not new:
        return current, []
    release = await save(
        r,
        current.id,
        {},
        added=[c.id for c in new],
        sync_deployed=not current.deployed_cis_given,
    )
    listed = ", ".join(c.number for c in new)
    event = release_event(
        r,
        "addChangesToRelease",
        f"{listed} added to {current.number}",
        _membership_change(current, release),
        [current.id, *(c.id for c in new)],
    )
    return release, [event]


async def remove_work(
    r: Request, number: str, change_number: str
) -> tuple[Release, list[NewEvent]]:
    """Takes the change out of the release (not finished). Raises NotFound or InvalidInput
    (the change is not in it), writing nothing. Three round trips."""
    change_number = change_number.strip().upper()
    current = await lock_release(r, number)
    check_open(current)
    [locked] = await lock_changes(r, [change_number], ["changeNumber"])
    if locked.release_number != current.number:
        message = f"{change_number} is not in {current.number}"
        raise InvalidInput([FieldError("changeNumber", message, "INVALID_VALUE")])
    release = await save(
        r,
        current.id,
        {},
        removed=[locked.change.id],
        sync_deployed=not current.deployed_cis_given,
    )
    event = release_event(
        r,
        "removeChangeFromRelease",
        f"{change_number} removed from {current.number}",
        _membership_change(current, release),
        [current.id, locked.change.id],
    )
    return release, [event]


def _membership_change(before: Release, after: Release) -> tuple[FieldChange, ...]:
    return diff(
        {
            "changeNumbers": list(before.change_numbers),
            "deployedCiIds": list(before.deployed_ci_ids),
        },
        {"changeNumbers": list(after.change_numbers), "deployedCiIds": list(after.deployed_ci_ids)},
    )
