"""The change repository: one method per use case, each one write transaction (through the
write recipe) or one read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository, NewEvent
from graph._writes import Writes, Written
from graph.changes import _cab, _work
from graph.changes._caused import CausedIncidents
from graph.changes._cypher import GET_BY_IDS, GET_BY_NUMBER
from graph.changes._model import Change, ChangePage, change_from_row
from graph.changes._prepare import NewChange
from graph.changes._query import ChangeFilter, ChangeOrder, count_query, page_query
from graph.changes._save import Request
from graph.changes._snapshot import ImpactDifference, Snapshot, recompute_work, take_snapshot
from graph.changes._success import SuccessScores
from graph.changes._suspects import SuspectedChanges
from graph.domain import ChangeOutcome, ChangeState
from graph.errors import InvalidInput
from graph.impact import Analyst

__all__ = ["ChangeRepository"]

Step = Callable[[Request], Awaitable[tuple[Change, list[NewEvent]]]]


class ChangeRepository(CausedIncidents, SuccessScores, SuspectedChanges):
    """Changes; the incidents they caused (`_caused.py`), their success scores and failure
    rate (`_success.py`) and the changes suspected of an incident (`_suspects.py`)."""

    def __init__(
        self,
        db: Database,
        history: HistoryRepository,
        writes: Writes,
        impact: Analyst,
        clock: Clock,
        *,
        required_approvals: int = 1,
        suspect_window: timedelta = timedelta(hours=72),
    ) -> None:
        self._db = db
        self._history = history
        self._writes = writes
        self._impact = impact
        self._clock = clock
        self.required_approvals = required_approvals
        """CAB approvals a normal or emergency change needs before it is scheduled."""
        self.suspect_window = suspect_window
        """How far back `suspectedChanges` looks for implemented changes."""

    def now(self) -> datetime:
        return self._clock.now()

    async def _write(self, operation: str, actor: str, step: Step) -> Change:
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[Change]:
            change, events = await step(Request(self._db, tx, actor, now))
            return Written(change, events)

        return await self._writes.write(operation, actor, work, changes_topology=False)

    async def _snapshot_before(self, targets: Sequence[str]) -> Snapshot | None:
        """The impact snapshot of `targets`, taken before the write transaction so that the
        transaction holds its locks for one compact write only (the work takes it again, in
        the transaction, when the targets read under the lock differ). None when the targets
        are not valid ids: the work reports that."""
        try:
            return await take_snapshot(self._impact, list(targets))
        except InvalidInput:
            return None

    async def create(self, new: NewChange, actor: str) -> Change:
        """Opens a change in DRAFT, numbered CHG0001001 upward. Raises `InvalidInput` or
        `NotFound` (targetCiIds[i]); nothing is written then. Four round trips."""

        async def step(r: Request) -> tuple[Change, list[NewEvent]]:
            return await _work.create_work(r, new)

        return await self._write("createChange", actor, step)

    async def update(
        self, number: str, expected_version: int | None, patch: dict[str, Any], actor: str
    ) -> Change:
        """Applies `patch` (fields of `NewChange`; absent ones stay, None clears an optional
        one) when the change is at `expected_version`. Raises NotFound, Conflict or
        InvalidInput, writing nothing."""

        ready = None
        if "target_ci_ids" in patch:
            current = await self.get(number)
            if current is not None and current.assessed_at is not None:
                ready = await self._snapshot_before(patch["target_ci_ids"])

        async def step(r: Request) -> tuple[Change, list[NewEvent]]:
            return await _work.update_work(r, self._impact, number, expected_version, patch, ready)

        return await self._write("updateChange", actor, step)

    async def transition(
        self,
        number: str,
        to: ChangeState,
        actor: str,
        *,
        note: str | None = None,
        outcome: ChangeOutcome | None = None,
    ) -> Change:
        """Moves the change to `to` if its type allows it from its state (read under its
        lock); entering ASSESS takes the impact snapshot."""

        ready = None
        if to is ChangeState.ASSESS:
            current = await self.get(number)
            if current is not None:
                ready = await self._snapshot_before(current.target_ci_ids)

        async def step(r: Request) -> tuple[Change, list[NewEvent]]:
            return await _work.transition_work(r, self._impact, number, to, note, outcome, ready)

        return await self._write("transitionChange", actor, step)

    async def approve(
        self, number: str, actor: str, comment: str | None = None, implement_now: bool = False
    ) -> Change:
        """Records the actor's CAB approval; the approval that reaches `required_approvals`
        schedules the change in the same write (an emergency change approved with
        `implement_now` moves to IMPLEMENT)."""
        required = self.required_approvals

        async def step(r: Request) -> tuple[Change, list[NewEvent]]:
            return await _cab.approve_work(r, number, comment, implement_now, required)

        return await self._write("approveChange", actor, step)

    async def reject(self, number: str, actor: str, comment: str | None) -> Change:
        """Records the actor's CAB rejection (with its reason) and moves the change to
        REJECTED."""

        async def step(r: Request) -> tuple[Change, list[NewEvent]]:
            return await _cab.reject_work(r, number, comment)

        return await self._write("rejectChange", actor, step)

    async def recompute_impact(self, number: str, actor: str) -> tuple[Change, ImpactDifference]:
        """Takes the impact snapshot of the change's targets again (the topology may have
        changed); returns the change and what the new snapshot added, removed and changed."""
        found: list[ImpactDifference] = []
        current = await self.get(number)
        ready = await self._snapshot_before(current.target_ci_ids) if current else None

        async def step(r: Request) -> tuple[Change, list[NewEvent]]:
            change, events, diff = await recompute_work(r, self._impact, number, ready)
            found[:] = [diff]
            return change, events

        change = await self._write("recomputeImpact", actor, step)
        return change, found[0]

    async def get(self, number: str) -> Change | None:
        """The change with this number, or None. One round trip."""
        rows = await self._db.read_rows("getChange", GET_BY_NUMBER, numbers=[number])
        return change_from_row(rows[0]["change"]) if rows else None

    async def get_many_by_number(self, numbers: Sequence[str]) -> list[Change | None]:
        """The changes with these numbers, in order (None where absent). One round trip."""
        rows = await self._db.read_rows("getChanges", GET_BY_NUMBER, numbers=list(numbers))
        found = {row["change"]["number"]: change_from_row(row["change"]) for row in rows}
        return [found.get(n) for n in numbers]

    async def get_many(self, ids: Sequence[str]) -> list[Change | None]:
        """The changes with these ids, in order (None where absent). One round trip."""
        rows = await self._db.read_rows("getChanges", GET_BY_IDS, ids=list(ids))
        found = {row["change"]["id"]: change_from_row(row["change"]) for row in rows}
        return [found.get(i) for i in ids]

    async def page(
        self,
        first: int,
        after: tuple[str, str] | None = None,
        change_filter: ChangeFilter | None = None,
        order: ChangeOrder | None = None,
    ) -> ChangePage:
        """Up to `first` changes matching the filter in `order`, after the position `after`,
        each with its targets, snapshot, approvals and transitions. One round trip."""
        parameters = (change_filter or ChangeFilter()).parameters()
        cypher, extra = page_query(parameters, order or ChangeOrder(), after)
        rows = await self._db.read_rows(
            "pageChanges", cypher, **parameters, **extra, limit=first + 1
        )
        return ChangePage(
            items=tuple(change_from_row(row["change"]) for row in rows[:first]),
            has_next=len(rows) > first,
            positions=tuple((row["sortKey"], row["change"]["number"]) for row in rows[:first]),
        )

    async def count(self, change_filter: ChangeFilter | None = None) -> int:
        """How many changes match the filter. One round trip."""
        parameters = (change_filter or ChangeFilter()).parameters()
        rows = await self._db.read_rows("countChanges", count_query(parameters), **parameters)
        return int(rows[0]["total"])
