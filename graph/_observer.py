"""What the database tells an observer (the API's metrics) without `graph/` knowing about
metrics: the latency of each query and transaction, and each topology load."""

from __future__ import annotations

from typing import Protocol

__all__ = ["DatabaseObserver", "Unobserved"]


class DatabaseObserver(Protocol):
    def query_finished(self, seconds: float) -> None:
        """One query answered (its rows read) in `seconds`."""

    def transaction_finished(self, operation: str, seconds: float, *, failed: bool) -> None:
        """One managed transaction named `operation` ended, retries included."""

    def topology_loaded(self, seconds: float) -> None:
        """The topology projection was (re)loaded from Neo4j."""


class Unobserved:
    """The observer of a database nobody watches."""

    def query_finished(self, seconds: float) -> None:
        return None

    def transaction_finished(self, operation: str, seconds: float, *, failed: bool) -> None:
        return None

    def topology_loaded(self, seconds: float) -> None:
        return None
