"""Release queries."""

from __future__ import annotations

import strawberry

__all__ = ["ReleaseQuery"]


@strawberry.type
class ReleaseQuery:
    pass
