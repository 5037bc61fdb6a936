"""The object types an interface's values complete as, for the executor
(resolvers/_execution.py): what `resolve_type` names is checked by graphql-core once per named
type and then remembered; a plain interface's (resolvers/_plain.py) is asked without a resolve
info, so that its fields complete in place."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, ClassVar

from graphql import GraphQLAbstractType, GraphQLObjectType, GraphQLResolveInfo
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from resolvers._plain import Kind, PlainField

__all__ = ["RuntimeTypes"]


class RuntimeTypes(StrawberryGraphQLCoreExecutionContext):
    runtime_types: ClassVar[dict[tuple[str, str], GraphQLObjectType]] = {}
    """The object types that `resolve_type` named for an abstract type, checked once."""

    def _runtime_of(self, field: PlainField, value: Any) -> GraphQLObjectType | None:
        """The object type a value of a plain object or interface field completes as; None
        when only the general path can tell (or check) it."""
        if field.kind is Kind.OBJECT:
            return field.named  # type: ignore[return-value]
        interface = field.named
        resolve_type = getattr(interface, "resolve_type", None)
        if resolve_type is None:
            return None
        try:
            name = resolve_type(value, None, interface)
        except Exception:
            return None
        # Known once the general path checked it (`_runtime_type`).
        runtime = self.runtime_types.get((interface.name, name)) if isinstance(name, str) else None
        if runtime is None:
            return None
        is_type_of = runtime.is_type_of
        if is_type_of is not None:
            try:
                if is_type_of(value, None) is not True:  # type: ignore[arg-type]
                    return None
            except Exception:
                return None
        return runtime

    def complete_abstract_value(
        self,
        return_type: GraphQLAbstractType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        resolve_type = return_type.resolve_type or self.type_resolver
        runtime_name = resolve_type(result, info, return_type)
        if self.is_awaitable(runtime_name):
            return self._complete_awaited_type(
                runtime_name, return_type, field_details_list, info, path, result, position_context
            )
        runtime_type = self._runtime_type(
            runtime_name, return_type, field_details_list, info, result
        )
        return self.complete_object_value(
            runtime_type, field_details_list, info, path, result, position_context
        )

    def _runtime_type(
        self,
        runtime_name: Any,
        return_type: GraphQLAbstractType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        result: Any,
    ) -> GraphQLObjectType:
        """graphql-core's check of what `resolve_type` named, once per named type."""
        key = (return_type.name, runtime_name) if isinstance(runtime_name, str) else None
        known = self.runtime_types.get(key) if key is not None else None
        if known is not None:
            return known
        runtime_type = self.ensure_valid_runtime_type(
            runtime_name, return_type, field_details_list, info, result
        )
        if key is not None:
            self.runtime_types[key] = runtime_type
        return runtime_type

    async def _complete_awaited_type(
        self,
        runtime_name: Awaitable[Any],
        return_type: GraphQLAbstractType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        name = await self.with_abort_signal(runtime_name)
        runtime_type = self._runtime_type(name, return_type, field_details_list, info, result)
        value = self.complete_object_value(
            runtime_type, field_details_list, info, path, result, position_context
        )
        return await value if self.is_awaitable(value) else value
