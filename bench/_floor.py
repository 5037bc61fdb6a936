"""The floor: the impact and outage questions answered in-process by a breadth-first search
over an in-memory copy of the graph (igraph, C), built once from Neo4j's current edges.

It answers reachability only (which CIs depend on the start within a depth), with no
redundancy-aware state, paths or transport: the practical lower bound for the same traversal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph import Database

__all__ = ["Floor", "FloorUnavailable", "export_graph"]

IMPACT_TYPES = ["DEPENDS_ON", "RUNS_ON", "HOSTED_ON", "CONNECTED_THROUGH", "PROVIDED_BY"]
CHUNK = 20_000

ALL_CIS = """
MATCH (c:CI) WHERE c.status <> 'RETIRED'
RETURN collect(c.id) AS ids
"""

# The product's impact edges: current (validTo null), of the impact types, between CIs that
# are not retired.
EDGES_FROM = """
UNWIND $ids AS id
MATCH (a:CI {id: id})-[r]->(b:CI)
WHERE r.validTo IS NULL AND type(r) IN $types AND b.status <> 'RETIRED'
RETURN collect([a.id, b.id]) AS edges
"""


class FloorUnavailable(RuntimeError):
    """The floor's library is missing; the message says how to install it."""


@dataclass(frozen=True)
class ExportedGraph:
    ids: list[str]
    edges: list[tuple[str, str]]


async def export_graph(db: Database) -> ExportedGraph:
    """Every CI id and every current impact edge, read from Neo4j (one query per 20,000 CIs)."""
    rows = await db.read_rows("bench.export-cis", ALL_CIS)
    ids: list[str] = rows[0]["ids"]
    edges: list[tuple[str, str]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = await db.read_rows(
            "bench.export-edges", EDGES_FROM, ids=ids[start : start + CHUNK], types=IMPACT_TYPES
        )
        edges += [(a, b) for a, b in chunk[0]["edges"]]
    return ExportedGraph(ids, edges)


class Floor:
    """The graph in igraph's compressed form; edges point from dependent to dependency."""

    def __init__(self, graph: ExportedGraph) -> None:
        try:
            import igraph
        except ImportError as error:
            raise FloorUnavailable(
                "igraph is not installed (make bench installs the `bench` extra)"
            ) from error
        self.version: str = igraph.__version__
        self._index = {ci: i for i, ci in enumerate(graph.ids)}
        pairs = [(self._index[a], self._index[b]) for a, b in graph.edges]
        self._graph: Any = igraph.Graph(n=len(graph.ids), edges=pairs, directed=True)

    @property
    def size(self) -> tuple[int, int]:
        return self._graph.vcount(), self._graph.ecount()

    def upstream(self, ci_id: str, depth: int) -> int:
        """How many CIs depend on `ci_id` within `depth` hops (breadth-first along incoming
        edges, the start left out). O(V + E) of the part reached."""
        reached = self._graph.neighborhood(self._index[ci_id], order=depth, mode="in", mindist=1)
        return len(reached)
