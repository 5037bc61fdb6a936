"""Preparing incidents without a database: what the live creation and the history import share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from graph.domain import BusinessCalendar, IncidentCategory, IncidentState, Priority, State
from graph.errors import InvalidInput
from graph.incidents import ComputedImpact, NewIncident, prepare_incident, with_breach

OPENED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Step:
    to: IncidentState
    at: datetime
    note: str | None = None
    actor: str | None = None


def new(**fields: object) -> NewIncident:
    values: dict[str, object] = {
        "title": "Checkout fails",
        "category": IncidentCategory.APPLICATION,
        "impact": 1,
        "urgency": 1,
        "affected_ci_ids": ["ci-1", "ci-1", "ci-2"],
    }
    return NewIncident(**{**values, **fields})  # type: ignore[arg-type]


def test_a_prepared_incident_has_its_priority_state_and_numbered_transitions() -> None:
    steps = [
        Step(IncidentState.IN_PROGRESS, OPENED + timedelta(minutes=5), actor="old-tool-user"),
        Step(IncidentState.RESOLVED, OPENED + timedelta(hours=1), note="fixed"),
    ]
    impact = ComputedImpact("svc", State.DOWN, "depends on ci-1")

    prepared = prepare_incident(
        new(), opened_at=OPENED, transitions=steps, computed=[impact], actor="importer"
    )

    assert prepared.priority is Priority.P1
    assert prepared.state is IncidentState.RESOLVED
    assert prepared.affected_ci_ids == ("ci-1", "ci-2")
    assert [(t.seq, t.from_state, t.to_state, t.actor) for t in prepared.transitions] == [
        (1, IncidentState.NEW, IncidentState.IN_PROGRESS, "old-tool-user"),
        (2, IncidentState.IN_PROGRESS, IncidentState.RESOLVED, "importer"),
    ]
    assert prepared.causes_outage is True
    assert prepared.computed == (impact,)


def test_a_recorded_transition_the_product_does_not_allow_is_refused_by_its_position() -> None:
    steps = [Step(IncidentState.ON_HOLD, OPENED)]

    with pytest.raises(InvalidInput) as refused:
        prepare_incident(new(), opened_at=OPENED, transitions=steps, computed=[], actor="a")

    [error] = refused.value.errors
    assert (error.field, error.code) == ("transitions[0].to", "INVALID_TRANSITION")


def test_transitions_out_of_time_order_are_refused() -> None:
    steps = [Step(IncidentState.IN_PROGRESS, OPENED - timedelta(minutes=1))]

    with pytest.raises(InvalidInput) as refused:
        prepare_incident(new(), opened_at=OPENED, transitions=steps, computed=[], actor="a")

    assert [e.field for e in refused.value.errors] == ["transitions[0].at"]


def test_the_breach_instant_of_a_new_p1_is_its_response_target() -> None:
    prepared = prepare_incident(new(), opened_at=OPENED, transitions=[], computed=[], actor="a")

    with_instant = with_breach(prepared, OPENED, BusinessCalendar.parse())

    assert with_instant.sla_breach_at == OPENED + timedelta(minutes=15)


def test_a_resolved_incident_stopped_in_time_never_breaches() -> None:
    steps = [Step(IncidentState.RESOLVED, OPENED + timedelta(minutes=10), note="first contact")]
    prepared = prepare_incident(new(), opened_at=OPENED, transitions=steps, computed=[], actor="a")

    later = OPENED + timedelta(days=30)

    assert with_breach(prepared, later, BusinessCalendar.parse()).sla_breach_at is None
