"""What an incident is before it is written: the checks of its input and the values derived
from it (priority, state and timestamps from its transitions, computed impact, the instant its
SLA breaches). Pure: the live `createIncident` and the import of historical incidents both
prepare incidents here and write them with `write_new_incidents` (`_write.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from graph.domain import (
    IncidentCategory,
    IncidentState,
    Priority,
    State,
    causes_outage_by_default,
    check_transition,
    check_urgency_or_impact,
    priority_of,
)
from graph.errors import FieldError, InvalidInput

__all__ = [
    "MAX_AFFECTED",
    "MAX_LONG_TEXT",
    "MAX_SHORT_TEXT",
    "MAX_TITLE",
    "ComputedImpact",
    "NewIncident",
    "PreparedIncident",
    "PreparedTransition",
    "TransitionStep",
    "check_affected_ids",
    "check_texts",
    "computed_parameter",
    "prepare_incident",
    "validate_new_incident",
]

MAX_TITLE = 200
MAX_SHORT_TEXT = 200
"""Assignment group, assignee, source, external id."""
MAX_LONG_TEXT = 10_000
"""Description, workaround, resolution, notes and reasons."""
MAX_AFFECTED = 100


class TransitionStep(Protocol):
    """A transition recorded elsewhere (the tool being replaced): the state entered, when, why
    and by whom (None: the writing actor)."""

    @property
    def to(self) -> IncidentState: ...
    @property
    def at(self) -> datetime: ...
    @property
    def note(self) -> str | None: ...
    @property
    def actor(self) -> str | None: ...


@dataclass(frozen=True)
class NewIncident:
    """An incident as the caller describes it, unchecked."""

    title: str | None
    category: IncidentCategory
    impact: int
    urgency: int
    affected_ci_ids: Sequence[str]
    description: str | None = None
    assignment_group: str | None = None
    assignee: str | None = None
    causes_outage: bool | None = None
    """None: the category's default (`causes_outage_by_default`)."""
    workaround: str | None = None
    resolution: str | None = None
    source: str | None = None
    """Where an imported incident comes from; None for one opened here."""
    external_id: str | None = None


@dataclass(frozen=True)
class ComputedImpact:
    """A service the impact analysis found, in its order."""

    service_id: str
    state: State
    reason: str


def computed_parameter(computed: Sequence[ComputedImpact]) -> dict[str, list[str]]:
    """The computed impact as the incident node stores it: aligned lists, in rank order."""
    return {
        "serviceIds": [c.service_id for c in computed],
        "states": [c.state.value for c in computed],
        "reasons": [c.reason for c in computed],
    }


@dataclass(frozen=True)
class PreparedTransition:
    seq: int
    from_state: IncidentState
    to_state: IncidentState
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


@dataclass(frozen=True)
class PreparedIncident:
    """A checked incident with everything derived, ready for `write_new_incidents`."""

    id: str
    new: NewIncident
    priority: Priority
    causes_outage: bool
    opened_at: datetime
    transitions: tuple[PreparedTransition, ...]
    computed: tuple[ComputedImpact, ...]
    sla_breach_at: datetime | None
    created_by: str
    affected_ci_ids: tuple[str, ...] = field(default=())

    @property
    def state(self) -> IncidentState:
        return self.transitions[-1].to_state if self.transitions else IncidentState.NEW

    def entered(self, *states: IncidentState) -> datetime | None:
        """When the incident last entered one of `states`, if it did."""
        moments = [t.at for t in self.transitions if t.to_state in states]
        return moments[-1] if moments else None


def _long(name: str, value: str | None, limit: int) -> list[FieldError]:
    if value is not None and len(value) > limit:
        return [FieldError(name, f"at most {limit} characters, got {len(value)}", "TOO_LONG")]
    return []


