"""The import repository: bulk, idempotent import of CIs and relationships from a named source
docs/import.md describes the behaviour and the file formats.

An import runs in two steps. Planning validates every row, identifies the CIs (a few lookup
queries for the whole import) and resolves relationship ends; by default any invalid row
stops the import there, so nothing is written. Writing then goes batch by batch, one write
transaction per batch: CIs first, then relationships.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from graph._clock import Clock, SystemClock
from graph._database import Database
from graph._history import HistoryRepository
from graph._writes import Writes
from graph.imports._model import ImportProgress, ImportRequest, ImportResult, ImportSection
from graph.imports._planner import plan_import
from graph.imports._precedence import SourcePrecedence
from graph.imports._preview import ImportPreview, preview_import
from graph.imports._stale import find_stale
from graph.imports._write import BatchOutcome, ImportWrite, combined
from graph.imports._write_cis import CIBatchWriter
from graph.imports._write_relationships import RelationshipBatchWriter

__all__ = ["DEFAULT_BATCH_SIZE", "ImportRepository"]

DEFAULT_BATCH_SIZE = 1000
# CI batches are independent: two in flight keep Neo4j busy with one while it commits the
# other (a commit updates a dozen indexes per CI). Relationship batches go one at a time: side
# by side they deadlock on the locks of shared CIs (a switch many servers connect through),
# and measured two in flight gained nothing.
CI_BATCHES_IN_FLIGHT = 2

T = TypeVar("T")
P = TypeVar("P")


def _batches(rows: Sequence[T], size: int) -> list[Sequence[T]]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]


class ImportRepository:
    def __init__(
        self,
        db: Database,
        history: HistoryRepository,
        precedence: SourcePrecedence | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        ci_batches_in_flight: int = CI_BATCHES_IN_FLIGHT,
        writes: Writes | None = None,
        clock: Clock | None = None,
    ) -> None:
        if batch_size < 1 or ci_batches_in_flight < 1:
            raise ValueError("batch_size and ci_batches_in_flight must be at least 1")
        self._db = db
        self._writes = writes or Writes(db, history)
        self._precedence = precedence or SourcePrecedence()
        self._clock = clock or SystemClock()
        self.batch_size = batch_size
        self.ci_batches_in_flight = ci_batches_in_flight

    async def run(
        self,
        request: ImportRequest,
        actor: str,
        progress: ImportProgress | None = None,
        batch_size: int | None = None,
        report_stale: bool = False,
    ) -> ImportResult:
        """Imports `request`; returns the counts and the errors of the rows that failed.
        Raises `InvalidInput` for a problem with the request as a whole (nothing written).
        Cost: one lookup query per identification rule and 10,000 keys (the external-id rule
        reads every CI once), then per batch of `batch_size` rows one write transaction of at
        most five round trips (two for a batch of new rows); two CI batches in flight.
        With `report_stale`, what the source reported before and not now is listed
        (`find_stale`: two scans, before writing)."""
        plan = await plan_import(self._db, request)
        stale = await find_stale(self._db, request.source.strip(), plan) if report_stale else None
        if plan.errors and not request.skip_invalid:
            return ImportResult(
                failed=plan.failed_cis,
                relationships_failed=plan.failed_relationships,
                errors=tuple(plan.errors),
                refused=True,
                stale=stale,
            )
        size = batch_size or self.batch_size
        context = ImportWrite(
            self._db,
            self._writes,
            request.source.strip(),
            actor,
            self._precedence,
            self._clock.now(),
        )
        ci_writer = CIBatchWriter(context)
        cis = await self._write_all(
            ImportSection.CIS,
            _batches(plan.cis, size),
            ci_writer.prepare,
            ci_writer.write,
            progress,
            in_flight=self.ci_batches_in_flight,
        )
        edge_writer = RelationshipBatchWriter(context)
        planned_id = {planned.index: planned.ci_id for planned in plan.cis}
        edge_writer.follow(cis.adopted, {planned_id[e.index]: e.index for e in cis.errors})
        edges = await self._write_all(
            ImportSection.RELATIONSHIPS,
            _batches(plan.relationships, size),
            edge_writer.prepare,
            edge_writer.write,
            progress,
        )
        return ImportResult(
            created=cis.created,
            updated=cis.updated,
            unchanged=cis.unchanged,
            failed=plan.failed_cis + len(cis.errors),
            relationships_created=edges.created,
            relationships_updated=edges.updated,
            relationships_confirmed=edges.unchanged,
            relationships_failed=plan.failed_relationships + len(edges.errors),
            errors=(*plan.errors, *cis.errors, *edges.errors),
            stale=stale,
        )

    async def preview(self, request: ImportRequest) -> ImportPreview:
        """What `run(request)` would create, update, confirm and leave stale; writes nothing
        (a read-only planning pass: `preview_import`)."""
        return await preview_import(self._db, request, self._precedence)

    async def _write_all(
        self,
        section: ImportSection,
        batches: list[Sequence[T]],
        prepare: Callable[[Sequence[T]], P],
        write: Callable[[P], Awaitable[BatchOutcome]],
        progress: ImportProgress | None,
        in_flight: int = 1,
    ) -> BatchOutcome:
        """Writes `batches` with up to `in_flight` transactions at a time, reporting progress
        in batch order. The next batch is prepared in a thread meanwhile: the event loop
        waits on the socket while Neo4j writes, so the preparation (Python, about as costly
        as Neo4j's side) runs alongside instead of after."""
        rows = sum(len(batch) for batch in batches)
        total = BatchOutcome()
        done = 0
        writing: deque[tuple[asyncio.Future[BatchOutcome], int]] = deque()
        preparing: asyncio.Future[P] | None = None
        try:
            for index, batch in enumerate(batches):
                if preparing is None:
                    preparing = asyncio.ensure_future(asyncio.to_thread(prepare, batch))
                prepared = await preparing
                preparing = None
                if index + 1 < len(batches):
                    preparing = asyncio.ensure_future(
                        asyncio.to_thread(prepare, batches[index + 1])
                    )
                writing.append((asyncio.ensure_future(write(prepared)), len(batch)))
                while len(writing) >= in_flight or (writing and index + 1 == len(batches)):
                    outcome, size = writing[0]
                    total = combined(total, await outcome)
                    writing.popleft()
                    done += size
                    if progress is not None:
                        progress(section, done, rows)
        finally:
            for future in [*(outcome for outcome, _ in writing), preparing]:
                if future is not None:
                    future.cancel()
        return total
