"""What every write of a release does first, inside its transaction: take the locks of the
release and of the changes it judges, read them as they are now, and check what they may
become."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph.domain import (
    FINISHED_RELEASE_STATES,
    UNRELEASABLE_CHANGE_STATES,
    CIStatus,
    ReleaseState,
)
from graph.errors import Conflict, FieldError, InvalidInput, NotFound
from graph.releases._cypher import CHECK_CIS, LOCK_CHANGES, LOCK_RELEASE
from graph.releases._model import IncludedChange, Release, included_change, release_from_row

__all__ = [
    "LockedChange",
    "Request",
    "check_cis",
    "check_joinable",
    "check_open",
    "lock_changes",
    "lock_release",
]


@dataclass(frozen=True)
class Request:
    """Who writes, when: what every write of a release needs."""

    db: Database
    tx: AsyncManagedTransaction
    actor: str
    now: datetime


@dataclass(frozen=True)
class LockedChange:
    """A change read under its lock, with the release that holds it, if any."""

    change: IncludedChange
    release_number: str | None
    release_name: str | None


async def lock_release(r: Request, number: str) -> Release:
    """The release numbered `number`, its write lock taken first; raises `NotFound` (field
    `number`). One round trip."""
    rows = await r.db.query(r.tx, LOCK_RELEASE, number=number)
    if not rows:
        raise NotFound(f"no release has the number {number}", field="number")
    return release_from_row(rows[0]["release"])


async def lock_changes(
    r: Request, numbers: Sequence[str], fields: Sequence[str]
) -> list[LockedChange]:
    """The changes numbered `numbers`, in that order, each locked (in number order, so that
    writers of shared changes never deadlock); raises `NotFound` naming `fields[i]` for each
    number no change has. One round trip."""
    rows = await r.db.query(r.tx, LOCK_CHANGES, numbers=sorted(set(numbers)))
    found = {
        row["change"]["number"]: LockedChange(
            included_change(row["change"]),
            row["change"]["releaseNumber"],
            row["change"]["releaseName"],
        )
        for row in rows
    }
    missing = [
        (field, f"no change has the number {n}")
        for n, field in zip(numbers, fields, strict=True)
        if n not in found
    ]
    if missing:
        raise NotFound(missing[0][1], field=missing[0][0], more=missing[1:])
    return [found[n] for n in numbers]


def check_open(release: Release, field: str = "number") -> None:
    """Raises `InvalidInput` when the release is CLOSED or ROLLED_BACK: it no longer changes."""
    if release.state in FINISHED_RELEASE_STATES:
        message = f"{release.number} is {release.state.value}: a finished release does not change"
        raise InvalidInput([FieldError(field, message, "INVALID_VALUE")])


def check_joinable(
    release_number: str | None,
    state: ReleaseState,
    locked: Sequence[LockedChange],
    fields: Sequence[str],
) -> None:
    """Raises `Conflict` naming each change another release holds (a change belongs to at
    most one), else `InvalidInput` for each CANCELLED or REJECTED change, and, when the release
    is deploying, for each change that is not authorised."""
    taken = [
        (
            field,
            f"{c.change.number} is already in {c.release_number} ({c.release_name}); "
            "remove it from there first",
        )
        for c, field in zip(locked, fields, strict=True)
        if c.release_number is not None and c.release_number != release_number
    ]
    if taken:
        raise Conflict(taken[0][1], field=taken[0][0], more=taken[1:])
    errors = []
    for c, field in zip(locked, fields, strict=True):
        change = c.change
        if change.state in UNRELEASABLE_CHANGE_STATES:
            message = f"{change.number} is {change.state.value}: no release takes it"
            errors.append(FieldError(field, message, "INVALID_VALUE"))
        elif state is ReleaseState.DEPLOY and not change.authorised:
            message = (
                f"{change.number} is {change.state.value}: a deploying release takes only "
                "authorised changes"
            )
            errors.append(FieldError(field, message, "INVALID_VALUE"))
    if errors:
        raise InvalidInput(errors)


async def check_cis(r: Request, ids: Sequence[str], field: str = "deployedCiIds") -> None:
    """Raises `NotFound` naming `field[i]` for each id no CI has, or `InvalidInput` for each
    retired CI. One round trip."""
    rows = await r.db.query(r.tx, CHECK_CIS, ids=list(ids))
    status = {row["id"]: row["status"] for row in rows}
    missing = [
        (f"{field}[{n}]", f"no CI has the id {i}") for n, i in enumerate(ids) if i not in status
    ]
    if missing:
        raise NotFound(missing[0][1], field=missing[0][0], more=missing[1:])
    retired = [
        FieldError(f"{field}[{n}]", f"the CI {i} is retired", "INVALID_VALUE")
        for n, i in enumerate(ids)
        if status[i] == CIStatus.RETIRED.name
    ]
    if retired:
        raise InvalidInput(retired)
