"""What every incident mutation shares: its payload of the incident written or the errors of a
refusal, and how it reads an incident number."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from graph import incidents
from resolvers._errors import payload
from resolvers.incidents.types import to_incident

__all__ = ["incident_number", "incident_payload"]

P = TypeVar("P")


async def incident_payload(work: Awaitable[incidents.Incident], kind: Callable[..., P]) -> P:
    """The payload `kind` of `work`: the incident it wrote, or the errors of its refusal."""
    return await payload(
        work,
        done=lambda incident: kind(incident=to_incident(incident), errors=[]),
        refused=lambda errors: kind(incident=None, errors=errors),
    )


def incident_number(text: str) -> str:
    """A number as typed: `inc0001001 ` is INC0001001."""
    return text.strip().upper()