def check_texts(values: dict[str, str | None]) -> list[FieldError]:
    """The errors of the text fields in `values` (named as in the API) that are too long."""
    errors: list[FieldError] = []
    for name, value in values.items():
        limit = MAX_SHORT_TEXT if name in _SHORT else MAX_LONG_TEXT
        errors += _long(name, value, MAX_TITLE if name == "title" else limit)
    return errors


_SHORT = {"assignmentGroup", "assignee", "source", "externalId", "title"}


def _title_errors(title: str | None) -> list[FieldError]:
    if title is None or not title.strip():
        return [FieldError("title", "a title is required", "REQUIRED")]
    return []


def check_affected_ids(ids: Sequence[str], field_name: str = "affectedCiIds") -> tuple[str, ...]:
    """The affected CI ids without repeats, in order; raises `InvalidInput` when there is none
    or too many."""
    unique = tuple(dict.fromkeys(i.strip() for i in ids if i.strip()))
    if not unique:
        message = "name at least one affected CI"
        raise InvalidInput([FieldError(field_name, message, "REQUIRED")])
    if len(unique) > MAX_AFFECTED:
        message = f"at most {MAX_AFFECTED} affected CIs, got {len(unique)}"
        raise InvalidInput([FieldError(field_name, message, "OUT_OF_RANGE")])
    return unique


def validate_new_incident(new: NewIncident) -> tuple[str, ...]:
    """Raises `InvalidInput` with every error of `new`'s own values (title, texts, impact,
    urgency, affected CIs); returns the affected CI ids without repeats. Whether the CIs
    exist is the write's to check."""
    errors = _title_errors(new.title)
    errors += check_texts(
        {
            "title": new.title,
            "description": new.description,
            "assignmentGroup": new.assignment_group,
            "assignee": new.assignee,
            "workaround": new.workaround,
            "resolution": new.resolution,
            "source": new.source,
            "externalId": new.external_id,
        }
    )
    try:
        check_urgency_or_impact(impact=new.impact, urgency=new.urgency)
    except InvalidInput as error:
        errors += error.errors
    try:
        affected = check_affected_ids(new.affected_ci_ids)
    except InvalidInput as error:
        errors += error.errors
        affected = ()
    if errors:
        raise InvalidInput(errors)
    return affected


def _steps(
    opened_at: datetime, steps: Sequence[TransitionStep], actor: str
) -> tuple[PreparedTransition, ...]:
    state, previous, prepared = IncidentState.NEW, opened_at, []
    for index, step in enumerate(steps):
        check_transition(state, step.to, field=f"transitions[{index}].to")
        if step.at < previous:
            raise InvalidInput(
                [
                    FieldError(
                        f"transitions[{index}].at",
                        "transitions must be in time order, after the incident was opened",
                        "INVALID_VALUE",
                    )
                ]
            )
        prepared.append(
            PreparedTransition(index + 1, state, step.to, step.at, step.actor or actor, step.note)
        )
        state, previous = step.to, step.at
    return tuple(prepared)


def prepare_incident(
    new: NewIncident,
    *,
    opened_at: datetime,
    transitions: Sequence[TransitionStep],
    computed: Sequence[ComputedImpact],
    actor: str,
    incident_id: str | None = None,
) -> PreparedIncident:
    """`new` checked (raises `InvalidInput`), with its priority, its transitions checked
    against the allowed ones and in time order, and its computed impact. The SLA breach
    instant is left unset: `with_breach` in `_sla.py` adds it. Pure."""
    affected = validate_new_incident(new)
    steps = _steps(opened_at, transitions, actor)
    causes = new.causes_outage
    return PreparedIncident(
        id=incident_id or str(uuid.uuid4()),
        new=new,
        priority=priority_of(new.impact, new.urgency),
        causes_outage=causes_outage_by_default(new.category) if causes is None else causes,
        opened_at=opened_at,
        transitions=steps,
        computed=tuple(computed),
        sla_breach_at=None,
        created_by=actor,
        affected_ci_ids=affected,
    )
