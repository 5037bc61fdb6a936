"""GraphQL inputs that choose and order the changes of `changes`, and their cursors."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph import changes, cis
from graph.domain import ChangeState, ChangeType
from resolvers._errors import BadRequest
from resolvers._input_cursors import DOES_NOT_FIT, Part, check_parts, record_number, timestamp
from resolvers._pagination import decode_cursor, encode_cursor

__all__ = ["ChangeFilter", "ChangeOrder", "change_cursor", "change_position"]


@strawberry.input(
    description="Which changes to list. Every field given narrows the result (AND; values "
    "within a list OR); null or an empty list does not filter."
)
class ChangeFilter:
    states: list[ChangeState] | None = None
    types: list[ChangeType] | None = None
    assignee: str | None = strawberry.field(default=None, description="Exact.")
    assignment_group: str | None = strawberry.field(default=None, description="Exact.")
    target_ci_id: strawberry.ID | None = None
    impacted_service_id: strawberry.ID | None = strawberry.field(
        default=None, description="A service of the impact snapshot."
    )
    planned_after: datetime | None = strawberry.field(
        default=None, description="Planned to start at or after."
    )
    planned_before: datetime | None = strawberry.field(
        default=None, description="Planned to start before."
    )
    search: str | None = strawberry.field(
        default=None, description="Text in the title or description (ignoring case), or a number."
    )

    def to_stored(self) -> changes.ChangeFilter:
        return changes.ChangeFilter(
            states=tuple(self.states or ()),
            types=tuple(self.types or ()),
            assignee=self.assignee,
            assignment_group=self.assignment_group,
            target_ci_id=str(self.target_ci_id) if self.target_ci_id else None,
            impacted_service_id=str(self.impacted_service_id) if self.impacted_service_id else None,
            planned_after=self.planned_after,
            planned_before=self.planned_before,
            search=self.search,
        )


@strawberry.input(
    description="The order of `changes`; ties by number. Without a direction: soonest first "
    "for PLANNED_START (unplanned last), newest first for OPENED_AT and UPDATED_AT, ascending "
    "for NUMBER."
)
class ChangeOrder:
    field: changes.ChangeOrderField = changes.ChangeOrderField.PLANNED_START
    direction: cis.OrderDirection | None = None

    def to_stored(self) -> changes.ChangeOrder:
        return changes.ChangeOrder(self.field, self.direction)


_KEY: dict[changes.ChangeOrderField, Part] = {
    changes.ChangeOrderField.PLANNED_START: timestamp,
    changes.ChangeOrderField.OPENED_AT: timestamp,
    changes.ChangeOrderField.UPDATED_AT: timestamp,
    changes.ChangeOrderField.NUMBER: record_number,
}
"""What the sort key of a change cursor looks like in each ordering."""


def change_cursor(order: changes.ChangeOrder, position: tuple[str, str]) -> str:
    return encode_cursor(order.field.value, order.resolved_direction.value, *position)


def change_position(cursor: str, order: changes.ChangeOrder) -> tuple[str, str]:
    """Where `cursor` points in `order`; one made for another order is a bad request."""
    field, direction, key, number = decode_cursor(cursor, 4)
    if (field, direction) != (order.field.value, order.resolved_direction.value):
        raise BadRequest(
            f"this cursor continues changes ordered by {field} {direction}, not by "
            f"{order.field.value} {order.resolved_direction.value}: ask with the orderBy it "
            "came from, or start again without after"
        )
    check_parts(cursor, (key, number), (_KEY[order.field], record_number), DOES_NOT_FIT)
    return key, number
