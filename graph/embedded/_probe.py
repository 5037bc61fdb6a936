"""Whether the embedded DBMS's database has panicked: a Neo4j whose disk failed a write stops
answering every transaction ("needs to be restarted") while its process, and Bolt, stay up, so
the supervisor cannot tell by the process alone. The probe asks it a trivial question."""

from __future__ import annotations

import logging

import neo4j
from neo4j import exceptions as neo4j_errors

from graph._neo4j_errors import storage_failed

__all__ = ["PanicProbe"]

log = logging.getLogger("cmdb.neo4j")


class PanicProbe:
    """Asks `RETURN 1` of `database` at `uri`. One driver, kept between probes (`close` ends
    it); any failure to reach the server is no panic (it may be starting, or paused)."""

    def __init__(self, uri: str, password: str, database: str = "neo4j") -> None:
        self._uri = uri
        self._password = password
        self._database = database
        self._driver: neo4j.Driver | None = None

    def panicked(self) -> str | None:
        """Why the database must be restarted (its own words where it says), or None."""
        try:
            with self._session(self._database) as session:
                session.run("RETURN 1").consume()
        except neo4j_errors.Neo4jError as error:
            failed = storage_failed(error.code or "", error.message or "")
            return None if failed is None else f"{failed} ({self._status()})"
        except (neo4j_errors.DriverError, OSError) as error:
            log.debug("panic probe could not reach Neo4j: %s", error)
        return None

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def _session(self, database: str) -> neo4j.Session:
        if self._driver is None:
            self._driver = neo4j.GraphDatabase.driver(
                self._uri,
                auth=("neo4j", self._password),
                connection_timeout=2.0,
                connection_acquisition_timeout=5.0,
                max_transaction_retry_time=0.0,
                notifications_min_severity="OFF",
            )
        return self._driver.session(database=database)

    def _status(self) -> str:
        """The database's status message (such as "No space left on device")."""
        try:
            with self._session("system") as session:
                record = session.run(
                    "SHOW DATABASE $name YIELD statusMessage", name=self._database
                ).single()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            return "Neo4j gives no reason"
        message = record["statusMessage"] if record is not None else None
        return f"Neo4j says: {message}" if message else "Neo4j gives no reason"
