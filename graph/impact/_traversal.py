"""Traversals for impact analysis (docs/concepts.md, "Impact questions"): each fetches a
`Subgraph` in one round trip.

How: a variable-length expansion returning DISTINCT end nodes, which Neo4j plans as a pruning
breadth-first expand (each node visited once, no path enumeration), then the current edges of
every node reached. Depth, shortest explaining path, redundancy-aware state and the rest are
computed in Python over the fetched subgraph (`graph/impact/algorithms/`). The choice and its
measurements are in docs/impact.md.

Cypher cannot take a variable-length bound as a parameter, so there is one query text per
depth, made here from a template; the depth is an int checked against `MAX_DEPTH`, never text
from a user.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, LiteralString

from graph._database import Database, Row
from graph.domain import (
    DEFAULT_DEPTH,
    MAX_DEPTH,
    MIN_OPERATIONAL_PREFIX,
    CIClass,
    CIStatus,
    RelationType,
)
from graph.impact._subgraph import Edge, NodeInfo, Subgraph

__all__ = ["ImpactRepository", "Scope"]

_TYPES = "DEPENDS_ON|RUNS_ON|HOSTED_ON|CONNECTED_THROUGH|PROVIDED_BY"

# An edge as it was at $asOf, or current when $asOf is null.
_VALID = """(CASE WHEN $asOf IS NULL THEN r.validTo IS NULL
      ELSE r.validFrom <= $asOf AND (r.validTo IS NULL OR r.validTo > $asOf) END)
     AND type(r) IN $types"""

# Only what the algorithms need travels, as one row of lists: the driver decodes one large
# record far faster than thousands of small ones (measured: docs/impact.md). The page of CIs
# shown is loaded apart.
_EDGES_OF_REACHED = f"""
UNWIND reached AS c
OPTIONAL MATCH (c)-[r:{_TYPES}]->(d:CI)
  WHERE {_VALID} AND ($includeRetired OR d.status <> 'RETIRED')
WITH c, collect([d.id, type(r), r.redundancyGroup]) AS out
RETURN collect([c.id, c.name, c.class, c.status, c.criticality, c.monthlyCost,
       [k IN keys(c) WHERE k STARTS WITH '{MIN_OPERATIONAL_PREFIX}'
        | [substring(k, size('{MIN_OPERATIONAL_PREFIX}')), c[k]]],
       CASE WHEN $withDependents THEN COUNT {{ (c)<-[r:{_TYPES}]-(:CI) WHERE {_VALID} }} END,
       out]) AS nodes
"""

_UPSTREAM = f"""
MATCH (t:CI) WHERE t.id IN $ids
OPTIONAL MATCH (t)<-[rs:{_TYPES}*1..DEPTH]-(n:CI)
WHERE all(r IN rs WHERE {_VALID})
WITH collect(DISTINCT t) AS starts, collect(DISTINCT n) AS found
WITH starts + [n IN found WHERE NOT n IN starts] AS reached
{_EDGES_OF_REACHED}
"""

_DOWNSTREAM = f"""
MATCH (t:CI) WHERE t.id IN $ids
OPTIONAL MATCH (t)-[rs:{_TYPES}*1..DEPTH]->(n:CI)
WHERE all(r IN rs WHERE {_VALID})
WITH collect(DISTINCT t) AS starts, collect(DISTINCT n) AS found
WITH starts + [n IN found WHERE NOT n IN starts] AS reached
{_EDGES_OF_REACHED}
"""

# One more level than asked, so that the caller can tell whether the limit cut anything.
UPSTREAM: dict[int, LiteralString] = {
    d: _UPSTREAM.replace("DEPTH", str(d + 1)) for d in range(1, MAX_DEPTH + 1)
}
DOWNSTREAM: dict[int, LiteralString] = {
    d: _DOWNSTREAM.replace("DEPTH", str(d + 1)) for d in range(1, MAX_DEPTH + 1)
}


@dataclass(frozen=True)
class Scope:
    """What a traversal may cross."""

    max_depth: int = DEFAULT_DEPTH
    relation_types: tuple[RelationType, ...] = tuple(RelationType)
    include_retired: bool = False
    as_of: datetime | None = None

    def parameters(self) -> dict[str, Any]:
        return {
            "types": [t.value for t in self.relation_types],
            "asOf": self.as_of,
            "includeRetired": self.include_retired,
        }


class ImpactRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def upstream(self, ci_ids: Collection[str], scope: Scope) -> Subgraph:
        """The given CIs and every CI that depends on them, within `scope.max_depth + 1`
        levels, with all their current outgoing edges. One round trip; each node visited
        once (pruning breadth-first expand)."""
        return await self._fetch("impact.upstream", UPSTREAM[scope.max_depth], ci_ids, scope)

    async def downstream(
        self, ci_ids: Collection[str], scope: Scope, *, with_dependents: bool = False
    ) -> Subgraph:
        """The given CIs and everything they depend on, within `scope.max_depth + 1` levels,
        with all their current outgoing edges; with `with_dependents`, each node's number of
        direct dependents in the whole graph (for the cost roll-up). One round trip."""
        return await self._fetch(
            "impact.downstream", DOWNSTREAM[scope.max_depth], ci_ids, scope, with_dependents
        )

    async def _fetch(
        self,
        operation: str,
        query: LiteralString,
        ci_ids: Collection[str],
        scope: Scope,
        with_dependents: bool = False,
    ) -> Subgraph:
        rows = await self._db.read_rows(
            operation,
            query,
            ids=list(ci_ids),
            withDependents=with_dependents,
            **scope.parameters(),
        )
        return _subgraph(rows, scope.include_retired)


def _subgraph(rows: Sequence[Row], include_retired: bool) -> Subgraph:
    nodes: dict[str, NodeInfo] = {}
    edges: list[Edge] = []
    for ci_id, name, label, status_text, criticality, cost, pools, dependents, out in (
        rows[0]["nodes"] if rows else ()
    ):
        status = CIStatus(status_text)
        if status is CIStatus.RETIRED and not include_retired:
            continue
        nodes[ci_id] = NodeInfo(
            id=ci_id,
            name=name,
            ci_class=CIClass.from_label(label),
            status=status,
            criticality=criticality,
            monthly_cost=Decimal(cost) if cost is not None else Decimal(0),
            min_operational={group: int(needed) for group, needed in pools},
            dependents_in_graph=int(dependents or 0),
        )
        edges += [
            Edge(ci_id, target, RelationType(kind), group)
            for target, kind, group in out
            if target is not None
        ]
    # Targets outside the subgraph are operational; only pool edges to them matter (they
    # count as members that are not down).
    kept = tuple(e for e in edges if e.target in nodes or e.redundancy_group is not None)
    return Subgraph(nodes, kept)
