"""Who acts, and in which roles, pure like `graph.domain`: the principal of a request, the roles
of docs/security.md, why a request has no principal."""

from graph.access._principal import (
    ANONYMOUS,
    AuthMethod,
    Principal,
    Role,
    Unauthenticated,
    parse_roles,
)

__all__ = ["ANONYMOUS", "AuthMethod", "Principal", "Role", "Unauthenticated", "parse_roles"]
