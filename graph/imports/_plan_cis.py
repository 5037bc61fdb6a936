"""Planning an import's CI rows: each validated, then identified (docs/import.md,
"Identification"): an existing CI, or a new one with its id chosen here."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graph.domain import EXTERNAL_ID_SEPARATOR, validate_new_ci
from graph.errors import FieldError, InvalidInput
from graph.imports._capacity import capacity_problems
from graph.imports._checks import (
    ambiguous,
    class_changed,
    external_id_problems,
    min_operational,
)
from graph.imports._identify import (
    IDENTIFICATION_RULES,
    Candidate,
    IdentificationRule,
    Lookup,
    identity_keys,
    source_key,
)
from graph.imports._model import ImportCI, ImportSection
from graph.imports._plan import PlannedCI, RowFailures

__all__ = ["OWN_ID_RULE", "CIPlanner", "ValidRow"]

# Identified by the CI's own id: the row names the CI, no source id to record.
OWN_ID_RULE = "id"


@dataclass
class ValidRow:
    index: int
    row: ImportCI
    external_id: str | None
    label: str
    properties: dict[str, Any]
    given: tuple[str, ...]
    other_ids: tuple[str, ...]


class CIPlanner:
    """Plans the CI rows of one import from `source`."""

    def __init__(self, source: str, failures: RowFailures) -> None:
        self.source = source
        self.failures = failures
        self.first_row_of: dict[str, int] = {}
        """The row of each externalId of the import."""
        self.planned: dict[int, PlannedCI] = {}
        self.new_ids: set[str] = set()
        self.candidate_of: dict[int, Candidate] = {}
        """The CI of each planned row, as relationship ends name it."""

    def validate_ci(self, index: int, row: ImportCI) -> ValidRow | None:
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
        problems += minimum_problems + capacity_problems(row.capacity)
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
                self.failures.fail(ImportSection.CIS, index, row.line, external_id, problem)
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
        return ValidRow(
            index, row, external_id, valid.ci_class.label, properties, given, tuple(other_ids)
        )

    def candidates(
        self, rule: IdentificationRule, valid: ValidRow, lookup: Lookup
    ) -> list[Candidate]:
        """The CIs `rule` finds for the row (of its class, when the rule says so)."""
        key = rule.key(self.source, valid.external_id, valid.properties)
        found = lookup.get(rule.name, {}).get(key, []) if key is not None else []
        if rule.same_class:
            return [c for c in found if c.label == valid.label]
        return found

    def keys_for(
        self, rows: Sequence[ValidRow], refs: set[str]
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
            elif rule.name == OWN_ID_RULE:
                wanted.update(refs)
            return wanted

        return keys

    def identify(self, valid: ValidRow, lookup: Lookup, claims: dict[Any, int]) -> None:
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
            self.failures.fail(
                ImportSection.CIS, valid.index, valid.row.line, valid.external_id, problem
            )
            return
        for claim in claimed:
            claims[claim] = valid.index
        own = source_key(self.source, valid.external_id) if by_rule != OWN_ID_RULE else None
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
            keys=identity_keys(self.source, valid.external_id, valid.label, valid.properties),
            capacity=valid.row.capacity,
        )
