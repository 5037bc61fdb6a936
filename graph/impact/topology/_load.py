"""The in-process projection of the dependency topology, kept in step with Neo4j.

Neo4j stays the one source of truth. Each process keeps a `Topology` (arrays of CIs and current
dependency edges, `_arrays.py`) the way Neo4j's Graph Data Science keeps in-memory
projections, and before each use compares the graph's fingerprint with the one it was loaded
at: one small query answered from Neo4j's count store and one node. A write that changed the
graph (every product write announces one, `graph/_topology_version.py`) makes the next question
reload it whole.

Loading costs two queries returning one row of columns each (the driver decodes a few large
lists far faster than many records), O(V + E) to decode and O(E log E) to arrange.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph._topology_version import TOPOLOGY_FINGERPRINT
from graph.domain import MIN_OPERATIONAL_PREFIX, RelationType
from graph.errors import GraphError
from graph.impact.topology._arrays import EdgeColumns, NodeColumns, Topology

__all__ = ["TopologyProjection"]

log = logging.getLogger(__name__)

NODES: LiteralString = (
    """
MATCH (c:CI)
// collect() drops nulls: a property a CI lacks (one written without the product) is given its
// default, so that every list stays aligned with `ids`.
WITH c, [k IN keys(c) WHERE k STARTS WITH '"""
    + MIN_OPERATIONAL_PREFIX
    + """'] AS pools
RETURN collect(elementId(c)) AS keys, collect(c.id) AS ids,
       collect(coalesce(c.name, c.id)) AS names, collect(c.class) AS classes,
       collect(coalesce(c.status, 'OPERATIONAL')) AS statuses,
       collect(coalesce(c.criticality, 0)) AS criticality,
       collect(CASE WHEN size(pools) > 0
               THEN [c.id, [k IN pools | [substring(k, size('"""
    + MIN_OPERATIONAL_PREFIX
    + """')), c[k]]]] END) AS pools
"""
)

# collect() leaves nulls out, so "no pool" travels as "" (not a group name: relateCIs and the
# import refuse a blank one). Ends travel as element ids, which cost no property read (one read
# transaction: they name the same nodes as the CI query's); an end that is no CI is dropped.
EDGES: LiteralString = """
MATCH (a:CI)-[r:DEPENDS_ON|RUNS_ON|HOSTED_ON|CONNECTED_THROUGH|PROVIDED_BY]->(b)
WHERE r.validTo IS NULL
RETURN collect(elementId(a)) AS sources, collect(elementId(b)) AS targets,
       collect(type(r)) AS types,
       collect(coalesce(r.redundancyGroup, '')) AS groups
"""


class TopologyProjection:
    """The current topology of one database, for this process."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._topology: Topology | None = None
        self._loads = 0
        self._lock = asyncio.Lock()

    async def current(self) -> Topology:
        """The topology as the graph is now. One round trip when nothing changed since the last
        call; otherwise three more, and the work of loading it whole."""
        loads_before = self._loads
        fingerprint = await self._fingerprint()
        topology = self._topology
        if topology is not None and topology.fingerprint == fingerprint:
            return topology
        async with self._lock:
            # Another request may have loaded it while this one waited: one load serves all.
            if self._loads != loads_before and self._topology is not None:
                return self._topology
            started = time.perf_counter()
            topology = await self._db.read("topology.load", self._load)
            # The scope most questions use, arranged now rather than by the first of them
            # (in a worker thread, like the arrays: the event loop keeps answering).
            await asyncio.to_thread(topology.view, RelationType, False)
            self._topology = topology
            self._loads += 1
            self._db.observer.topology_loaded(time.perf_counter() - started)
            log.info(
                "topology loaded: %d CIs, %d edges in %.0f ms",
                topology.size,
                len(topology.edge_source),
                (time.perf_counter() - started) * 1000,
            )
            return topology

    async def preload(self) -> None:
        """Loads the topology now, so that the first question does not wait for it. Failing
        (Neo4j not up yet, migrations pending) only logs: the first question loads it then."""
        try:
            # Checked first without retries: a server that is down is reported at once
            # instead of being retried for seconds behind a starting application.
            await self._db.ping()
            await self.current()
        except GraphError as error:
            log.warning("topology not preloaded: %s", error)

    async def _fingerprint(self) -> list[Any]:
        rows = await self._db.read_rows("topology.fingerprint", TOPOLOGY_FINGERPRINT)
        fingerprint: list[Any] = rows[0]["fingerprint"]
        return fingerprint

    async def _load(self, tx: AsyncManagedTransaction) -> Topology:
        # The fingerprint first: a write that commits meanwhile leaves the projection looking
        # older than it is (reloaded once more), never newer (kept while stale).
        [fingerprint] = await self._db.query(tx, TOPOLOGY_FINGERPRINT)
        [nodes] = await self._db.query(tx, NODES)
        [edges] = await self._db.query(tx, EDGES)
        nodes_found = NodeColumns(
            ids=nodes["ids"],
            names=nodes["names"],
            labels=nodes["classes"],
            statuses=nodes["statuses"],
            criticality=nodes["criticality"],
            min_operational={
                ci_id: {group: int(n) for group, n in needed} for ci_id, needed in nodes["pools"]
            },
            keys=nodes["keys"],
        )
        edges_found = EdgeColumns(
            sources=edges["sources"],
            targets=edges["targets"],
            types=edges["types"],
            groups=edges["groups"],
        )
        return await asyncio.to_thread(
            Topology, nodes_found, edges_found, fingerprint["fingerprint"]
        )
