"""The release repository."""

from __future__ import annotations

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository
from graph._writes import Writes

__all__ = ["ReleaseRepository"]


class ReleaseRepository:
    def __init__(
        self, db: Database, history: HistoryRepository, writes: Writes, clock: Clock
    ) -> None:
        self._db = db
        self._history = history
        self._writes = writes
        self._clock = clock
