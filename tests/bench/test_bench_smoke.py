"""The benchmark runner at 1k against the test session's Neo4j, so that it cannot rot.

No timing is asserted: only that every question was asked and answered without errors (the
writes and the mixed load included), that the files are written, and that a missing peer or
floor library is reported, not skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from bench._peer import peer_server
from bench._questions import QUESTIONS
from bench._stack import ROOT, Neo4jTarget

MEMORY = "projection_memory"

if TYPE_CHECKING:
    from tests.conftest import TestServer


def test_runner_at_1k_measures_every_question_and_reports_the_peer_unavailable(
    server: TestServer, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_USER": server.user,
        "NEO4J_DATABASE": server.database,
    }
    command = [
        sys.executable, "bench/run.py", "--scale", "1k", "--neo4j-uri", server.uri, "--no-peer",
        "--requests", "3", "--warmup", "1", "--concurrency", "2", "--workers", "1",
        "--budget", "30", "--results-dir", str(tmp_path), "--work-dir", str(tmp_path / "work"),
        "--mixed-rate", "10", "--mixed-seconds", "4", "--mixed-write-rate", "2",
        "--mixed-import-rows", "20", "--mixed-import-every", "2",
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "peer: not available: disabled (--no-peer)" in done.stdout
    records = json.loads((tmp_path / "results.json").read_text())
    measured = [r for r in records if r["system"] == "product" and r["question"] != MEMORY]
    product = {r["question"]: r for r in measured}
    assert list(product) == [q.key for q in QUESTIONS]
    for record in measured:
        assert record["scale"] == "1k"
        assert record["requests"] >= 3 and record["errors"] == 0, record
        assert record["p50_ms"] <= record["p95_ms"] <= record["p99_ms"]
        if record["question"] != "mixed_load":
            assert record["one_client_p50_ms"] <= record["one_client_p99_ms"]
    variants = [r["variant"] for r in measured if r["question"] == "impact_after_write"]
    assert variants == ["static", "updateCI", "relateCIs+unrelateCIs"]
    mixed = product["mixed_load"]
    assert mixed["p99_ms"] <= mixed["p999_ms"] and mixed["rps"] > 0
    assert {k: v["errors"] for k, v in mixed["writes"].items()} == dict.fromkeys(
        ["updateCI", "relateCIs/unrelateCIs", "createIncident", "importCIs"], 0
    )
    assert all(v["requests"] > 0 for v in [*mixed["reads"].values(), *mixed["writes"].values()])
    [memory] = [r for r in records if r["question"] == MEMORY]
    assert len(memory["workers_rss_mb"]["ready"]) == 1
    assert memory["projection"]["cis"] >= 1000 and memory["projection"]["arrays_mb"] > 0
    peer = [r for r in records if r["system"] == "peer"]
    assert len(peer) == len(QUESTIONS)
    assert all(r["note"] == "not available: disabled (--no-peer)" for r in peer)
    assert all(r["p50_ms"] is None for r in peer)
    floor = {r["question"]: r for r in records if r["system"] == "floor"}
    assert set(floor) == {q.key for q in QUESTIONS if q.floor_depth is not None}
    results = (tmp_path / "RESULTS.md").read_text()
    assert "peer: not available: disabled (--no-peer)" in results
    assert "## The performance targets in this run" in results
    assert "- Import through the product's import path: " in results
    for question in QUESTIONS:
        assert f"### `{question.key}`" in results
    if find_spec("igraph") is not None:
        assert all(r["requests"] > 0 for r in floor.values())
        assert "DISAGREE" not in results
        assert results.count("product and floor agree on the CIs reached") == 4
    else:
        assert all(r["note"].startswith("not available: igraph") for r in floor.values())
    if find_spec("matplotlib") is not None:
        assert (tmp_path / "impact_latency.png").read_bytes().startswith(b"\x89PNG")
    else:
        assert "Not drawn: matplotlib is not installed" in results


def test_a_missing_peer_is_reported_with_its_reason(tmp_path: Path) -> None:
    target = Neo4jTarget("bolt://127.0.0.1:1", "neo4j", "unused", "neo4j")

    with peer_server(tmp_path / "peer", target, 1, tmp_path / "peer.log") as peer:
        assert peer.url is None
        assert peer.reason == f"{tmp_path / 'peer' / 'server.mjs'} does not exist"
