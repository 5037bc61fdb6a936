"""Release mutations."""

from __future__ import annotations

import strawberry

__all__ = ["ReleaseMutation"]


@strawberry.type
class ReleaseMutation:
    pass
