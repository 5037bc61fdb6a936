"""Problem mutations."""

from __future__ import annotations

import strawberry

__all__ = ["ProblemMutation"]


@strawberry.type
class ProblemMutation:
    pass
