"""Problem queries."""

from __future__ import annotations

import strawberry

__all__ = ["ProblemQuery"]


@strawberry.type
class ProblemQuery:
    pass
