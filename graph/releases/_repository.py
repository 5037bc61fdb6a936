"""The release repository: one method per use case, each one write transaction of the write
recipe (`graph/_writes.py`) that locks what it judges before reading it, or one read."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository, NewEvent
from graph._writes import Writes, Written
from graph.domain import ReleaseState
from graph.releases._cypher import GET_BY_NUMBER, RELEASE_OF_CHANGES
from graph.releases._locks import Request
from graph.releases._membership import add_work, remove_work
from graph.releases._model import Release, ReleasePage, release_from_row
from graph.releases._query import ReleaseFilter, ReleaseOrder, count_query, page_query
from graph.releases._transitions import transition_work
from graph.releases._work import NewRelease, check_new_release, create_work, update_work

__all__ = ["ReleaseRepository"]

NEWEST_FIRST = ReleaseOrder()

Step = Callable[[Request], Awaitable[tuple[Release, list[NewEvent]]]]


class ReleaseRepository:
    def __init__(
        self, db: Database, history: HistoryRepository, writes: Writes, clock: Clock
    ) -> None:
        self._db = db
        self._history = history
        self._writes = writes
        self._clock = clock

    async def _write(self, operation: str, actor: str, step: Step) -> Release:
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[Release]:
            release, events = await step(Request(self._db, tx, actor, now))
            return Written(release, events)

        return await self._writes.write(operation, actor, work, changes_topology=False)

    async def create(self, new: NewRelease, actor: str) -> Release:
        """Creates a release in PLANNING, numbered REL0001001 upward (consecutive under
        concurrent creation), with its changes (each locked: in no other release, neither
        CANCELLED nor REJECTED) and its deployed CIs (the union of the changes' targets unless
        named). Raises InvalidInput, NotFound or Conflict, writing nothing. Five or six round
        trips."""
        checked = check_new_release(new)
        release_id = str(uuid.uuid4())

        async def step(r: Request) -> tuple[Release, list[NewEvent]]:
            release, event = await create_work(r, release_id, checked)
            return release, [event]

        return await self._write("createRelease", actor, step)

    async def update(
        self, number: str, expected_revision: int | None, patch: dict[str, Any], actor: str
    ) -> Release:
        """Applies `patch` (NewRelease field names; absent ones stay; `deployed_ci_ids` None
        goes back to the changes' targets) to a release that is not finished, when it is at
        `expected_revision`. Three to five round trips."""

        async def step(r: Request) -> tuple[Release, list[NewEvent]]:
            return await update_work(r, number, expected_revision, patch)

        return await self._write("updateRelease", actor, step)

    async def add_changes(self, number: str, change_numbers: Sequence[str], actor: str) -> Release:
        """Adds changes to the release under its lock and theirs (see `add_work`). Four round
        trips."""

        async def step(r: Request) -> tuple[Release, list[NewEvent]]:
            return await add_work(r, number, change_numbers)

        return await self._write("addChangesToRelease", actor, step)

    async def remove_change(self, number: str, change_number: str, actor: str) -> Release:
        """Takes a change out of the release under its lock and the change's. Four round
        trips."""

        async def step(r: Request) -> tuple[Release, list[NewEvent]]:
            return await remove_work(r, number, change_number)

        return await self._write("removeChangeFromRelease", actor, step)

    async def transition(
        self, number: str, to: ReleaseState, actor: str, note: str | None = None
    ) -> Release:
        """Moves the release to `to` (see `transition_work`). Four or five round trips."""

        async def step(r: Request) -> tuple[Release, list[NewEvent]]:
            return await transition_work(r, number, to, note)

        return await self._write("transitionRelease", actor, step)

    async def get(self, number: str) -> Release | None:
        """The release with this number, or None. One round trip."""
        [found] = await self.get_many_by_number([number])
        return found

    async def get_many_by_number(self, numbers: Sequence[str]) -> list[Release | None]:
        """The releases with these numbers, in order (None where absent). One round trip."""
        rows = await self._db.read_rows("getReleases", GET_BY_NUMBER, numbers=list(numbers))
        found = {row["release"]["number"]: release_from_row(row["release"]) for row in rows}
        return [found.get(n) for n in numbers]

    async def of_changes(self, change_ids: Sequence[str]) -> list[Release | None]:
        """The release holding each change (by id), in order; None for a change in none. One
        round trip."""
        rows = await self._db.read_rows(
            "releasesOfChanges", RELEASE_OF_CHANGES, changeIds=list(change_ids)
        )
        found = {row["changeId"]: release_from_row(row["release"]) for row in rows}
        return [found.get(i) for i in change_ids]

    async def count(self, release_filter: ReleaseFilter | None = None) -> int:
        """How many releases match the filter. One round trip."""
        parameters = (release_filter or ReleaseFilter()).parameters()
        rows = await self._db.read_rows("countReleases", count_query(parameters), **parameters)
        return int(rows[0]["total"])

    async def page(
        self,
        first: int,
        after: str | None = None,
        release_filter: ReleaseFilter | None = None,
        order: ReleaseOrder = NEWEST_FIRST,
    ) -> ReleasePage:
        """Up to `first` releases matching the filter in `order` (newest first by default),
        after the release numbered `after`; each with its changes, deployed CIs, transitions
        and impact. One round trip."""
        parameters = (release_filter or ReleaseFilter()).parameters()
        if after is not None:
            parameters["after"] = after
        rows = await self._db.read_rows(
            "pageReleases", page_query(parameters, order), **parameters, limit=first + 1
        )
        items = tuple(release_from_row(row["release"]) for row in rows[:first])
        return ReleasePage(items, has_next=len(rows) > first)
