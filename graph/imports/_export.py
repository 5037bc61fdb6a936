"""Export: the whole CMDB in the import format (docs/import.md), deterministic, so that exporting,
importing into an empty graph and exporting again gives the same file.

A CI is named by its id under the export's source when it has exactly one (a CMDB that was
imported from a file exported before keeps its names), otherwise by its CI id, which an import
into the same graph identifies again (rule `id`). Timestamps, versions and provenance are not
exported; relationships are the current ones (`validTo` null) of the impact-carrying types.
CIs are sorted by class (services first), name and externalId; relationships by their ends and
type.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._database import Database, Row
from graph.domain import (
    ATTRIBUTE_PREFIX,
    EXTERNAL_ID_SEPARATOR,
    MIN_OPERATIONAL_PREFIX,
    CIClass,
    RelationType,
)
from graph.imports._format import CI_COLUMNS

__all__ = ["DEFAULT_EXPORT_SOURCE", "ExportDocument", "ExportRepository"]

DEFAULT_EXPORT_SOURCE = "cmdb"

# One record holding every CI, without timestamps: the driver's cost is per record and per
# temporal value, not per byte, and an export has no use for either.
EXPORT_CIS = """
MATCH (c:CI)
RETURN collect(c {.*, createdAt: null, updatedAt: null, lastConfirmedAt: null}) AS cis
"""

EXPORT_RELATIONSHIPS = """
MATCH (a:CI)-[r]->(b:CI)
WHERE r.validTo IS NULL AND type(r) IN $types
RETURN collect([a.id, b.id, type(r), r.redundancyGroup, r.confidence]) AS edges
"""


@dataclass(frozen=True)
class ExportDocument:
    """The rows of an export in the JSON shape of the import format, sorted."""

    source: str
    cis: tuple[dict[str, Any], ...]
    relationships: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "cis": list(self.cis),
            "relationships": list(self.relationships),
        }


class ExportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def export(self, source: str = DEFAULT_EXPORT_SOURCE) -> ExportDocument:
        """Every CI and current relationship, read in one transaction (a consistent
        snapshot): two round trips, memory linear in the size of the CMDB."""

        async def work(tx: AsyncManagedTransaction) -> tuple[list[Row], list[Row]]:
            cis = await self._db.query(tx, EXPORT_CIS)
            types = [relation.value for relation in RelationType]
            edges = await self._db.query(tx, EXPORT_RELATIONSHIPS, types=types)
            return cis, edges

        ci_rows, edge_rows = await self._db.read("exportCIs", work)
        cis: list[dict[str, Any]] = ci_rows[0]["cis"]
        names = _export_names(cis, source)
        exported = sorted((_ci_row(ci, names[ci["id"]], source) for ci in cis), key=_by_name)
        relationships = sorted(
            (
                {
                    "from": names[start],
                    "to": names[end],
                    "type": kind,
                    "redundancyGroup": group,
                    "confidence": confidence,
                }
                for start, end, kind, group, confidence in edge_rows[0]["edges"]
            ),
            key=lambda edge: (edge["from"], edge["type"], edge["to"]),
        )
        return ExportDocument(source, tuple(exported), tuple(relationships))


# Stored as the import format writes them (validation normalised them on the way in).
# Every CSV column after externalId, name and class is a plain property of the CI node.
_PLAIN_FIELDS = CI_COLUMNS[3:]

_CLASS_ORDER = {ci_class.name: position for position, ci_class in enumerate(CIClass)}


def _by_name(row: dict[str, Any]) -> tuple[int, str, str]:
    # Services first, then applications, infrastructure, facilities (the class groups).
    return _CLASS_ORDER[row["class"]], row["name"], row["externalId"]


def _external_ids(ci: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = (entry.split(EXTERNAL_ID_SEPARATOR, 1) for entry in ci.get("externalIds") or [])
    return sorted((pair[0], pair[1]) for pair in pairs if len(pair) == 2)


def _export_names(cis: list[dict[str, Any]], source: str) -> dict[str, str]:
    own = {ci["id"]: [key for s, key in _external_ids(ci) if s == source] for ci in cis}
    used = Counter(key for keys in own.values() for key in keys)
    return {
        ci_id: keys[0] if len(keys) == 1 and used[keys[0]] == 1 else ci_id
        for ci_id, keys in own.items()
    }


def _prefixed(ci: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {key[len(prefix) :]: ci[key] for key in sorted(ci) if key.startswith(prefix)}


def _ci_row(ci: dict[str, Any], name: str, source: str) -> dict[str, Any]:
    other_ids: dict[str, str] = {}
    for other, key in _external_ids(ci):
        if other != source:
            other_ids.setdefault(other, key)
    row: dict[str, Any] = {
        "externalId": name,
        "name": ci["name"],
        "class": CIClass.from_label(ci["class"]).name,
        **{field: ci.get(field) for field in _PLAIN_FIELDS},
        "attributes": {key: str(value) for key, value in _prefixed(ci, ATTRIBUTE_PREFIX).items()},
        "externalIds": other_ids,
        "minOperational": {k: int(v) for k, v in _prefixed(ci, MIN_OPERATIONAL_PREFIX).items()},
    }
    return {key: value for key, value in row.items() if value is not None and value != {}}
