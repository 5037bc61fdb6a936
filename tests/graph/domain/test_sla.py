"""SLA clocks (graph/domain/_sla.py): pure, no database; properties against a per-minute
reference of business time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.domain._incidents import IncidentState, Priority, allowed_transitions
from graph.domain._sla import (
    DEFAULT_TARGETS,
    BusinessCalendar,
    SlaClock,
    SlaKind,
    Target,
    TargetUnit,
    breach_at,
    sla_clocks,
    targets_with,
)

NEW, IN_PROGRESS, ON_HOLD = IncidentState.NEW, IncidentState.IN_PROGRESS, IncidentState.ON_HOLD
RESOLVED, CLOSED, CANCELLED = IncidentState.RESOLVED, IncidentState.CLOSED, IncidentState.CANCELLED
OFFICE = BusinessCalendar.parse("09:00-17:00", "MON-FRI", "UTC")
PARIS = ZoneInfo("Europe/Paris")
OPENED = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)  # a Wednesday
FRIDAY_EVENING = datetime(2025, 6, 6, 19, 0, tzinfo=UTC)
MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def clocks(
    priority: Priority,
    transitions: list[tuple[IncidentState, datetime]],
    now: datetime,
    opened: datetime = OPENED,
    calendar: BusinessCalendar = OFFICE,
) -> tuple[SlaClock, SlaClock]:
    return sla_clocks(priority, opened, transitions, now, calendar)


# --- wall-clock targets ---------------------------------------------------------------------


def test_p1_response_is_not_breached_at_fourteen_minutes_fifty_nine() -> None:
    response, _ = clocks(Priority.P1, [], OPENED + timedelta(minutes=14, seconds=59))
    assert (response.breached, response.breached_at, response.remaining_seconds) == (False, None, 1)
    assert response.due_at == OPENED + 15 * MINUTE
    assert (response.paused, response.stopped_at) == (False, None)


def test_p1_response_breaches_after_fifteen_minutes() -> None:
    response, _ = clocks(Priority.P1, [], OPENED + timedelta(minutes=15, seconds=1))
    assert response.breached
    assert response.breached_at == response.due_at == OPENED + 15 * MINUTE
    assert response.remaining_seconds == -1


def test_responding_exactly_at_the_target_meets_it() -> None:
    response, _ = clocks(Priority.P1, [(IN_PROGRESS, OPENED + 15 * MINUTE)], OPENED + HOUR)
    assert (response.breached, response.breached_at, response.due_at) == (False, None, None)
    assert response.stopped_at == OPENED + 15 * MINUTE
    assert response.elapsed_seconds == 900


def test_a_p1_opened_two_hours_ago_still_new_is_breached_on_response_only() -> None:
    response, resolution = clocks(Priority.P1, [], OPENED + 2 * HOUR)
    assert response.breached and response.remaining_seconds == -105 * 60
    assert not resolution.breached
    assert resolution.due_at == OPENED + 4 * HOUR
    assert breach_at((response, resolution)) == OPENED + 15 * MINUTE


def test_time_on_hold_does_not_count_toward_resolution() -> None:
    history = [(IN_PROGRESS, OPENED + HOUR), (ON_HOLD, OPENED + 2 * HOUR)]
    _, resolution = clocks(Priority.P1, history, OPENED + 30 * HOUR)
    assert resolution.paused and not resolution.breached
    assert resolution.elapsed_seconds == 2 * 3600
    assert resolution.due_at is None
    resumed = [*history, (IN_PROGRESS, OPENED + 30 * HOUR)]
    _, resolution = clocks(Priority.P1, resumed, OPENED + 31 * HOUR)
    assert not resolution.paused and resolution.elapsed_seconds == 3 * 3600
    assert resolution.due_at == OPENED + 32 * HOUR


def test_a_breached_clock_stays_breached_while_on_hold() -> None:
    history = [(IN_PROGRESS, OPENED + MINUTE), (ON_HOLD, OPENED + 5 * HOUR)]
    _, resolution = clocks(Priority.P1, history, OPENED + 9 * HOUR)
    assert resolution.breached and resolution.paused
    assert resolution.breached_at == OPENED + 4 * HOUR
    assert breach_at([resolution]) == OPENED + 4 * HOUR


def test_a_reopened_incident_counts_on_from_its_elapsed_time() -> None:
    history = [(IN_PROGRESS, OPENED + MINUTE), (RESOLVED, OPENED + 3 * HOUR)]
    _, resolved = clocks(Priority.P1, history, OPENED + 20 * HOUR)
    assert resolved.stopped_at == OPENED + 3 * HOUR and resolved.due_at is None
    reopened = [*history, (IN_PROGRESS, OPENED + 20 * HOUR)]
    _, resolution = clocks(Priority.P1, reopened, OPENED + 20 * HOUR + 30 * MINUTE)
    assert resolution.stopped_at is None
    assert resolution.elapsed_seconds == 3.5 * 3600
    assert resolution.due_at == OPENED + 21 * HOUR
    _, later = clocks(Priority.P1, reopened, OPENED + 22 * HOUR)
    assert later.breached and later.breached_at == OPENED + 21 * HOUR


def test_cancelling_stops_both_clocks() -> None:
    response, resolution = clocks(Priority.P2, [(CANCELLED, OPENED + 10 * MINUTE)], OPENED + HOUR)
    for clock in (response, resolution):
        assert clock.stopped_at == OPENED + 10 * MINUTE
        assert (clock.due_at, clock.breached, clock.paused) == (None, False, False)
        assert clock.elapsed_seconds == 600
    assert breach_at((response, resolution)) is None


def test_a_closed_incident_stopped_when_it_was_resolved() -> None:
    history = [(RESOLVED, OPENED + HOUR), (CLOSED, OPENED + 5 * HOUR)]
    response, resolution = clocks(Priority.P1, history, OPENED + 9 * HOUR)
    assert response.stopped_at == resolution.stopped_at == OPENED + HOUR
    assert response.breached and not resolution.breached


def test_transitions_after_now_are_not_counted() -> None:
    response, _ = clocks(Priority.P1, [(IN_PROGRESS, OPENED + HOUR)], OPENED + 10 * MINUTE)
    assert response.stopped_at is None and response.due_at == OPENED + 15 * MINUTE


def test_overridden_targets_replace_only_the_cells_named() -> None:
    targets = targets_with({SlaKind.RESPONSE: {Priority.P1: Target(5, TargetUnit.MINUTES)}})
    assert targets[SlaKind.RESPONSE][Priority.P1] == Target.parse("5m")
    assert targets[SlaKind.RESPONSE][Priority.P2] == DEFAULT_TARGETS[SlaKind.RESPONSE][Priority.P2]
    assert targets[SlaKind.RESOLUTION] == DEFAULT_TARGETS[SlaKind.RESOLUTION]
    response, _ = sla_clocks(Priority.P1, OPENED, [], OPENED + 6 * MINUTE, OFFICE, targets)
    assert response.breached
    with pytest.raises(TypeError):
        DEFAULT_TARGETS[SlaKind.RESPONSE][Priority.P1] = Target(1, TargetUnit.DAYS)  # type: ignore[index]


# --- business days ----------------------------------------------------------------------------


def test_a_p4_opened_friday_evening_is_due_monday_at_close() -> None:
    response, _ = clocks(Priority.P4, [], FRIDAY_EVENING + MINUTE, opened=FRIDAY_EVENING)
    assert response.due_at == at(9, 17)
    assert response.target_seconds == 8 * 3600 and response.elapsed_seconds == 0


def test_a_p4_opened_friday_afternoon_is_due_monday_afternoon() -> None:
    response, _ = clocks(Priority.P4, [], at(6, 16), opened=at(6, 15))
    assert response.due_at == at(9, 15)
    assert response.elapsed_seconds == 3600


def test_a_monday_holiday_moves_a_p4_to_tuesday() -> None:
    calendar = BusinessCalendar.parse(holidays="2025-06-09")
    response, _ = clocks(Priority.P4, [], at(7, 12), opened=FRIDAY_EVENING, calendar=calendar)
    assert response.due_at == at(10, 17)


def test_p5_response_counts_three_business_days_over_a_weekend() -> None:
    response, _ = clocks(Priority.P5, [], at(7, 12), opened=at(5, 10))  # Thursday
    assert response.due_at == at(10, 10)  # Thu 7h + Fri 8h + Mon 8h + Tue 1h
    assert response.elapsed_seconds == 15 * 3600


def test_a_business_clock_past_its_due_instant_after_hours_is_breached() -> None:
    response, _ = clocks(Priority.P4, [], at(9, 19), opened=FRIDAY_EVENING)
    assert response.breached and response.breached_at == at(9, 17)
    assert response.remaining_seconds == 0  # no business time passes before Tuesday 09:00
    met, _ = clocks(Priority.P4, [(IN_PROGRESS, at(9, 17))], at(9, 19), opened=FRIDAY_EVENING)
    assert not met.breached


def test_business_time_starts_before_inside_and_after_working_hours() -> None:
    assert OFFICE.business_seconds(at(4, 7), at(4, 10)) == 3600
    assert OFFICE.business_seconds(at(4, 16), at(4, 20)) == 3600
    assert OFFICE.business_seconds(at(4, 18), at(5, 9)) == 0
    assert OFFICE.business_seconds(at(7, 10), at(8, 23)) == 0  # the weekend
    assert OFFICE.business_seconds(at(5, 10), at(4, 10)) == 0
    assert OFFICE.add_business_seconds(at(4, 18), 60) == at(5, 9, 1)
    assert OFFICE.add_business_seconds(at(7, 12), 0) == at(7, 12)


def test_a_year_of_business_days_is_counted_without_walking_minutes() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    assert OFFICE.business_seconds(start, datetime(2026, 1, 1, tzinfo=UTC)) == 261 * 8 * 3600


def test_working_hours_follow_local_time_across_a_dst_change() -> None:
    paris = BusinessCalendar.parse(timezone="Europe/Paris")
    friday = datetime(2025, 3, 28, 16, 0, tzinfo=PARIS)  # clocks go forward on Sunday 30th
    due = paris.add_business_seconds(friday, 2 * 3600)
    assert due == datetime(2025, 3, 31, 10, 0, tzinfo=PARIS)
    assert due == datetime(2025, 3, 31, 8, 0, tzinfo=UTC) and due.tzinfo is UTC
    assert paris.business_seconds(friday, due) == 2 * 3600


def test_a_working_day_spanning_the_clock_change_is_an_hour_shorter_or_longer() -> None:
    sundays = BusinessCalendar.parse("00:00-12:00", "SUN", "Europe/Paris")
    spring, autumn = date(2025, 3, 30), date(2025, 10, 26)
    for day, hours in ((spring, 11), (autumn, 13), (date(2025, 6, 1), 12)):
        start = datetime.combine(day, time(0), PARIS)
        assert sundays.business_seconds(start, start + timedelta(days=1)) == hours * 3600


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", Target(15, TargetUnit.MINUTES)),
        ("4h", Target(4, TargetUnit.HOURS)),
        ("3d", Target(3, TargetUnit.DAYS)),
        ("1bd", Target(1, TargetUnit.BUSINESS_DAYS)),
        ("15 minutes", Target(15, TargetUnit.MINUTES)),
        (" 1 Business Day ", Target(1, TargetUnit.BUSINESS_DAYS)),
        ("3 business days", Target(3, TargetUnit.BUSINESS_DAYS)),
        ("1 hour", Target(1, TargetUnit.HOURS)),
    ],
)
def test_targets_parse_short_and_long_forms(text: str, expected: Target) -> None:
    assert Target.parse(text) == expected


@pytest.mark.parametrize("text", ["", "15", "m", "15 weeks", "0m", "-1h", "1.5h", "4 hours ago"])
def test_targets_that_are_not_a_whole_number_and_a_unit_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="whole number"):
        Target.parse(text)


def test_targets_read_as_words() -> None:
    assert [str(Target.parse(t)) for t in ("15m", "1h", "1bd", "3bd", "10d")] == [
        "15 minutes",
        "1 hour",
        "1 business day",
        "3 business days",
        "10 days",
    ]
    assert Target.parse("2bd").business and not Target.parse("2d").business
    assert Target.parse("2bd").seconds(OFFICE) == 16 * 3600
    assert Target.parse("2d").seconds(OFFICE) == 48 * 3600


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"hours": "17:00-09:00"}, "close after they open"),
        ({"hours": "09:00-09:00"}, "close after they open"),
        ({"hours": "9-5"}, "must look like 09:00-17:00"),
        ({"hours": "09:00-25:00"}, "does not exist"),
        ({"days": "MON-FRY"}, "unknown day 'FRY'"),
        ({"days": ""}, "unknown day ''"),
        ({"days": "MON,,TUE"}, "unknown day ''"),
        ({"holidays": "2025-12-25,christmas"}, "holiday 'christmas'"),
    ],
)
def test_calendar_settings_that_make_no_sense_are_refused(
    arguments: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.parse(**arguments)


def test_calendars_read_day_lists_ranges_and_holidays() -> None:
    assert BusinessCalendar.parse(days="MON,TUE,THU").working_days == {0, 1, 3}
    assert BusinessCalendar.parse(days="mon-sat").working_days == set(range(6))
    assert BusinessCalendar.parse(days="FRI-MON").working_days == {4, 5, 6, 0}
    calendar = BusinessCalendar.parse("08:30-18:00", holidays=" 2025-12-25, 2025-12-26 ,")
    assert calendar.holidays == {date(2025, 12, 25), date(2025, 12, 26)}
    assert (calendar.opens, calendar.closes) == (time(8, 30), time(18))
    assert calendar.working_day_seconds == 9.5 * 3600
    with pytest.raises(ValueError, match="at least one working day"):
        BusinessCalendar("UTC", time(9), time(17), frozenset())


def test_naive_instants_are_refused() -> None:
    naive = datetime(2025, 6, 4, 10, 0)
    with pytest.raises(ValueError, match="opened_at must be timezone-aware"):
        clocks(Priority.P1, [], OPENED, opened=naive)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        clocks(Priority.P1, [], naive)
    with pytest.raises(ValueError, match=r"transitions\[0\] must be timezone-aware"):
        clocks(Priority.P1, [(IN_PROGRESS, naive)], OPENED + HOUR)
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        OFFICE.add_business_seconds(naive, 60)
    with pytest.raises(ValueError, match="end must be timezone-aware"):
        OFFICE.business_seconds(OPENED, naive)


def test_transitions_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="time order"):
        clocks(Priority.P1, [(IN_PROGRESS, OPENED + HOUR), (ON_HOLD, OPENED)], OPENED + HOUR)
    with pytest.raises(ValueError, match="time order"):
        clocks(Priority.P1, [(IN_PROGRESS, OPENED - MINUTE)], OPENED + HOUR)


# --- properties -------------------------------------------------------------------------------

CALENDARS = [
    OFFICE,
    BusinessCalendar.parse("09:00-17:00", "MON-FRI", "Europe/Paris", "2025-04-21,2025-05-01"),
    BusinessCalendar.parse("08:00-18:30", "MON-SAT", "America/New_York", "2025-11-27"),
    BusinessCalendar.parse("04:00-23:00", "SUN,WED", "Australia/Sydney"),
]
calendars = st.sampled_from(CALENDARS)
instants = st.datetimes(datetime(2024, 12, 1), datetime(2026, 2, 1), timezones=st.just(UTC))
spans = st.integers(0, 20 * 86400 * 10**6).map(lambda us: timedelta(microseconds=us))


def reference_business_minutes(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Business minutes between whole-minute instants, one minute at a time."""
    zone, count, minute = ZoneInfo(calendar.timezone), 0, start
    while minute < end:
        local = minute.astimezone(zone)
        count += (
            local.weekday() in calendar.working_days
            and local.date() not in calendar.holidays
            and calendar.opens <= local.time() < calendar.closes
        )
        minute += MINUTE
    return count


