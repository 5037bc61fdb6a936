"""Who may do what: the one table of operations and the roles allowed them (docs/security.md
prints it, a test walks it), and the Strawberry permission classes built from it.

Every mutation has an entry (the schema is not built otherwise); queries not in the table need
only a principal, whatever its roles (or none, with anonymous read access on): the operation
gate of `resolvers/_authentication.py` checks that once per request. `admin` may do everything.
A check reads the request's principal and nothing else: no database round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.types import Info

from graph.access import Principal, Role

__all__ = [
    "FIELD_ROLES",
    "MUTATION_ROLES",
    "QUERY_ROLES",
    "Forbidden",
    "RequireRoles",
    "apply_permissions",
    "unauthenticated",
]

_CIS = frozenset({Role.CONFIG_MANAGER})
_ITSM = frozenset({Role.AGENT})
_CHANGES = frozenset({Role.CHANGE_MANAGER})
_CAB = frozenset({Role.CAB})
_ADMIN: frozenset[Role] = frozenset()
"""Admin only (an admin passes every check)."""
_COST = frozenset({Role.CONFIG_MANAGER, Role.CHANGE_MANAGER})

MUTATION_ROLES: Mapping[str, frozenset[Role]] = {
    # CIs, relationships, imports, and what is set on CIs and services
    "createCI": _CIS,
    "updateCI": _CIS,
    "retireCI": _CIS,
    "relateCIs": _CIS,
    "unrelateCIs": _CIS,
    "importCIs": _CIS,
    "importIncidents": _CIS,
    "setServiceLevel": _CIS,
    "setCapacity": _CIS,
    "recordUtilisation": _CIS,
    "setMaintenanceWindow": _CIS | _CHANGES,
    "clearMaintenanceWindow": _CIS | _CHANGES,
    # incidents, major incidents, problems
    "createIncident": _ITSM,
    "updateIncident": _ITSM,
    "transitionIncident": _ITSM,
    "addImpactedService": _ITSM,
    "excludeImpactedService": _ITSM,
    "clearManualImpact": _ITSM,
    "recomputeIncidentImpact": _ITSM,
    "promoteMajorIncident": _ITSM,
    "linkChildIncidents": _ITSM,
    "unlinkChildIncident": _ITSM,
    "createProblem": _ITSM,
    "updateProblem": _ITSM,
    "transitionProblem": _ITSM,
    "linkIncidentsToProblem": _ITSM,
    "unlinkIncidentFromProblem": _ITSM,
    # an incident caused by a change: either side may record it
    "linkIncidentToChange": _ITSM | _CHANGES,
    "unlinkIncidentFromChange": _ITSM | _CHANGES,
    # changes, freezes, releases
    "createChange": _CHANGES,
    "updateChange": _CHANGES,
    "transitionChange": _CHANGES,
    "recomputeImpact": _CHANGES,
    "createBlackoutWindow": _CHANGES,
    "deleteBlackoutWindow": _CHANGES,
    "createRelease": _CHANGES,
    "updateRelease": _CHANGES,
    "addChangesToRelease": _CHANGES,
    "removeChangeFromRelease": _CHANGES,
    "transitionRelease": _CHANGES,
    # the CAB
    "approveChange": _CAB,
    "rejectChange": _CAB,
    # API tokens
    "createApiToken": _ADMIN,
    "revokeApiToken": _ADMIN,
}
"""The roles allowed each mutation, besides `admin`."""

QUERY_ROLES: Mapping[str, frozenset[Role]] = {
    "costReport": _COST,
    "serviceCost": _COST,
    "apiTokens": _ADMIN,
}
"""The sensitive queries (cost figures, token metadata) and the roles allowed them, besides
`admin`; every other query is open to every role."""

FIELD_ROLES: Mapping[str, frozenset[Role]] = {
    "ConfigurationItem.monthlyCost": _COST,
    "ServiceLevel.outageCostPerHour": _COST,
    "ServiceAvailability.outageCostPerHour": _COST,
    "ServiceAvailability.downtimeCost": _COST,
}
"""Sensitive fields of types, `Type.field`, and the roles allowed them besides `admin`. A CI's
field is one field shared by every CI type: refused for each CI that shows it."""


def unauthenticated(reason: str) -> strawberry.exceptions.StrawberryGraphQLError:
    return strawberry.exceptions.StrawberryGraphQLError(
        reason, extensions={"code": "UNAUTHENTICATED"}
    )


class Forbidden(strawberry.exceptions.StrawberryGraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "FORBIDDEN"})


class RequireRoles(BasePermission):
    """The principal must hold one of `roles` (or be an admin). No principal, or the anonymous
    one, is refused as UNAUTHENTICATED (credentials may help), a principal without the role as
    FORBIDDEN."""

    def __init__(self, operation: str, roles: frozenset[Role]) -> None:
        self.operation = operation
        self.roles = roles

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal: Principal | None = info.context.principal
        if principal is None or principal.anonymous:
            raise unauthenticated(
                f"{self.operation} needs credentials: it is not open to anonymous"
            )
        if principal.may(self.roles):
            return True
        needed = ", ".join(sorted(role.value for role in self.roles | {Role.ADMIN}))
        raise Forbidden(f"{self.operation} needs one of the roles {needed}")


def _protect(
    type_: type, table: Mapping[str, frozenset[Role]], names: NameConverter, *, every: bool
) -> None:
    definition = type_.__strawberry_definition__  # type: ignore[attr-defined]
    by_graphql_name = {names.get_graphql_name(field): field for field in definition.fields}
    missing = set(by_graphql_name) - set(table) if every else set()
    if missing:
        raise RuntimeError(f"no entry in the permission table for {sorted(missing)}")
    for name, roles in table.items():
        field = by_graphql_name.get(name)
        if field is None:
            raise RuntimeError(f"the permission table names the unknown field {name}")
        if any(isinstance(e, PermissionExtension) for e in field.extensions):
            continue
        permission = RequireRoles(name, roles)
        field.extensions.append(PermissionExtension([permission], use_directives=False))


def apply_permissions(
    query: type, mutation: type, names: NameConverter, types: Mapping[str, type]
) -> None:
    """Puts the table's permission classes on the fields of `query`, `mutation` and the `types`
    of FIELD_ROLES, by GraphQL name (once; the schema may be built again). Raises RuntimeError
    when a mutation, or a type of FIELD_ROLES, has no entry."""
    _protect(mutation, MUTATION_ROLES, names, every=True)
    _protect(query, QUERY_ROLES, names, every=False)
    for qualified, roles in FIELD_ROLES.items():
        type_name, field_name = qualified.split(".")
        if type_name not in types:
            raise RuntimeError(f"the permission table names the unknown type {type_name}")
        _protect(types[type_name], {field_name: roles}, names, every=False)
