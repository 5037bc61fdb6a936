"""Continuity planning (docs/service-levels.md, "Continuity plans"), pure: no driver. When
each step of a service's recovery order can start and finish, the steps that run in parallel,
and the critical path that sets the achievable recovery time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "RESTORE_MINUTES",
    "ContinuitySchedule",
    "ScheduledStep",
    "restore_minutes",
    "schedule_recovery",
]

RESTORE_MINUTES = "restoreMinutes"
"""The CI attribute that holds how long the CI takes to restore, in whole minutes."""


@dataclass(frozen=True)
class ScheduledStep:
    """One step of the recovery order (one CI, or one cycle's CIs restored together)."""

    ci_ids: tuple[str, ...]
    restore_minutes: int
    """The longest restore time of its CIs: a cycle's CIs are brought up together."""
    start_minute: int
    """The earliest start: when everything the step depends on is restored."""
    finish_minute: int
    wave: int
    """1 for the steps that depend on nothing, else one more than the latest wave it waits
    for: the steps of one wave can run in parallel."""


@dataclass(frozen=True)
class ContinuitySchedule:
    steps: tuple[ScheduledStep, ...]
    """In the order given."""
    achievable_minutes: int
    """The finish of the last step: the length of the critical path."""
    critical_path: tuple[ScheduledStep, ...]
    """The chain of steps, first to last, whose restore times add up to `achievable_minutes`."""
    without_restore_time: tuple[str, ...]
    """The CIs without a usable restore time, counted as 0 minutes."""


def restore_minutes(value: str | None) -> int | None:
    """A restore time in whole minutes from the attribute's text; None when it is missing or
    not a non-negative whole number."""
    if value is None:
        return None
    text = value.strip()
    if not text.isdigit():
        return None
    return int(text)


def schedule_recovery(
    steps: Sequence[tuple[str, ...]],
    needs: Mapping[str, Sequence[str]],
    minutes: Mapping[str, int | None],
) -> ContinuitySchedule:
    """Earliest start and finish of each step of a recovery order (every step after the steps
    it depends on), its wave, and the critical path: from the step that finishes last, back
    through the dependency that finishes last (the earliest in `steps` on a tie). `needs` maps
    a CI to what it depends on; dependencies outside `steps`, within one step or
    later in `steps` are ignored.
    O(V + E)."""
    step_of = {ci: number for number, step in enumerate(steps) for ci in step}
    scheduled: list[ScheduledStep] = []
    waits_on: list[int | None] = []
    missing: list[str] = []
    for number, step in enumerate(steps):
        known = [minutes.get(ci) for ci in step]
        missing += [ci for ci, value in zip(step, known, strict=True) if value is None]
        duration = max((value or 0 for value in known), default=0)
        before = sorted(
            {
                step_of[d]
                for ci in step
                for d in needs.get(ci, ())
                if d in step_of and step_of[d] < number
            }
        )
        latest = max(before, key=lambda b: scheduled[b].finish_minute, default=None)
        start = scheduled[latest].finish_minute if latest is not None else 0
        wave = 1 + max((scheduled[b].wave for b in before), default=0)
        scheduled.append(ScheduledStep(step, duration, start, start + duration, wave))
        waits_on.append(latest)
    if not scheduled:
        return ContinuitySchedule((), 0, (), ())
    last: int | None = max(range(len(scheduled)), key=lambda n: scheduled[n].finish_minute)
    chain: list[ScheduledStep] = []
    while last is not None:
        chain.append(scheduled[last])
        last = waits_on[last]
    return ContinuitySchedule(
        tuple(scheduled), chain[0].finish_minute, tuple(reversed(chain)), tuple(missing)
    )
