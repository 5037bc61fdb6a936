"""The checks an incident history passes before anything is written, and its file formats:
pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph.domain import IncidentCategory, IncidentState
from graph.errors import InvalidInput
from graph.incidents._history_file import read_history_csv, read_history_json
from graph.incidents._history_rows import (
    HistoricalIncident,
    HistoryRequest,
    RecordedTransition,
    check_history,
)

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _row(external_id: str = "OLD-1", **changes: object) -> HistoricalIncident:
    values: dict[str, object] = {
        "external_id": external_id,
        "title": "Checkout fails",
        "category": IncidentCategory.APPLICATION,
        "impact": 1,
        "urgency": 2,
        "opened_at": NOW - timedelta(days=2),
        "affected": ("ci-1",),
    }
    values.update(changes)
    return HistoricalIncident(**values)  # type: ignore[arg-type]


def _fields(request: HistoryRequest) -> list[str]:
    with pytest.raises(InvalidInput) as refused:
        check_history(request, NOW)
    return [error.field for error in refused.value.errors]


def test_a_history_that_follows_the_state_machine_passes() -> None:
    opened = NOW - timedelta(days=2)
    row = _row(
        transitions=(
            RecordedTransition(IncidentState.IN_PROGRESS, opened + timedelta(minutes=5)),
            RecordedTransition(IncidentState.ON_HOLD, opened + timedelta(hours=1)),
            RecordedTransition(IncidentState.IN_PROGRESS, opened + timedelta(hours=3)),
            RecordedTransition(IncidentState.RESOLVED, opened + timedelta(hours=4)),
        )
    )
    check_history(HistoryRequest("old-tool", [row]), NOW)
    assert row.state is IncidentState.RESOLVED


def test_a_transition_the_product_does_not_allow_is_reported_with_its_index() -> None:
    opened = NOW - timedelta(days=2)
    bad = _row(
        "OLD-2",
        transitions=(
            RecordedTransition(IncidentState.IN_PROGRESS, opened + timedelta(minutes=5)),
            RecordedTransition(IncidentState.ON_HOLD, opened + timedelta(hours=1)),
            RecordedTransition(IncidentState.RESOLVED, opened + timedelta(hours=2)),
        ),
    )
    with pytest.raises(InvalidInput) as refused:
        check_history(HistoryRequest("old-tool", [_row(), bad]), NOW)
    [error] = refused.value.errors
    assert error.field == "incidents[1].transitions[2].to"
    assert error.code == "INVALID_TRANSITION"
    assert "ON_HOLD to RESOLVED" in error.message and "IN_PROGRESS, CANCELLED" in error.message


def test_every_bad_row_is_reported_at_once() -> None:
    opened = NOW - timedelta(days=1)
    rows = [
        _row("OLD-1", title=""),
        _row("OLD-2", impact=4, affected=()),
        _row("OLD-1"),
        _row("OLD-4", opened_at=NOW + timedelta(hours=1)),
        _row(
            "OLD-5",
            opened_at=opened,
            transitions=(RecordedTransition(IncidentState.IN_PROGRESS, opened - timedelta(1)),),
        ),
    ]
    assert _fields(HistoryRequest("old-tool", rows)) == [
        "incidents[0].title",
        "incidents[1].impact",
        "incidents[1].affectedCiIds",
        "incidents[2].externalId",
        "incidents[3].openedAt",
        "incidents[4].transitions[0].at",
    ]


def test_a_json_history_reads_its_rows_and_reports_wrong_values_per_row() -> None:
    text = """{"source": "old-tool", "incidents": [
      {"externalId": "OLD-1", "title": "Checkout fails", "category": "application",
       "impact": 1, "urgency": 1, "affectedCiIds": ["ci-1"],
       "openedAt": "2026-11-28T09:00:00+00:00",
       "transitions": [{"to": "IN_PROGRESS", "at": "2026-11-28T09:10:00+00:00", "note": "on it"}]},
      {"externalId": "OLD-2", "title": "Disk", "category": "FLOPPY", "impact": "x",
       "urgency": 1, "affectedCiIds": ["ci-2"], "openedAt": "yesterday"}]}"""
    request = read_history_json(text)
    assert request.source == "old-tool"
    first, _ = request.incidents
    assert first.category is IncidentCategory.APPLICATION
    assert first.transitions == (
        RecordedTransition(
            IncidentState.IN_PROGRESS, datetime(2026, 11, 28, 9, 10, tzinfo=UTC), "on it"
        ),
    )
    assert sorted(_fields(request)) == [
        "incidents[1].category",
        "incidents[1].impact",
        "incidents[1].openedAt",
    ]


def test_a_csv_history_takes_its_transitions_from_a_second_file() -> None:
    incidents = (
        "externalId,title,category,impact,urgency,affectedCiIds,openedAt\n"
        "OLD-1,Checkout fails,APPLICATION,1,2,ci-1;ci-2,2026-11-28T09:00:00+00:00\n"
        "OLD-2,New laptop,SERVICE_REQUEST,3,3,ci-3,2026-11-28T10:00:00+00:00\n"
    )
    transitions = (
        "externalId,to,at,note\n"
        "OLD-1,IN_PROGRESS,2026-11-28T09:05:00+00:00,looking\n"
        "OLD-1,RESOLVED,2026-11-28T11:00:00+00:00,\n"
    )
    request = read_history_csv(incidents, transitions, "old-tool")
    first, second = request.incidents
    assert first.affected == ("ci-1", "ci-2")
    assert [step.to for step in first.transitions] == [
        IncidentState.IN_PROGRESS,
        IncidentState.RESOLVED,
    ]
    assert first.transitions[0].note == "looking"
    assert second.transitions == ()
    check_history(request, NOW)


def test_a_transition_for_an_incident_the_file_lacks_is_an_error_of_the_file() -> None:
    incidents = (
        "externalId,title,category,impact,urgency,affectedCiIds,openedAt\n"
        "OLD-1,Checkout fails,APPLICATION,1,2,ci-1,2026-11-28T09:00:00+00:00\n"
    )
    with pytest.raises(InvalidInput, match="OLD-9"):
        read_history_csv(incidents, "externalId,to,at\nOLD-9,RESOLVED,2026-11-28T10:00Z\n", "s")


def test_a_csv_without_a_required_column_is_refused() -> None:
    with pytest.raises(InvalidInput, match="openedAt"):
        read_history_csv("externalId,title,category,impact,urgency,affectedCiIds\n", None, "s")
