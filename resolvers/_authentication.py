"""The operation gate: before anything runs, the request must have a principal (or be anonymous
with anonymous read access on) and one of the known roles. Refused operations run nothing and
answer one error, `UNAUTHENTICATED` (HTTP 401 with `WWW-Authenticate: Bearer`) or `FORBIDDEN`.

Introspection alone (`__schema`, `__type`, `__typename`) needs no credentials: the schema is
public (`cmdb schema`), and GraphiQL and HTTP conformance checks read it before signing in.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, FieldNode, GraphQLError, OperationDefinitionNode
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from graph.access import Principal, Unauthenticated
from resolvers._permissions import Forbidden, unauthenticated

__all__ = ["RequireAuthentication"]

REALM = 'Bearer realm="cmdb"'


def _introspection_only(operation: OperationDefinitionNode | None) -> bool:
    if operation is None:
        return False
    selections = operation.selection_set.selections
    return all(
        isinstance(node, FieldNode) and node.name.value.startswith("__") for node in selections
    )


class RequireAuthentication(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        error = self._refusal(context.principal, context.refusal)
        if error is not None:
            self.execution_context.result = ExecutionResult(data=None, errors=[error])
            self._answer_401(context, error)
        yield

    def _refusal(
        self, principal: Principal | None, refusal: Unauthenticated | None
    ) -> GraphQLError | None:
        document = self.execution_context.graphql_document
        operation = (
            get_operation_ast(document, self.execution_context.operation_name)
            if document is not None
            else None
        )
        introspection = _introspection_only(operation)
        if principal is None:
            refusal = refusal or Unauthenticated("authentication required")
            return (
                None if introspection and not refusal.invalid else unauthenticated(refusal.reason)
            )
        if principal.anonymous or principal.roles or introspection:
            return None
        return Forbidden(
            "the credentials carry none of the roles viewer, agent, change_manager, cab, "
            "config_manager, admin"
        )

    @staticmethod
    def _answer_401(context: object, error: GraphQLError) -> None:
        if (error.extensions or {}).get("code") != "UNAUTHENTICATED":
            return
        response = getattr(context, "response", None)
        # Over HTTP the response is the sub-response the view answers with; over WebSocket
        # there is no status to set (the connection was authenticated in connection_init).
        if response is None or not hasattr(response, "status_code"):
            return
        refusal: Unauthenticated | None = getattr(context, "refusal", None)
        challenge = REALM
        if refusal is not None and refusal.invalid:
            challenge += ', error="invalid_token"'
        response.status_code = 401
        response.headers["WWW-Authenticate"] = challenge
