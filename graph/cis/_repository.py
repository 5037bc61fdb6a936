"""The CI repository: create, read and page configuration items."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction
from neo4j import exceptions as neo4j_errors

from graph._database import Database, Row
from graph._history import HistoryRepository, NewEvent
from graph._writes import Writes, Written, lock
from graph.cis._projection import (
    CI_PROJECTION,
    CLASS_BY_LABEL,
    ci_from_projection,
    ci_from_properties,
)
from graph.cis._query import CIFilter, CIOrder, count_query, page_query
from graph.domain import (
    ATTRIBUTE_PREFIX,
    CI,
    CIClass,
    CIStatus,
    NewCI,
    diff,
    new_event_id,
    validate_new_ci,
)
from graph.errors import Conflict, FieldError, InvalidInput, NotFound

__all__ = ["CIPage", "CIRepository", "PageKey", "ci_from_properties"]

# Idempotent on retry: the id is chosen before the transaction function runs.
CREATE_CI = """
MERGE (c:CI {id: $id})
ON CREATE SET c += $properties, c:$($label),
    c.createdAt = datetime.transaction(), c.updatedAt = datetime.transaction(), c.version = 1,
    c.createdBy = $actor, c.updatedBy = $actor
RETURN c {.*} AS ci
"""

# The node's write lock is taken before it is read, so two updates of the same CI serialise
# and the second sees the first's version.
LOCK_AND_READ: LiteralString = (
    """
MATCH (c:CI {id: $id})
"""
    + lock("c")
    + """
RETURN c {.*} AS ci
"""
)

UPDATE_CI = """
MATCH (c:CI {id: $id})
SET c += $changes, c.version = c.version + 1, c.updatedAt = datetime.transaction(),
    c.updatedBy = $actor
RETURN c {.*} AS ci
"""

GET_SUMMARIES: LiteralString = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN collect([c.id, c.name, c.class]) AS found
"""

GET_CIS: LiteralString = (
    """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN """
    + CI_PROJECTION
    + " AS ci"
)

COUNT_CIS = "MATCH (c:CI) RETURN count(c) AS total"

IS_EMPTY = "MATCH (c:CI) RETURN count(c) = 0 AS empty LIMIT 1"

PageKey = tuple[str, str]
"""Where a page starts: the sort key (as text) and id of the last CI of the previous page."""

NO_FILTER = CIFilter()
BY_NAME = CIOrder()


@dataclass(frozen=True)
class CIPage:
    items: tuple[CI, ...]
    has_next: bool
    positions: tuple[PageKey, ...] = ()
    """Each item's position in the ordering: what `page` takes as `after` to continue."""


_VERBS = {"retireCI": "retired", "updateCI": "updated"}

# Neo4j wraps the failure of Lucene's query parser (ParseException, TokenMgrError).
_LUCENE_PARSER = "org.apache.lucene.queryparser"


def _search_error(text: str) -> FieldError:
    return FieldError(
        "filter.search",
        f"cannot read the search text {text!r} as a Lucene query: close quotes and brackets, "
        "complete AND/OR, or put a backslash before special characters such as "
        '+ - ! ( ) { } [ ] ^ " ~ * ? : \\ /',
        "INVALID_FORMAT",
    )


