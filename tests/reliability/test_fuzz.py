"""The fuzzing's smoke version (the full one is `make reliability`): a few hundred seeded
requests, valid and invalid, as each role, against a live server on the demo data."""

from __future__ import annotations

from api import Settings
from graph import Database
from tests.conftest import bearer
from tests.live import live_server
from tests.reliability.fuzz import ROLES, fuzz
from tests.ui.browser import load_demo

OPERATIONS = 180
SEED = 15


async def test_fuzzed_requests_of_every_role_get_no_fault_keep_the_spec_and_write_when_accepted(
    settings: Settings, db: Database
) -> None:
    await load_demo(db, settings)
    headers = {role: bearer(f"fuzz-{role}", [role]) for role in ROLES}
    async with live_server(settings, db) as live:
        figures = await fuzz(f"http://{live.address}", db, headers, OPERATIONS, SEED)
    assert figures.failures == []
    for role, counted in figures.roles.items():
        assert counted.tried == OPERATIONS // len(ROLES), (role, counted)
        assert counted.valid > 0 and counted.invalid > 0, (role, counted)
        assert counted.accepted > 0 and counted.rejected > 0, (role, counted)
