"""The change repository."""

from __future__ import annotations

from datetime import timedelta

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository
from graph._writes import Writes
from graph.changes._caused import CausedIncidents
from graph.changes._success import SuccessScores
from graph.changes._suspects import SuspectedChanges
from graph.impact import Analyst

__all__ = ["ChangeRepository"]


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
