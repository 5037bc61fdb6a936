"""Relay connections: one generic `Edge` and `Connection`, opaque cursors over keyset
positions, and page size bounds.

A connection is generic in its edge type, not in its node type: the GraphQL names of both are
public contract and not mechanical (`NeighbourEdge` and `StaleRelationshipEdge` both carry a
`Relationship`), so every list declares its two names as one-line subclasses, e.g.
`class CIEdge(Edge[ConfigurationItem])` and `class CIConnection(CountedConnection[CIEdge])`.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import orjson
import strawberry

from resolvers._errors import BadRequest

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Connection",
    "Count",
    "CountedConnection",
    "Edge",
    "PageInfo",
    "check_first",
    "decode_cursor",
    "encode_cursor",
    "page_info",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


E = TypeVar("E", bound=Edge[Any])


@strawberry.type
class Connection(Generic[E]):
    edges: list[E]
    page_info: PageInfo


Count = int | Callable[[], Awaitable[int]]
"""A total already known with the page, or the query that counts it."""


@strawberry.type
class CountedConnection(Connection[E]):
    count: strawberry.Private[Count]

    # A plain function: a known total is answered without an await (a CI list shows one
    # neighbour connection per CI); a count that costs a round trip runs only when selected.
    @strawberry.field(
        graphql_type=int,
        description="How many items the whole list holds, across all pages; costs nothing "
        "unless selected.",
    )
    def total_count(self) -> object:
        return self.count if isinstance(self.count, int) else self.count()


def page_info(edges: Sequence[Edge[Any]], has_next: bool, has_previous: bool) -> PageInfo:
    """The `pageInfo` of a page of `edges`, in order."""
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )


def encode_cursor(*key: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode()


def decode_cursor(cursor: str, parts: int) -> tuple[str, ...]:
    """The keyset position in `cursor`; a cursor the server did not make is a bad request."""
    try:
        key = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"'{cursor}' is not a cursor this API returned") from error
    if not isinstance(key, list) or len(key) != parts or not all(isinstance(k, str) for k in key):
        raise BadRequest(f"'{cursor}' is not a cursor this API returned")
    return tuple(key)


def check_first(first: int | None, maximum: int = MAX_PAGE_SIZE) -> int:
    """The page size asked (the default when none), refused outside 0..`maximum`."""
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 <= first <= maximum:
        raise BadRequest(f"first must be between 0 and {maximum}, got {first}")
    return first
