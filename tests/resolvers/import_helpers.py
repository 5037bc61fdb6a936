"""Building blocks for import tests: `importCIs` through the GraphQL endpoint, rows in the
import format, and the graph as an export sees it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graph import Database
from graph.imports import DEMO_FILE, ExportRepository
from tests.conftest import GraphQLClient

IMPORT = """
mutation($input: ImportCIsInput!) {
  importCIs(input: $input) {
    created updated unchanged failed
    relationshipsCreated relationshipsUpdated relationshipsConfirmed relationshipsFailed
    refused
    rowErrors { section index externalId field message code }
    errors { field message code }
  }
}
"""


def row(external_id: str | None, name: str, ci_class: str, **fields: Any) -> dict[str, Any]:
    """A CI row of the GraphQL input."""
    return {"externalId": external_id, "name": name, "class": ci_class, **fields}


def edge(start: str, end: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"from": start, "to": end, "type": kind, **fields}


async def import_cis(
    gql: GraphQLClient,
    source: str,
    cis: Sequence[dict[str, Any]] = (),
    relationships: Sequence[dict[str, Any]] = (),
    skip_invalid: bool = False,
) -> dict[str, Any]:
    data = await gql(
        IMPORT,
        input={
            "source": source,
            "cis": list(cis),
            "relationships": list(relationships),
            "skipInvalid": skip_invalid,
        },
    )
    payload: dict[str, Any] = data["importCIs"]
    return payload


def counts(payload: dict[str, Any]) -> tuple[int, ...]:
    """(created, updated, unchanged, failed) of the CI rows."""
    return tuple(payload[key] for key in ("created", "updated", "unchanged", "failed"))


def edge_counts(payload: dict[str, Any]) -> tuple[int, ...]:
    """(created, updated, confirmed, failed) of the relationship rows."""
    keys = ("Created", "Updated", "Confirmed", "Failed")
    return tuple(payload[f"relationships{key}"] for key in keys)


def as_graphql_input(document: dict[str, Any]) -> dict[str, Any]:
    """A document of the JSON file format as the `importCIs` input."""
    cis = []
    for ci in document["cis"]:
        converted = {k: v for k, v in ci.items() if k not in ("attributes", "externalIds")}
        converted["attributes"] = [
            {"key": key, "value": value} for key, value in (ci.get("attributes") or {}).items()
        ]
        converted["externalIds"] = [
            {"source": source, "id": key} for source, key in (ci.get("externalIds") or {}).items()
        ]
        converted["minOperational"] = [
            {"group": group, "minOperational": needed}
            for group, needed in (ci.get("minOperational") or {}).items()
        ]
        cis.append(converted)
    return {
        "source": document["source"],
        "cis": cis,
        "relationships": document["relationships"],
    }


def demo_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return document


async def import_document(gql: GraphQLClient, document: dict[str, Any]) -> dict[str, Any]:
    data = await gql(IMPORT, input=as_graphql_input(document))
    payload: dict[str, Any] = data["importCIs"]
    return payload


async def export(db: Database, source: str = "cmdb") -> dict[str, Any]:
    return (await ExportRepository(db).export(source)).as_dict()


async def ci_properties(db: Database) -> list[dict[str, Any]]:
    """Every CI node's properties, by name."""
    rows = await db.read_rows("t", "MATCH (c:CI) RETURN c {.*} AS ci ORDER BY c.name, c.id")
    return [row["ci"] for row in rows]


async def ci_named(db: Database, name: str) -> dict[str, Any]:
    rows = await db.read_rows("t", "MATCH (c:CI {name: $name}) RETURN c {.*} AS ci", name=name)
    assert len(rows) == 1, rows
    found: dict[str, Any] = rows[0]["ci"]
    return found
