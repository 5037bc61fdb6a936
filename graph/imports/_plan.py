"""Planning an import: every row validated, identified and resolved before anything is written.

The plan says, per valid CI row, which CI it is (an existing one, or a new id chosen here so
that a retried write creates the same CI), and per valid relationship row, the two CIs it
joins. Invalid rows become `RowError`s. Reading the graph costs the identification lookups
only (see `look_up`); everything else is pure.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph._database import Database
from graph.domain import EXTERNAL_ID_SEPARATOR, RelationType, group_name, validate_new_ci
from graph.errors import FieldError, InvalidInput
from graph.imports._checks import (
    ambiguous,
    check_source,
    class_changed,
    edge_problems,
    external_id_problems,
    min_operational,
    relation_type,
    repeated_edge,
)
from graph.imports._identify import (
    IDENTIFICATION_RULES,
    Candidate,
    IdentificationRule,
    Lookup,
    look_up,
    source_key,
)
from graph.imports._model import (
    ImportCI,
    ImportRelationship,
    ImportRequest,
    ImportSection,
    RowError,
)

__all__ = ["ImportPlan", "PlannedCI", "PlannedRelationship", "plan_import"]

# Identified by the CI's own id: the row names the CI, no source id to record.
_OWN_ID_RULE = "id"


@dataclass(frozen=True)
class PlannedCI:
    index: int
    ci_id: str
    label: str
    name: str
    exists: bool
    properties: dict[str, Any]
    """Validated values to store (None-free), with `class` and `minOperational.<group>`."""
    given: tuple[str, ...]
    """The properties the row sets on an existing CI: those it states (defaults excluded)."""
    external_ids: tuple[str, ...]
    """Entries for `externalIds`: the import source's own (unless identified by CI id), then
    other sources' ones the row states."""


@dataclass(frozen=True)
class PlannedRelationship:
    index: int
    from_id: str
    to_id: str
    type: RelationType
    from_name: str
    to_name: str
    confidence: float | None
    redundancy_group: str | None
    new_end: bool = False
    """An end is a CI this import creates: the edge cannot exist yet."""


@dataclass(frozen=True)
class ImportPlan:
    cis: list[PlannedCI] = field(default_factory=list)
    relationships: list[PlannedRelationship] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    failed_cis: int = 0
    failed_relationships: int = 0


@dataclass
class _ValidRow:
    index: int
    row: ImportCI
    external_id: str | None
    label: str
    properties: dict[str, Any]
    given: tuple[str, ...]
    other_ids: tuple[str, ...]


