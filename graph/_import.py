"""The import repository: bulk, idempotent import of CIs and relationships from a named source
(DOMAIN.md §7, §8). docs/import.md describes the behaviour and the file formats.

An import runs in two steps. Planning validates every row, identifies the CIs (a few lookup
queries for the whole import) and resolves relationship ends; by default any invalid row
stops the import there, so nothing is written. Writing then goes batch by batch, one write
transaction per batch: CIs first, then relationships.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from graph._database import Database
from graph._history import HistoryRepository
from graph._import_model import ImportProgress, ImportRequest, ImportResult, ImportSection
from graph._import_plan import plan_import
from graph._import_precedence import SourcePrecedence
from graph._import_write import BatchOutcome, BatchWriter

__all__ = ["DEFAULT_BATCH_SIZE", "ImportRepository"]

DEFAULT_BATCH_SIZE = 1000

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
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._db = db
        self._history = history
        self._precedence = precedence or SourcePrecedence()
        self.batch_size = batch_size

    async def run(
        self,
        request: ImportRequest,
        actor: str,
        progress: ImportProgress | None = None,
        batch_size: int | None = None,
    ) -> ImportResult:
        """Imports `request`; returns the counts and the errors of the rows that failed.
        Raises `InvalidInput` for a problem with the request as a whole (nothing written).
        Cost: one lookup query per identification rule and 10,000 keys (the external-id rule
        reads every CI once), then per batch of `batch_size` rows one write transaction of at
        most four round trips."""
        plan = await plan_import(self._db, request)
        if plan.errors and not request.skip_invalid:
            return ImportResult(
                failed=plan.failed_cis,
                relationships_failed=plan.failed_relationships,
                errors=tuple(plan.errors),
                refused=True,
            )
        size = batch_size or self.batch_size
        writer = BatchWriter(
            self._db, self._history, request.source.strip(), actor, self._precedence
        )
        cis = await self._write_all(
            ImportSection.CIS,
            _batches(plan.cis, size),
            writer.prepare_cis,
            writer.write_cis,
            progress,
        )
        edges = await self._write_all(
            ImportSection.RELATIONSHIPS,
            _batches(plan.relationships, size),
            writer.prepare_relationships,
            writer.write_relationships,
            progress,
        )
        return ImportResult(
            created=cis.created,
            updated=cis.updated,
            unchanged=cis.unchanged,
            failed=plan.failed_cis,
            relationships_created=edges.created,
            relationships_updated=edges.updated,
            relationships_confirmed=edges.unchanged,
            relationships_failed=plan.failed_relationships,
            errors=tuple(plan.errors),
        )

    async def _write_all(
        self,
        section: ImportSection,
        batches: list[Sequence[T]],
        prepare: Callable[[Sequence[T]], P],
        write: Callable[[P], Awaitable[BatchOutcome]],
        progress: ImportProgress | None,
    ) -> BatchOutcome:
        # One batch at a time: relationship batches running side by side deadlock on the
        # locks of shared CIs (a switch many servers connect through), and retries cost more
        # than the overlap gains. The next batch is prepared in a thread meanwhile: the event
        # loop waits on the socket while Neo4j writes, so the preparation (Python, about as
        # costly as Neo4j's side) runs alongside instead of after.
        rows = sum(len(batch) for batch in batches)
        total = BatchOutcome()
        done = 0
        upcoming = (
            asyncio.ensure_future(asyncio.to_thread(prepare, batches[0])) if batches else None
        )
        for index, batch in enumerate(batches):
            assert upcoming is not None
            prepared = await upcoming
            upcoming = None
            if index + 1 < len(batches):
                upcoming = asyncio.ensure_future(asyncio.to_thread(prepare, batches[index + 1]))
            try:
                total = _add(total, await write(prepared))
            except BaseException:
                if upcoming is not None:
                    upcoming.cancel()
                raise
            done += len(batch)
            if progress is not None:
                progress(section, done, rows)
        return total


def _add(total: BatchOutcome, batch: BatchOutcome) -> BatchOutcome:
    return BatchOutcome(
        total.created + batch.created,
        total.updated + batch.updated,
        total.unchanged + batch.unchanged,
    )
