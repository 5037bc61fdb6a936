"""What the delta tests share: the product's write repositories over the test database, and a
topology's canonical form (what two topologies of the same graph agree on, whatever their
pool numbering)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph import Database, HistoryRepository, Writes
from graph.cis import CIRepository, RelationshipRepository
from graph.domain import NewCI
from graph.impact.topology import Topology, TopologyProjection, analyse_impact, simulate_outage
from graph.imports import ImportRepository


@dataclass(frozen=True)
class Product:
    """The write paths of the product, sharing one write recipe."""

    cis: CIRepository
    relationships: RelationshipRepository
    imports: ImportRepository
    writes: Writes


def product(db: Database, delta_log: int = 2000, delta_states_most: int = 100) -> Product:
    """With `delta_states_most` 0, every delta names its CIs only (as a large write's does)."""
    history = HistoryRepository(db)
    writes = Writes(db, history, delta_log=delta_log, delta_states_most=delta_states_most)
    return Product(
        CIRepository(db, history, writes),
        RelationshipRepository(db, history, writes),
        ImportRepository(db, history, writes=writes),
        writes,
    )


async def create(p: Product, name: str, ci_class: str = "APPLICATION", **fields: Any) -> str:
    return (await p.cis.create(NewCI(name=name, ci_class=ci_class, **fields), "pytest")).id


def canonical(t: Topology) -> tuple[Any, ...]:
    """Nodes with their attributes in index order, edges as a set of (source id, target id,
    type, group), pools with what they need, the index: equal for equal graphs."""
    nodes = [
        (t.ids[i], t.names[i], int(t.ci_class[i]), bool(t.retired[i]), int(t.criticality[i]))
        for i in range(t.size)
    ]
    f = t.forward
    edges = sorted(
        (t.ids[s], t.ids[d], int(k), t.pool_group[p] if p >= 0 else "")
        for s, d, k, p in zip(
            f.source.tolist(), f.target.tolist(), f.kind.tolist(), f.pool.tolist(), strict=True
        )
    )
    b = t.backward
    backward = sorted(
        (t.ids[s], t.ids[d], int(k), t.pool_group[p] if p >= 0 else "")
        for s, d, k, p in zip(
            b.source.tolist(), b.target.tolist(), b.kind.tolist(), b.pool.tolist(), strict=True
        )
    )
    assert backward == edges
    used = sorted(set(f.pool[f.pool >= 0].tolist()))
    pools = sorted(
        (t.ids[int(t.pool_owner[p])], t.pool_group[p], int(t.pool_asked[p])) for p in used
    )
    index = sorted((ci_id, t.index[ci_id]) for ci_id in t.ids)
    assert index == sorted((ci_id, i) for i, ci_id in enumerate(t.ids))
    return nodes, edges, pools


def answers(t: Topology, ci_ids: list[str]) -> tuple[Any, ...]:
    """What impact and simulateOutage answer from `t` for each of `ci_ids`."""
    found = []
    for ci_id in ci_ids:
        analysis = analyse_impact(t, [ci_id], 10)
        impacted = [
            (i.ci.id, i.depth, i.path, i.state.value, i.reason)
            for i in analysis.impacted(0, analysis.count)
        ]
        outage = simulate_outage(t, [ci_id])
        services = [(s.service.id, s.state.value, s.reason) for s in outage.services]
        found.append((impacted, [s.ci.id for s in analysis.services], services))
    return tuple(found)


async def fresh_load(db: Database) -> Topology:
    """The topology as a process starting now loads it."""
    return await TopologyProjection(db).current()
