"""The schema migration runner: finds `V<version>__<what>.cypher` files and applies new ones.

Rules: versions apply in order; an applied file whose checksum changed stops the run (applied
files are never edited: add a new one); one runner at a time holds the lock.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

from graph import Database, MigrationLog
from graph.errors import MigrationError

__all__ = ["MIGRATIONS_DIR", "Migration", "MigrationStatus", "load_migrations", "migrate", "status"]

MIGRATIONS_DIR = Path(__file__).parent
FILE_NAME = re.compile(r"^V(\d{4})__([a-z0-9_]+)\.cypher$")


@dataclass(frozen=True)
class Migration:
    version: str
    description: str
    checksum: str
    statements: tuple[str, ...]
    path: Path


@dataclass(frozen=True)
class MigrationStatus:
    migration: Migration
    applied: bool
    installed_at: str | None = None
    installed_by: str | None = None


def _statements(text: str) -> tuple[str, ...]:
    """Splits a file into statements: each ends with ';' at the end of a line. `//` comment
    lines are dropped."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    body = "\n".join(lines)
    parts = re.split(r";[ \t]*(?:\n|$)", body)
    return tuple(part.strip() for part in parts if part.strip())


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file in `directory`, ordered by version."""
    found: list[Migration] = []
    for path in sorted(directory.glob("*.cypher")):
        match = FILE_NAME.match(path.name)
        if match is None:
            raise MigrationError(
                f"{path.name}: migration files are named V0001__what_it_does.cypher"
            )
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        found.append(
            Migration(
                version=match.group(1),
                description=match.group(2).replace("_", " "),
                checksum=hashlib.sha256(text.encode()).hexdigest(),
                statements=_statements(text),
                path=path,
            )
        )
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migration files share a version in {directory}")
    return found


async def status(db: Database, directory: Path = MIGRATIONS_DIR) -> list[MigrationStatus]:
    """Each migration file with whether it is applied. One round trip; writes nothing."""
    log = MigrationLog(db)
    applied = {a.version: a for a in await log.applied()}
    return [
        MigrationStatus(
            m,
            m.version in applied,
            str(applied[m.version].installed_at) if m.version in applied else None,
            applied[m.version].installed_by if m.version in applied else None,
        )
        for m in load_migrations(directory)
    ]


async def migrate(db: Database, actor: str, directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Applies the migrations not yet applied, in order, under the lock; returns them.
    Raises `MigrationError` when an applied file changed or another runner holds the lock."""
    migrations = load_migrations(directory)
    log = MigrationLog(db)
    await log.bootstrap()
    owner = f"{actor} on {socket.gethostname()} (pid {os.getpid()}, run {uuid.uuid4().hex[:8]})"
    await log.acquire(owner)
    try:
        applied = {a.version: a for a in await log.applied()}
        for migration in migrations:
            recorded = applied.get(migration.version)
            if recorded is not None and recorded.checksum != migration.checksum:
                raise MigrationError(
                    f"V{migration.version} ({migration.path.name}) was changed after it was "
                    f"applied (checksum {recorded.checksum[:12]} in the graph, "
                    f"{migration.checksum[:12]} on disk). Applied migrations are never edited: "
                    "restore the file and add a new migration."
                )
        unknown = sorted(set(applied) - {m.version for m in migrations})
        if unknown:
            raise MigrationError(
                f"the graph has migrations this code does not know: {', '.join(unknown)}"
            )
        pending = [m for m in migrations if m.version not in applied]
        if pending and applied and pending[0].version < max(applied):
            raise MigrationError(
                f"V{pending[0].version} is older than V{max(applied)}, which is applied "
                "already; give the new migration a higher version"
            )
        for migration in pending:
            await log.apply(
                migration.version,
                migration.description,
                migration.checksum,
                list(migration.statements),
                actor,
            )
        return pending
    finally:
        await log.release(owner)
