"""Change mutations."""

from __future__ import annotations

import strawberry

__all__ = ["ChangeMutation"]


@strawberry.type
class ChangeMutation:
    pass
