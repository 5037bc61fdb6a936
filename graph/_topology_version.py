"""The token that says when the dependency graph last changed (what the topology projections
of `graph/impact/topology/_arrays.py` are checked against).

Every write transaction that changes CIs or their dependency edges calls `announce_change` as
its last statement (the write recipe, `graph/_writes.py`, does), so the new token commits with
the change, atomically. The token is a random
UUID rather than a counter: a counter could come back to a value a projection holds after the
graph is emptied (the node deleted with it) and rebuilt, and the projection would miss that.
Writers serialise on the node's lock for the end of their transaction only; taking it last
means no writer waits for it while holding it, so it cannot deadlock.
"""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncManagedTransaction

from graph._database import Database

__all__ = [
    "ANNOUNCE_CHANGE",
    "TOPOLOGY_FINGERPRINT",
    "announce_change",
    "announce_topology_change",
]

ANNOUNCE_CHANGE: LiteralString = """
MERGE (v:TopologyVersion {name: 'ci-graph'})
SET v.token = randomUUID(), v.changedAt = datetime()
"""

# The token, plus counts Neo4j answers from its count store in constant time: they catch CIs and
# edges created or deleted by writes that bypassed the product (a script in Neo4j Browser), which
# announce nothing. Property edits made that way stay unseen; `cmdb refresh-topology` or any
# product write announces them.
TOPOLOGY_FINGERPRINT: LiteralString = """
OPTIONAL MATCH (v:TopologyVersion {name: 'ci-graph'})
WITH v.token AS token
CALL () { MATCH (c:CI) RETURN count(c) AS cis }
CALL () { MATCH ()-[r:DEPENDS_ON]->() RETURN count(r) AS dependsOn }
CALL () { MATCH ()-[r:RUNS_ON]->() RETURN count(r) AS runsOn }
CALL () { MATCH ()-[r:HOSTED_ON]->() RETURN count(r) AS hostedOn }
CALL () { MATCH ()-[r:CONNECTED_THROUGH]->() RETURN count(r) AS connectedThrough }
CALL () { MATCH ()-[r:PROVIDED_BY]->() RETURN count(r) AS providedBy }
RETURN [token, cis, dependsOn, runsOn, hostedOn, connectedThrough, providedBy] AS fingerprint
"""


async def announce_change(db: Database, tx: AsyncManagedTransaction) -> None:
    """Sets a new topology token in `tx`: call it last in every write transaction that changes
    CIs or dependency edges. One round trip."""
    await db.query(tx, ANNOUNCE_CHANGE)


async def announce_topology_change(db: Database) -> None:
    """Sets a new topology token in a transaction of its own: for changes made outside the
    product (Cypher run by hand, a restore), so that every process reloads its projection.
    One round trip."""
    await db.write_rows("topology.announce", ANNOUNCE_CHANGE)
