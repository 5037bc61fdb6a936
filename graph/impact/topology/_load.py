"""The in-process projection of the dependency topology, kept in step with Neo4j.

Neo4j stays the one source of truth. Each process keeps a `Topology` (arrays of CIs and current
dependency edges, `_arrays.py`) the way Neo4j's Graph Data Science keeps in-memory projections,
at a position in the topology delta log (graph/_topology_version.py: every product write that
changes CIs or dependency edges records one delta, numbered in commit order). Before each use
it asks, in one small query, for the deltas after its position and the graph's counts, applies
the deltas it has not seen (`_patch.py`: milliseconds, where a whole load takes seconds at
100,000 CIs) and answers. It loads whole at start, when it cannot follow the log (another epoch,
a gap: further behind than the log keeps, more changes than a load would cost, counts that
disagree: a write made without the product), and in the background when asked
(`cmdb refresh-topology`), answering from its last state and the deltas meanwhile.

Loading costs two queries returning one row of columns each (the driver decodes a few large
lists far faster than many records), O(V + E) to decode and O(E log E) to arrange.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping, Sequence
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph._topology_version import READ_BACK, TOPOLOGY_CHECK
from graph.domain import MIN_OPERATIONAL_PREFIX, RelationType
from graph.errors import GraphError
from graph.impact.topology._arrays import EdgeColumns, NodeColumns, Topology
from graph.impact.topology._delta import CIState, TopologyDelta
from graph.impact.topology._patch import patched
from graph.impact.topology._position import Check, Position, following, most_worth, settled
from graph.impact.topology._read_back import followed_states, to_read_back

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

_NO_DELTAS = 2**62


def _followed(topology: Topology, states: Mapping[str, CIState | None]) -> Topology:
    """`topology` after its CIs took `states`, with its default view ready (in a worker
    thread)."""
    after = patched(topology, states)
    after.view(RelationType, False)
    return after


class TopologyProjection:
    """The current topology of one database, for this process."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._topology: Topology | None = None
        self._position: Position | None = None
        self._lock = asyncio.Lock()
        self._reloading: asyncio.Task[None] | None = None
        self._reload_again = False
        self.loads = 0
        """Whole loads so far."""
        self.deltas_applied = 0

    async def current(self) -> Topology:
        """The topology as the graph is now: every write acknowledged before the call is in
        it. One round trip when nothing changed; plus the deltas' application (O(V + E) array
        work) after writes; a whole load (three round trips, seconds at 100,000 CIs) only when
        the log cannot be followed."""
        topology, position = self._topology, self._position
        if topology is None or position is None:
            async with self._lock:
                if self._topology is None:
                    await self._reload("start")
                assert self._topology is not None
                return self._topology
        check = await self._check(position.seq, most_worth(topology))
        if settled(check, position):
            return topology
        async with self._lock:
            await self._follow(check)
            assert self._topology is not None
            return self._topology

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

    async def settled(self) -> None:
        """Returns once no background reload is running (tests, and an orderly shutdown)."""
        while self._reloading is not None and not self._reloading.done():
            await asyncio.shield(self._reloading)

    async def close(self) -> None:
        """Stops a background reload."""
        if self._reloading is not None and not self._reloading.done():
            self._reloading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reloading

    async def _check(self, after: int, most: int) -> Check:
        rows = await self._db.read_rows("topology.check", TOPOLOGY_CHECK, after=after, most=most)
        return Check.of(rows[0])

    async def _states(
        self, topology: Topology, deltas: Sequence[TopologyDelta]
    ) -> dict[str, CIState | None]:
        """The states `deltas` give their CIs: one read when some name their CIs only."""
        ids = to_read_back(deltas)
        read = None
        if ids:
            [row] = await self._db.read_rows("topology.readBack", READ_BACK, ids=ids)
            read = row["states"]
        return followed_states(topology, deltas, read)

    async def _follow(self, check: Check) -> None:
        """Brings the topology to `check` (under the lock): applies its deltas, or reloads."""
        topology, at = self._topology, self._position
        assert topology is not None and at is not None
        if check.epoch != at.epoch and not (at.epoch is None and at.seq == 0):
            await self._reload("epoch")
            return
        # Loaded before any log existed: the log's first epoch starts from that topology.
        at = Position(check.epoch, at.seq, at.counts)
        if check.head > at.seq:
            deltas = following(check, at.seq)
            if check.weight > most_worth(topology) or deltas is None:
                await self._reload("behind")
                return
            if not deltas:
                return  # the newest write's delta is not visible yet (see `following`)
            started = time.perf_counter()
            states = await self._states(topology, deltas)
            topology = await asyncio.to_thread(_followed, topology, states)
            seconds = time.perf_counter() - started
            self.deltas_applied += len(deltas)
            self._db.observer.topology_followed(len(deltas), seconds)
            at = Position(at.epoch, deltas[-1].seq, deltas[-1].counts)
            self._topology, self._position = topology, at
            if any(d.reload for d in deltas):
                self._reload_in_background()
            if at.seq != check.head:
                return  # the check's counts are of a later write than the last applied
        elif check.head < at.seq:
            return  # an older check than the last applied: it says nothing new
        if check.head_after != check.head:
            return
        if at.counts is None:
            self._position = Position(at.epoch, at.seq, check.counts)
        elif at.counts != check.counts:
            await self._reload("counts")

    async def _reload(self, reason: str) -> None:
        """Loads the topology whole and makes it current (under the lock)."""
        topology, position = await self._load_whole(reason)
        self._topology, self._position = topology, position

    async def _load_whole(self, reason: str) -> tuple[Topology, Position]:
        started = time.perf_counter()
        topology, position = await self._db.read("topology.load", self._load)
        # The scope most questions use, arranged now rather than by the first of them
        # (in a worker thread, like the arrays: the event loop keeps answering).
        await asyncio.to_thread(topology.view, RelationType, False)
        self.loads += 1
        seconds = time.perf_counter() - started
        self._db.observer.topology_loaded(seconds, reason)
        log.info(
            "topology loaded (%s): %d CIs, %d edges in %.0f ms",
            reason,
            topology.size,
            len(topology.edge_source),
            seconds * 1000,
        )
        return topology, position

    def _reload_in_background(self) -> None:
        if self._reloading is not None and not self._reloading.done():
            self._reload_again = True
            return
        self._reloading = asyncio.create_task(self._background_reload())

    async def _background_reload(self) -> None:
        """Loads whole while questions are answered from the current topology, then catches
        up with the deltas committed during the load and takes its place."""
        again = True
        while again:
            self._reload_again = False
            try:
                topology, loaded = await self._load_whole("refresh")
                async with self._lock:
                    await self._catch_up(topology, loaded)
            except GraphError as error:
                log.warning("topology not reloaded in the background: %s", error)
            again = self._reload_again

    async def _catch_up(self, topology: Topology, loaded: Position) -> None:
        """Makes a topology loaded at `loaded` current, with the deltas the current one
        applied since (under the lock). Left aside when the log cannot bring it there: the
        questions follow the log as before."""
        at = self._position
        if at is not None and at.epoch == loaded.epoch and at.seq > loaded.seq:
            check = await self._check(loaded.seq, most_worth(topology))
            deltas = following(check, loaded.seq)
            if not deltas or deltas[-1].seq < at.seq:
                return
            states = await self._states(topology, deltas)
            topology = await asyncio.to_thread(_followed, topology, states)
            loaded = Position(loaded.epoch, deltas[-1].seq, deltas[-1].counts)
            if any(d.reload for d in deltas):
                self._reload_again = True
        self._topology, self._position = topology, loaded

    async def _load(self, tx: AsyncManagedTransaction) -> tuple[Topology, Position]:
        # The position first: a write that commits meanwhile is in the arrays and in a delta
        # after the position, which applies the same state again, never in neither.
        [head] = await self._db.query(tx, TOPOLOGY_CHECK, after=_NO_DELTAS, most=0)
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
        topology = await asyncio.to_thread(Topology, nodes_found, edges_found)
        return topology, Check.of(head).position()
