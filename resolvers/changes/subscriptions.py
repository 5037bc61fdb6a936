"""`changeUpdated`: changes as they are after each committed write that adds to their history
(docs/subscriptions.md)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from graph import changes
from graph.domain import ChangeState, ChangeType
from graph.events import CHANGES, RecordUpdate
from resolvers._context import Context
from resolvers._subscriptions import check_watched, events
from resolvers.changes.answers import change_number
from resolvers.changes.types import Change, to_change

__all__ = ["ChangeSubscription", "ChangeUpdate", "ChangeUpdateFilter"]


@strawberry.input(
    description="Which change updates to receive. Every field given narrows them (AND; values "
    "within a list OR), matched against the change after the write; null or an empty list "
    "does not filter."
)
class ChangeUpdateFilter:
    numbers: list[str] | None = None
    states: list[ChangeState] | None = None
    types: list[ChangeType] | None = None
    target_ci_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Changes targeting any of these CIs."
    )

    def accepts(self, change: changes.Change) -> bool:
        numbers = {change_number(n) for n in self.numbers or ()}
        targets = {str(i) for i in self.target_ci_ids or ()}
        return (
            (not numbers or change.number in numbers)
            and (not self.states or change.state in self.states)
            and (not self.types or change.change_type in self.types)
            and (not targets or not targets.isdisjoint(change.target_ci_ids))
        )


@strawberry.type(description="A change after a committed write.")
class ChangeUpdate:
    change: Change = strawberry.field(description="As it is after the write.")
    operation: str = strawberry.field(description="The mutation: `transitionChange`, ...")
    actor: str
    changed_fields: list[str] = strawberry.field(
        description="The fields the write's history names (empty for a creation)."
    )


def _update(update: RecordUpdate[changes.Change]) -> ChangeUpdate:
    return ChangeUpdate(
        change=to_change(update.record),
        operation=update.operation,
        actor=update.actor,
        changed_fields=list(update.changed_fields),
    )


@strawberry.type
class ChangeSubscription:
    @strawberry.subscription(
        description="Every change the filter accepts, after each committed write that adds an "
        "event to its history (creation, update, transition, approval, links)."
    )
    async def change_updated(
        self, info: Info[Context, None], filter: ChangeUpdateFilter | None = None
    ) -> AsyncGenerator[ChangeUpdate, None]:
        chosen = filter or ChangeUpdateFilter()
        check_watched("filter.numbers", chosen.numbers)
        check_watched("filter.targetCiIds", [str(i) for i in chosen.target_ci_ids or ()])
        async for update in events(info.context, CHANGES, lambda u: chosen.accepts(u.record)):
            yield _update(update)
