"""The assessment of a change as the API shows it: its risk and its conflicts."""

from __future__ import annotations

import strawberry

__all__ = ["ChangeAssessmentFields"]


@strawberry.type
class ChangeAssessmentFields:
    """The fields of `Change` that assess it (risk, conflicts); `Change` inherits them."""
