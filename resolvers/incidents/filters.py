"""GraphQL inputs that choose and order the incidents of `incidents`, and their cursors."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph import cis, incidents
from graph.domain import IncidentCategory, IncidentState, Priority
from resolvers._errors import BadRequest
from resolvers._input_cursors import (
    DOES_NOT_FIT,
    Part,
    check_parts,
    number_in,
    record_number,
    timestamp,
)
from resolvers._pagination import decode_cursor, encode_cursor

__all__ = ["IncidentFilter", "IncidentOrder", "incident_cursor", "incident_position"]


@strawberry.input(
    description="Which incidents to list. Every field given narrows the result (AND; values "
    "within a list OR); null or an empty list does not filter."
)
class IncidentFilter:
    states: list[IncidentState] | None = None
    priorities: list[Priority] | None = None
    category: IncidentCategory | None = None
    assignment_group: str | None = strawberry.field(default=None, description="Exact.")
    assignee: str | None = strawberry.field(default=None, description="Exact.")
    affected_ci_id: strawberry.ID | None = None
    impacted_service_id: strawberry.ID | None = strawberry.field(
        default=None, description="Impacted as listed in `impactedServices`."
    )
    problem_number: str | None = strawberry.field(
        default=None, description="The incidents a problem groups."
    )
    breached: bool | None = strawberry.field(
        default=None, description="True: an SLA clock has breached by now; false: none has."
    )
    major: bool | None = None
    opened_after: datetime | None = strawberry.field(default=None, description="Inclusive.")
    opened_before: datetime | None = strawberry.field(default=None, description="Exclusive.")
    search: str | None = strawberry.field(
        default=None, description="Text in the title or description (ignoring case), or a number."
    )

    def to_stored(self) -> incidents.IncidentFilter:
        return incidents.IncidentFilter(
            states=tuple(self.states or ()),
            priorities=tuple(self.priorities or ()),
            category=self.category,
            assignment_group=self.assignment_group,
            assignee=self.assignee,
            affected_ci_id=str(self.affected_ci_id) if self.affected_ci_id else None,
            impacted_service_id=str(self.impacted_service_id) if self.impacted_service_id else None,
            problem_number=self.problem_number,
            breached=self.breached,
            major=self.major,
            opened_after=self.opened_after,
            opened_before=self.opened_before,
            search=self.search,
        )


@strawberry.input(
    description="The order of `incidents`; ties by number. Without a direction: newest first "
    "for OPENED_AT and UPDATED_AT, P1 first for PRIORITY, ascending for NUMBER."
)
class IncidentOrder:
    field: incidents.IncidentOrderField = incidents.IncidentOrderField.OPENED_AT
    direction: cis.OrderDirection | None = None

    def to_stored(self) -> incidents.IncidentOrder:
        return incidents.IncidentOrder(self.field, self.direction)


_KEY: dict[incidents.IncidentOrderField, Part] = {
    incidents.IncidentOrderField.OPENED_AT: timestamp,
    incidents.IncidentOrderField.UPDATED_AT: timestamp,
    incidents.IncidentOrderField.PRIORITY: number_in(1, 5),
    incidents.IncidentOrderField.NUMBER: record_number,
}
"""What the sort key of an incident cursor looks like in each ordering."""


def incident_cursor(order: incidents.IncidentOrder, position: tuple[str, str]) -> str:
    return encode_cursor(order.field.value, order.resolved_direction.value, *position)


def incident_position(cursor: str, order: incidents.IncidentOrder) -> tuple[str, str]:
    """Where `cursor` points in `order`; one made for another order is a bad request."""
    field, direction, key, number = decode_cursor(cursor, 4)
    if (field, direction) != (order.field.value, order.resolved_direction.value):
        raise BadRequest(
            f"this cursor continues incidents ordered by {field} {direction}, not by "
            f"{order.field.value} {order.resolved_direction.value}: ask with the orderBy it "
            "came from, or start again without after"
        )
    check_parts(cursor, (key, number), (_KEY[order.field], record_number), DOES_NOT_FIT)
    return key, number
