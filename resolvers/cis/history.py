"""GraphQL types for a CI's history (docs/concepts.md, "History")."""

from __future__ import annotations

import json
from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import domain
from resolvers._context import Context
from resolvers._input_cursors import check_parts, identifier, timestamp
from resolvers._pagination import (
    Connection,
    Edge,
    check_first,
    decode_cursor,
    encode_cursor,
    page_info,
)

__all__ = [
    "AuditEvent",
    "AuditEventConnection",
    "AuditEventEdge",
    "FieldChange",
    "history_page",
    "to_event",
]


@strawberry.type(description="One field's value before and after a change, as JSON text.")
class FieldChange:
    field: str
    before: str | None = strawberry.field(description="JSON; null when the field was unset.")
    after: str | None = strawberry.field(description="JSON; null when the field was cleared.")


@strawberry.type(description="Who changed what, when: one entry of the audit trail.")
class AuditEvent:
    id: strawberry.ID
    at: datetime
    actor: str
    operation: str = strawberry.field(description="The mutation, e.g. updateCI or relateCIs.")
    summary: str
    changes: list[FieldChange]


@strawberry.type
class AuditEventEdge(Edge[AuditEvent]):
    pass


@strawberry.type(description="A CI's history, newest first.")
class AuditEventConnection(Connection[AuditEventEdge]):
    pass


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, default=str)


def to_event(event: domain.AuditEvent) -> AuditEvent:
    return AuditEvent(
        id=strawberry.ID(event.id),
        at=event.at,
        actor=event.actor,
        operation=event.operation,
        summary=event.summary,
        changes=[
            FieldChange(field=c.field, before=_json(c.before), after=_json(c.after))
            for c in event.changes
        ],
    )


async def history_page(
    info: Info[Context, None],
    ci_id: str,
    first: int | None,
    after: str | None,
    *,
    record: bool = False,
) -> AuditEventConnection:
    """A page of the CI's history (with `record`, of the ITSM record with that id), newest
    first."""
    size = check_first(first)
    key = decode_cursor(after, 2) if after else None
    if after and key:
        check_parts(after, key, (timestamp, identifier))
    page = await info.context.repositories.history.page(
        ci_id, size, (key[0], key[1]) if key else None, record=record
    )
    edges = [
        AuditEventEdge(cursor=encode_cursor(*event.position), node=to_event(event))
        for event in page.items
    ]
    return AuditEventConnection(
        edges=edges, page_info=page_info(edges, page.has_next, after is not None)
    )
