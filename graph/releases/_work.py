"""The work of `createRelease` and `updateRelease` inside their write transaction: lock what
is judged, check it as it is now, save, describe it for the history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from graph._history import NewEvent
from graph._writes import next_number
from graph.domain import (
    RELEASE_NUMBERS,
    ReleaseState,
    ReleaseType,
    check_release_fields,
    diff,
    record_number,
)
from graph.errors import Conflict
from graph.releases._locks import (
    Request,
    check_cis,
    check_joinable,
    check_open,
    lock_changes,
    lock_release,
)
from graph.releases._model import Release
from graph.releases._save import release_event, save

__all__ = ["FIRST_NUMBER", "NewRelease", "check_new_release", "create_work", "update_work"]

FIRST_NUMBER = 1001
"""REL0001001 is the first release's number."""


@dataclass(frozen=True)
class NewRelease:
    name: str
    version: str
    release_type: ReleaseType
    change_numbers: tuple[str, ...] = ()
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    rollback_plan: str | None = None
    description: str | None = None
    deployed_ci_ids: tuple[str, ...] | None = field(default=None)
    """The CIs it deploys; None: the union of its changes' targets."""


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def check_new_release(new: NewRelease) -> NewRelease:
    """`new` checked (raises `InvalidInput`), its texts trimmed, numbers upper-cased once
    each. Pure."""
    check_release_fields(
        name=new.name,
        version=new.version,
        planned_start=new.planned_start,
        planned_end=new.planned_end,
        texts={"rollbackPlan": new.rollback_plan, "description": new.description},
    )
    numbers = tuple(dict.fromkeys(n.strip().upper() for n in new.change_numbers))
    deployed = tuple(dict.fromkeys(new.deployed_ci_ids)) if new.deployed_ci_ids else None
    return replace(
        new,
        name=new.name.strip(),
        version=new.version.strip(),
        rollback_plan=_clean(new.rollback_plan),
        description=_clean(new.description),
        change_numbers=numbers,
        deployed_ci_ids=deployed if new.deployed_ci_ids is not None else None,
    )


def _fields(new: NewRelease) -> dict[str, Any]:
    return {
        "name": new.name,
        "version": new.version,
        "type": new.release_type.value,
        "plannedStart": new.planned_start,
        "plannedEnd": new.planned_end,
        "rollbackPlan": new.rollback_plan,
        "description": new.description,
        "deployedCisGiven": new.deployed_ci_ids is not None,
    }


def _listed(values: Sequence[str]) -> list[str]:
    return sorted(values)


async def create_work(r: Request, release_id: str, new: NewRelease) -> tuple[Release, NewEvent]:
    """Creates the release (PLANNING) with its changes, each locked and checked (in no other
    release, neither CANCELLED nor REJECTED); the number is taken last. Four or five round
    trips."""
    fields = [f"changeNumbers[{n}]" for n in range(len(new.change_numbers))]
    locked = await lock_changes(r, new.change_numbers, fields)
    check_joinable(None, ReleaseState.PLANNING, locked, fields)
    if new.deployed_ci_ids:
        await check_cis(r, new.deployed_ci_ids)
    number = record_number(
        RELEASE_NUMBERS, await next_number(r.db, r.tx, RELEASE_NUMBERS, start=FIRST_NUMBER)
    )
    properties = {**_fields(new), "number": number, "state": ReleaseState.PLANNING.value}
    release = await save(
        r,
        release_id,
        properties,
        create=True,
        added=[c.change.id for c in locked],
        deployed=new.deployed_ci_ids,
        sync_deployed=True,
        steps=[(None, ReleaseState.PLANNING, None)],
    )
    after = {
        **properties,
        "changeNumbers": _listed(release.change_numbers),
        "deployedCiIds": _listed(release.deployed_ci_ids),
    }
    after.pop("deployedCisGiven")
    event = release_event(
        r,
        "createRelease",
        f"{number} created: {new.name} {new.version}",
        diff({}, {k: v.isoformat() if isinstance(v, datetime) else v for k, v in after.items()}),
        [release_id, *(c.change.id for c in locked)],
    )
    return release, event


def _current(release: Release) -> NewRelease:
    return NewRelease(
        name=release.name,
        version=release.version,
        release_type=release.release_type,
        planned_start=release.planned_start,
        planned_end=release.planned_end,
        rollback_plan=release.rollback_plan,
        description=release.description,
        deployed_ci_ids=release.deployed_ci_ids if release.deployed_cis_given else None,
    )


def _comparable(new: NewRelease, deployed: Sequence[str]) -> dict[str, Any]:
    fields = {**_fields(new), "deployedCiIds": _listed(deployed)}
    fields.pop("deployedCisGiven")
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in fields.items()}


async def update_work(
    r: Request, number: str, expected_revision: int | None, patch: dict[str, Any]
) -> tuple[Release, list[NewEvent]]:
    """Applies `patch` (NewRelease field names; `deployed_ci_ids` None goes back to the
    changes' targets) when the release is at `expected_revision` and not finished. Raises
    NotFound, Conflict or InvalidInput, writing nothing. Two to four round trips."""
    current = await lock_release(r, number)
    check_open(current)
    if expected_revision is not None and current.revision != expected_revision:
        raise Conflict(
            f"the release was changed meanwhile: it is at revision {current.revision}, not "
            f"{expected_revision}; reload it and apply your change again",
            field="expectedRevision",
        )
    wanted = check_new_release(replace(_current(current), **patch))
    targets = sorted({t for c in current.changes for t in c.target_ci_ids})
    deployed_after = wanted.deployed_ci_ids if wanted.deployed_ci_ids is not None else targets
    changes = diff(
        _comparable(_current(current), current.deployed_ci_ids),
        _comparable(wanted, deployed_after),
    )
    if not changes:
        return current, []
    if wanted.deployed_ci_ids:
        await check_cis(r, wanted.deployed_ci_ids)
    properties = _fields(wanted)
    release = await save(
        r,
        current.id,
        properties,
        deployed=wanted.deployed_ci_ids,
        sync_deployed="deployed_ci_ids" in patch,
    )
    summary = f"{number} updated"
    return release, [release_event(r, "updateRelease", summary, changes, [current.id])]
