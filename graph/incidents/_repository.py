"""The incident repository."""

from __future__ import annotations

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository
from graph._writes import Writes
from graph.impact import Analyst

__all__ = ["IncidentRepository"]


class IncidentRepository:
    def __init__(
        self,
        db: Database,
        history: HistoryRepository,
        writes: Writes,
        impact: Analyst,
        clock: Clock,
    ) -> None:
        self._db = db
        self._history = history
        self._writes = writes
        self._impact = impact
        self._clock = clock
