"""Events of committed writes, for subscriptions (docs/subscriptions.md): the bus interface and
its in-process implementation, the topics and their events, and the after-commit publisher."""

from graph.events._bus import BusClosed, EventBus, EventsLost, InProcessBus, Topic
from graph.events._publisher import Publisher
from graph.events._service_states import MAX_FAILED_CIS, ServiceStateReader
from graph.events._topics import (
    CHANGES,
    CIS,
    INCIDENTS,
    SERVICE_STATES,
    TOPICS,
    RecordUpdate,
    ServiceStates,
)

__all__ = [
    "CHANGES",
    "CIS",
    "INCIDENTS",
    "MAX_FAILED_CIS",
    "SERVICE_STATES",
    "TOPICS",
    "BusClosed",
    "EventBus",
    "EventsLost",
    "InProcessBus",
    "Publisher",
    "RecordUpdate",
    "ServiceStateReader",
    "ServiceStates",
    "Topic",
]
