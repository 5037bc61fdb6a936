"""One async driver per process, and the two ways to use it: read and write transactions."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship

from graph._availability import Availability, Transient, Unreachable
from graph._neo4j_errors import storage_failed, unique_key_taken
from graph._observer import DatabaseObserver, Unobserved
from graph._write_marks import marked
from graph.errors import GraphError, GraphUnavailable, QueryTimedOut

__all__ = ["Database", "Row", "connect", "unique_key_taken"]

T = TypeVar("T")
Row = dict[str, Any]
Work = Callable[[AsyncManagedTransaction], Awaitable[T]]

log = logging.getLogger(__name__)

_GRAPH_VALUES = (Node, Relationship, Path)


class Database:
    """A Neo4j database reached through the official async driver.

    Every call names its operation; the name travels as transaction metadata, so it shows in
    Neo4j's query log and `SHOW TRANSACTIONS`. `round_trips` counts the queries sent, for the
    tests that guard against N+1 regressions; `observer` hears each query's latency (the API
    sets its metrics there). With `transaction_timeout`, Neo4j stops any transaction running
    longer (seconds), and the call raises `QueryTimedOut`. `availability` bounds how long a
    call waits for a Neo4j that does not answer, and retries transient errors
    (graph/_availability.py).
    """

    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        transaction_timeout: float | None = None,
        availability: Availability | None = None,
    ) -> None:
        self._driver = driver
        self.name = database
        self.round_trips = 0
        self.observer: DatabaseObserver = Unobserved()
        self.availability = availability or Availability()
        self._timeout = transaction_timeout

    async def read(self, operation: str, work: Work[T]) -> T:
        """Runs `work` in a read transaction (retried on transient errors)."""
        return await self._run(operation, work, write=False)

    async def write(self, operation: str, work: Work[T]) -> T:
        """Runs `work` in a write transaction: it commits whole or not at all. `work` may be
        called again after a transient error, so it must be idempotent."""
        return await self._run(operation, work, write=True)

    async def query(
        self, tx: AsyncManagedTransaction, cypher: LiteralString, **params: Any
    ) -> list[Row]:
        """Sends one query in `tx` and returns its rows as plain dicts: one round trip.

        Queries project what they return (maps, lists, scalars). The values come back as the
        driver decoded them: `Record.data()` would walk every nested value again to convert
        graph entities, which costs as much as decoding. A node, relationship or path
        returned as a column still becomes what `data()` makes of it; one nested in a list or
        map stays a driver object."""
        self.round_trips += 1
        started = time.perf_counter()
        rows = await _rows(await tx.run(cypher, params))
        self.observer.query_finished(time.perf_counter() - started)
        return rows

    async def read_rows(self, operation: str, cypher: LiteralString, **params: Any) -> list[Row]:
        """One query in an auto-commit read transaction: one round trip, where a managed
        transaction costs three (BEGIN, the query, COMMIT). A single query is atomic by
        itself, and a read is safe to send again after a transient error."""
        started = time.perf_counter()
        failed = True
        try:
            rows: list[Row] = await self.availability.run(
                operation, lambda: self._once(operation, None, write=False, auto=(cypher, params))
            )
            failed = False
            return rows
        finally:
            self.observer.transaction_finished(
                operation, time.perf_counter() - started, failed=failed
            )

    async def write_rows(self, operation: str, cypher: LiteralString, **params: Any) -> list[Row]:
        """One query in its own write transaction: one round trip."""

        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            return await self.query(tx, cypher, **params)

        return await self.write(operation, work)

    async def ping(self) -> None:
        """Raises `GraphUnavailable` unless the server answers a query now. No retries: a
        health check must answer at once."""
        try:
            await self._driver.verify_connectivity()
        except neo4j_errors.AuthError as error:
            raise GraphUnavailable(f"Neo4j refused the credentials: {error.message}") from error
        except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError) as error:
            raise GraphUnavailable(f"Neo4j is not reachable: {error}") from error

    async def database_status(self) -> str | None:
        """What Neo4j says of this database (`SHOW DATABASE`'s status and message, such as
        "online: No space left on device"), or None when it cannot tell. For health checks:
        no retries, every failure swallowed."""
        try:
            async with self._driver.session(database="system") as session:
                result = await session.run(
                    "SHOW DATABASE $name YIELD currentStatus, statusMessage", name=self.name
                )
                rows = await _rows(result)
        except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError):
            return None
        if not rows:
            return None
        status, message = rows[0]["currentStatus"], rows[0]["statusMessage"]
        return f"{status}: {message}" if message else str(status)

    async def server_version(self) -> str:
        rows = await self.read_rows(
            "server-version",
            "CALL dbms.components() YIELD name, versions "
            "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version",
        )
        return str(rows[0]["version"]) if rows else "unknown"

    async def close(self) -> None:
        await self._driver.close()

    async def _run(self, operation: str, work: Work[T], *, write: bool) -> T:
        started = time.perf_counter()
        failed = True
        try:
            outcome = await self._attempt(operation, work, write=write)
            failed = False
            return outcome
        finally:
            self.observer.transaction_finished(
                operation, time.perf_counter() - started, failed=failed
            )

    async def _attempt(self, operation: str, work: Work[T], *, write: bool) -> T:
        tagged = neo4j.unit_of_work(
            metadata={"app": "cmdb", "operation": operation}, timeout=self._timeout
        )(marked(work) if write else work)
        return await self.availability.run(
            operation, lambda: self._once(operation, tagged, write=write)
        )

    async def _once(
        self,
        operation: str,
        tagged: Work[T] | None,
        *,
        write: bool,
        auto: tuple[LiteralString, dict[str, Any]] | None = None,
    ) -> Any:
        """One attempt, the driver's retries off: the caller's loop retries. With `auto`, the
        one query (text, parameters) runs as an auto-commit transaction instead of `tagged`."""
        started = time.monotonic()
        try:
            async with self._driver.session(
                database=self.name,
                max_transaction_retry_time=_NO_RETRY,
                default_access_mode=neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS,
            ) as session:
                if auto is not None:
                    return await self._auto(session, operation, *auto)
                assert tagged is not None
                if write:
                    return await session.execute_write(tagged)
                return await session.execute_read(tagged)
        except GraphError:
            raise
        except neo4j_errors.ConstraintError as error:
            raise unique_key_taken(error.message or str(error)) from error
        except (
            neo4j_errors.ServiceUnavailable,
            neo4j_errors.SessionExpired,
            neo4j_errors.DatabaseUnavailable,
            OSError,
        ) as error:
            log.info("Neo4j unavailable during %s: %s", operation, error)
            raise Unreachable(f"Neo4j is not reachable: {error}") from error
        except neo4j_errors.AuthError as error:
            raise GraphUnavailable(f"Neo4j refused the credentials: {error.message}") from error
        except neo4j_errors.ConnectionPoolError as error:
            log.warning("no free Neo4j connection for %s: %s", operation, error)
            raise GraphUnavailable(f"every Neo4j connection is busy: {error}") from error
        except neo4j_errors.TransientError as error:
            if error.is_retryable():
                raise Transient(f"{error.code}: {error.message}") from error
            raise GraphError(f"{error.code}: {error.message}") from error
        except neo4j_errors.Neo4jError as error:
            code = error.code or ""
            failed = storage_failed(code, error.message or "")
            if failed is not None:
                log.error("Neo4j failed its storage during %s: %s", operation, error.message)
                raise failed from error
            if code.startswith(_TIMED_OUT) or (
                # Stopped while it waited for a lock: at its timeout, or by an operator before.
                code.endswith(_STOPPED)
                and self._timeout is not None
                and time.monotonic() - started >= self._timeout
            ):
                log.warning("Neo4j stopped %s at its timeout: %s", operation, error.message)
                raise QueryTimedOut(
                    f"Neo4j stopped the transaction after its timeout of {self._timeout} s",
                    self._timeout,
                ) from error
            raise GraphError(f"{error.code}: {error.message}") from error
        except neo4j_errors.DriverError as error:
            raise GraphUnavailable(f"Neo4j driver error: {error}") from error

    async def _auto(
        self,
        session: neo4j.AsyncSession,
        operation: str,
        cypher: LiteralString,
        params: dict[str, Any],
    ) -> list[Row]:
        self.round_trips += 1
        started = time.perf_counter()
        query = neo4j.Query(
            cypher, metadata={"app": "cmdb", "operation": operation}, timeout=self._timeout
        )
        rows = await _rows(await session.run(query, params))
        self.observer.query_finished(time.perf_counter() - started)
        return rows


async def _rows(result: neo4j.AsyncResult) -> list[Row]:
    """A result's records as plain dicts (see `Database.query`)."""
    keys: list[str] | None = None
    rows: list[Row] = []
    async for record in result:
        if keys is None:
            keys = list(record.keys())
        values = record.values()
        if any(isinstance(value, _GRAPH_VALUES) for value in values):
            rows.append(record.data())
        else:
            rows.append(dict(zip(keys, values, strict=True)))
    return rows


_TIMED_OUT = "Neo.ClientError.Transaction.TransactionTimedOut"
_STOPPED = (".Transaction.LockClientStopped", ".Transaction.Terminated")
# The driver retries while its elapsed time is not above this: below zero it never does.
_NO_RETRY = -1.0


def connect(
    uri: str,
    user: str,
    password: str,
    database: str,
    *,
    options: Mapping[str, Any] | None = None,
    transaction_timeout: float | None = None,
    unavailable_after: float = 2.0,
) -> Database:
    """Opens the driver (no I/O yet: the first query connects). `transaction_timeout`
    (seconds) bounds every transaction it runs; `unavailable_after` how long a call waits for
    a Neo4j that does not answer."""
    # Server notifications (hints such as "property key does not exist") are for development
    # sessions; in the product they only fill the log.
    settings: dict[str, Any] = {
        "notifications_min_severity": "OFF",
        # While Neo4j is away the API answers 503 within the bound instead of hanging.
        "connection_acquisition_timeout": 10.0,
        "connection_timeout": unavailable_after,
        **(options or {}),
    }
    driver = AsyncGraphDatabase.driver(uri, auth=(user, password), **settings)
    return Database(driver, database, transaction_timeout, Availability(unavailable_after))
