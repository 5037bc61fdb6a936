"""Making an import's plan (`graph/imports/_plan.py`): every row validated, identified and
resolved before anything is written. Reading the graph costs the identification lookups only
(see `look_up`); everything else is pure.
"""

from __future__ import annotations

from typing import Any

from graph._database import Database
from graph.imports._checks import check_source
from graph.imports._identify import IDENTIFICATION_RULES, look_up
from graph.imports._model import ImportRequest, ImportSection
from graph.imports._plan import ImportPlan, RowFailures
from graph.imports._plan_cis import CIPlanner
from graph.imports._plan_relationships import RelationshipPlanner

__all__ = ["plan_import"]


async def plan_import(db: Database, request: ImportRequest) -> ImportPlan:
    """Validates every row, identifies the CIs and resolves relationship ends. Raises
    `InvalidInput` for a problem with the request as a whole (the source). Reads the graph in
    one transaction: a query per identification rule and chunk of 10,000 keys."""
    source = check_source(request.source)
    failures = RowFailures()
    cis = CIPlanner(source, failures)
    valid_rows = [
        valid
        for index, row in enumerate(request.cis)
        if (valid := cis.validate_ci(index, row)) is not None
    ]
    # Relationship ends that no row of this import names are looked up in the graph.
    refs = {
        ref
        for row in request.relationships
        for ref in ((row.from_ref or "").strip(), (row.to_ref or "").strip())
        if ref and ref not in cis.first_row_of
    }
    lookup = await look_up(db, IDENTIFICATION_RULES, cis.keys_for(valid_rows, refs))
    claims: dict[Any, int] = {}
    for valid in valid_rows:
        cis.identify(valid, lookup, claims)
    seen: dict[Any, int] = {}
    relationships = RelationshipPlanner(cis, failures)
    planned_relationships = [
        planned
        for index, row in enumerate(request.relationships)
        if (planned := relationships.relationship(index, row, lookup, seen)) is not None
    ]
    return ImportPlan(
        cis=[cis.planned[index] for index in sorted(cis.planned)],
        relationships=planned_relationships,
        errors=sorted(failures.errors, key=lambda e: (e.section.value, e.index)),
        failed_cis=failures.count(ImportSection.CIS),
        failed_relationships=failures.count(ImportSection.RELATIONSHIPS),
    )
