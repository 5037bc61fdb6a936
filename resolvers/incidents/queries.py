"""Incident queries."""

from __future__ import annotations

import strawberry

__all__ = ["IncidentQuery"]


@strawberry.type
class IncidentQuery:
    pass