class _Planner:
    def __init__(self, request: ImportRequest, source: str) -> None:
        self.request = request
        self.source = source
        self.errors: list[RowError] = []
        self.failed: set[tuple[ImportSection, int]] = set()
        self.first_row_of: dict[str, int] = {}
        self.planned: dict[int, PlannedCI] = {}
        self.new_ids: set[str] = set()
        self.candidate_of: dict[int, Candidate] = {}
        """The CI of each planned row, as relationship ends name it."""

    def fail(
        self, section: ImportSection, index: int, line: int | None, ref: str | None, e: FieldError
    ) -> None:
        self.errors.append(RowError(section, index, line, ref, e.field, e.message, e.code))
        self.failed.add((section, index))

    # -- CI rows ---------------------------------------------------------------------------

    def validate_ci(self, index: int, row: ImportCI) -> _ValidRow | None:
        problems = list(row.parse_errors)
        try:
            valid = validate_new_ci(row.ci)
        except InvalidInput as error:
            problems += error.errors
            valid = None
        external_id = (row.external_id or "").strip() or None
        if external_id is not None:
            problems += external_id_problems(external_id)
            if external_id in self.first_row_of:
                first = self.first_row_of[external_id]
                problems.append(
                    FieldError(
                        "externalId",
                        f"externalId '{external_id}' is used by cis[{first}] already; a CI"
                        " appears once per import",
                        "CONFLICT",
                    )
                )
            else:
                self.first_row_of[external_id] = index
        minimums, minimum_problems = min_operational(row.min_operational)
        problems += minimum_problems
        other_ids: list[str] = []
        own_prefix = f"{self.source}{EXTERNAL_ID_SEPARATOR}"
        for entry in valid.properties.get("externalIds", []) if valid else []:
            if not entry.startswith(own_prefix):
                other_ids.append(entry)
            elif entry != f"{own_prefix}{external_id}":
                problems.append(
                    FieldError(
                        "externalIds",
                        f"the id of the import's own source '{self.source}' goes in externalId",
                        "INVALID_VALUE",
                    )
                )
        if problems or valid is None:
            for problem in problems:
                self.fail(ImportSection.CIS, index, row.line, external_id, problem)
            return None
        properties = {
            key: value
            for key, value in valid.properties.items()
            if value is not None and key != "externalIds"
        }
        properties.update(minimums)
        defaulted = {"status"} if row.ci.status is None else set()
        if row.ci.environment is None:
            defaulted.add("environment")
        given = tuple(key for key in properties if key != "class" and key not in defaulted)
        return _ValidRow(
            index, row, external_id, valid.ci_class.label, properties, given, tuple(other_ids)
        )

    def candidates(
        self, rule: IdentificationRule, valid: _ValidRow, lookup: Lookup
    ) -> list[Candidate]:
        """The CIs `rule` finds for the row (of its class, when the rule says so)."""
        key = rule.key(self.source, valid.external_id, valid.properties)
        found = lookup.get(rule.name, {}).get(key, []) if key is not None else []
        if rule.same_class:
            return [c for c in found if c.label == valid.label]
        return found

    def keys_for(
        self, rows: Sequence[_ValidRow], refs: set[str]
    ) -> Callable[[IdentificationRule, Lookup], set[str]]:
        """The keys each rule looks up: those of the rows no earlier rule found a CI for, and
        for the rules that name CIs by their ids, the relationship ends no row names."""

        undecided = list(rows)
        applied: list[str] = []

        def keys(rule: IdentificationRule, found: Lookup) -> set[str]:
            nonlocal undecided
            if any(name not in found for name in applied):  # the driver retried: start over
                undecided, applied[:] = list(rows), []
            for earlier in IDENTIFICATION_RULES:
                if earlier.name in found and earlier.name not in applied:
                    undecided = [v for v in undecided if not self.candidates(earlier, v, found)]
                    applied.append(earlier.name)
            wanted = {
                key
                for valid in undecided
                if (key := rule.key(self.source, valid.external_id, valid.properties))
            }
            if rule.name == "externalId":
                wanted.update(f"{self.source}{EXTERNAL_ID_SEPARATOR}{ref}" for ref in refs)
            elif rule.name == _OWN_ID_RULE:
                wanted.update(refs)
            return wanted

        return keys

    def identify(self, valid: _ValidRow, lookup: Lookup, claims: dict[Any, int]) -> None:
        found: Candidate | None = None
        by_rule = ""
        problem: FieldError | None = None
        keys: list[tuple[str, ...]] = []
        for rule in IDENTIFICATION_RULES:
            key = rule.key(self.source, valid.external_id, valid.properties)
            if key is None:
                continue
            keys.append((rule.name, valid.label, key) if rule.same_class else (rule.name, key))
            if found is not None or problem is not None:
                continue
            candidates = self.candidates(rule, valid, lookup)
            if len(candidates) > 1:
                problem = ambiguous(rule.name, valid.label, candidates)
            elif candidates:
                found, by_rule = candidates[0], rule.name
                if found.label != valid.label:
                    problem = class_changed(valid.external_id, valid.label, found)
        field_name = "externalId" if by_rule in ("externalId", "id") else by_rule
        claimed = [("ci", found.id)] if found else keys
        for claim in claimed:
            if problem is None and claim in claims:
                problem = FieldError(
                    field_name or claim[0],
                    f"names the same CI as cis[{claims[claim]}] (by {claim[0]}); a CI appears"
                    " once per import",
                    "CONFLICT",
                )
        if problem is not None:
            self.fail(ImportSection.CIS, valid.index, valid.row.line, valid.external_id, problem)
            return
        for claim in claimed:
            claims[claim] = valid.index
        own = source_key(self.source, valid.external_id) if by_rule != _OWN_ID_RULE else None
        ci_id = found.id if found else str(uuid.uuid4())
        if found is None:
            self.new_ids.add(ci_id)
        self.candidate_of[valid.index] = Candidate(ci_id, valid.label, valid.properties["name"])
        self.planned[valid.index] = PlannedCI(
            index=valid.index,
            ci_id=ci_id,
            label=valid.label,
            name=valid.properties["name"],
            exists=found is not None,
            properties=valid.properties,
            given=valid.given,
            external_ids=((own,) if own else ()) + valid.other_ids,
        )

    # -- relationship rows -----------------------------------------------------------------

    def relationship(
        self, index: int, row: ImportRelationship, lookup: Lookup, seen: dict[Any, int]
    ) -> PlannedRelationship | None:
        problems = list(row.parse_errors)
        relation = relation_type(row.type, problems)
        start = self.resolve("from", (row.from_ref or "").strip(), lookup, problems)
        end = self.resolve("to", (row.to_ref or "").strip(), lookup, problems)
        if problems:  # the ends' rules only for a row whose ends and type are known
            problems += edge_problems(None, None, None, row)
        else:
            problems += edge_problems(relation, start, end, row)
        if not problems and start is not None and end is not None and relation is not None:
            problems += repeated_edge(relation, start, end, index, seen)
        if problems or start is None or end is None or relation is None:
            for problem in problems:
                self.fail(ImportSection.RELATIONSHIPS, index, row.line, None, problem)
            return None
        return PlannedRelationship(
            index,
            start.id,
            end.id,
            relation,
            start.name,
            end.name,
            row.confidence,
            group_name(row.redundancy_group),
            new_end=start.id in self.new_ids or end.id in self.new_ids,
        )

    def resolve(
        self, field_name: str, ref: str, lookup: Lookup, problems: list[FieldError]
    ) -> Candidate | None:
        if not ref:
            problems.append(FieldError(field_name, f"{field_name} is required", "REQUIRED"))
            return None
        if ref in self.first_row_of:
            row_index = self.first_row_of[ref]
            candidate = self.candidate_of.get(row_index)
            if candidate is None:
                problems.append(
                    FieldError(
                        field_name,
                        f"'{ref}' is cis[{row_index}] of this import, which was refused",
                        "INVALID_VALUE",
                    )
                )
                return None
            return candidate
        for rule_name, key in (("externalId", source_key(self.source, ref)), ("id", ref)):
            candidates = lookup.get(rule_name, {}).get(key or "", [])
            if len(candidates) == 1:
                return candidates[0]
            if candidates:
                problems.append(
                    FieldError(
                        field_name,
                        f"'{ref}' is the {self.source} id of {len(candidates)} CIs",
                        "CONFLICT",
                    )
                )
                return None
        problems.append(
            FieldError(
                field_name,
                f"no CI is named '{ref}': it is neither an externalId of this import, nor the"
                f" id of a CI from source '{self.source}', nor a CI id",
                "NOT_FOUND",
            )
        )
        return None


