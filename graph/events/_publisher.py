"""The after-commit hook that turns committed writes into events (`graph/_writes.py`).

It runs only after the transaction committed, so a rolled-back or refused write publishes
nothing. A record is announced when the write added an event to its history: an incident or a
change named by the event's records, a CI by its CIs. The records are read once per write,
after the commit, for every subscriber together, and only for topics somebody waits on.

Publications are serialised: each reads the records after its own commit and publishes before
the next one reads, so subscribers see every record's states in commit order and the last
state they see is the latest. A failure to read (Neo4j unavailable) is logged; the write has
committed all the same, and its subscribers miss those events (delivery is at most once).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from graph._writes import Committed
from graph.changes import ChangeRepository
from graph.cis import CIRepository
from graph.events._bus import EventBus, Topic
from graph.events._service_states import ServiceStateReader
from graph.events._topics import (
    CHANGES,
    CIS,
    INCIDENTS,
    SERVICE_STATES,
    TOPICS,
    RecordUpdate,
    ServiceStates,
)
from graph.incidents import IncidentRepository

__all__ = ["Publisher"]

log = logging.getLogger(__name__)


class _Record(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Record)


def _subjects(committed: Committed, records: bool) -> dict[str, set[str]]:
    """The ids the write's events name (records or CIs), each with the fields named."""
    fields: dict[str, set[str]] = defaultdict(set)
    for event in committed.events:
        for subject in event.record_ids if records else event.ci_ids:
            fields[subject].update(change.field for change in event.changes)
    if not records:
        for ci_id in committed.written_ci_ids:  # creations recorded by the import's queries
            fields.setdefault(ci_id, set())
    return fields


class Publisher:
    def __init__(
        self,
        bus: EventBus,
        incidents: IncidentRepository,
        changes: ChangeRepository,
        cis: CIRepository,
        states: ServiceStateReader,
    ) -> None:
        self._bus = bus
        self._incidents = incidents
        self._changes = changes
        self._cis = cis
        self._states = states
        self._order = asyncio.Lock()

    def _waited_on(self, topic: Topic[Any]) -> bool:
        return self._bus.subscriber_count(topic) > 0

    async def after_commit(self, committed: Committed) -> None:
        """Publishes the events of `committed`. Round trips: none when nobody subscribes;
        otherwise one per kind of record somebody waits on, two more for service states."""
        if not any(self._waited_on(topic) for topic in TOPICS):
            return
        try:
            async with self._order:
                await self._publish(committed)
        except Exception:
            log.exception("the events of %s were not published", committed.operation)

    async def _publish(self, committed: Committed) -> None:
        records = _subjects(committed, records=True)
        incidents_changed = False
        if records and (self._waited_on(INCIDENTS) or self._waited_on(SERVICE_STATES)):
            found = await self._incidents.get_many(sorted(records))
            incidents_changed = any(found)
            await self._announce(INCIDENTS, committed, found, records)
        if records and self._waited_on(CHANGES):
            await self._announce(
                CHANGES, committed, await self._changes.get_many(sorted(records)), records
            )
        cis = _subjects(committed, records=False)
        if cis and self._waited_on(CIS):
            await self._announce(CIS, committed, await self._cis.get_many(sorted(cis)), cis)
        if self._waited_on(SERVICE_STATES) and (incidents_changed or committed.topology_changed):
            states = ServiceStates(
                await self._states.current(), committed.operation, committed.actor
            )
            await self._bus.publish(SERVICE_STATES, states)

    async def _announce(
        self,
        topic: Topic[RecordUpdate[R]],
        committed: Committed,
        found: Sequence[R | None],
        fields: dict[str, set[str]],
    ) -> None:
        if not self._waited_on(topic):
            return
        for record in found:
            if record is None:
                continue
            update = RecordUpdate(
                record, committed.operation, committed.actor, tuple(sorted(fields[record.id]))
            )
            await self._bus.publish(topic, update)
