"""The words of impact analysis: a CI's computed state under a failure, and how deep a
question may reach. Pure, shared by the projection, the traversals and the API."""

from __future__ import annotations

from enum import Enum

__all__ = ["DEFAULT_DEPTH", "MAX_DEPTH", "State"]

DEFAULT_DEPTH = 10
"""Hops an impact question follows when the caller does not say."""
MAX_DEPTH = 50
"""The most hops any impact question may follow."""


class State(Enum):
    """A CI's computed state under a failure (docs/concepts.md, "States"), mildest first."""

    OPERATIONAL = "OPERATIONAL"
    DEGRADED = "DEGRADED"
    DOWN = "DOWN"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {State.OPERATIONAL: 0, State.DEGRADED: 1, State.DOWN: 2}
