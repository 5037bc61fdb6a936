"""The benchmark's generator: an enterprise-shaped CMDB that the product's import accepts."""

from __future__ import annotations

import json
from collections import Counter, defaultdict, deque
from pathlib import Path

from bench.generate import generate, parse_scale, write


def _closure(adjacent: dict[str, list[str]], start: str) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in adjacent[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen - {start}


def test_scales_are_named_and_numbers_are_accepted() -> None:
    assert [parse_scale(s) for s in ("1k", "10K", "100k", "1m")] == [
        1_000,
        10_000,
        100_000,
        1_000_000,
    ]
    assert parse_scale("2500") == 2500


def test_the_same_seed_gives_the_same_cmdb_and_another_seed_another() -> None:
    first, again, other = generate(1000, 7), generate(1000, 7), generate(1000, 8)
    assert (first.cis, first.relationships) == (again.cis, again.relationships)
    assert first.relationships != other.relationships


def test_a_1k_cmdb_has_the_shape_of_an_enterprise() -> None:
    cmdb = generate(1000, 7)
    assert len(cmdb.cis) == 1000
    assert 3.5 <= len(cmdb.relationships) / len(cmdb.cis) <= 4.5
    assert len({c["externalId"] for c in cmdb.cis}) == 1000
    dependents: dict[str, list[str]] = defaultdict(list)
    dependencies: dict[str, list[str]] = defaultdict(list)
    for row in cmdb.relationships:
        dependents[row["to"]].append(row["from"])
        dependencies[row["from"]].append(row["to"])
    starts = cmdb.starts
    classes = {c["externalId"]: c["class"] for c in cmdb.cis}
    assert classes[starts["leaf"]] == "BUSINESS_SERVICE"
    assert not dependents[starts["leaf"]]
    assert len(_closure(dependencies, starts["leaf"])) > 100
    databases = [ci for ci, kind in classes.items() if kind == "DATABASE"]
    assert max(databases, key=lambda db: len(dependents[db])) == starts["shared_database"]
    assert classes[starts["network_core"]] == "NETWORK_DEVICE"
    assert len(_closure(dependents, starts["network_core"])) >= 950
    assert classes[starts["outage_host"]] == "SERVER"
    assert classes[starts["spof_service"]] == "BUSINESS_SERVICE"
    pools = [c["minOperational"] for c in cmdb.cis if "minOperational" in c]
    assert pools and all(needed >= 1 for pool in pools for needed in pool.values())
    calls: dict[str, set[str]] = defaultdict(set)
    for row in cmdb.relationships:
        if row["type"] == "DEPENDS_ON":
            calls[row["from"]].add(row["to"])
    assert any(a in calls[c] for a in list(calls) for b in calls[a] for c in calls[b]), (
        "a dependency cycle a -> b -> c -> a exists"
    )


def test_the_files_are_the_import_format_with_a_manifest_of_start_cis(tmp_path: Path) -> None:
    cmdb = generate(1000, 7)
    data, manifest = write(cmdb, tmp_path, "1k", 7)
    document = json.loads(data.read_text())
    assert set(document) == {"source", "cis", "relationships"}
    described = json.loads(manifest.read_text())
    assert described["data"] == data.name
    assert described["starts"] == cmdb.starts
    assert set(described["starts"]) == {
        "leaf",
        "shared_database",
        "network_core",
        "outage_host",
        "spof_service",
    }
    assert described["relationshipTypes"] == dict(
        sorted(Counter(r["type"] for r in document["relationships"]).items())
    )
