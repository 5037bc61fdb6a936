"""An import's dry run: what it would create, update, confirm and leave stale, decided by the
import's own plan and merge rules, reading the graph only (docs/discovery.md, "Dry runs").

A read-only planning pass, not a write rolled back: the plan (validation, identification,
relationship ends) is the import's, then one read transaction fetches the stored CIs and
current edges the rows name and `merge_ci` / `merge_edge` say what would change. What another
writer does between the dry run and a real run may make the real run differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neo4j import AsyncManagedTransaction

from graph._database import Database, Row
from graph.imports._merge import merge_ci, merge_edge
from graph.imports._model import ImportRequest, RowError, StaleReport
from graph.imports._plan import ImportPlan, PlannedCI, PlannedRelationship
from graph.imports._planner import plan_import
from graph.imports._precedence import SourcePrecedence
from graph.imports._stale import find_stale
from graph.imports._write_cis import READ_CIS
from graph.imports._write_relationships import READ_EDGES

__all__ = ["ImportPreview", "preview_import"]


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do, row by row, in the order of the plan."""

    created: tuple[PlannedCI, ...] = ()
    updated: tuple[PlannedCI, ...] = ()
    confirmed: tuple[PlannedCI, ...] = ()
    relationships_created: tuple[PlannedRelationship, ...] = ()
    relationships_updated: tuple[PlannedRelationship, ...] = ()
    relationships_confirmed: tuple[PlannedRelationship, ...] = ()
    stale: StaleReport = field(default_factory=StaleReport)
    errors: tuple[RowError, ...] = ()
    refused: bool = False
    """True when invalid rows would stop the import (without `skip_invalid`)."""


async def preview_import(
    db: Database, request: ImportRequest, precedence: SourcePrecedence
) -> ImportPreview:
    """The import of `request` as it would run now; writes nothing. Cost: the plan's lookups,
    one read transaction of two queries for the stored state, and `find_stale`'s two scans."""
    plan = await plan_import(db, request)
    source = request.source.strip()
    stale = await find_stale(db, source, plan)
    if plan.errors and not request.skip_invalid:
        return ImportPreview(stale=stale, errors=tuple(plan.errors), refused=True)
    stored, edges = await _stored(db, plan)
    created, updated, confirmed = [], [], []
    for planned in plan.cis:
        before = stored.get(planned.ci_id)
        if before is None:
            created.append(planned)
        elif merge_ci(planned, before, source, precedence):
            updated.append(planned)
        else:
            confirmed.append(planned)
    new_edges, changed_edges, confirmed_edges = [], [], []
    for index, planned_edge in enumerate(plan.relationships):
        current = edges.get(index)
        if current is None:
            new_edges.append(planned_edge)
        elif merge_edge(planned_edge, current, source, precedence):
            changed_edges.append(planned_edge)
        else:
            confirmed_edges.append(planned_edge)
    return ImportPreview(
        tuple(created),
        tuple(updated),
        tuple(confirmed),
        tuple(new_edges),
        tuple(changed_edges),
        tuple(confirmed_edges),
        stale,
        tuple(plan.errors),
    )


async def _stored(db: Database, plan: ImportPlan) -> tuple[dict[str, Row], dict[int, Row]]:
    """The stored CIs the plan names (by id) and the current edge of each relationship row
    (by position in the plan), in one read transaction."""
    ids = sorted({p.ci_id for p in plan.cis if p.exists})
    keys = [
        {"index": i, "from": p.from_id, "to": p.to_id, "type": p.type.value}
        for i, p in enumerate(plan.relationships)
        if not p.new_end
    ]

    async def work(tx: AsyncManagedTransaction) -> tuple[dict[str, Row], dict[int, Row]]:
        cis: dict[str, Row] = {}
        edges: dict[int, Row] = {}
        if ids:
            [row] = await db.query(tx, READ_CIS, ids=ids)
            cis = {ci["id"]: ci for ci in row["cis"]}
        if keys:
            [row] = await db.query(tx, READ_EDGES, rows=keys)
            for index, _, properties in row["edges"]:
                edges.setdefault(index, properties)
        return cis, edges

    return await db.read("importCIs.preview", work)
