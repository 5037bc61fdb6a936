"""The release repository against the real Neo4j: what it stores, the union of its changes'
impact, the membership rules, the deployment gate, and the round trips of a page."""

from __future__ import annotations

import asyncio

import pytest

from graph import Conflict, Database, InvalidInput, NotFound
from graph.domain import ReleaseState, ReleaseType, State
from graph.releases import NewRelease, ReleaseFilter
from tests.graph.releases.helpers import START, add_change, add_ci, repository, set_state


def new(*numbers: str, **fields: object) -> NewRelease:
    values: dict[str, object] = {
        "name": "Spring",
        "version": "1.0",
        "release_type": ReleaseType.MINOR,
    }
    return NewRelease(**{**values, "change_numbers": numbers, **fields})  # type: ignore[arg-type]


async def test_a_new_release_plans_its_changes_and_deploys_their_targets(db: Database) -> None:
    releases = repository(db)
    await add_ci(db, "db-1")
    await add_ci(db, "vm-1")
    await add_change(db, "CHG0001001", ("db-1",))
    await add_change(db, "CHG0001002", ("vm-1", "db-1"))

    release = await releases.create(new("chg0001002 ", "CHG0001001"), "alice")

    assert release.number == "REL0001001"
    assert release.state is ReleaseState.PLANNING
    assert release.change_numbers == ("CHG0001001", "CHG0001002")
    assert release.deployed_ci_ids == ("db-1", "vm-1") and not release.deployed_cis_given
    assert (release.created_at, release.created_by, release.revision) == (START, "alice", 1)
    [created] = release.transitions
    assert (created.from_state, created.to_state, created.actor) == (
        None,
        ReleaseState.PLANNING,
        "alice",
    )


async def test_the_impact_of_a_release_is_the_union_of_its_changes_worst_state_first(
    db: Database,
) -> None:
    releases = repository(db)
    for ci in ("db-1", "vm-1", "x-1"):
        await add_ci(db, ci)
    await add_ci(db, "shop", "BusinessService", criticality=1)
    await add_ci(db, "blog", "BusinessService", criticality=3)
    await add_change(
        db,
        "CHG0001001",
        ("db-1",),
        impacts=(("shop", "DEGRADED", "pool"), ("blog", "DOWN", "db")),
        impacted_ci_ids=("db-1", "x-1", "shop", "blog"),
    )
    await add_change(
        db,
        "CHG0001002",
        ("vm-1",),
        impacts=(("shop", "DOWN", "vm"),),
        impacted_ci_ids=("vm-1", "x-1", "shop"),
    )

    release = await releases.create(new("CHG0001001", "CHG0001002"), "alice")

    shop, blog = release.impacted_services
    assert (shop.service_id, shop.state, shop.reason) == ("shop", State.DOWN, "vm")
    assert shop.change_numbers == ("CHG0001001", "CHG0001002")
    assert (blog.service_id, blog.state, blog.change_numbers) == (
        "blog",
        State.DOWN,
        ("CHG0001001",),
    )
    assert release.impacted_ci_count == 5


async def test_a_change_belongs_to_one_release_and_finished_or_dead_changes_are_refused(
    db: Database,
) -> None:
    releases = repository(db)
    await add_change(db, "CHG0001001")
    await add_change(db, "CHG0001002", state="CANCELLED")
    first = await releases.create(new("CHG0001001"), "alice")

    with pytest.raises(Conflict) as taken:
        await releases.create(new("CHG0001001"), "bob")
    with pytest.raises(InvalidInput) as cancelled:
        await releases.add_changes(first.number, ["CHG0001002"], "bob")
    with pytest.raises(NotFound) as missing:
        await releases.add_changes(first.number, ["CHG0001009"], "bob")

    assert taken.value.field == "changeNumbers[0]"
    assert "already in REL0001001 (Spring)" in taken.value.message
    assert cancelled.value.errors[0].field == "changeNumbers[0]"
    assert "CANCELLED" in cancelled.value.errors[0].message
    assert missing.value.field == "changeNumbers[0]"
    assert (await releases.get("REL0001002")) is None


async def test_deploy_waits_for_every_change_to_be_authorised(db: Database) -> None:
    releases = repository(db)
    await add_change(db, "CHG0001001", state="AUTHORIZE")
    await add_change(db, "CHG0001002")
    release = await releases.create(new("CHG0001001", "CHG0001002"), "alice")
    for to in (ReleaseState.BUILD, ReleaseState.TEST):
        await releases.transition(release.number, to, "alice")

    with pytest.raises(InvalidInput) as refused:
        await releases.transition(release.number, ReleaseState.DEPLOY, "alice")
    await set_state(db, "CHG0001001", "SCHEDULED")
    deployed = await releases.transition(release.number, ReleaseState.DEPLOY, "alice", "go")

    assert "CHG0001001 (AUTHORIZE)" in refused.value.errors[0].message
    assert "CHG0001002" not in refused.value.errors[0].message
    assert deployed.state is ReleaseState.DEPLOY and deployed.deployed_at == START


async def test_two_releases_claiming_one_change_at_once_leave_one_winner(db: Database) -> None:
    releases = repository(db)
    await add_change(db, "CHG0001001")
    one = await releases.create(new(), "alice")
    two = await releases.create(new(), "bob")

    results = await asyncio.gather(
        *(releases.add_changes(r.number, ["CHG0001001"], "x") for r in (one, two)),
        return_exceptions=True,
    )

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Release"]
    holders = [
        r for r in await releases.get_many_by_number([one.number, two.number]) if r and r.changes
    ]
    assert len(holders) == 1


async def test_a_page_of_releases_is_one_round_trip(db: Database) -> None:
    releases = repository(db)
    await add_ci(db, "db-1")
    for n in range(3):
        await add_change(db, f"CHG000100{n}", ("db-1",))
        await releases.create(
            new(f"CHG000100{n}", release_type=ReleaseType.MAJOR if n else ReleaseType.MINOR), "a"
        )

    before = db.round_trips
    page = await releases.page(2, release_filter=ReleaseFilter(types=(ReleaseType.MAJOR,)))
    after = await releases.page(2, after=page.items[-1].number)

    assert db.round_trips - before == 2
    assert [r.number for r in page.items] == ["REL0001003", "REL0001002"] and not page.has_next
    assert [r.number for r in after.items] == ["REL0001001"]
