"""What the bus carries: the topics and their events, plain dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graph.changes import Change
from graph.domain import CI, State
from graph.events._bus import Topic
from graph.incidents import Incident

__all__ = [
    "CHANGES",
    "CIS",
    "INCIDENTS",
    "SERVICE_STATES",
    "TOPICS",
    "RecordUpdate",
    "ServiceStates",
]

R = TypeVar("R")


@dataclass(frozen=True)
class RecordUpdate(Generic[R]):
    """A record (incident, change, CI) as it is after a committed write that added an event
    to its history."""

    record: R
    operation: str
    """The write, by its GraphQL name: `transitionIncident`, `relateCIs`, ..."""
    actor: str
    changed_fields: tuple[str, ...]
    """The fields the write's history events name, sorted (empty for a creation recorded
    without field values)."""


@dataclass(frozen=True)
class ServiceStates:
    """Every service whose computed state is not OPERATIONAL after a committed write, with
    that state; a service not listed is OPERATIONAL."""

    states: Mapping[str, State]
    operation: str
    actor: str

    def state_of(self, service_id: str) -> State:
        return self.states.get(service_id, State.OPERATIONAL)


INCIDENTS: Topic[RecordUpdate[Incident]] = Topic("incidents")
CHANGES: Topic[RecordUpdate[Change]] = Topic("changes")
CIS: Topic[RecordUpdate[CI]] = Topic("cis")
SERVICE_STATES: Topic[ServiceStates] = Topic("service-states")
TOPICS: tuple[Topic[Any], ...] = (INCIDENTS, CHANGES, CIS, SERVICE_STATES)
