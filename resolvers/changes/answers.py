"""What every change mutation shares: its payload of the change written or the errors of a
refusal, and how it reads a change number."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from graph import changes
from resolvers._errors import payload
from resolvers.changes.types import to_change

__all__ = ["change_number", "change_payload"]

P = TypeVar("P")


async def change_payload(work: Awaitable[changes.Change], kind: Callable[..., P]) -> P:
    """The payload `kind` of `work`: the change it wrote, or the errors of its refusal."""
    return await payload(
        work,
        done=lambda change: kind(change=to_change(change), errors=[]),
        refused=lambda errors: kind(change=None, errors=errors),
    )


def change_number(text: str) -> str:
    """A number as typed: `chg0001001 ` is CHG0001001."""
    return text.strip().upper()