@settings(deadline=None, max_examples=60)
@given(calendars, instants, st.integers(0, 4 * 24 * 60))
def test_business_time_matches_a_minute_by_minute_count(
    calendar: BusinessCalendar, start: datetime, minutes: int
) -> None:
    start = start.replace(second=0, microsecond=0)
    end = start + minutes * MINUTE
    expected = reference_business_minutes(calendar, start, end)
    assert calendar.business_seconds(start, end) == expected * 60


@given(calendars, instants, st.integers(0, 30 * 86400 * 10**6))
def test_adding_business_time_then_measuring_it_round_trips(
    calendar: BusinessCalendar, start: datetime, microseconds: int
) -> None:
    amount = timedelta(microseconds=microseconds)
    due = calendar.add_business_seconds(start, amount.total_seconds())
    assert due >= start
    assert calendar.business_seconds(start, due) == pytest.approx(amount.total_seconds(), abs=1e-6)
    if microseconds:  # the earliest such instant
        before = due - timedelta(microseconds=1)
        assert calendar.business_seconds(start, before) < amount.total_seconds()


@given(calendars, instants, spans, spans)
def test_business_time_adds_up_over_a_split_point(
    calendar: BusinessCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    split, end = start + first, start + first + second
    whole = calendar.business_seconds(start, end)
    parts = calendar.business_seconds(start, split) + calendar.business_seconds(split, end)
    assert whole == pytest.approx(parts, abs=1e-6)


@st.composite
def histories(draw: st.DrawFn) -> tuple[datetime, list[tuple[IncidentState, datetime]]]:
    """An opening instant and transitions the state machine allows, hours to days apart."""
    opened = draw(instants)
    state, moment, transitions = NEW, opened, []
    for _ in range(draw(st.integers(0, 6))):
        allowed = allowed_transitions(state)
        if not allowed:
            break
        state = draw(st.sampled_from(allowed))
        moment += timedelta(seconds=draw(st.integers(0, 4 * 86400)))
        transitions.append((state, moment))
    return opened, transitions


priorities = st.sampled_from(list(Priority))
later = st.integers(0, 12 * 86400).map(lambda s: timedelta(seconds=s))


@given(priorities, histories(), later, calendars)
def test_elapsed_time_never_exceeds_the_wall_time_since_opening(
    priority: Priority,
    history: tuple[datetime, list[tuple[IncidentState, datetime]]],
    delay: timedelta,
    calendar: BusinessCalendar,
) -> None:
    opened, transitions = history
    now = opened + delay
    for clock in sla_clocks(priority, opened, transitions, now, calendar):
        assert 0 <= clock.elapsed_seconds <= (now - opened).total_seconds()
        assert clock.remaining_seconds == clock.target_seconds - clock.elapsed_seconds
        assert clock.breached == (clock.breached_at is not None)
        assert not (clock.paused and clock.stopped_at is not None)


@given(priorities, histories(), later, later, calendars)
def test_breach_at_agrees_with_breached_when_evaluated_later(
    priority: Priority,
    history: tuple[datetime, list[tuple[IncidentState, datetime]]],
    delay: timedelta,
    wait: timedelta,
    calendar: BusinessCalendar,
) -> None:
    opened, transitions = history
    now = max([opened, *(moment for _, moment in transitions)]) + delay
    earlier = sla_clocks(priority, opened, transitions, now, calendar)
    stored = breach_at(earlier)
    checks = (
        [now + wait] if stored is None else [now + wait, stored, stored + timedelta(microseconds=1)]
    )
    for moment in (m for m in checks if m >= now):
        current = sla_clocks(priority, opened, transitions, moment, calendar)
        assert any(c.breached for c in current) == (stored is not None and moment > stored)
        for before, after in zip(earlier, current, strict=True):
            assert after.elapsed_seconds >= before.elapsed_seconds
            assert after.breached >= before.breached
