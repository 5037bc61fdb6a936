"""Nothing lost, nothing doubled: after a load, each write of the ledger is looked for in Neo4j
by its marker (read-only Cypher through the graph layer). An acknowledged write must be there
exactly once; a write whose outcome the client never learned at most once; a refused one not
at all. Then the store's own consistency: unique incident numbers and CI ids, the constraints
still in place."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from graph import Database
from tests.reliability import load_ops as ops
from tests.reliability.load_writes import ACKED, REFUSED, UNKNOWN, Write

__all__ = ["Verdict", "consistency", "verify"]

INCIDENTS = """
MATCH (i:Incident) WHERE i.description STARTS WITH $prefix
RETURN i.description AS marker, i.number AS number, i.state AS state
"""
TRANSITIONS = """
MATCH (i:Incident)-[:HAS_TRANSITION]->(t:Transition) WHERE t.note STARTS WITH $prefix
RETURN t.note AS marker, count(*) AS n
"""
IMPORTED = """
MATCH (c:CI) WHERE c.name STARTS WITH $prefix RETURN c.name AS marker, count(*) AS n
"""
EDGES = """
UNWIND range(0, size($pairs) - 1) AS pair
MATCH (a:CI {id: $pairs[pair][0]})
OPTIONAL MATCH (a)-[r:DEPENDS_ON]->(:CI {id: $pairs[pair][1]})
RETURN pair, count(r) AS total, count(CASE WHEN r.validTo IS NULL THEN 1 END) AS current
"""
DUPLICATED_NUMBERS = """
MATCH (i:Incident) WITH i.number AS number, count(*) AS n WHERE n > 1 RETURN count(*) AS n
"""
DUPLICATED_CI_IDS = """
MATCH (c:CI) WITH c.id AS id, count(*) AS n WHERE n > 1 RETURN count(*) AS n
"""
CONSTRAINTS = "SHOW CONSTRAINTS YIELD name RETURN count(*) AS n"


@dataclass
class Verdict:
    """Counts by kind of write: acked, refused, unknown, lost, doubled, and `applied_unknown`
    (writes of unknown outcome found applied once: the client gave up too early)."""

    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    mismatched_states: int = 0
    """Incidents whose state is not the one their last acknowledged transition gave."""

    def count(self, kind: str, what: str, n: int = 1) -> None:
        self.by_kind.setdefault(kind, Counter())[what] += n

    def total(self, what: str) -> int:
        return sum(c[what] for c in self.by_kind.values())

    @property
    def lost(self) -> int:
        return self.total("lost")

    @property
    def doubled(self) -> int:
        return self.total("doubled")


def _judge(verdict: Verdict, write: Write, present: int) -> None:
    verdict.count(write.kind, write.outcome.lower())
    if write.outcome == ACKED and present == 0:
        verdict.count(write.kind, "lost")
    if write.outcome == REFUSED and present > 0:
        verdict.count(write.kind, "refused_but_present")
    if write.outcome == UNKNOWN and present == 1:
        verdict.count(write.kind, "applied_unknown")
    if present > 1:
        verdict.count(write.kind, "doubled", present - 1)


async def _counts(db: Database, cypher: str, prefix: str) -> Counter[str]:
    rows = await db.read_rows("reliability.verify", cypher, prefix=prefix)
    counts: Counter[str] = Counter()
    for row in rows:
        counts[row["marker"]] += int(row.get("n", 1))
    return counts


def _pairs(verdict: Verdict, writes: list[Write], edges: dict[int, dict[str, Any]]) -> None:
    """Per pair: one edge per acknowledged relate that created one, at most one current
    edge, and the current state the last acknowledged write of the pair left."""
    by_pair: dict[int, list[Write]] = {}
    for write in writes:
        if write.kind in ("relate", "unrelate"):
            assert isinstance(write.subject, int)
            by_pair.setdefault(write.subject, []).append(write)
            verdict.count(write.kind, write.outcome.lower())
    for pair, done in by_pair.items():
        total, current = edges[pair]["total"], edges[pair]["current"]
        created = sum(
            1
            for w in done
            if w.kind == "relate" and w.outcome == ACKED and w.data["relateCIs"]["created"]
        )
        unknown = sum(1 for w in done if w.kind == "relate" and w.outcome == UNKNOWN)
        if total < created:
            verdict.count("relate", "lost", created - total)
        if total > created + unknown:
            verdict.count("relate", "doubled", total - created - unknown)
        if current > 1:
            verdict.count("relate", "doubled", current - 1)
        last = done[-1]
        if last.outcome == ACKED and current != (1 if last.kind == "relate" else 0):
            verdict.count(last.kind, "lost")


async def verify(db: Database, run: str, subjects: ops.Subjects, writes: list[Write]) -> Verdict:
    """Looks for every write of the run (four round trips) and judges each."""
    verdict = Verdict()
    incidents = await db.read_rows("reliability.verify", INCIDENTS, prefix=f"{run}-incident-")
    found = Counter(row["marker"] for row in incidents)
    transitions = await _counts(db, TRANSITIONS, f"{run}-transition-")
    imported = await _counts(db, IMPORTED, f"{run}-import-")
    rows = await db.read_rows(
        "reliability.verify", EDGES, pairs=[list(pair) for pair in subjects.pairs]
    )
    edges = {int(row["pair"]): row for row in rows}
    expected_state: dict[str, str | None] = {}
    for write in writes:
        if write.kind == "create_incident":
            _judge(verdict, write, found[write.marker])
            if write.outcome == ACKED:
                expected_state[write.data["createIncident"]["incident"]["number"]] = "NEW"
        elif write.kind == "transition_incident":
            _judge(verdict, write, transitions[write.marker])
            assert isinstance(write.subject, str)
            if write.outcome == ACKED:
                state = write.data["transitionIncident"]["incident"]["state"]
                expected_state[write.subject] = state
            elif write.outcome == UNKNOWN:
                expected_state[write.subject] = None  # not known: not judged
        elif write.kind == "import_cis":
            names = [f"{write.marker}-{i}" for i in range(ops.IMPORT_SIZE)]
            _judge(verdict, write, min(imported[n] for n in names))
            if write.outcome == ACKED and max(imported[n] for n in names) > 1:
                verdict.count(write.kind, "doubled")
    _pairs(verdict, writes, edges)
    states = {row["number"]: row["state"] for row in incidents}
    verdict.mismatched_states = sum(
        1
        for number, state in expected_state.items()
        if state is not None and states.get(number) != state
    )
    return verdict


async def consistency(db: Database) -> dict[str, int]:
    """Duplicated incident numbers and CI ids (both must be 0) and the number of constraints."""
    numbers = await db.read_rows("reliability.verify", DUPLICATED_NUMBERS)
    ids = await db.read_rows("reliability.verify", DUPLICATED_CI_IDS)
    constraints = await db.read_rows("reliability.verify", CONSTRAINTS)
    return {
        "duplicated_incident_numbers": int(numbers[0]["n"]),
        "duplicated_ci_ids": int(ids[0]["n"]),
        "constraints": int(constraints[0]["n"]),
    }
