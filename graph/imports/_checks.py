"""Checks of import rows that need no database: the source, ids, pools, relationship types and
class rules, and the words of the identification problems."""

from __future__ import annotations

from typing import Any

from graph.domain import (
    EXTERNAL_ID_SEPARATOR,
    GROUP_NAME_RULE,
    MAX_GROUP,
    MAX_NAME,
    CIClass,
    RelationType,
    check_edge,
    is_group_name,
    min_operational_property,
)
from graph.errors import FieldError, InvalidInput
from graph.imports._identify import Candidate
from graph.imports._model import ImportRelationship

__all__ = [
    "MAX_GROUP",
    "MAX_SOURCE",
    "ambiguous",
    "check_source",
    "class_changed",
    "edge_problems",
    "external_id_problems",
    "min_operational",
    "relation_type",
    "repeated_edge",
]

MAX_SOURCE = 100

# `CIClass(label)` goes through Enum's constructor; an import checks every relationship's ends.
_CLASS_OF_LABEL = {ci_class.value: ci_class for ci_class in CIClass}
_TYPE_OF_NAME = {relation.name: relation for relation in RelationType}


def check_source(source: str) -> str:
    """The source name, stripped; `InvalidInput` (field `source`) when unusable."""
    name = source.strip()
    if not name:
        raise InvalidInput([FieldError("source", "source is required", "REQUIRED")])
    if len(name) > MAX_SOURCE:
        raise InvalidInput(
            [FieldError("source", f"source is longer than {MAX_SOURCE} characters", "TOO_LONG")]
        )
    if EXTERNAL_ID_SEPARATOR in name:
        raise InvalidInput(
            [FieldError("source", "source contains a control character", "INVALID_FORMAT")]
        )
    return name


def external_id_problems(external_id: str) -> list[FieldError]:
    if len(external_id) > MAX_NAME:
        return [FieldError("externalId", f"longer than {MAX_NAME} characters", "TOO_LONG")]
    if EXTERNAL_ID_SEPARATOR in external_id:
        return [FieldError("externalId", "contains a control character", "INVALID_FORMAT")]
    return []


def min_operational(
    pairs: tuple[tuple[str, int], ...],
) -> tuple[dict[str, int], list[FieldError]]:
    minimums: dict[str, int] = {}
    problems: list[FieldError] = []
    for group, needed in pairs:
        name = group.strip()
        if not name or len(name) > MAX_GROUP:
            problems.append(
                FieldError(
                    "minOperational",
                    f"a group needs a name of 1 to {MAX_GROUP} characters",
                    "INVALID_VALUE",
                )
            )
        elif not is_group_name(name):
            problems.append(FieldError("minOperational", GROUP_NAME_RULE, "INVALID_FORMAT"))
        elif needed < 1:
            problems.append(
                FieldError(
                    "minOperational",
                    f"minOperational of '{name}' must be at least 1, got {needed}",
                    "OUT_OF_RANGE",
                )
            )
        else:
            minimums[min_operational_property(name)] = needed
    return minimums, problems


def relation_type(raw: str | None, problems: list[FieldError]) -> RelationType | None:
    if raw is None or not raw.strip():
        problems.append(FieldError("type", "type is required", "REQUIRED"))
        return None
    relation = _TYPE_OF_NAME.get(raw.strip().upper())
    if relation is None:
        names = ", ".join(member.name for member in RelationType)
        problems.append(
            FieldError("type", f"unknown type '{raw}'; allowed: {names}", "INVALID_VALUE")
        )
    return relation


def edge_problems(
    relation: RelationType | None,
    start: Candidate | None,
    end: Candidate | None,
    row: ImportRelationship,
) -> list[FieldError]:
    """The edge check of the domain (`check_edge`) on a relationship row, with the ends'
    classes when both ends and the type are known."""
    classes = None
    if start is not None and end is not None:
        classes = (_CLASS_OF_LABEL[start.label], _CLASS_OF_LABEL[end.label])
    return check_edge(
        relation,
        start.id if start else None,
        end.id if end else None,
        confidence=row.confidence,
        redundancy_group=row.redundancy_group,
        classes=classes,
    )


def repeated_edge(
    relation: RelationType, start: Candidate, end: Candidate, index: int, seen: dict[Any, int]
) -> list[FieldError]:
    """A relationship appears once per import: the row repeats `relationships[i]`?"""
    edge = (start.id, relation, end.id)
    if edge in seen:
        return [
            FieldError(
                "to",
                f"the same relationship as relationships[{seen[edge]}]; a relationship appears"
                " once per import",
                "CONFLICT",
            )
        ]
    seen[edge] = index
    return []


def ambiguous(rule: str, label: str, candidates: list[Candidate]) -> FieldError:
    ids = ", ".join(sorted(c.id for c in candidates)[:5])
    field_name = "externalId" if rule in ("externalId", "id") else rule
    return FieldError(
        field_name,
        f"{rule} matches {len(candidates)} {label} CIs ({ids}); identification needs exactly one",
        "CONFLICT",
    )


def class_changed(external_id: str | None, label: str, found: Candidate) -> FieldError:
    return FieldError(
        "class",
        f"externalId '{external_id}' names the {CIClass.from_label(found.label).name} CI"
        f" {found.id} ({found.name}), not a {CIClass.from_label(label).name}; a CI's class"
        " cannot change",
        "CONFLICT",
    )
