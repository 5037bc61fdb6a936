"""Problem queries: `problem(number)`, `problems(filter, first, after, orderBy)`,
`knownErrors(search, first, after)`, `problemSuggestions(minIncidents, days, first)`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import problems
from resolvers._context import Context
from resolvers._errors import BadRequest, bad_request_on_refusal
from resolvers._input_cursors import check_parts, record_number, score, timestamp
from resolvers._pagination import check_first, decode_cursor, encode_cursor, page_info
from resolvers.problems.inputs import ProblemFilter, ProblemOrder
from resolvers.problems.types import (
    Problem,
    ProblemConnection,
    ProblemEdge,
    ProblemSuggestion,
    to_problem,
    to_suggestion,
)

__all__ = ["ProblemQuery"]

# The first part of a cursor says which list made it: a problems cursor is an opened time, a
# known errors cursor a search score, and neither means anything to the other list.
_PROBLEMS = "problems"
_KNOWN_ERRORS = "knownErrors"


def _problems_kind(order: problems.ProblemOrder) -> str:
    """What a problems cursor starts with: the list, and its order unless it is the default."""
    if order == problems.ProblemOrder():
        return _PROBLEMS
    return f"{_PROBLEMS} by {order.field.value} {'DESC' if order.descending else 'ASC'}"


def _position(after: str | None, kind: str) -> tuple[str, str] | None:
    if after is None:
        return None
    made_by, key, number = decode_cursor(after, 3)
    if made_by != kind:
        raise BadRequest(f"'{after}' is a cursor of {made_by}, not of {kind}")
    # A problem's position is its opened time, a known error's its search score.
    position = score if kind == _KNOWN_ERRORS else timestamp
    check_parts(after, (key, number), (position, record_number))
    return key, number


@strawberry.type
class ProblemQuery:
    @strawberry.field(description="The problem with this number (PRB0001001), or null.")
    async def problem(self, info: Info[Context, None], number: str) -> Problem | None:
        found = await info.context.repositories.problems.get(number)
        return to_problem(found) if found else None

    @strawberry.field(
        description="Problems matching `filter` in `orderBy` order (default: newest first, by "
        "opened time), a page at a time (`first` at most 100); cursors are tied to the ordering."
    )
    async def problems(
        self,
        info: Info[Context, None],
        filter: ProblemFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: ProblemOrder | None = None,
    ) -> ProblemConnection:
        size = check_first(first)
        order = order_by.to_stored() if order_by else problems.ProblemOrder()
        kind = _problems_kind(order)
        position = _position(after, kind)
        criteria = filter.to_stored() if filter else problems.ProblemFilter()
        repository = info.context.repositories.problems
        with bad_request_on_refusal():
            page = await repository.page(size, position, criteria, order)
        edges = [
            ProblemEdge(cursor=encode_cursor(kind, *key), node=to_problem(problem))
            for problem, key in zip(page.items, page.positions, strict=True)
        ]

        async def count_matching() -> int:
            with bad_request_on_refusal():
                return await repository.count(criteria)

        return ProblemConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=count_matching,
        )

    @strawberry.field(
        description="The known error database: problems in KNOWN_ERROR whose title, "
        "description or workaround match the Lucene text `search`, best match first, a page "
        "at a time (`first` at most 100)."
    )
    async def known_errors(
        self,
        info: Info[Context, None],
        search: str,
        first: int | None = None,
        after: str | None = None,
    ) -> ProblemConnection:
        size = check_first(first)
        position = _position(after, _KNOWN_ERRORS)
        repository = info.context.repositories.problems
        with bad_request_on_refusal():
            page = await repository.known_errors(search, size, position)
        edges = [
            ProblemEdge(cursor=encode_cursor(_KNOWN_ERRORS, *key), node=to_problem(problem))
            for problem, key in zip(page.items, page.positions, strict=True)
        ]

        async def count_matching() -> int:
            with bad_request_on_refusal():
                return await repository.count_known_errors(search)

        return ProblemConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=count_matching,
        )

    @strawberry.field(
        description="CIs affected by at least `minIncidents` (2 .. 1000) incidents opened in "
        "the last `days` (1 .. 365) days, cancelled ones aside, most incidents first; at most "
        "`first` (0 .. 100) of them. Candidates for proactive problem management."
    )
    async def problem_suggestions(
        self,
        info: Info[Context, None],
        min_incidents: int = 3,
        days: int = 7,
        first: int = 20,
    ) -> list[ProblemSuggestion]:
        size = check_first(first)
        with bad_request_on_refusal():
            found = await info.context.repositories.problems.suggestions(min_incidents, days, size)
        return [to_suggestion(suggestion) for suggestion in found]
