"""The demo's change enablement (`graph/imports/demo/changes.json`): changes in every state, a
freeze over the Online Shop and a release, made through the product's own repositories.

Times in the file are hours from the moment of loading. Each step of a change happens at the
time it would have: a change implemented two days ago was assessed the day before its window,
started at its planned start and reviewed at its planned end, so its record reads as lived. A
`ReplayClock` tells the repositories those times; steps of future changes happen now.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from graph import Clock, SystemClock
from graph.changes import NewChange
from graph.domain import ChangeOutcome, ChangeState, ChangeType, ReleaseState, ReleaseType
from graph.imports import DEMO_FILE
from graph.releases import NewRelease
from resolvers import Repositories

__all__ = ["DEMO_CHANGES", "ReplayClock", "load_demo_changes"]

DEMO_CHANGES = DEMO_FILE.parent / "changes.json"


class ReplayClock:
    """`base` (the system's clock by default), unless a replay sets the time (`at`)."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._moment: datetime | None = None

    def now(self) -> datetime:
        return self._moment or self._base.now()

    @contextmanager
    def at(self, moment: datetime) -> Iterator[None]:
        """Tells `moment` as now, if it is not in the future, while the block runs."""
        self._moment = min(moment, self._base.now())
        try:
            yield
        finally:
            self._moment = None


def _new(item: dict[str, Any], ids: dict[str, str], start: datetime) -> NewChange:
    return NewChange(
        title=item["title"],
        change_type=ChangeType(item["type"]),
        target_ci_ids=[ids[t] for t in item["targets"]],
        planned_start=start,
        planned_end=start + timedelta(hours=item["hours"]),
        assignee=item.get("assignee"),
        assignment_group=item.get("group"),
        implementation_plan=item.get("implementationPlan"),
        backout_plan=item.get("backoutPlan"),
        test_plan=item.get("testPlan"),
    )


def _moment(step: str, start: datetime, end: datetime) -> datetime:
    """When a step of a change happens, from its window."""
    if step in ("IMPLEMENT", "approve-now"):
        return start
    if step == "REVIEW":
        return end
    if step == "close":
        return end + timedelta(hours=1)
    return start - timedelta(hours=24)


async def _change(
    repositories: Repositories,
    clock: ReplayClock,
    item: dict[str, Any],
    ids: dict[str, str],
    now: datetime,
    actor: str,
) -> str:
    start = now + timedelta(hours=item["startHours"])
    end = start + timedelta(hours=item["hours"])
    changes = repositories.changes
    with clock.at(start - timedelta(hours=48)):
        number = (await changes.create(_new(item, ids, start), actor)).number
    for step in item["steps"]:
        verb, _, text = step.partition(":")
        with clock.at(_moment(verb, start, end)):
            if verb in ("approve", "approve-now"):
                await changes.approve(number, "cab", text, implement_now=verb == "approve-now")
            elif verb == "reject":
                await changes.reject(number, "cab", text)
            elif verb == "close":
                await changes.transition(
                    number, ChangeState.CLOSED, actor, outcome=ChangeOutcome(text)
                )
            else:
                await changes.transition(number, ChangeState(verb), actor)
    return number


async def load_demo_changes(
    repositories: Repositories, actor: str, clock: ReplayClock
) -> tuple[int, int, int]:
    """Loads the demo's freeze, changes and release through `repositories` (built with
    `clock`), naming CIs by their demo external ids. Returns the numbers of changes, freezes
    and releases made."""
    text = await asyncio.to_thread(DEMO_CHANGES.read_text, encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    names = [t for item in document["changes"] for t in item["targets"]]
    names += [s for freeze in document["freezes"] for s in freeze["services"]]
    ci_ids = await repositories.incidents.find_cis(names, "demo")
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    for freeze in document["freezes"]:
        start = now + timedelta(hours=freeze["startHours"])
        await repositories.windows.create_blackout(
            freeze["name"],
            start,
            start + timedelta(hours=freeze["hours"]),
            freeze.get("reason"),
            [ci_ids[s] for s in freeze["services"]],
            actor,
        )
    numbers = {
        item["key"]: await _change(repositories, clock, item, ci_ids, now, actor)
        for item in document["changes"]
    }
    for release in document["releases"]:
        made = await repositories.releases.create(
            NewRelease(
                name=release["name"],
                version=release["version"],
                release_type=ReleaseType(release["type"]),
                change_numbers=tuple(numbers[k] for k in release["changes"]),
                rollback_plan=release.get("rollbackPlan"),
            ),
            actor,
        )
        for state in release["steps"]:
            await repositories.releases.transition(made.number, ReleaseState(state), actor)
    return len(numbers), len(document["freezes"]), len(document["releases"])
