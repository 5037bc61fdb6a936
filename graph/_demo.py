"""The demo CMDB (a fictional online retailer), loaded into an empty graph in one transaction."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._ci_input import NewCI, validate_new_ci
from graph._database import Database, Row
from graph._model import ExternalId, RelationType
from graph.errors import FieldError, InvalidInput

__all__ = ["DEMO_FILE", "DemoSummary", "load_demo"]

DEMO_FILE = Path(__file__).parent / "demo" / "demo.json"

CREATE_CIS = """
UNWIND $cis AS row
MERGE (c:CI {id: row.id})
ON CREATE SET c += row.properties, c:$(row.label),
    c.createdAt = datetime(), c.updatedAt = datetime(), c.version = 1,
    c.createdBy = $actor, c.updatedBy = $actor
"""

CREATE_RELATIONSHIPS = """
UNWIND $relationships AS row
MATCH (a:CI {id: row.from}), (b:CI {id: row.to})
MERGE (a)-[r:$(row.type)]->(b)
ON CREATE SET r += row.properties, r.createdAt = datetime(), r.validFrom = datetime(),
    r.lastConfirmedAt = datetime(), r.createdBy = $actor
"""

DemoSummary = tuple[int, int]


def _prepare(document: dict[str, Any]) -> tuple[list[Row], list[Row]]:
    source = document["source"]
    ids: dict[str, str] = {}
    cis: list[Row] = []
    for index, row in enumerate(document["cis"]):
        new = NewCI(
            name=row.get("name"),
            ci_class=row.get("class"),
            status=row.get("status"),
            environment=row.get("environment"),
            criticality=row.get("criticality"),
            description=row.get("description"),
            owner=row.get("owner"),
            support_group=row.get("supportGroup"),
            serial_number=row.get("serialNumber"),
            hostname=row.get("hostname"),
            fqdn=row.get("fqdn"),
            ip_address=row.get("ipAddress"),
            monthly_cost=row.get("monthlyCost"),
            external_ids=(ExternalId(source, row["externalId"]),),
            attributes=tuple(sorted((row.get("attributes") or {}).items())),
        )
        try:
            valid = validate_new_ci(new)
        except InvalidInput as error:
            raise InvalidInput(
                [FieldError(f"cis[{index}].{e.field}", e.message, e.code) for e in error.errors]
            ) from error
        ids[row["externalId"]] = str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"cmdb-demo:{row['externalId']}")
        )
        properties = {k: v for k, v in valid.properties.items() if v is not None}
        for group, needed in (row.get("minOperational") or {}).items():
            properties[f"minOperational.{group}"] = int(needed)
        cis.append(
            {"id": ids[row["externalId"]], "label": valid.ci_class.label, "properties": properties}
        )
    relationships: list[Row] = []
    for row in document["relationships"]:
        properties = {"source": source, "confidence": float(row.get("confidence", 1.0))}
        if row.get("redundancyGroup"):
            properties["redundancyGroup"] = row["redundancyGroup"]
        relationships.append(
            {
                "from": ids[row["from"]],
                "to": ids[row["to"]],
                "type": RelationType[row["type"]].value,
                "properties": properties,
            }
        )
    return cis, relationships


async def load_demo(db: Database, actor: str, path: Path = DEMO_FILE) -> DemoSummary:
    """Loads the demo CMDB; returns (CIs, relationships) written. Ids are derived from the
    demo's external ids, so loading twice writes nothing new. One write transaction."""
    text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    cis, relationships = _prepare(json.loads(text))

    async def work(tx: AsyncManagedTransaction) -> None:
        await db.query(tx, CREATE_CIS, cis=cis, actor=actor)
        await db.query(tx, CREATE_RELATIONSHIPS, relationships=relationships, actor=actor)

    await db.write("seedDemo", work)
    return len(cis), len(relationships)
