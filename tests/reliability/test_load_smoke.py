"""The smoke version of `make reliability` (docs/reliability.md): `cmdb serve --migrate
--seed-demo` with an embedded Neo4j of its own, 8 clients for 15 s at a constant arrival rate,
and one SIGKILL to that Neo4j mid-run (the supervisor restarts it). Every acknowledged write is
there exactly once, no write is there twice, and the API answers again."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import AUTH_ENV
from tests.reliability import load_ops as ops
from tests.reliability.faults import FaultReport, neo4j_kill
from tests.reliability.load import run_load
from tests.reliability.load_plan import LoadPlan
from tests.reliability.load_prepare import prepare
from tests.reliability.load_verify import consistency, verify
from tests.reliability.run_server import Served

GUARD = 300.0
"""Seconds writes of unknown outcome are retried after the load: a hang guard for a restart on
a busy machine, not a timed assertion (the test ends as soon as every outcome is known)."""
OUTAGE_CODES = ("SERVICE_UNAVAILABLE", "IDEMPOTENCY_KEY_IN_USE", "TRANSPORT_")
"""What a client may meet while Neo4j is gone: 503 (never a plain 500), a key whose request
is still running, a connection cut or timed out."""


async def test_a_neo4j_kill_under_load_loses_no_acknowledged_write_and_doubles_none(
    tmp_path: Path,
) -> None:
    served = Served(
        tmp_path / "logs", tmp_path / "data", heap="512m", page_cache="64m", extra_env=AUTH_ENV
    )
    try:
        await served.start(seed_demo=True)
        # An API token, as operators hand out: its lookup needs Neo4j too.
        headers = {"authorization": f"Bearer {await served.token('smoke')}"}
        subjects = await prepare(served.base_url, headers, "smoke", pairs=8)
        plan = LoadPlan(rate=16, seconds=15, clients=8, timeout=10, settle_seconds=GUARD)
        result = await run_load(
            served.base_url,
            headers,
            subjects,
            plan,
            "smoke",
            beside=neo4j_kill(served, 5.0, headers, "smoke"),
            api_pid=served.api_pid,
        )
        await served.until_ready(GUARD)
        async with httpx.AsyncClient(base_url=served.base_url, timeout=30) as http:
            answer = await http.post("/graphql", json=ops.body(ops.CI_PAGE), headers=headers)
        db = served.database()
        try:
            verdict = await verify(db, "smoke", subjects, result.writes)
            store = await consistency(db)
        finally:
            await db.close()
    finally:
        await served.stop()

    fault = result.side
    assert isinstance(fault, FaultReport) and fault.lifted is not None, fault
    assert verdict.lost == 0, verdict.by_kind
    assert verdict.doubled == 0, verdict.by_kind
    assert verdict.mismatched_states == 0
    assert verdict.total("acked") > 0, verdict.by_kind
    failures = {c for c in result.codes() if c != "OK" and not c.startswith("REFUSED_")}
    assert all(c.startswith(OUTAGE_CODES) for c in failures), result.codes()
    assert answer.status_code == 200 and answer.json()["data"]["cis"]["totalCount"] > 0
    assert store["duplicated_incident_numbers"] == 0 and store["duplicated_ci_ids"] == 0
