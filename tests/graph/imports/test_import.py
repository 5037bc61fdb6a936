"""The import repository and its pure parts: batches, progress, merging a row into a CI."""

from __future__ import annotations

from graph import Database, HistoryRepository
from graph.domain import NewCI
from graph.imports import (
    ImportCI,
    ImportRepository,
    ImportRequest,
    ImportSection,
    SourcePrecedence,
    parse_precedence,
)
from graph.imports._identify import IDENTIFICATION_RULES
from graph.imports._merge import merge_ci, merge_external_ids
from graph.imports._plan import PlannedCI

SEP = "\x1f"


def rows(count: int) -> list[ImportCI]:
    return [ImportCI(NewCI(f"vm-{i}", "VIRTUAL_MACHINE"), f"vm-{i}") for i in range(count)]


async def test_each_batch_is_written_in_its_own_transaction_with_progress(db: Database) -> None:
    repository = ImportRepository(db, HistoryRepository(db), batch_size=2, ci_batches_in_flight=1)
    reported: list[tuple[ImportSection, int, int]] = []

    result = await repository.run(
        ImportRequest("hypervisor", rows(5)),
        "pytest",
        lambda section, done, total: reported.append((section, done, total)),
    )

    assert (result.created, result.failed, result.refused) == (5, 0, False)
    assert reported == [
        (ImportSection.CIS, 2, 5),
        (ImportSection.CIS, 4, 5),
        (ImportSection.CIS, 5, 5),
    ]
    stamps = await db.read_rows("t", "MATCH (c:CI) RETURN count(DISTINCT c.createdAt) AS n")
    assert stamps == [{"n": 3}]


async def test_ci_batches_in_flight_together_stay_whole_and_report_progress_in_order(
    db: Database,
) -> None:
    repository = ImportRepository(db, HistoryRepository(db), batch_size=2)
    reported: list[int] = []

    result = await repository.run(
        ImportRequest("hypervisor", rows(7)),
        "pytest",
        lambda section, done, total: reported.append(done),
    )

    assert (result.created, repository.ci_batches_in_flight) == (7, 2)
    assert reported == [2, 4, 6, 7]
    batches = await db.read_rows(
        "t",
        "MATCH (c:CI) WITH c.createdAt AS at, collect(c.name) AS names "
        "MATCH (e:AuditEvent)<-[:HAS_EVENT]-(c:CI) WHERE c.name IN names "
        "WITH names, at, collect(DISTINCT e.at) AS event_stamps "
        "RETURN names, event_stamps = [at] AS events_in_the_same_transaction",
    )
    # Batches that ran side by side may share a millisecond, so a stamp can hold two batches,
    # but never part of one: a batch and its events commit together.
    written = sorted(name for batch in batches for name in batch["names"])
    assert written == sorted(f"vm-{i}" for i in range(7))
    for batch in batches:
        assert batch["events_in_the_same_transaction"]
        indexes = {int(name.split("-")[1]) // 2 for name in batch["names"]}
        assert sum(2 if i < 3 else 1 for i in indexes) == len(batch["names"])


async def test_a_refused_import_reads_the_graph_but_writes_nothing(db: Database) -> None:
    repository = ImportRepository(db, HistoryRepository(db))
    bad = [*rows(3), ImportCI(NewCI("x", "NOT_A_CLASS"), "x")]

    result = await repository.run(ImportRequest("hypervisor", bad), "pytest")

    assert (result.created, result.failed, result.refused) == (0, 1, True)
    assert [(e.section, e.index, e.field, e.path) for e in result.errors] == [
        (ImportSection.CIS, 3, "class", "cis[3].class")
    ]
    assert await db.read_rows("t", "MATCH (n) WHERE n:CI OR n:AuditEvent RETURN n") == []


def test_the_identification_rules_apply_in_the_documented_order() -> None:
    assert [rule.name for rule in IDENTIFICATION_RULES] == [
        "externalId",
        "id",
        "serialNumber",
        "fqdn",
        "hostname",
    ]


def test_a_reported_id_replaces_the_sources_other_id_and_keeps_the_rest_in_place() -> None:
    current = [f"a{SEP}1", f"b{SEP}2", f"a{SEP}3"]

    assert merge_external_ids(current, [f"a{SEP}3"]) == [f"b{SEP}2", f"a{SEP}3"]
    assert merge_external_ids(current, [f"c{SEP}4"]) == [*current, f"c{SEP}4"]
    assert merge_external_ids([f"b{SEP}2"], [f"b{SEP}2"]) == [f"b{SEP}2"]


def planned(**properties: object) -> PlannedCI:
    values = {"name": "srv", "class": "Server", **properties}
    given = tuple(key for key in values if key != "class")
    return PlannedCI(0, "id-1", "Server", "srv", True, values, given, (f"disco{SEP}d1",))


def test_merging_a_row_changes_only_what_precedence_allows() -> None:
    stored = {
        "name": "srv",
        "owner": "Ann",
        "src.owner": "servicenow",
        "hostname": "srv",
        "externalIds": [f"disco{SEP}d1"],
    }
    precedence = parse_precedence("servicenow,disco")

    changes = merge_ci(
        planned(owner="Bob", hostname="srv", fqdn="srv.x"), stored, "disco", precedence
    )

    # owner: servicenow ranks higher; hostname: same value, disco outranks no recorded source;
    # name: same value, claimed the same way; fqdn: new.
    assert changes == {
        "src.name": "disco",
        "src.hostname": "disco",
        "fqdn": "srv.x",
        "src.fqdn": "disco",
    }


def test_merging_the_same_row_from_an_unranked_source_changes_nothing() -> None:
    stored = {"name": "srv", "owner": "Ann", "externalIds": [f"disco{SEP}d1"]}

    assert merge_ci(planned(owner="Ann"), stored, "disco", SourcePrecedence()) == {}
