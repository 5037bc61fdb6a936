"""Where applied schema migrations are recorded, and the lock that serialises runners.

Modelled on neo4j-migrations: one `__Neo4jMigration` node per applied version, chained by
`MIGRATED_TO` from a `BASELINE` node, each with its description, checksum, time and author.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from neo4j import AsyncManagedTransaction

from graph._database import Database, Row
from graph.errors import Conflict, MigrationError

__all__ = ["AppliedMigration", "MigrationLog"]

BOOTSTRAP = (
    "CREATE CONSTRAINT cmdb_migration_version IF NOT EXISTS "
    "FOR (m:__Neo4jMigration) REQUIRE m.version IS UNIQUE",
    "CREATE CONSTRAINT cmdb_migration_lock IF NOT EXISTS "
    "FOR (l:__Neo4jMigrationLock) REQUIRE l.name IS UNIQUE",
)

APPLIED = """
MATCH (m:__Neo4jMigration) WHERE m.version <> 'BASELINE'
RETURN m.version AS version, m.description AS description, m.checksum AS checksum,
       m.installedAt AS installedAt, m.installedBy AS installedBy,
       m.executionTimeMs AS executionTimeMs
ORDER BY m.version
"""

RECORD = """
MERGE (base:__Neo4jMigration {version: 'BASELINE'})
WITH base
OPTIONAL MATCH (base)-[:MIGRATED_TO*]->(last:__Neo4jMigration)
WHERE NOT (last)-[:MIGRATED_TO]->()
WITH coalesce(last, base) AS previous
MERGE (m:__Neo4jMigration {version: $version})
ON CREATE SET m.description = $description, m.checksum = $checksum,
    m.installedAt = datetime(), m.installedBy = $actor, m.executionTimeMs = $ms
MERGE (previous)-[:MIGRATED_TO]->(m)
"""

ACQUIRE_LOCK = """
CREATE (:__Neo4jMigrationLock {name: 'cmdb', owner: $owner, since: datetime()})
"""

LOCK_HOLDER = """
MATCH (l:__Neo4jMigrationLock {name: 'cmdb'}) RETURN l.owner AS owner, l.since AS since
"""

RELEASE_LOCK = "MATCH (l:__Neo4jMigrationLock {name: 'cmdb', owner: $owner}) DELETE l"

BREAK_LOCK = "MATCH (l:__Neo4jMigrationLock {name: 'cmdb'}) DELETE l"


@dataclass(frozen=True)
class AppliedMigration:
    version: str
    description: str
    checksum: str
    installed_at: datetime
    installed_by: str
    execution_time_ms: int


class MigrationLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def bootstrap(self) -> None:
        """Creates the log's own constraints (idempotent)."""
        for statement in BOOTSTRAP:
            await self._db.write_rows("migrations.bootstrap", statement)

    async def applied(self) -> list[AppliedMigration]:
        """The applied migrations, oldest first. One round trip."""
        rows = await self._db.read_rows("migrations.applied", APPLIED)
        return [
            AppliedMigration(
                version=row["version"],
                description=row["description"],
                checksum=row["checksum"],
                installed_at=row["installedAt"].to_native(),
                installed_by=row["installedBy"],
                execution_time_ms=int(row["executionTimeMs"]),
            )
            for row in rows
        ]

    async def acquire(self, owner: str) -> None:
        """Takes the runners' lock or raises `MigrationError` naming who holds it."""
        try:
            await self._db.write_rows("migrations.lock", ACQUIRE_LOCK, owner=owner)
        except Conflict as error:
            rows = await self._db.read_rows("migrations.lockHolder", LOCK_HOLDER)
            holder = f"{rows[0]['owner']} since {rows[0]['since']}" if rows else "another runner"
            raise MigrationError(
                f"Migrations are locked by {holder}. If no runner is active, "
                "break the lock with `cmdb migrate --unlock`."
            ) from error

    async def release(self, owner: str) -> None:
        await self._db.write_rows("migrations.unlock", RELEASE_LOCK, owner=owner)

    async def break_lock(self) -> None:
        await self._db.write_rows("migrations.breakLock", BREAK_LOCK)

    async def apply(
        self,
        version: str,
        description: str,
        checksum: str,
        statements: list[str],
        actor: str,
    ) -> None:
        """Runs one migration's statements in one transaction, then records it in a second
        (Neo4j refuses schema and data writes in one transaction). Statements are idempotent,
        so a crash between the two is mended by running again."""
        started = time.monotonic()

        async def run_statements(tx: AsyncManagedTransaction) -> list[Row]:
            for statement in statements:
                # Migration files are the product's own, reviewed text, not user input.
                await self._db.query(tx, statement)
            return []

        try:
            await self._db.write(f"migration {version}", run_statements)
        except Exception as error:
            raise MigrationError(f"Migration {version} ({description}) failed: {error}") from error
        elapsed = int((time.monotonic() - started) * 1000)
        await self._db.write_rows(
            "migrations.record",
            RECORD,
            version=version,
            description=description,
            checksum=checksum,
            actor=actor,
            ms=elapsed,
        )
