"""Which CIs `cis` lists and in what order: the filter, the ordering and the Cypher they make.

The query text is put together from the pre-written fragments below, chosen by which filter
fields are set and by the ordering, both allow-lists; user values travel only as parameters.
Only the predicates that are needed are sent, so the planner sees plain predicates such as
`c.status IN $statuses` that it can answer from the indexes.

Paging is keyset: a page starts after the (sort key, id) of the last CI of the previous page,
so it stays correct while CIs are added or removed before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, LiteralString

from graph.cis._projection import CI_PROJECTION
from graph.domain import CIClass, CIStatus, ClassGroup, Environment
from graph.errors import FieldError, InvalidInput

__all__ = [
    "MISSING_CRITICALITY",
    "CIFilter",
    "CIOrder",
    "CIOrderField",
    "OrderDirection",
    "count_query",
    "page_query",
]

MISSING_CRITICALITY = 5
"""The sort key of a CI without criticality: after 4 (low) when ascending, first descending."""


class CIOrderField(Enum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    CRITICALITY = "CRITICALITY"


class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@dataclass(frozen=True)
class CIOrder:
    field: CIOrderField = CIOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@dataclass(frozen=True)
class CIFilter:
    """Every field set narrows the result (they combine with AND); an empty tuple or None
    does not filter. Text comparisons ignore case; `search` is Lucene query syntax over the
    full-text index of names and descriptions."""

    classes: tuple[CIClass, ...] = ()
    class_groups: tuple[ClassGroup, ...] = ()
    statuses: tuple[CIStatus, ...] = ()
    environments: tuple[Environment, ...] = ()
    criticalities: tuple[int, ...] = ()
    owner: str | None = None
    support_group: str | None = None
    name_contains: str | None = None
    name_starts_with: str | None = None
    search: str | None = None

    def parameters(self) -> dict[str, Any]:
        """The filter's values by Cypher parameter name; only the fields that filter.
        Raises `InvalidInput` for a criticality outside 1..4."""
        bad = [c for c in self.criticalities if not 1 <= c <= 4]
        if bad:
            raise InvalidInput(
                [
                    FieldError(
                        "filter.criticalities",
                        f"must be 1 (mission critical) .. 4 (low), got {bad[0]}",
                        "OUT_OF_RANGE",
                    )
                ]
            )
        groups = set(self.class_groups)
        values: dict[str, Any] = {
            "classes": sorted({c.label for c in self.classes}),
            "groupClasses": sorted(c.label for c in CIClass if c.group in groups),
            "statuses": sorted({s.value for s in self.statuses}),
            "environments": sorted({e.value for e in self.environments}),
            "criticalities": sorted(set(self.criticalities)),
            "owner": _text(self.owner),
            "supportGroup": _text(self.support_group),
            "nameContains": _text(self.name_contains),
            "nameStartsWith": _text(self.name_starts_with),
            "search": _text(self.search),
        }
        return {name: value for name, value in values.items() if value}


def _text(value: str | None) -> str | None:
    # Blank text does not filter: an empty search box means "everything".
    return value.strip() if value and value.strip() else None


# Keyed by the parameter each predicate reads; `search` chooses the source instead.
_PREDICATES: dict[str, LiteralString] = {
    "classes": "c.class IN $classes",
    "groupClasses": "c.class IN $groupClasses",
    "statuses": "c.status IN $statuses",
    "environments": "c.environment IN $environments",
    "criticalities": "c.criticality IN $criticalities",
    "owner": "toLower(c.owner) = toLower($owner)",
    "supportGroup": "toLower(c.supportGroup) = toLower($supportGroup)",
    "nameContains": "toLower(c.name) CONTAINS toLower($nameContains)",
    "nameStartsWith": "toLower(c.name) STARTS WITH toLower($nameStartsWith)",
}

ALL_CIS: LiteralString = "MATCH (c:CI)\n"
SEARCHED_CIS: LiteralString = (
    "CALL db.index.fulltext.queryNodes('ci_fulltext', $search) YIELD node AS c\n"
)

# The sort key, how the cursor's text becomes a comparable value, and how the key becomes
# cursor text. Neo4j's datetime text keeps the zone and every digit, so it converts back to
# an equal value.
_SORT_KEY: dict[CIOrderField, LiteralString] = {
    CIOrderField.NAME: "c.name",
    CIOrderField.CREATED_AT: "c.createdAt",
    CIOrderField.UPDATED_AT: "c.updatedAt",
    CIOrderField.CRITICALITY: "coalesce(c.criticality, 5)",
}
_AFTER_KEY: dict[CIOrderField, LiteralString] = {
    CIOrderField.NAME: "$afterKey",
    CIOrderField.CREATED_AT: "datetime($afterKey)",
    CIOrderField.UPDATED_AT: "datetime($afterKey)",
    CIOrderField.CRITICALITY: "$afterKey",
}
_KEY_TEXT: dict[CIOrderField, LiteralString] = {
    CIOrderField.NAME: "c.name",
    CIOrderField.CREATED_AT: "toString(c.createdAt)",
    CIOrderField.UPDATED_AT: "toString(c.updatedAt)",
    CIOrderField.CRITICALITY: "toString(coalesce(c.criticality, 5))",
}
# Always true (every CI has an id, a name and both timestamps), but only a predicate on the
# indexed properties lets the planner read the page in index order and stop after $limit rows
# instead of sorting every CI: at 10,000 CIs the first page by name takes 6 ms, not 50.
# Criticality is optional, so its ordering has none.
_IN_INDEX: dict[CIOrderField, LiteralString] = {
    CIOrderField.NAME: "c.name IS NOT NULL AND c.id IS NOT NULL",
    CIOrderField.CREATED_AT: "c.createdAt IS NOT NULL",
    CIOrderField.UPDATED_AT: "c.updatedAt IS NOT NULL",
}
_AFTER: dict[OrderDirection, LiteralString] = {OrderDirection.ASC: ">", OrderDirection.DESC: "<"}
_DIRECTION: dict[OrderDirection, LiteralString] = {
    OrderDirection.ASC: "ASC",
    OrderDirection.DESC: "DESC",
}


def _source_and_conditions(
    parameters: dict[str, Any],
) -> tuple[LiteralString, list[LiteralString]]:
    source = SEARCHED_CIS if "search" in parameters else ALL_CIS
    return source, [fragment for name, fragment in _PREDICATES.items() if name in parameters]


def _where(conditions: list[LiteralString]) -> LiteralString:
    return "WHERE " + "\n  AND ".join(conditions) + "\n" if conditions else ""


def count_query(parameters: dict[str, Any]) -> LiteralString:
    """The Cypher that counts the CIs matching `parameters` (from `CIFilter.parameters`)."""
    source, conditions = _source_and_conditions(parameters)
    return source + _where(conditions) + "RETURN count(c) AS total"


def page_query(
    parameters: dict[str, Any], order: CIOrder, after: tuple[str, str] | None
) -> tuple[LiteralString, dict[str, Any]]:
    """The Cypher for one page, and its parameters besides the filter's and `$limit`: the
    page's CIs as `ci` with the text of their sort key as `sortKey`. Raises `InvalidInput`
    when `after` cannot be a position in this ordering."""
    source, conditions = _source_and_conditions(parameters)
    if order.field in _IN_INDEX and "search" not in parameters:
        conditions = [*conditions, _IN_INDEX[order.field]]
    extra: dict[str, Any] = {}
    if after is not None:
        extra = {"afterKey": _after_key(order.field, after[0]), "afterId": after[1]}
        conditions = [*conditions, _keyset(order)]
    key, direction = _SORT_KEY[order.field], _DIRECTION[order.direction]
    return (
        source
        + _where(conditions)
        + "RETURN "
        + CI_PROJECTION
        + " AS ci, "
        + _KEY_TEXT[order.field]
        + " AS sortKey\n"
        + " ".join(["ORDER BY", key, direction + ",", "c.id", direction])
        + "\nLIMIT $limit"
    ), extra


def _keyset(order: CIOrder) -> LiteralString:
    """(key, id) after (afterKey, afterId): `>` when ascending, `<` when descending."""
    key, after, op = _SORT_KEY[order.field], _AFTER_KEY[order.field], _AFTER[order.direction]
    return " ".join(["(" + key, op, after, "OR (" + key, "=", after, "AND c.id", op, "$afterId))"])


def _after_key(field: CIOrderField, text: str) -> str | int:
    """The cursor's sort key as the value Cypher compares; refuses text that is not one."""
    try:
        if field is CIOrderField.CRITICALITY:
            value = int(text)
            if 1 <= value <= MISSING_CRITICALITY:
                return value
        elif field is CIOrderField.NAME:
            return text
        else:
            # Neo4j writes a named zone in brackets after the offset; Python reads the rest.
            datetime.fromisoformat(text.split("[", 1)[0])
            return text
    except ValueError:
        pass
    raise InvalidInput(
        [FieldError("after", "the cursor does not fit this ordering", "INVALID_VALUE")]
    )
