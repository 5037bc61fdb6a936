"""The one write recipe: what every product write does, in one place (docs/concepts.md,
"History").

A write is one managed write transaction that runs the repository's work, then records the
work's history events, then, when the write changes CIs or dependency edges, records its
topology delta (`graph/_topology_version.py`: the touched CIs as the projections hold them,
numbered in commit order), all committing together or not at all. After the commit,
the hooks run: the event publisher (`graph/events/`) announces the write to subscriptions
there, so that a subscriber never hears of a write that was rolled back.

The driver calls a transaction function again after a transient error (a deadlock, a leader
switch), so `work` must be idempotent: choose ids before the transaction, and read what it
decides on inside it, after taking the locks below.

Concurrency, and the helpers every record gets with it:

- `lock(variable)` is the Cypher that takes a node's write lock before the query reads it: a
  second writer of the same node waits for the first to commit, then reads what it wrote.
  Writes that create or confirm an edge lock its dependent CI first, so two writers of one
  edge cannot both create it; an update locks its CI before comparing versions.
- `next_number` hands out numbers from a `Sequence` node (migration V0004), unique and
  consecutive under concurrent creation: the numbers of incidents, problems and changes.
- Identity that must never be duplicated is a key under a uniqueness constraint, written with
  `MERGE` (the import's `IdentityKey`s, migration V0008): the second writer finds the first's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, LiteralString, TypeVar

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph._history import HistoryRepository, NewEvent
from graph._topology_version import DEFAULT_DELTA_LOG, DELTA_STATES_MOST, record_delta

__all__ = [
    "AfterCommit",
    "Committed",
    "Writes",
    "Written",
    "lock",
    "next_number",
]

T = TypeVar("T")


def lock(variable: LiteralString) -> LiteralString:
    """Cypher that takes the write lock of the node bound to `variable` (a no-op on null).

    Setting a property takes the node's write lock, held until the transaction ends; what the
    query reads of the node after it is the latest committed state (Neo4j's pattern against
    lost updates). The property is removed in the same clause: nothing of it is stored."""
    return "SET " + variable + "._lock = true REMOVE " + variable + "._lock"


# MERGE on the constraint-backed name: concurrent first uses create one node. The lock is
# taken before `last` is read, so no two writers get the same number.
NEXT_NUMBER: LiteralString = (
    """
MERGE (s:Sequence {name: $name})
ON CREATE SET s.last = $start - 1
"""
    + lock("s")
    + """
WITH s
SET s.last = s.last + $count
RETURN s.last - $count + 1 AS first
"""
)


@dataclass(frozen=True)
class Written(Generic[T]):
    """What a write's work returns: its result, the history events to record, and how many
    events its own queries wrote already (the import writes a creation's event in the query
    that creates it)."""

    result: T
    events: Sequence[NewEvent] = ()
    events_written: int = 0
    written_ci_ids: Sequence[str] = ()
    """The CIs of the events its own queries wrote (the import's creations), for the
    after-commit hooks."""
    topology_ci_ids: Sequence[str] | None = None
    """The CIs whose projected state the write changed: their own properties, or their
    outgoing dependency edges (for an edge, its dependent CI). None: every CI of the events and
    of `written_ci_ids` (more than needed for an edge, whose target is unchanged)."""

    def touched(self) -> tuple[str, ...]:
        """The CIs the write's topology delta describes."""
        if self.topology_ci_ids is not None:
            return tuple(self.topology_ci_ids)
        found = [ci for event in self.events for ci in event.ci_ids]
        return tuple(dict.fromkeys([*found, *self.written_ci_ids]))

    @property
    def changed(self) -> bool:
        """Whether the write changed anything: a write that only confirms records nothing."""
        return bool(self.events) or self.events_written > 0


@dataclass(frozen=True)
class Committed:
    """A committed write, as the after-commit hooks see it."""

    operation: str
    actor: str
    events: tuple[NewEvent, ...]
    events_written: int
    topology_changed: bool
    written_ci_ids: tuple[str, ...] = ()
    """The CIs of the `events_written` (the import's creations)."""


AfterCommit = Callable[[Committed], Awaitable[None]]
"""Called after a write committed (never after a rollback): the event publisher of
subscriptions (`graph/events/_publisher.py`) is registered by `api/_wiring.py`."""

Work = Callable[[AsyncManagedTransaction], Awaitable[Written[T]]]


class Writes:
    """Runs the product's writes: one per repository method that changes the graph."""

    def __init__(
        self,
        db: Database,
        history: HistoryRepository,
        after_commit: Sequence[AfterCommit] = (),
        delta_log: int = DEFAULT_DELTA_LOG,
        delta_states_most: int = DELTA_STATES_MOST,
    ) -> None:
        self._db = db
        self._history = history
        self.after_commit: list[AfterCommit] = list(after_commit)
        self.delta_log = delta_log
        """Topology deltas kept (`CMDB_TOPOLOGY_DELTA_LOG`)."""
        self.delta_states_most = delta_states_most
        """The most CIs a topology delta carries the states of (beyond: their ids only)."""

    async def write(
        self, operation: str, actor: str, work: Work[T], *, changes_topology: bool
    ) -> T:
        """Runs `work` in one write transaction named `operation`, records its events, and
        records its topology delta when `changes_topology` and the work changed something; then
        runs the after-commit hooks. Returns the work's result. Round trips: the work's, plus
        one for the events when there are any, plus one for the delta when there is one."""

        async def transaction(tx: AsyncManagedTransaction) -> Written[T]:
            written = await work(tx)
            await self._history.record(tx, actor, list(written.events))
            if changes_topology and written.changed:
                await record_delta(
                    self._db,
                    tx,
                    written.touched(),
                    keep=self.delta_log,
                    states_most=self.delta_states_most,
                )
            return written

        written = await self._db.write(operation, transaction)
        if self.after_commit:
            committed = Committed(
                operation,
                actor,
                tuple(written.events),
                written.events_written,
                topology_changed=changes_topology and written.changed,
                written_ci_ids=tuple(written.written_ci_ids),
            )
            for hook in self.after_commit:
                await hook(committed)
        return written.result


async def next_number(
    db: Database,
    tx: AsyncManagedTransaction,
    sequence: str,
    *,
    count: int = 1,
    start: int = 1,
) -> int:
    """The first of `count` consecutive numbers of `sequence`, never handed out before: the
    sequence starts at `start`. Concurrent writers wait for each other's commit on the
    sequence's lock, so numbers are unique and consecutive in commit order; a transaction that
    rolls back leaves no gap (its increment rolls back with it). The lock is held to the end
    of the transaction: take the number late in it. One round trip."""
    if count < 1:
        raise ValueError("count must be at least 1")
    [row] = await db.query(tx, NEXT_NUMBER, name=sequence, count=count, start=start)
    return int(row["first"])
