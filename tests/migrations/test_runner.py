from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graph import Database, MigrationLog
from graph.errors import MigrationError
from migrations import MIGRATIONS_DIR, load_migrations, migrate, status
from tests.schema_reset import drop_everything, restore


@pytest.fixture
async def fresh(db: Database) -> AsyncIterator[Database]:
    """A database with no schema and no migration history; restored afterwards."""
    await drop_everything(db)
    yield db
    await restore(db)


async def schema_names(db: Database) -> set[str]:
    constraints = await db.read_rows("t", "SHOW CONSTRAINTS YIELD name RETURN name")
    indexes = await db.read_rows("t", "SHOW INDEXES YIELD name RETURN name")
    return {row["name"] for row in constraints + indexes}


async def test_fresh_database_gets_every_migration_in_order(fresh: Database) -> None:
    applied = await migrate(fresh, "alice")

    files = load_migrations()
    assert [m.version for m in applied] == [m.version for m in files]
    assert len(files) >= 4
    names = await schema_names(fresh)
    assert {
        "ci_id_unique",
        "ci_name",
        "ci_class",
        "ci_status",
        "ci_environment",
        "ci_fulltext",
    } <= names
    assert {
        "incident_number_unique",
        "problem_number_unique",
        "change_number_unique",
        "release_number_unique",
    } <= names
    log = await MigrationLog(fresh).applied()
    assert [a.version for a in log] == [m.version for m in files]
    assert all(a.installed_by.startswith("alice") for a in log)
    assert [a.checksum for a in log] == [m.checksum for m in files]
    chain = await fresh.read_rows(
        "t",
        "MATCH p = (:__Neo4jMigration {version: 'BASELINE'})-[:MIGRATED_TO*]->(last) "
        "WHERE NOT (last)-[:MIGRATED_TO]->() RETURN [n IN nodes(p) | n.version] AS versions",
    )
    assert chain == [{"versions": ["BASELINE", *[m.version for m in files]]}]


async def test_running_again_applies_nothing(fresh: Database) -> None:
    await migrate(fresh, "alice")
    before = await MigrationLog(fresh).applied()

    again = await migrate(fresh, "bob")

    assert again == []
    assert await MigrationLog(fresh).applied() == before


async def test_changed_checksum_of_an_applied_file_is_refused(
    fresh: Database, tmp_path: Path
) -> None:
    for path in MIGRATIONS_DIR.glob("*.cypher"):
        shutil.copy(path, tmp_path / path.name)
    await migrate(fresh, "alice", tmp_path)
    first = sorted(tmp_path.glob("*.cypher"))[0]
    first.write_text(
        first.read_text() + "\nCREATE INDEX sneaky IF NOT EXISTS FOR (c:CI) ON (c.owner);\n"
    )

    with pytest.raises(MigrationError, match=r"V0001 .* was changed after it was applied"):
        await migrate(fresh, "alice", tmp_path)

    assert "sneaky" not in await schema_names(fresh)


async def test_new_file_is_applied_after_the_others(fresh: Database, tmp_path: Path) -> None:
    for path in MIGRATIONS_DIR.glob("*.cypher"):
        shutil.copy(path, tmp_path / path.name)
    await migrate(fresh, "alice", tmp_path)
    (tmp_path / "V9000__owner_index.cypher").write_text(
        "CREATE INDEX ci_owner_test IF NOT EXISTS FOR (c:CI) ON (c.owner);\n"
    )

    applied = await migrate(fresh, "alice", tmp_path)

    assert [m.version for m in applied] == ["9000"]
    assert "ci_owner_test" in await schema_names(fresh)
    rows = await status(fresh, tmp_path)
    assert all(row.applied for row in rows)


async def test_held_lock_stops_a_second_runner(fresh: Database) -> None:
    log = MigrationLog(fresh)
    await log.bootstrap()
    await log.acquire("carol on host-1")

    with pytest.raises(MigrationError, match="locked by carol on host-1"):
        await migrate(fresh, "dave")
    assert await log.applied() == []

    await log.break_lock()
    assert len(await migrate(fresh, "dave")) == len(load_migrations())


async def test_concurrent_runners_apply_each_migration_once(fresh: Database) -> None:
    outcomes = await asyncio.gather(
        *(migrate(fresh, f"runner-{i}") for i in range(3)), return_exceptions=True
    )

    successes = [o for o in outcomes if isinstance(o, list)]
    failures = [o for o in outcomes if not isinstance(o, list)]
    assert successes, outcomes
    assert all(isinstance(f, MigrationError) and "locked by" in str(f) for f in failures)
    assert sum(len(s) for s in successes) == len(load_migrations())
    counts = await fresh.read_rows(
        "t", "MATCH (m:__Neo4jMigration) WHERE m.version <> 'BASELINE' RETURN count(m) AS n"
    )
    assert counts == [{"n": len(load_migrations())}]
    assert await fresh.read_rows("t", "MATCH (l:__Neo4jMigrationLock) RETURN l") == []


async def test_badly_named_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "add_index.cypher").write_text("RETURN 1;")

    with pytest.raises(MigrationError, match=r"V0001__what_it_does\.cypher"):
        load_migrations(tmp_path)
