"""Which incidents `incidents` lists and in what order: the filter, the ordering and the Cypher
they make, from pre-written fragments chosen by allow-lists (values travel as parameters).
Paging is keyset over (sort key, number), like the CI list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, LiteralString

from graph.cis import OrderDirection
from graph.domain import IncidentCategory, IncidentState, Priority
from graph.errors import FieldError, InvalidInput
from graph.incidents._cypher import INCIDENT_PROJECTION

__all__ = ["IncidentFilter", "IncidentOrder", "IncidentOrderField", "count_query", "page_query"]


class IncidentOrderField(Enum):
    OPENED_AT = "OPENED_AT"
    PRIORITY = "PRIORITY"
    NUMBER = "NUMBER"
    UPDATED_AT = "UPDATED_AT"


_NATURAL = {
    IncidentOrderField.OPENED_AT: OrderDirection.DESC,
    IncidentOrderField.UPDATED_AT: OrderDirection.DESC,
    IncidentOrderField.PRIORITY: OrderDirection.ASC,
    IncidentOrderField.NUMBER: OrderDirection.ASC,
}


@dataclass(frozen=True)
class IncidentOrder:
    """By `field`; without a direction, newest first for times, P1 first for priority and
    ascending for numbers."""

    field: IncidentOrderField = IncidentOrderField.OPENED_AT
    direction: OrderDirection | None = None

    @property
    def resolved_direction(self) -> OrderDirection:
        return self.direction or _NATURAL[self.field]


@dataclass(frozen=True)
class IncidentFilter:
    """Every field set narrows the result (AND); an empty tuple or None does not filter."""

    states: tuple[IncidentState, ...] = ()
    priorities: tuple[Priority, ...] = ()
    category: IncidentCategory | None = None
    assignment_group: str | None = None
    assignee: str | None = None
    affected_ci_id: str | None = None
    impacted_service_id: str | None = None
    problem_number: str | None = None
    """The problem that groups the incidents."""
    breached: bool | None = None
    major: bool | None = None
    opened_after: datetime | None = None
    opened_before: datetime | None = None
    search: str | None = None

    def parameters(self, now: datetime) -> dict[str, Any]:
        """The filter's values by Cypher parameter name, only the fields that filter; `now`
        is the instant `breached` is judged at."""
        for name, moment in (
            ("openedAfter", self.opened_after),
            ("openedBefore", self.opened_before),
        ):
            if moment is not None and moment.tzinfo is None:
                message = "give a time zone (e.g. Z or +01:00)"
                raise InvalidInput([FieldError(f"filter.{name}", message, "INVALID_FORMAT")])
        values: dict[str, Any] = {
            "states": sorted({s.value for s in self.states}),
            "priorities": sorted({p.value for p in self.priorities}),
            "category": self.category.value if self.category else None,
            "assignmentGroup": _text(self.assignment_group),
            "assignee": _text(self.assignee),
            "affectedCiId": _text(self.affected_ci_id),
            "impactedServiceId": _text(self.impacted_service_id),
            "problemNumber": _text(self.problem_number),
            "major": self.major,
            "openedAfter": self.opened_after.isoformat() if self.opened_after else None,
            "openedBefore": self.opened_before.isoformat() if self.opened_before else None,
            "search": _text(self.search),
        }
        found = {name: value for name, value in values.items() if value not in (None, [], "")}
        if self.breached is not None:
            found["breached" if self.breached else "notBreached"] = now.isoformat()
        return found


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


_PREDICATES: dict[str, LiteralString] = {
    "states": "i.state IN $states",
    "priorities": "i.priority IN $priorities",
    "category": "i.category = $category",
    "assignmentGroup": "i.assignmentGroup = $assignmentGroup",
    "assignee": "i.assignee = $assignee",
    "affectedCiId": "EXISTS { (i)-[:AFFECTS]->(:CI {id: $affectedCiId}) }",
    "impactedServiceId": "(($impactedServiceId IN i.computedServiceIds "
    "AND NOT EXISTS { (i)-[:EXCLUDES]->(:CI {id: $impactedServiceId}) }) "
    "OR EXISTS { (i)-[:IMPACTS {source: 'MANUAL'}]->(:CI {id: $impactedServiceId}) })",
    "problemNumber": "EXISTS { (:Problem {number: $problemNumber})-[:GROUPS]->(i) }",
    "breached": "i.slaBreachAt <= datetime($breached)",
    "notBreached": "(i.slaBreachAt IS NULL OR i.slaBreachAt > datetime($notBreached))",
    "major": "i.major = $major",
    "openedAfter": "i.openedAt >= datetime($openedAfter)",
    "openedBefore": "i.openedAt < datetime($openedBefore)",
    "search": "(toLower(i.title) CONTAINS toLower($search) "
    "OR toLower(coalesce(i.description, '')) CONTAINS toLower($search) "
    "OR i.number = toUpper($search))",
}

_SORT_KEY: dict[IncidentOrderField, LiteralString] = {
    IncidentOrderField.OPENED_AT: "i.openedAt",
    IncidentOrderField.UPDATED_AT: "i.updatedAt",
    IncidentOrderField.PRIORITY: "i.priorityRank",
    IncidentOrderField.NUMBER: "i.number",
}
_AFTER_KEY: dict[IncidentOrderField, LiteralString] = {
    IncidentOrderField.OPENED_AT: "datetime($afterKey)",
    IncidentOrderField.UPDATED_AT: "datetime($afterKey)",
    IncidentOrderField.PRIORITY: "$afterKey",
    IncidentOrderField.NUMBER: "$afterKey",
}
_KEY_TEXT: dict[IncidentOrderField, LiteralString] = {
    IncidentOrderField.OPENED_AT: "toString(i.openedAt)",
    IncidentOrderField.UPDATED_AT: "toString(i.updatedAt)",
    IncidentOrderField.PRIORITY: "toString(i.priorityRank)",
    IncidentOrderField.NUMBER: "i.number",
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
    """The Cypher that counts the incidents matching `parameters`."""
    return "MATCH (i:Incident)\n" + _where(parameters, []) + "RETURN count(i) AS total"


def page_query(
    parameters: dict[str, Any], order: IncidentOrder, after: tuple[str, str] | None
) -> tuple[LiteralString, dict[str, Any]]:
    """The Cypher of one page (incidents as `incident`, the text of their sort key as
    `sortKey`) and its parameters besides the filter's and `$limit`. Raises `InvalidInput`
    when `after` cannot be a position in this ordering."""
    direction = order.resolved_direction
    key, op = _SORT_KEY[order.field], _OP[direction]
    extra: dict[str, Any] = {}
    conditions: list[LiteralString] = []
    if after is not None:
        extra = {"afterKey": _after_key(order.field, after[0]), "afterNumber": after[1]}
        after_key = _AFTER_KEY[order.field]
        conditions.append(
            " ".join(["(" + key, op, after_key, "OR (" + key, "=", after_key, "AND i.number", op])
            + " $afterNumber))"
        )
    sort = _DIRECTION[direction]
    return (
        "MATCH (i:Incident)\n"
        + _where(parameters, conditions)
        + "WITH i ORDER BY "
        + key
        + " "
        + sort
        + ", i.number "
        + sort
        + " LIMIT $limit\nRETURN "
        + INCIDENT_PROJECTION
        + " AS incident, "
        + _KEY_TEXT[order.field]
        + " AS sortKey\nORDER BY "
        + key
        + " "
        + sort
        + ", i.number "
        + sort
    ), extra


def _after_key(field: IncidentOrderField, text: str) -> str | int:
    try:
        if field is IncidentOrderField.PRIORITY:
            value = int(text)
            if 1 <= value <= 5:
                return value
        elif field is IncidentOrderField.NUMBER:
            return text
        else:
            datetime.fromisoformat(text.split("[", 1)[0])
            return text
    except ValueError:
        pass
    raise InvalidInput(
        [FieldError("after", "the cursor does not fit this ordering", "INVALID_VALUE")]
    )
