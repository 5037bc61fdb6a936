"""GraphQL inputs that choose and order the CIs of `cis`, and the cursors of that ordering."""

from __future__ import annotations

import strawberry

from graph import cis
from graph.domain import CIClass, CIStatus, ClassGroup, Environment
from resolvers._errors import BadRequest
from resolvers._input_cursors import (
    DOES_NOT_FIT,
    Part,
    any_text,
    check_parts,
    identifier,
    number_in,
    timestamp,
)
from resolvers._pagination import decode_cursor, encode_cursor

__all__ = ["CIFilter", "CIOrder", "ci_cursor", "ci_position"]


@strawberry.input(
    description=(
        "Which CIs to list. Every field given narrows the result (fields combine with AND, "
        "values within a list with OR); a null or empty list does not filter. Text matches "
        "ignore case."
    )
)
class CIFilter:
    classes: list[CIClass] | None = None
    class_groups: list[ClassGroup] | None = strawberry.field(
        default=None, description="All classes of these groups, e.g. INFRASTRUCTURE."
    )
    statuses: list[CIStatus] | None = None
    environments: list[Environment] | None = None
    criticalities: list[int] | None = strawberry.field(
        default=None, description="1 = mission critical .. 4 = low."
    )
    owner: str | None = strawberry.field(default=None, description="Exact, ignoring case.")
    support_group: str | None = strawberry.field(default=None, description="Exact, ignoring case.")
    name_contains: str | None = None
    name_starts_with: str | None = None
    search: str | None = strawberry.field(
        default=None,
        description=(
            "Full-text search over name and description, in Lucene query syntax: words, "
            '"a phrase", prefix*, AND/OR/NOT. Restricts the result; the order stays `orderBy`.'
        ),
    )

    def to_stored(self) -> cis.CIFilter:
        return cis.CIFilter(
            classes=tuple(self.classes or ()),
            class_groups=tuple(self.class_groups or ()),
            statuses=tuple(self.statuses or ()),
            environments=tuple(self.environments or ()),
            criticalities=tuple(self.criticalities or ()),
            owner=self.owner,
            support_group=self.support_group,
            name_contains=self.name_contains,
            name_starts_with=self.name_starts_with,
            search=self.search,
        )


@strawberry.input(
    description=(
        "The order of `cis`; ties are broken by id in the same direction. A CI without "
        "criticality sorts after 4 (low) ascending, first descending."
    )
)
class CIOrder:
    field: cis.CIOrderField = cis.CIOrderField.NAME
    direction: cis.OrderDirection = cis.OrderDirection.ASC

    def to_stored(self) -> cis.CIOrder:
        return cis.CIOrder(self.field, self.direction)


_KEY: dict[cis.CIOrderField, Part] = {
    cis.CIOrderField.NAME: any_text,
    cis.CIOrderField.CREATED_AT: timestamp,
    cis.CIOrderField.UPDATED_AT: timestamp,
    cis.CIOrderField.CRITICALITY: number_in(1, 5),
}
"""What the sort key of a CI cursor looks like in each ordering."""


def ci_cursor(order: cis.CIOrder, position: cis.PageKey) -> str:
    """The cursor of a CI at `position` (sort key text, id) in `order`."""
    return encode_cursor(order.field.value, order.direction.value, *position)


def ci_position(cursor: str, order: cis.CIOrder) -> cis.PageKey:
    """Where `cursor` points in `order`; a cursor made for another order is a bad request,
    since its position means nothing there."""
    field, direction, key, ci_id = decode_cursor(cursor, 4)
    if (field, direction) != (order.field.value, order.direction.value):
        raise BadRequest(
            f"this cursor continues cis ordered by {field} {direction}, not by "
            f"{order.field.value} {order.direction.value}: ask with the orderBy it came from, "
            "or start again without after"
        )
    check_parts(cursor, (key, ci_id), (_KEY[order.field], identifier), DOES_NOT_FIT)
    return key, ci_id
