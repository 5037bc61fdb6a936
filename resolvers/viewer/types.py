"""The GraphQL shape of the request's principal: its name, its roles and the mutations the
permission table of `resolvers/_permissions.py` lets those roles run."""

from __future__ import annotations

import strawberry

from graph.access import Principal, Role
from resolvers._permissions import MUTATION_ROLES

__all__ = ["Viewer", "to_viewer"]


@strawberry.type(description="Who the request acts for, and what it may do.")
class Viewer:
    name: str = strawberry.field(
        description="The principal's name: the actor every write of the request records."
    )
    roles: list[Role] = strawberry.field(description="Its roles, in the order of `Role`.")
    anonymous: bool = strawberry.field(
        description="No credentials, read through anonymous read access: no mutation."
    )
    mutations: list[str] = strawberry.field(
        description="The mutations its roles allow, by name, sorted (every one for an admin); "
        "any other is refused with FORBIDDEN."
    )


def to_viewer(principal: Principal) -> Viewer:
    """The viewer of `principal`; no database round trip."""
    # The anonymous principal holds no role: `may` grants it nothing.
    allowed = sorted(name for name, roles in MUTATION_ROLES.items() if principal.may(roles))
    return Viewer(
        name=principal.name,
        roles=[role for role in Role if role in principal.roles],
        anonymous=principal.anonymous,
        mutations=allowed,
    )
