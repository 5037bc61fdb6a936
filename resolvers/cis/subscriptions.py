"""`ciUpdated`: CIs as they are after each committed write that adds to their history
(docs/subscriptions.md)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from graph.domain import CI, CIClass, CIStatus
from graph.events import CIS, RecordUpdate
from resolvers._context import Context
from resolvers._subscriptions import check_watched, events
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["CISubscription", "CIUpdate", "CIUpdateFilter"]


@strawberry.input(
    description="Which CI updates to receive. Every field given narrows them (AND; values "
    "within a list OR), matched against the CI after the write; null or an empty list does "
    "not filter."
)
class CIUpdateFilter:
    ids: list[strawberry.ID] | None = None
    classes: list[CIClass] | None = None
    statuses: list[CIStatus] | None = None

    def accepts(self, ci: CI) -> bool:
        ids = {str(i) for i in self.ids or ()}
        return (
            (not ids or ci.id in ids)
            and (not self.classes or ci.ci_class in self.classes)
            and (not self.statuses or ci.status in self.statuses)
        )


@strawberry.type(description="A CI after a committed write.")
class CIUpdate:
    ci: ConfigurationItem = strawberry.field(description="As it is after the write.")
    operation: str = strawberry.field(description="The mutation: `updateCI`, `relateCIs`, ...")
    actor: str
    changed_fields: list[str] = strawberry.field(
        description="The fields the write's history names."
    )


def _update(update: RecordUpdate[CI]) -> CIUpdate:
    return CIUpdate(
        ci=to_graphql(update.record),
        operation=update.operation,
        actor=update.actor,
        changed_fields=list(update.changed_fields),
    )


@strawberry.type
class CISubscription:
    @strawberry.subscription(
        description="Every CI the filter accepts, after each committed write that adds an event "
        "to its history: its own fields, its relationships, capacity, service level, windows, "
        "imports."
    )
    async def ci_updated(
        self, info: Info[Context, None], filter: CIUpdateFilter | None = None
    ) -> AsyncGenerator[CIUpdate, None]:
        chosen = filter or CIUpdateFilter()
        check_watched("filter.ids", [str(i) for i in chosen.ids or ()])
        async for update in events(info.context, CIS, lambda u: chosen.accepts(u.record)):
            yield _update(update)
