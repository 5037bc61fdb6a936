"""Test-only: take the session's database back to nothing, schema included."""

from __future__ import annotations

from typing import LiteralString, cast

from graph import Database
from migrations import migrate


async def drop_everything(db: Database) -> None:
    await db.write_rows("test.dropData", "MATCH (n) DETACH DELETE n")
    for row in await db.read_rows("test.constraints", "SHOW CONSTRAINTS YIELD name RETURN name"):
        # Names come from the server's own catalogue; backticks quote them.
        await db.write_rows("test.drop", cast(LiteralString, f"DROP CONSTRAINT `{row['name']}`"))
    indexes = await db.read_rows(
        "test.indexes", "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"
    )
    for row in indexes:
        await db.write_rows("test.drop", cast(LiteralString, f"DROP INDEX `{row['name']}`"))


async def restore(db: Database) -> None:
    await drop_everything(db)
    await migrate(db, "pytest")
