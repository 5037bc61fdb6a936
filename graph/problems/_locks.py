"""What a problem write judges, locked before it is read: the problem, the incidents it
groups, and the root-cause CI it names."""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph.errors import Conflict, NotFound
from graph.problems._cypher import LOCK_INCIDENTS, LOCK_PROBLEM, ROOT_CAUSE_EXISTS
from graph.problems._model import Problem, problem_from_projection

__all__ = ["check_root_cause", "lock_incidents", "lock_problem"]


async def lock_problem(db: Database, tx: AsyncManagedTransaction, number: str) -> Problem:
    """The problem with this number, locked for the rest of `tx`. Raises `NotFound` (field
    `number`). One round trip."""
    rows = await db.query(tx, LOCK_PROBLEM, number=number)
    if not rows:
        raise NotFound(f"no problem has the number {number}", field="number")
    return problem_from_projection(rows[0]["problem"])


async def lock_incidents(
    db: Database,
    tx: AsyncManagedTransaction,
    numbers: Sequence[str],
    problem: str | None,
    field: str = "incidentNumbers",
) -> dict[str, str]:
    """Locks the incidents (in sorted order, so that two writers of the same incidents cannot
    deadlock) and returns their ids by number. Raises `NotFound` naming every unknown one
    (`incidentNumbers[i]`), `Conflict` for one that a problem other than `problem` groups: an
    incident has at most one problem. One round trip (none without numbers)."""
    if not numbers:
        return {}
    rows = await db.query(tx, LOCK_INCIDENTS, numbers=sorted(numbers))
    by_number = {row["number"]: row for row in rows}

    def where(index: int) -> str:
        return field if field == "incidentNumber" else f"{field}[{index}]"

    missing = [
        (where(i), f"no incident has the number {n}")
        for i, n in enumerate(numbers)
        if by_number[n]["id"] is None
    ]
    if missing:
        raise NotFound(missing[0][1], field=missing[0][0], more=missing[1:])
    for index, n in enumerate(numbers):
        others = [p for p in by_number[n]["groupedBy"] if p != problem]
        if others:
            raise Conflict(
                f"{n} is already grouped by {others[0]}: an incident belongs to at most one "
                f"problem; unlink it from {others[0]} first",
                field=where(index),
            )
    return {n: by_number[n]["id"] for n in numbers}


async def check_root_cause(db: Database, tx: AsyncManagedTransaction, ci_id: str | None) -> None:
    """Raises `NotFound` (field `rootCauseCiId`) when `ci_id` names no CI. One round trip
    (none for None)."""
    if ci_id is None:
        return
    rows = await db.query(tx, ROOT_CAUSE_EXISTS, id=ci_id)
    if not rows[0]["found"]:
        raise NotFound(f"no CI has the id {ci_id}", field="rootCauseCiId")
