"""The problem repository against the real Neo4j: what it stores, the batch read of the
problems of incidents, the suggestions' window and the round trips of a page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from graph import Conflict, Database, InvalidInput, NotFound
from graph.domain import ProblemState
from graph.problems import NewProblem, ProblemFilter, ProblemPatch
from tests.graph.problems.helpers import START, MovableClock, add_ci, add_incident, repository


async def test_a_reactive_problem_groups_its_incidents_and_names_its_root_cause(
    db: Database,
) -> None:
    problems = repository(db, MovableClock(START))
    await add_ci(db, "db-1")
    await add_incident(db, "INC0001001")
    await add_incident(db, "INC0001002")

    problem = await problems.create(
        NewProblem(
            "  Pool exhausted ",
            incident_numbers=("INC0001002", "INC0001001"),
            root_cause_ci_id="db-1",
        ),
        "alice",
    )

    assert problem.number == "PRB0001001"
    assert problem.title == "Pool exhausted"
    assert problem.state is ProblemState.NEW
    assert problem.incident_numbers == ("INC0001001", "INC0001002")
    assert problem.root_cause_ci_id == "db-1"
    assert problem.opened_at == START and problem.updated_at == START
    assert (problem.created_by, problem.version, problem.transitions) == ("alice", 1, ())


async def test_the_problems_of_incidents_come_in_one_round_trip_in_the_order_asked(
    db: Database,
) -> None:
    problems = repository(db, MovableClock(START))
    grouped = await add_incident(db, "INC0001001")
    alone = await add_incident(db, "INC0001002")
    created = await problems.create(NewProblem("p", incident_numbers=("INC0001001",)), "a")
    before = db.round_trips

    found = await problems.problems_of_incidents([alone, grouped, "no-such-id", grouped])

    assert db.round_trips - before == 1
    assert [p.number if p else None for p in found] == [None, created.number, None, created.number]


async def test_an_incident_of_another_problem_and_unknown_ones_are_refused_by_name(
    db: Database,
) -> None:
    problems = repository(db, MovableClock(START))
    await add_incident(db, "INC0001001")
    first = await problems.create(NewProblem("p", incident_numbers=("INC0001001",)), "a")

    with pytest.raises(Conflict) as conflict:
        await problems.create(NewProblem("q", incident_numbers=("INC0001001",)), "a")
    with pytest.raises(NotFound) as missing:
        await problems.create(NewProblem("q", incident_numbers=("INC9", "INC0001001", "X")), "a")

    assert conflict.value.field == "incidentNumbers[0]" and first.number in conflict.value.message
    assert [e.field for e in missing.value.errors] == ["incidentNumbers[0]", "incidentNumbers[2]"]


async def test_a_transition_stamps_the_clocks_time_and_entering_resolved_sets_resolved_at(
    db: Database,
) -> None:
    clock = MovableClock(START)
    problems = repository(db, clock)
    created = await problems.create(NewProblem("p", workaround="restart it"), "a")

    for to in ("ROOT_CAUSE_ANALYSIS", "KNOWN_ERROR", "RESOLVED"):
        clock.advance(hours=1)
        done = await problems.transition(created.number, ProblemState(to), f"to {to}", "bob")

    assert done.resolved_at == START + timedelta(hours=3) and done.closed_at is None
    assert [(t.seq, t.to_state.value, t.at, t.actor) for t in done.transitions] == [
        (1, "ROOT_CAUSE_ANALYSIS", START + timedelta(hours=1), "bob"),
        (2, "KNOWN_ERROR", START + timedelta(hours=2), "bob"),
        (3, "RESOLVED", START + timedelta(hours=3), "bob"),
    ]


async def test_a_known_errors_workaround_cannot_be_cleared(db: Database) -> None:
    problems = repository(db, MovableClock(START))
    created = await problems.create(NewProblem("p", workaround="restart it"), "a")
    await problems.transition(created.number, ProblemState.ROOT_CAUSE_ANALYSIS, None, "a")
    await problems.transition(created.number, ProblemState.KNOWN_ERROR, None, "a")

    with pytest.raises(InvalidInput) as refused:
        await problems.update(created.number, 3, ProblemPatch(workaround="  "), "a")

    assert [(e.field, e.code) for e in refused.value.errors] == [("workaround", "REQUIRED")]


async def test_suggestions_count_only_incidents_opened_within_the_window(db: Database) -> None:
    clock = MovableClock(START)
    problems = repository(db, clock)
    await add_ci(db, "db-1")
    for day, number in enumerate(("INC0001001", "INC0001002", "INC0001003")):
        await add_incident(db, number, ("db-1",), START - timedelta(days=2 * day, hours=1))
    await add_incident(db, "INC0001004", ("db-1",), START - timedelta(hours=2), "CANCELLED")

    within_week = await problems.suggestions(3, 7, 20)
    clock.advance(days=3)
    days_later = await problems.suggestions(3, 7, 20)

    assert [(s.ci_id, s.incident_numbers) for s in within_week] == [
        ("db-1", ("INC0001001", "INC0001002", "INC0001003"))
    ]
    assert days_later == []


async def test_a_page_with_every_filter_is_one_round_trip(db: Database) -> None:
    problems = repository(db, MovableClock(START))
    await add_ci(db, "db-1")
    await problems.create(NewProblem("Leaking pool", root_cause_ci_id="db-1"), "a")
    before = db.round_trips

    page = await problems.page(
        10,
        None,
        ProblemFilter(states=(ProblemState.NEW,), root_cause_ci_id="db-1", search="pool"),
    )

    assert db.round_trips - before == 1
    assert [p.title for p in page.items] == ["Leaking pool"]
