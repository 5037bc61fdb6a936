"""Relay connections: opaque cursors over keyset positions, and page size bounds."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import orjson
import strawberry

from resolvers._errors import BadRequest

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "PageInfo",
    "check_first",
    "decode_cursor",
    "encode_cursor",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def page_info(cursors: Sequence[str], has_next: bool, has_previous: bool) -> PageInfo:
    """The `pageInfo` of a page whose edges carry `cursors`, in order."""
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
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


def check_first(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise BadRequest(f"first must be between 0 and {MAX_PAGE_SIZE}, got {first}")
    return first
