"""Where an ITSM record is, by id: every incident, problem, change and release carries the label
`Record` with a unique id (migration V0009), so one index lookup says which kind it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import LiteralString

from graph._database import Database

__all__ = ["RecordKind", "RecordLocator", "RecordRef"]


class RecordKind(Enum):
    """The kinds of records, by their labels (the allow-list the lookup picks from)."""

    INCIDENT = "Incident"
    PROBLEM = "Problem"
    CHANGE = "Change"
    RELEASE = "Release"


LOCATE: LiteralString = """
MATCH (r:Record {id: $id})
RETURN [label IN labels(r) WHERE label IN $kinds][0] AS kind, r.number AS number
"""


@dataclass(frozen=True)
class RecordRef:
    kind: RecordKind
    number: str


class RecordLocator:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def locate(self, record_id: str) -> RecordRef | None:
        """The kind and number of the record with this id, or None. One round trip (an index
        seek on the `Record` id constraint)."""
        rows = await self._db.read_rows(
            "records.locate", LOCATE, id=record_id, kinds=[k.value for k in RecordKind]
        )
        if not rows or rows[0]["kind"] is None:
            return None
        return RecordRef(RecordKind(rows[0]["kind"]), str(rows[0]["number"]))
