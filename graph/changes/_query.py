"""Which changes `changes` lists and in what order: the filter, the ordering and the Cypher
they make, from pre-written fragments chosen by allow-lists (values travel as parameters).
Paging is keyset over (sort key, number), like the incident list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, LiteralString

from graph.changes._cypher import CHANGE_PROJECTION
from graph.cis import OrderDirection
from graph.domain import ChangeState, ChangeType
from graph.errors import FieldError, InvalidInput

__all__ = ["ChangeFilter", "ChangeOrder", "ChangeOrderField", "count_query", "page_query"]


class ChangeOrderField(Enum):
    PLANNED_START = "PLANNED_START"
    OPENED_AT = "OPENED_AT"
    NUMBER = "NUMBER"
    UPDATED_AT = "UPDATED_AT"


_NATURAL = {
    ChangeOrderField.PLANNED_START: OrderDirection.ASC,
    ChangeOrderField.OPENED_AT: OrderDirection.DESC,
    ChangeOrderField.UPDATED_AT: OrderDirection.DESC,
    ChangeOrderField.NUMBER: OrderDirection.ASC,
}


@dataclass(frozen=True)
class ChangeOrder:
    """By `field`; without a direction, soonest first for the planned start (unplanned changes
    last), newest first for the other times and ascending for numbers."""

    field: ChangeOrderField = ChangeOrderField.PLANNED_START
    direction: OrderDirection | None = None

    @property
    def resolved_direction(self) -> OrderDirection:
        return self.direction or _NATURAL[self.field]


@dataclass(frozen=True)
class ChangeFilter:
    """Every field set narrows the result (AND); an empty tuple or None does not filter."""

    states: tuple[ChangeState, ...] = ()
    types: tuple[ChangeType, ...] = ()
    assignee: str | None = None
    assignment_group: str | None = None
    target_ci_id: str | None = None
    impacted_service_id: str | None = None
    planned_after: datetime | None = None
    """Planned to start at or after."""
    planned_before: datetime | None = None
    """Planned to start before."""
    search: str | None = None

    def parameters(self) -> dict[str, Any]:
        """The filter's values by Cypher parameter name, only the fields that filter."""
        for name, moment in (
            ("plannedAfter", self.planned_after),
            ("plannedBefore", self.planned_before),
        ):
            if moment is not None and moment.tzinfo is None:
                message = "give a time zone (e.g. Z or +01:00)"
                raise InvalidInput([FieldError(f"filter.{name}", message, "INVALID_FORMAT")])
        values: dict[str, Any] = {
            "states": sorted({s.value for s in self.states}),
            "types": sorted({t.value for t in self.types}),
            "assignee": _text(self.assignee),
            "assignmentGroup": _text(self.assignment_group),
            "targetCiId": _text(self.target_ci_id),
            "impactedServiceId": _text(self.impacted_service_id),
            "plannedAfter": self.planned_after.isoformat() if self.planned_after else None,
            "plannedBefore": self.planned_before.isoformat() if self.planned_before else None,
            "search": _text(self.search),
        }
        return {name: value for name, value in values.items() if value not in (None, [], "")}


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


_PREDICATES: dict[str, LiteralString] = {
    "states": "c.state IN $states",
    "types": "c.type IN $types",
    "assignee": "c.assignee = $assignee",
    "assignmentGroup": "c.assignmentGroup = $assignmentGroup",
    "targetCiId": "EXISTS { (c)-[:TARGETS]->(:CI {id: $targetCiId}) }",
    "impactedServiceId": "$impactedServiceId IN c.impactedServiceIds",
    "plannedAfter": "c.plannedStart >= datetime($plannedAfter)",
    "plannedBefore": "c.plannedStart < datetime($plannedBefore)",
    "search": "(toLower(c.title) CONTAINS toLower($search) "
    "OR toLower(coalesce(c.description, '')) CONTAINS toLower($search) "
    "OR c.number = toUpper($search))",
}

_UNPLANNED: LiteralString = "datetime('9999-12-31T00:00:00Z')"
_SORT_KEY: dict[ChangeOrderField, LiteralString] = {
    ChangeOrderField.PLANNED_START: "coalesce(c.plannedStart, " + _UNPLANNED + ")",
    ChangeOrderField.OPENED_AT: "c.openedAt",
    ChangeOrderField.UPDATED_AT: "c.updatedAt",
    ChangeOrderField.NUMBER: "c.number",
}
_OP: dict[OrderDirection, LiteralString] = {OrderDirection.ASC: ">", OrderDirection.DESC: "<"}
_DIRECTION: dict[OrderDirection, LiteralString] = {
    OrderDirection.ASC: "ASC",
    OrderDirection.DESC: "DESC",
}


def _where(parameters: dict[str, Any], extra: list[LiteralString]) -> LiteralString:
    conditions = [f for name, f in _PREDICATES.items() if name in parameters] + extra
    return "WHERE " + "\n  AND ".join(conditions) + "\n" if conditions else ""


def count_query(parameters: dict[str, Any]) -> LiteralString:
    """The Cypher that counts the changes matching `parameters`."""
    return "MATCH (c:Change)\n" + _where(parameters, []) + "RETURN count(c) AS total"


def page_query(
    parameters: dict[str, Any], order: ChangeOrder, after: tuple[str, str] | None
) -> tuple[LiteralString, dict[str, Any]]:
    """The Cypher of one page (changes as `change`, the text of their sort key as `sortKey`)
    and its parameters besides the filter's and `$limit`. Raises `InvalidInput` when `after`
    cannot be a position in this ordering."""
    direction = order.resolved_direction
    key, op = _SORT_KEY[order.field], _OP[direction]
    is_number = order.field is ChangeOrderField.NUMBER
    after_key: LiteralString = "$afterKey" if is_number else "datetime($afterKey)"
    extra: dict[str, Any] = {}
    conditions: list[LiteralString] = []
    if after is not None:
        extra = {"afterKey": _after_key(order.field, after[0]), "afterNumber": after[1]}
        conditions.append(
            " ".join(["(" + key, op, after_key, "OR (" + key, "=", after_key, "AND c.number", op])
            + " $afterNumber))"
        )
    sort = _DIRECTION[direction]
    key_text: LiteralString = key if is_number else "toString(" + key + ")"
    return (
        "MATCH (c:Change)\n"
        + _where(parameters, conditions)
        + "WITH c ORDER BY "
        + key
        + " "
        + sort
        + ", c.number "
        + sort
        + " LIMIT $limit\nRETURN "
        + CHANGE_PROJECTION
        + " AS change, "
        + key_text
        + " AS sortKey\nORDER BY "
        + key
        + " "
        + sort
        + ", c.number "
        + sort
    ), extra


def _after_key(field: ChangeOrderField, text: str) -> str:
    if field is ChangeOrderField.NUMBER:
        return text
    try:
        datetime.fromisoformat(text.split("[", 1)[0])
        return text
    except ValueError:
        raise InvalidInput(
            [FieldError("after", "the cursor does not fit this ordering", "INVALID_VALUE")]
        ) from None