class CIRepository:
    def __init__(
        self, db: Database, history: HistoryRepository, writes: Writes | None = None
    ) -> None:
        self._db = db
        self._writes = writes or Writes(db, history)

    async def create(self, new: NewCI, actor: str) -> CI:
        """Validates and stores one CI; raises `InvalidInput` (nothing written) when the input
        breaks a rule. One write transaction, one round trip."""
        valid = validate_new_ci(new)
        ci_id = str(uuid.uuid4())
        properties = {k: v for k, v in valid.properties.items() if v is not None}
        event = NewEvent(
            new_event_id(),
            "createCI",
            f"{valid.ci_class.name} {properties['name']} created",
            (ci_id,),
            diff({}, properties),
        )

        async def work(tx: AsyncManagedTransaction) -> Written[CI]:
            rows = await self._db.query(
                tx,
                CREATE_CI,
                id=ci_id,
                label=valid.ci_class.label,
                properties=properties,
                actor=actor,
            )
            return Written(ci_from_properties(rows[0]["ci"]), [event])

        return await self._writes.write("createCI", actor, work, changes_topology=True)

    async def update(
        self,
        ci_id: str,
        expected_version: int | None,
        patch: dict[str, Any],
        actor: str,
        operation: str = "updateCI",
    ) -> CI:
        """Applies `patch` (field names of `NewCI`; None clears a field) when the CI is still
        at `expected_version`. Raises `NotFound` for an unknown id, `Conflict` for a stale
        version and `InvalidInput` for bad values; nothing is written then. An update that
        changes nothing writes nothing. One write transaction, four round trips."""
        event_id = new_event_id()

        async def work(tx: AsyncManagedTransaction) -> Written[CI]:
            rows = await self._db.query(tx, LOCK_AND_READ, id=ci_id)
            if not rows:
                raise NotFound(f"no CI has the id {ci_id}", field="id")
            stored = rows[0]["ci"]
            current = ci_from_properties(stored)
            if expected_version is not None and current.version != expected_version:
                raise Conflict(
                    f"the CI was changed meanwhile: it is at version {current.version}, "
                    f"not {expected_version}; reload it and apply your change again",
                    field="expectedVersion",
                )
            wanted = validate_new_ci(replace(as_new_ci(current), **patch)).properties
            before = {
                k: v for k, v in stored.items() if k in wanted or k.startswith(ATTRIBUTE_PREFIX)
            }
            changes = diff(before, wanted)
            if not changes:
                return Written(current)
            summary = f"{current.ci_class.name} {current.name} {_VERBS.get(operation, 'updated')}"
            updated = await self._db.query(
                tx,
                UPDATE_CI,
                id=ci_id,
                changes={c.field: c.after for c in changes},
                actor=actor,
            )
            event = NewEvent(event_id, operation, summary, (ci_id,), changes)
            return Written(ci_from_properties(updated[0]["ci"]), [event])

        return await self._writes.write(operation, actor, work, changes_topology=True)

    async def retire(self, ci_id: str, expected_version: int | None, actor: str) -> CI:
        """Sets the status to RETIRED; history and relationships stay. Same cost as update."""
        return await self.update(
            ci_id, expected_version, {"status": CIStatus.RETIRED.name}, actor, "retireCI"
        )

    async def get(self, ci_id: str) -> CI | None:
        """The CI with this id, or None. One round trip."""
        found = await self.get_many([ci_id])
        return found[0]

    async def get_many(self, ci_ids: Sequence[str]) -> list[CI | None]:
        """The CIs with these ids, in the same order (None where absent). One round trip,
        whatever the number of ids: the DataLoader's batch function."""
        rows = await self._db.read_rows("getCIs", GET_CIS, ids=list(ci_ids))
        by_id = {row["ci"]["id"]: ci_from_projection(row["ci"]) for row in rows}
        return [by_id.get(ci_id) for ci_id in ci_ids]

    async def summaries(self, ci_ids: Sequence[str]) -> list[tuple[str, CIClass] | None]:
        """The name and class of the CIs with these ids, in order (None where absent): what a
        list that shows only who its CIs are needs (an incident's thousands of impacted
        services), at a fraction of `get_many`'s cost. One round trip, one row."""
        rows = await self._db.read_rows("getCISummaries", GET_SUMMARIES, ids=list(ci_ids))
        by_id = {ci: (name, CLASS_BY_LABEL[label]) for ci, name, label in rows[0]["found"]}
        return [by_id.get(ci_id) for ci_id in ci_ids]

    async def page(
        self,
        first: int,
        after: PageKey | None = None,
        ci_filter: CIFilter = NO_FILTER,
        order: CIOrder = BY_NAME,
    ) -> CIPage:
        """Up to `first` CIs matching `ci_filter` in `order` (ties broken by id in the same
        direction), starting after the position `after` (keyset paging: stable while CIs are
        added or removed). Raises `InvalidInput` for a bad filter value, search text that is
        not Lucene syntax, or a position that does not fit the ordering. One round trip."""
        parameters = ci_filter.parameters()
        cypher, extra = page_query(parameters, order, after)
        rows = await self._read_matching("pageCIs", cypher, **parameters, **extra, limit=first + 1)
        return CIPage(
            items=tuple(ci_from_projection(row["ci"]) for row in rows[:first]),
            has_next=len(rows) > first,
            positions=tuple((row["sortKey"], row["ci"]["id"]) for row in rows[:first]),
        )

    async def count(self, ci_filter: CIFilter = NO_FILTER) -> int:
        """The number of CIs matching `ci_filter`. One round trip; without a filter, a count
        store lookup."""
        parameters = ci_filter.parameters()
        if not parameters:
            rows = await self._db.read_rows("countCIs", COUNT_CIS)
        else:
            rows = await self._read_matching("countCIs", count_query(parameters), **parameters)
        return int(rows[0]["total"])

    async def _read_matching(
        self, operation: str, cypher: LiteralString, **params: Any
    ) -> list[Row]:
        """Runs a filter query; Lucene's refusal of the search text becomes `InvalidInput`."""

        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            try:
                return await self._db.query(tx, cypher, **params)
            except neo4j_errors.ClientError as error:
                if "search" in params and _LUCENE_PARSER in (error.message or ""):
                    raise InvalidInput([_search_error(params["search"])]) from error
                raise

        return await self._db.read(operation, work)

    async def is_empty(self) -> bool:
        rows = await self._db.read_rows("isEmpty", IS_EMPTY)
        return bool(rows[0]["empty"])


def as_new_ci(ci: CI) -> NewCI:
    """The input that would create `ci` as it is: the base an update patches."""
    return NewCI(
        name=ci.name,
        ci_class=ci.ci_class.name,
        status=ci.status.name,
        environment=ci.environment.name,
        criticality=ci.criticality,
        description=ci.description,
        owner=ci.owner,
        support_group=ci.support_group,
        serial_number=ci.serial_number,
        hostname=ci.hostname,
        fqdn=ci.fqdn,
        ip_address=ci.ip_address,
        monthly_cost=str(ci.monthly_cost) if ci.monthly_cost is not None else None,
        external_ids=ci.external_ids,
        attributes=ci.attributes,
    )
