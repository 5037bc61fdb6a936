"""The words of a bulk import (docs/import.md): the rows a source sends, and what became of them.

Rows carry their values as the source sent them (enum values as text), so that the API, the
JSON and CSV files and the demo loader share one validation and report problems the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from graph.domain import CIClass, NewCI, RelationType
from graph.errors import FieldError

__all__ = [
    "ImportCI",
    "ImportProgress",
    "ImportRelationship",
    "ImportRequest",
    "ImportResult",
    "ImportSection",
    "Observation",
    "RowError",
    "StaleCI",
    "StaleRelationship",
    "StaleReport",
]


class ImportSection(Enum):
    CIS = "cis"
    RELATIONSHIPS = "relationships"


@dataclass(frozen=True)
class ImportCapacity:
    """A CI's capacity of one metric as a source states it, and optionally how much of it is
    in use now (a reading at the import's instant)."""

    metric: str
    capacity: float
    unit: str
    threshold: float = 0.8
    """A fraction of `capacity` in (0, 1]."""
    utilisation: float | None = None


@dataclass(frozen=True)
class ImportCI:
    """One CI row. `ci.external_ids` are other sources' ids; `external_id` is the importing
    source's own id, the name relationships of the same import use for this CI."""

    ci: NewCI
    external_id: str | None = None
    min_operational: tuple[tuple[str, int], ...] = ()
    line: int | None = None
    """Where the row starts in its file (None for rows that came through the API)."""
    parse_errors: tuple[FieldError, ...] = ()
    """Problems found while reading the row from a file (a criticality that is not a number)."""
    capacity: tuple[ImportCapacity, ...] = ()


@dataclass(frozen=True)
class ImportRelationship:
    """One relationship row; `from_ref` and `to_ref` name CIs (see docs/import.md)."""

    from_ref: str | None
    to_ref: str | None
    type: str | None
    """A `RelationType` name, as text."""
    redundancy_group: str | None = None
    confidence: float | None = None
    line: int | None = None
    parse_errors: tuple[FieldError, ...] = ()
    observation: Observation | None = None
    """Set when the source saw the dependency at work (traces) instead of declaring it."""


@dataclass(frozen=True)
class Observation:
    """A dependency seen at work: the calls the observing source counted on it, and how many
    failed (None: the source does not count failures). docs/discovery.md, "Observed
    dependencies"."""

    calls: int
    errors: int | None = None


@dataclass(frozen=True)
class ImportRequest:
    source: str
    cis: Sequence[ImportCI] = ()
    relationships: Sequence[ImportRelationship] = ()
    skip_invalid: bool = False
    """False: one invalid row means nothing is written. True: valid rows are written."""


@dataclass(frozen=True)
class RowError:
    """One thing wrong with one row; the row was not written."""

    section: ImportSection
    index: int
    line: int | None
    external_id: str | None
    field: str
    message: str
    code: str

    @property
    def path(self) -> str:
        """The field as an input path, e.g. `cis[3].class`."""
        return f"{self.section.value}[{self.index}].{self.field}"

    @property
    def where(self) -> str:
        """The row in words a file's author finds: `cis[3] (line 41)`."""
        line = f" (line {self.line})" if self.line is not None else ""
        return f"{self.section.value}[{self.index}]{line}"


@dataclass(frozen=True)
class StaleCI:
    id: str
    ci_class: CIClass
    name: str
    external_id: str
    """The source's id of the CI."""


@dataclass(frozen=True)
class StaleRelationship:
    type: RelationType
    from_id: str
    from_name: str
    to_id: str
    to_name: str


@dataclass(frozen=True)
class StaleReport:
    cis: tuple[StaleCI, ...] = ()
    relationships: tuple[StaleRelationship, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    """What an import did. CI rows are created, updated or unchanged, or failed; relationship
    rows created, updated (a property changed), confirmed (existed as reported: only
    `lastConfirmedAt` refreshed) or failed. `refused` is True when invalid rows stopped the
    whole import: then nothing was written and only the failure counts are non-zero."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_confirmed: int = 0
    relationships_failed: int = 0
    errors: tuple[RowError, ...] = ()
    refused: bool = False
    stale: StaleReport | None = None
    """What the source reported before and not this time (asked with `report_stale`)."""


ImportProgress = Callable[[ImportSection, int, int], None]
"""Called after each written batch with the section, rows done and rows to do."""
