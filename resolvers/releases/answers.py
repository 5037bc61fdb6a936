"""What every release mutation shares: its payload of the release written or the errors of a
refusal, and how it reads a record number."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from graph import releases
from resolvers._errors import payload
from resolvers.releases.types import to_release

__all__ = ["record_number", "release_payload"]

P = TypeVar("P")


async def release_payload(work: Awaitable[releases.Release], kind: Callable[..., P]) -> P:
    """The payload `kind` of `work`: the release it wrote, or the errors of its refusal."""
    return await payload(
        work,
        done=lambda release: kind(release=to_release(release), errors=[]),
        refused=lambda errors: kind(release=None, errors=errors),
    )


def record_number(text: str) -> str:
    """A number as typed: `rel0001001 ` is REL0001001."""
    return text.strip().upper()
