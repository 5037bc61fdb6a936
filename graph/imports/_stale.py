"""What a source reported before and no longer reports: stale, never deleted
(docs/discovery.md, "Re-runs").

A CI belongs to a source when its `externalIds` hold an id of that source; an edge when the
source set its properties (`source`) or observed it (`observedBy`). Whatever of those the
import's plan does not name is stale: reported, left as it is (a source reports what it sees,
not what it stopped seeing; retiring is an edit).
"""

from __future__ import annotations

from graph._database import Database
from graph.domain import EXTERNAL_ID_SEPARATOR, CIClass, CIStatus, RelationType
from graph.imports._model import StaleCI, StaleRelationship, StaleReport
from graph.imports._plan import ImportPlan

__all__ = ["find_stale"]

# `externalIds` is a list, which no index serves: one scan of the CIs, like the import's
# external-id rule. Retired CIs are not stale: they were taken out on purpose.
STALE_CIS = """
MATCH (c:CI)
WHERE any(e IN c.externalIds WHERE e STARTS WITH $prefix)
  AND NOT c.id IN $reported AND c.status <> $retired
WITH c, [e IN c.externalIds WHERE e STARTS WITH $prefix][0] AS entry
RETURN collect([c.id, c.class, c.name, substring(entry, size($prefix))]) AS cis
"""

STALE_EDGES = """
MATCH (a:CI)-[r]->(b:CI)
WHERE type(r) IN $types AND r.validTo IS NULL AND (r.source = $source OR r.observedBy = $source)
  AND NOT a.id + $sep + type(r) + $sep + b.id IN $reported
RETURN collect([type(r), a.id, a.name, b.id, b.name]) AS edges
"""


async def find_stale(db: Database, source: str, plan: ImportPlan) -> StaleReport:
    """The CIs and current edges of `source` that `plan` does not report, sorted by name.
    Read-only: one read transaction of two queries, each a scan (of the CIs, of the edges)."""
    reported_cis = sorted({planned.ci_id for planned in plan.cis})
    reported_edges = sorted(
        f"{p.from_id}{EXTERNAL_ID_SEPARATOR}{p.type.value}{EXTERNAL_ID_SEPARATOR}{p.to_id}"
        for p in plan.relationships
    )
    [cis] = await db.read_rows(
        "importCIs.stale",
        STALE_CIS,
        prefix=f"{source}{EXTERNAL_ID_SEPARATOR}",
        reported=reported_cis,
        retired=CIStatus.RETIRED.value,
    )
    [edges] = await db.read_rows(
        "importCIs.stale",
        STALE_EDGES,
        source=source,
        types=[relation.value for relation in RelationType],
        sep=EXTERNAL_ID_SEPARATOR,
        reported=reported_edges,
    )
    return StaleReport(
        tuple(
            sorted(
                (
                    StaleCI(ci_id, CIClass(label), name, external_id)
                    for ci_id, label, name, external_id in cis["cis"]
                ),
                key=lambda ci: (ci.name, ci.id),
            )
        ),
        tuple(
            sorted(
                (
                    StaleRelationship(RelationType(kind), from_id, from_name, to_id, to_name)
                    for kind, from_id, from_name, to_id, to_name in edges["edges"]
                ),
                key=lambda e: (e.from_name, e.type.value, e.to_name),
            )
        ),
    )
