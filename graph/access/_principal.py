"""Who acts, and in which roles (docs/security.md): the principal of a request and the roles
that the permission table of the API grants operations to."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["ANONYMOUS", "AuthMethod", "Principal", "Role", "Unauthenticated", "parse_roles"]


class Role(enum.StrEnum):
    """The roles of docs/security.md. Every role may read; `admin` may do everything."""

    VIEWER = "viewer"
    AGENT = "agent"
    CHANGE_MANAGER = "change_manager"
    CAB = "cab"
    CONFIG_MANAGER = "config_manager"
    ADMIN = "admin"


class AuthMethod(enum.StrEnum):
    """How a principal proved who it is."""

    API_TOKEN = "api_token"
    JWT = "jwt"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Principal:
    """Who a request acts for: the name every history, audit and ITSM record names, and its
    roles (unknown role names of a JWT are dropped)."""

    name: str
    roles: frozenset[Role]
    method: AuthMethod

    @property
    def anonymous(self) -> bool:
        return self.method is AuthMethod.ANONYMOUS

    def may(self, allowed: Iterable[Role]) -> bool:
        """Whether one of the principal's roles is in `allowed` (an admin always may)."""
        return Role.ADMIN in self.roles or not self.roles.isdisjoint(allowed)


ANONYMOUS = Principal("anonymous", frozenset(), AuthMethod.ANONYMOUS)
"""The principal of a request without credentials when anonymous read access is on."""


def parse_roles(names: Sequence[str]) -> tuple[frozenset[Role], tuple[str, ...]]:
    """The known roles among `names`, and the names that are no role."""
    known = {role.value: role for role in Role}
    roles = frozenset(known[name] for name in names if name in known)
    unknown = tuple(name for name in names if name not in known)
    return roles, unknown


@dataclass(frozen=True)
class Unauthenticated:
    """Why a request has no principal: no credentials (and anonymous read off), or credentials
    that prove nothing (`invalid`: unknown, revoked, expired, tampered)."""

    reason: str
    invalid: bool = False
