"""Change queries."""

from __future__ import annotations

import strawberry

__all__ = ["ChangeQuery"]


@strawberry.type
class ChangeQuery:
    pass