async def plan_import(db: Database, request: ImportRequest) -> ImportPlan:
    """Validates every row, identifies the CIs and resolves relationship ends. Raises
    `InvalidInput` for a problem with the request as a whole (the source). Reads the graph in
    one transaction: a query per identification rule and chunk of 10,000 keys."""
    source = check_source(request.source)
    planner = _Planner(request, source)
    valid_rows = [
        valid
        for index, row in enumerate(request.cis)
        if (valid := planner.validate_ci(index, row)) is not None
    ]
    # Relationship ends that no row of this import names are looked up in the graph.
    refs = {
        ref
        for row in request.relationships
        for ref in ((row.from_ref or "").strip(), (row.to_ref or "").strip())
        if ref and ref not in planner.first_row_of
    }
    lookup = await look_up(db, IDENTIFICATION_RULES, planner.keys_for(valid_rows, refs))
    claims: dict[Any, int] = {}
    for valid in valid_rows:
        planner.identify(valid, lookup, claims)
    seen: dict[Any, int] = {}
    relationships = [
        planned
        for index, row in enumerate(request.relationships)
        if (planned := planner.relationship(index, row, lookup, seen)) is not None
    ]
    failed = planner.failed
    return ImportPlan(
        cis=[planner.planned[index] for index in sorted(planner.planned)],
        relationships=relationships,
        errors=sorted(planner.errors, key=lambda e: (e.section.value, e.index)),
        failed_cis=sum(1 for section, _ in failed if section is ImportSection.CIS),
        failed_relationships=sum(
            1 for section, _ in failed if section is ImportSection.RELATIONSHIPS
        ),
    )
