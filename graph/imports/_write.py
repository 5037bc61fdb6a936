"""Writing a planned import: one write transaction per batch of rows, with `UNWIND`.

A batch is prepared first, outside its transaction (`prepare`): the rows that are creations
(new CIs, edges to a CI this import creates) become query parameters with their history events,
ready to send. `ImportRepository` prepares the next batch while the database writes the current
one. The transaction then reads the current state of the other rows, decides per
attribute with the source precedence what changes (`_merge.py`) and writes creations and
changes with one query each, their history events included (`graph/_writes.py` records the
other events and sets the topology token).

Imports running at the same time never duplicate a CI or an edge:

- a new CI claims its identity keys (`IdentityKey`, unique) in the query that creates it; a
  key another import's CI holds turns the row into a row about that CI, which it then
  confirms or updates like any identified row (`_write_cis.py`);
- an edge is created after its end CIs' locks are taken, in sorted order, and only when no
  current edge joins them; one found there (created by another import meanwhile) is
  confirmed instead (`_write_relationships.py`).

Transaction functions are idempotent: the ids of new CIs were chosen by the plan, every
decision is taken again from what the transaction reads, and the driver calls a function again
only after the attempt was rolled back (see `graph/_history.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from graph._database import Database
from graph._writes import Writes
from graph.imports._model import RowError
from graph.imports._precedence import SourcePrecedence

__all__ = ["BatchOutcome", "ImportWrite", "combined"]


@dataclass(frozen=True)
class ImportWrite:
    """What every batch of one import writes with: its source, actor and precedence."""

    db: Database
    writes: Writes
    source: str
    actor: str
    precedence: SourcePrecedence
    at: datetime
    """The import's instant: the time of the utilisation readings its rows state."""


@dataclass(frozen=True)
class BatchOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    adopted: tuple[tuple[str, str], ...] = ()
    """(planned id, id of the CI found instead): new CIs another import created first."""
    errors: tuple[RowError, ...] = ()
    """Rows refused while writing (what the plan could not see: another import's CI)."""


def combined(total: BatchOutcome, batch: BatchOutcome) -> BatchOutcome:
    return BatchOutcome(
        total.created + batch.created,
        total.updated + batch.updated,
        total.unchanged + batch.unchanged,
        total.adopted + batch.adopted,
        total.errors + batch.errors,
    )
