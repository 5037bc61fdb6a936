"""`viewer`: who is signed in. Not in the permission table: every principal may ask, the
anonymous one too when anonymous read access is on."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._permissions import unauthenticated
from resolvers.viewer.types import Viewer, to_viewer

__all__ = ["ViewerQuery"]


@strawberry.type
class ViewerQuery:
    @strawberry.field(
        description="Who the request acts for: its name, roles and the mutations they allow."
    )
    def viewer(self, info: Info[Context, None]) -> Viewer:
        principal = info.context.principal
        if principal is None:  # the operation gate refuses such requests before they run
            raise unauthenticated("authentication required")
        return to_viewer(principal)
