"""The writes of the reliability load and their ledger: each write gets an Idempotency-Key and a
marker when it is due, and its outcome once the client learns it (acknowledged, refused with a
typed error, or still unknown when the client gave up). The incidents and CI pairs a write
works on are busy until its outcome is known, so two writes never race on one record."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.reliability import load_ops as ops

__all__ = ["NEXT_STATE", "Planner", "Write"]

NEXT_STATE = {"NEW": "IN_PROGRESS", "IN_PROGRESS": "RESOLVED", "RESOLVED": "CLOSED"}
"""The path each incident of the run takes, one transition per write."""

ACKED, REFUSED, UNKNOWN = "ACKED", "REFUSED", "UNKNOWN"


@dataclass
class Write:
    kind: str
    """create_incident, transition_incident, relate, unrelate or import_cis."""
    key: str
    marker: str
    request: dict[str, Any]
    subject: str | int | None = None
    """The incident number (transitions) or the pair's index (relate, unrelate)."""
    outcome: str = UNKNOWN
    """ACKED, REFUSED (a typed error: nothing written), or UNKNOWN (never learned)."""
    codes: list[str] = field(default_factory=list)
    """What each attempt got: OK, an error code, or the transport error."""
    data: Any = None
    replays: int = 0
    """Answers marked Idempotent-Replayed."""
    abandoned: bool = False
    """Given up on: its key stayed in use (IDEMPOTENCY_KEY_IN_USE) while the API answered."""


@dataclass
class _Incident:
    number: str
    state: str
    busy: bool = False


class Planner:
    """Makes each write when it is due and learns from its outcome."""

    def __init__(self, run: str, subjects: ops.Subjects) -> None:
        self.run = run
        self.subjects = subjects
        self.writes: list[Write] = []
        self._seq = itertools.count()
        self._incidents: dict[str, _Incident] = {}
        self._pair_on = [False] * len(subjects.pairs)
        self._pair_busy = [False] * len(subjects.pairs)
        self._next_pair = 0

    def _write(
        self, kind: str, marker: str, request: dict[str, Any], subject: str | int | None = None
    ) -> Write:
        write = Write(kind, str(uuid.uuid4()), marker, request, subject)
        self.writes.append(write)
        return write

    def marker(self, kind: str) -> str:
        return f"{self.run}-{kind}-{next(self._seq):06d}"

    def make(self, kind: str) -> Write:
        """The write of `kind` due now; a transition or a toggle with nothing idle to work on
        becomes a new incident instead."""
        if kind == "transition_incident":
            idle = next((i for i in self._incidents.values() if not i.busy), None)
            if idle is not None:
                idle.busy = True
                marker = self.marker("transition")
                to = NEXT_STATE[idle.state]
                request = ops.body(
                    ops.TRANSITION_INCIDENT, number=idle.number, to=to, marker=marker
                )
                return self._write(kind, marker, request, idle.number)
        if kind == "relate_toggle":
            pair = self._idle_pair()
            if pair is not None:
                dependent, dependency = self.subjects.pairs[pair]
                self._pair_busy[pair] = True
                marker = self.marker("toggle")
                edge = {"from": dependent, "to": dependency}
                if self._pair_on[pair]:
                    return self._write("unrelate", marker, ops.body(ops.UNRELATE, **edge), pair)
                request = ops.body(ops.RELATE, source=self.run, **edge)
                return self._write("relate", marker, request, pair)
        if kind == "import_cis":
            marker = self.marker("import")
            cis, edges = ops.import_rows(marker)
            request = ops.body(ops.IMPORT_CIS, source=self.run, cis=cis, relationships=edges)
            return self._write(kind, marker, request)
        n = len(self.writes)
        ci = self.subjects.ci_ids[n % len(self.subjects.ci_ids)]
        marker = self.marker("incident")
        request = ops.body(ops.CREATE_INCIDENT, title=f"load {marker}", marker=marker, ci=ci)
        return self._write("create_incident", marker, request)

    def _idle_pair(self) -> int | None:
        count = len(self._pair_busy)
        for step in range(count):
            pair = (self._next_pair + step) % count
            if not self._pair_busy[pair]:
                self._next_pair = pair + 1
                return pair
        return None

    def learned(self, write: Write) -> None:
        """`write`'s outcome is known (or will never be): its record is free again, in the
        state the answer gave; one whose outcome is unknown stays busy for good."""
        if write.outcome == UNKNOWN:
            return
        acked = write.outcome == ACKED
        if write.kind == "create_incident" and acked:
            incident = write.data["createIncident"]["incident"]
            self._incidents[incident["number"]] = _Incident(incident["number"], "NEW")
        elif write.kind == "transition_incident":
            assert isinstance(write.subject, str)
            incident = self._incidents[write.subject]
            incident.busy = False
            if acked:
                incident.state = write.data["transitionIncident"]["incident"]["state"]
            if not acked or incident.state not in NEXT_STATE:
                del self._incidents[write.subject]
        elif write.kind in ("relate", "unrelate"):
            assert isinstance(write.subject, int)
            self._pair_busy[write.subject] = False
            if acked:
                self._pair_on[write.subject] = write.kind == "relate"
