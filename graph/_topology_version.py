"""The topology delta log: what the in-process topology projections
(`graph/impact/topology/`) follow instead of reloading the whole graph after every write.

Every write transaction that changes CIs or their dependency edges calls `record_delta` as its
last statement (the write recipe, `graph/_writes.py`, does), with the CIs it touched (created or
changed, or whose outgoing edges it added, changed or closed). Under the lock of the one
`TopologyVersion` node, it numbers the write (`seq`, consecutive in commit order: writers
serialise on that lock for the end of their transaction only, so it cannot deadlock), reads the
touched CIs as the projection holds them (name, class, status, criticality, minOperational
pools, current outgoing dependency edges), the graph's counts, and stores them as one
`TopologyDelta` node, committing with the change. A write that touched more than
`DELTA_STATES_MOST` CIs (an import batch) stores only their ids: each projection reads their
states after the commit (`READ_BACK`, `graph/impact/topology/_read_back.py`), so the lock every
writer waits on is held by a statement that reads nothing. The oldest deltas beyond the log's
length are deleted a few at a time by the same writers.

The version node also carries an `epoch`, a random id set when it is created: a projection that
followed the log of a graph since emptied (the node deleted with it) and rebuilt sees another
epoch and reloads whole. `announce_topology_change` records a delta that touches nothing but
asks every projection to reload in the background (`cmdb refresh-topology`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph.domain import MIN_OPERATIONAL_PREFIX

__all__ = [
    "DEFAULT_DELTA_LOG",
    "DELTA_STATES_MOST",
    "PRUNED_PER_WRITE",
    "READ_BACK",
    "TOPOLOGY_CHECK",
    "announce_topology_change",
    "record_delta",
]

DEFAULT_DELTA_LOG = 2000
"""Deltas kept: a process further behind than this reloads whole."""
DELTA_STATES_MOST = 100
"""A write touching more CIs than this records their ids only, not their states: the
projections read those themselves (`READ_BACK`). A write that touched many CIs holds the version
lock, on which every writer waits, for as short a time as a small one."""
EDGES_PER_CI = 4
"""What a delta that names its CIs only weighs per CI (a CI and its edges; the benchmark's
graphs have about 4 edges per CI): the projections compare deltas' weights with the cost of a
whole load."""
PRUNED_PER_WRITE = 4
"""Oldest deltas a write deletes at most: more than it adds, so the log shrinks back to its
length after the setting is lowered."""

_DEPENDENCIES: LiteralString = "DEPENDS_ON|RUNS_ON|HOSTED_ON|CONNECTED_THROUGH|PROVIDED_BY"

# Count-store lookups, constant time: they catch CIs and edges created or deleted by writes that
# bypassed the product (Cypher run by hand), which record no delta. Inside a writer's
# transaction they include its own changes.
_COUNTS: LiteralString = """
CALL () { MATCH (c:CI) RETURN count(c) AS cis }
CALL () { MATCH ()-[r:DEPENDS_ON]->() RETURN count(r) AS dependsOn }
CALL () { MATCH ()-[r:RUNS_ON]->() RETURN count(r) AS runsOn }
CALL () { MATCH ()-[r:HOSTED_ON]->() RETURN count(r) AS hostedOn }
CALL () { MATCH ()-[r:CONNECTED_THROUGH]->() RETURN count(r) AS connectedThrough }
CALL () { MATCH ()-[r:PROVIDED_BY]->() RETURN count(r) AS providedBy }
"""
_COUNT_LIST: LiteralString = "[cis, dependsOn, runsOn, hostedOn, connectedThrough, providedBy]"

# The lock is taken before `seq` is read (graph/_writes.py `lock`), so no two writers get the
# same number. A node without `seq` is new (or predates the log): deltas of a lost epoch go.
_TAKE_SEQ: LiteralString = """
MERGE (v:TopologyVersion {name: 'ci-graph'})
SET v._lock = true REMOVE v._lock
WITH v, v.seq IS NULL AS fresh
CALL (v, fresh) {
  WITH v WHERE fresh
  MATCH (stale:TopologyDelta)
  DELETE stale
}
SET v.epoch = CASE WHEN fresh OR v.epoch IS NULL THEN randomUUID() ELSE v.epoch END,
    v.seq = coalesce(v.seq, 0) + 1, v.token = randomUUID(), v.changedAt = datetime()
WITH v
"""

_PRUNE: LiteralString = """
WITH v
CALL (v) {
  MATCH (old:TopologyDelta) WHERE old.seq <= v.seq - $keep
  WITH old ORDER BY old.seq LIMIT $prune
  DELETE old
}
RETURN v.seq AS seq
"""

# The state of the CIs `$ids` as the projections hold them, as aligned lists: `ids`.. for the
# CIs found, `missing` for those that are gone, `pool*` one entry per (CI, group) with a
# minOperational, `edge*` one per current outgoing dependency edge ('' for no redundancy group).
_STATES: LiteralString = (
    """
