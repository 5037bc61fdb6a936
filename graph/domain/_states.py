"""What every record's state machine shares: the refusal of a move it does not allow. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from graph.errors import FieldError, InvalidInput

__all__ = ["check_move"]

S = TypeVar("S", bound=Enum)


def check_move(
    record: str, moves: Mapping[S, tuple[S, ...]], state: S, to: S, field: str = "to"
) -> None:
    """Raises `InvalidInput` (code INVALID_TRANSITION) when `moves` does not allow `state` ->
    `to` for a `record` ("an incident", "a problem"), naming the allowed ones."""
    allowed = moves[state]
    if to in allowed:
        return
    noun = record.split()[-1]
    names = ", ".join(s.value for s in allowed) or f"none: the {noun} is {state.value}"
    raise InvalidInput(
        [
            FieldError(
                field,
                f"{record} cannot go from {state.value} to {to.value}; allowed: {names}",
                "INVALID_TRANSITION",
            )
        ]
    )
