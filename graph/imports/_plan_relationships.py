"""Planning an import's relationship rows: each end resolved to a CI (a row of the import,
or a CI in the graph), then the edge check of the domain."""

from __future__ import annotations

from typing import Any

from graph.domain import group_name
from graph.errors import FieldError
from graph.imports._checks import edge_problems, relation_type, repeated_edge
from graph.imports._identify import Candidate, Lookup, source_key
from graph.imports._model import ImportRelationship, ImportSection
from graph.imports._plan import PlannedRelationship, RowFailures
from graph.imports._plan_cis import CIPlanner

__all__ = ["RelationshipPlanner"]


class RelationshipPlanner:
    """Plans the relationship rows of one import, whose CI rows `cis` planned."""

    def __init__(self, cis: CIPlanner, failures: RowFailures) -> None:
        self.cis = cis
        self.source = cis.source
        self.failures = failures

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
                self.failures.fail(ImportSection.RELATIONSHIPS, index, row.line, None, problem)
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
            new_end=start.id in self.cis.new_ids or end.id in self.cis.new_ids,
            observation=row.observation,
        )

    def resolve(
        self, field_name: str, ref: str, lookup: Lookup, problems: list[FieldError]
    ) -> Candidate | None:
        if not ref:
            problems.append(FieldError(field_name, f"{field_name} is required", "REQUIRED"))
            return None
        if ref in self.cis.first_row_of:
            row_index = self.cis.first_row_of[ref]
            candidate = self.cis.candidate_of.get(row_index)
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