CALL () {
  UNWIND $ids AS id
  OPTIONAL MATCH (c:CI {id: id})
  RETURN collect(CASE WHEN c IS NULL THEN id END) AS missing, collect(c.id) AS ids,
         collect(CASE WHEN c IS NOT NULL THEN coalesce(c.name, c.id) END) AS names,
         collect(CASE WHEN c IS NOT NULL THEN coalesce(c.class, '') END) AS classes,
         collect(CASE WHEN c IS NOT NULL THEN coalesce(c.status, 'OPERATIONAL') END)
             AS statuses,
         collect(CASE WHEN c IS NOT NULL THEN coalesce(c.criticality, 0) END) AS criticality
}
CALL () {
  UNWIND $ids AS id
  MATCH (c:CI {id: id})
  UNWIND [k IN keys(c) WHERE k STARTS WITH '"""
    + MIN_OPERATIONAL_PREFIX
    + """'] AS k
  RETURN collect(c.id) AS poolCis,
         collect(substring(k, size('"""
    + MIN_OPERATIONAL_PREFIX
    + """'))) AS poolGroups,
         collect(toInteger(c[k])) AS poolNeeded
}
CALL () {
  UNWIND $ids AS id
  MATCH (a:CI {id: id})-[r:"""
    + _DEPENDENCIES
    + """]->(b:CI)
  WHERE r.validTo IS NULL
  RETURN collect(a.id) AS edgeSources, collect(b.id) AS edgeTargets,
         collect(type(r)) AS edgeTypes, collect(coalesce(r.redundancyGroup, '')) AS edgeGroups
}
"""
)

_PAYLOAD: LiteralString = """ids: ids, names: names, classes: classes, statuses: statuses,
    criticality: criticality, missing: missing, poolCis: poolCis, poolGroups: poolGroups,
    poolNeeded: poolNeeded, edgeSources: edgeSources, edgeTargets: edgeTargets,
    edgeTypes: edgeTypes, edgeGroups: edgeGroups"""

# A small write's delta carries the states, read after the lock: a CI the transaction did not
# lock itself may have been changed by a writer that committed just before, whose delta comes
# before this one.
RECORD_DELTA: LiteralString = (
    _TAKE_SEQ
    + _STATES
    + _COUNTS
    + """
CREATE (d:TopologyDelta {seq: v.seq, epoch: v.epoch, committedAt: datetime.transaction(),
    reload: $reload, weight: size(ids) + size(missing) + size(edgeSources), """
    + _PAYLOAD
    + ", counts: "
    + _COUNT_LIST
    + """})
"""
    + _PRUNE
)

# A large write's delta names its CIs only (`readBack`): the projections read their states
# after the commit (`READ_BACK`). Nothing is read here: the version lock is taken by a statement
# that numbers the write and stores the ids, and is held only for that and the commit.
RECORD_TOUCHED: LiteralString = (
    _TAKE_SEQ
    + _COUNTS
    + """
CREATE (d:TopologyDelta {seq: v.seq, epoch: v.epoch, committedAt: datetime.transaction(),
    reload: $reload, weight: $weight, readBack: true, ids: $ids, counts: """
    + _COUNT_LIST
    + """})
"""
    + _PRUNE
)

# What a projection reads for the deltas that name their CIs only: the same lists as a small
# write's delta carries.
READ_BACK: LiteralString = _STATES + "RETURN {" + _PAYLOAD + "} AS states\n"

# What a projection asks before every question: where the log is (epoch, head), the deltas after
# its own position (only their weight when they are too many to be worth fetching), and the
# counts. The head is read again after the counts: when it moved, a write committed while the
# counts were read, and they are not compared this time.
TOPOLOGY_CHECK: LiteralString = (
    """
OPTIONAL MATCH (v:TopologyVersion {name: 'ci-graph'})
WITH v.epoch AS epoch, coalesce(v.seq, 0) AS head
CALL (head) {
  OPTIONAL MATCH (d:TopologyDelta) WHERE d.seq > $after AND d.seq <= head
  WITH d ORDER BY d.seq
  WITH collect(d) AS pending
  RETURN size(pending) AS pendingCount, reduce(w = 0, d IN pending | w + d.weight) AS weight,
         pending
}
"""
    + _COUNTS
    + """
OPTIONAL MATCH (w:TopologyVersion {name: 'ci-graph'})
RETURN epoch, head, pendingCount, weight,
       CASE WHEN weight <= $most THEN [d IN pending | d {.*}] ELSE [] END AS deltas,
       """
    + _COUNT_LIST
    + """ AS counts, coalesce(w.seq, 0) AS headAfter
"""
)


async def record_delta(
    db: Database,
    tx: AsyncManagedTransaction,
    ci_ids: Collection[str],
    *,
    keep: int = DEFAULT_DELTA_LOG,
    reload: bool = False,
    states_most: int = DELTA_STATES_MOST,
) -> int:
    """Records the delta of `tx` touching `ci_ids` and returns its `seq`: call it last in every
    write transaction that changes CIs or dependency edges. Up to `states_most` CIs, the delta
    holds their current state, read now (O(touched CIs + their edges)); beyond, their ids only
    (O(touched CIs)). Keeps about `keep` deltas. One round trip."""
    ids = sorted(set(ci_ids))
    by_id = len(ids) > states_most
    [row] = await db.query(
        tx,
        RECORD_TOUCHED if by_id else RECORD_DELTA,
        ids=ids,
        reload=reload,
        keep=max(keep, 1),
        prune=PRUNED_PER_WRITE,
        weight=len(ids) * (1 + EDGES_PER_CI),
    )
    return int(row["seq"])


async def announce_topology_change(db: Database, keep: int = DEFAULT_DELTA_LOG) -> None:
    """Asks every process to reload its projection in the background, in a transaction of its
    own: for changes made outside the product (Cypher run by hand, a restore), which the log
    cannot describe. One round trip."""

    async def work(tx: AsyncManagedTransaction) -> int:
        return await record_delta(db, tx, (), keep=keep, reload=True)

    await db.write("topology.announce", work)
