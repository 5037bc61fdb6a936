"""Incident mutations."""

from __future__ import annotations

import strawberry

__all__ = ["IncidentMutation"]


@strawberry.type
class IncidentMutation:
    pass
