"""The CI repository: create, read and page configuration items."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._ci_input import EXTERNAL_ID_SEPARATOR, NewCI, validate_new_ci
from graph._database import Database, Row
from graph._model import CI, CIClass, CIStatus, Environment, ExternalId

__all__ = ["CIPage", "CIRepository", "PageKey"]

# Idempotent on retry: the id is chosen before the transaction function runs.
CREATE_CI = """
MERGE (c:CI {id: $id})
ON CREATE SET c += $properties, c:$($label),
    c.createdAt = datetime(), c.updatedAt = datetime(), c.version = 1,
    c.createdBy = $actor, c.updatedBy = $actor
RETURN c {.*} AS ci
"""

GET_CIS = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN c {.*} AS ci
"""

PAGE_CIS = """
MATCH (c:CI)
WHERE $afterName IS NULL
   OR c.name > $afterName
   OR (c.name = $afterName AND c.id > $afterId)
RETURN c {.*} AS ci
ORDER BY c.name, c.id
LIMIT $limit
"""

COUNT_CIS = "MATCH (c:CI) RETURN count(c) AS total"

IS_EMPTY = "MATCH (c:CI) RETURN count(c) = 0 AS empty LIMIT 1"

PageKey = tuple[str, str]
"""Where a page starts: the (name, id) of the last CI of the previous page."""


@dataclass(frozen=True)
class CIPage:
    items: tuple[CI, ...]
    has_next: bool


class CIRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, new: NewCI, actor: str) -> CI:
        """Validates and stores one CI; raises `InvalidInput` (nothing written) when the input
        breaks a rule. One write transaction, one round trip."""
        valid = validate_new_ci(new)
        ci_id = str(uuid.uuid4())

        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            return await self._db.query(
                tx,
                CREATE_CI,
                id=ci_id,
                label=valid.ci_class.label,
                properties={k: v for k, v in valid.properties.items() if v is not None},
                actor=actor,
            )

        rows = await self._db.write("createCI", work)
        return ci_from_properties(rows[0]["ci"])

    async def get(self, ci_id: str) -> CI | None:
        """The CI with this id, or None. One round trip."""
        found = await self.get_many([ci_id])
        return found[0]

    async def get_many(self, ci_ids: Sequence[str]) -> list[CI | None]:
        """The CIs with these ids, in the same order (None where absent). One round trip,
        whatever the number of ids: the DataLoader's batch function."""
        rows = await self._db.read_rows("getCIs", GET_CIS, ids=list(ci_ids))
        by_id = {row["ci"]["id"]: ci_from_properties(row["ci"]) for row in rows}
        return [by_id.get(ci_id) for ci_id in ci_ids]

    async def page(self, first: int, after: PageKey | None) -> CIPage:
        """Up to `first` CIs ordered by name then id, starting after `after` (keyset paging:
        stable while CIs are added or removed). One round trip, index-backed."""
        rows = await self._db.read_rows(
            "pageCIs",
            PAGE_CIS,
            afterName=after[0] if after else None,
            afterId=after[1] if after else None,
            limit=first + 1,
        )
        items = tuple(ci_from_properties(row["ci"]) for row in rows[:first])
        return CIPage(items, has_next=len(rows) > first)

    async def count(self) -> int:
        """The number of CIs. One round trip (a count store lookup)."""
        rows = await self._db.read_rows("countCIs", COUNT_CIS)
        return int(rows[0]["total"])

    async def is_empty(self) -> bool:
        rows = await self._db.read_rows("isEmpty", IS_EMPTY)
        return bool(rows[0]["empty"])


def ci_from_properties(props: dict[str, Any]) -> CI:
    """Maps a CI node's properties to the frozen dataclass."""
    external_ids = tuple(
        ExternalId(*entry.split(EXTERNAL_ID_SEPARATOR, 1)) for entry in props.get("externalIds", [])
    )
    attributes = tuple(
        sorted((key[5:], str(value)) for key, value in props.items() if key.startswith("attr."))
    )
    cost = props.get("monthlyCost")
    return CI(
        id=props["id"],
        name=props["name"],
        ci_class=CIClass.from_label(props["class"]),
        status=CIStatus(props["status"]),
        environment=Environment(props["environment"]),
        criticality=props.get("criticality"),
        created_at=props["createdAt"].to_native(),
        updated_at=props["updatedAt"].to_native(),
        version=int(props["version"]),
        description=props.get("description"),
        owner=props.get("owner"),
        support_group=props.get("supportGroup"),
        serial_number=props.get("serialNumber"),
        hostname=props.get("hostname"),
        fqdn=props.get("fqdn"),
        ip_address=props.get("ipAddress"),
        monthly_cost=Decimal(cost) if cost is not None else None,
        external_ids=external_ids,
        attributes=attributes,
    )
