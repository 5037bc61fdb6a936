"""What the database tells an observer (the API's metrics) without `graph/` knowing about
metrics: the latency of each query and transaction, each topology load and each application
of topology deltas."""

from __future__ import annotations

from typing import Protocol

__all__ = ["DatabaseObserver", "Unobserved"]


class DatabaseObserver(Protocol):
    def query_finished(self, seconds: float) -> None:
        """One query answered (its rows read) in `seconds`."""

    def transaction_finished(self, operation: str, seconds: float, *, failed: bool) -> None:
        """One managed transaction named `operation` ended, retries included."""

    def topology_loaded(self, seconds: float, reason: str) -> None:
        """The topology projection was loaded whole from Neo4j, for `reason`: `start`,
        `epoch`, `behind` or `counts` (it could not follow the delta log), `refresh`
        (`cmdb refresh-topology`, in the background)."""

    def topology_followed(self, deltas: int, seconds: float) -> None:
        """The topology projection applied `deltas` deltas of the log in `seconds`."""


class Unobserved:
    """The observer of a database nobody watches."""

    def query_finished(self, seconds: float) -> None:
        return None

    def transaction_finished(self, operation: str, seconds: float, *, failed: bool) -> None:
        return None

    def topology_loaded(self, seconds: float, reason: str) -> None:
        return None

    def topology_followed(self, deltas: int, seconds: float) -> None:
        return None
