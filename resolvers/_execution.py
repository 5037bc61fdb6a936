"""The executor: graphql-core's, with plain fields and plain objects completed directly.

A page of CIs with their neighbours is thousands of objects of a few fields each, and
graphql-core treats every field and object alike: a path, a resolve info, the resolver, then
the value completed through the general dispatch (null? list? leaf? abstract? object?). For
a field that only reads an attribute, and an object that only runs its fields, that dispatch
is most of a large response's time. Which fields and types are that plain is decided once per
schema (resolvers/_plain.py): Strawberry's basic fields of a scalar, enum or plain object
type, and object types without an `is_type_of` check. Those are read, serialised and
completed in place; a value that needs more (null where null is refused, an awaitable, an
exception, one that does not serialise, an attribute that is not there, a deferred fragment)
takes the general path, which answers exactly as before, errors included. The runtime type
that an interface's `resolve_type` names is checked once per type and then
remembered. Everything else is executed by graphql-core unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, ClassVar

from graphql import (
    GraphQLAbstractType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    Undefined,
)
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from resolvers._plain import PlainField, Plan

__all__ = ["PlainFieldsExecutor", "executor_for"]


class PlainFieldsExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the `plan`'s fields and objects completed in place
    (module docstring)."""

    plan: ClassVar[Plan] = Plan()
    runtime_types: ClassVar[dict[tuple[str, str], GraphQLObjectType]] = {}
    """The object types that `resolve_type` named for an abstract type, checked once."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        plain = self.plan.fields.get(parent_type.name)
        middleware = self.middleware_manager
        if not plain or (middleware is not None and middleware.middlewares):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                field = plain.get(field_details_list[0].node.name.value)
                result: Any = Undefined
                if field is not None:
                    result = self._plain(
                        field, source_value, field_details_list, path, response_name, parent_type
                    )
                if result is Undefined:
                    # The general path, as graphql-core's own execute_fields takes it.
                    result = self.execute_field(
                        parent_type,
                        source_value,
                        field_details_list,
                        Path(path, response_name, parent_type.name),
                        position_context,
                    )
                    if result is Undefined:
                        continue
                results[response_name] = result
                if is_awaitable(result):
                    awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def _plain(
        self,
        field: PlainField,
        source: Any,
        field_details_list: Any,
        path: Path | None,
        response_name: str,
        parent_type: GraphQLObjectType,
    ) -> Any:
        """The completed value of a plain field, or Undefined when the general path must
        answer it (and raise what it raises): decided before anything of it ran."""
        try:
            value = getattr(source, field.attribute)
        except Exception:
            return Undefined
        if value is None:
            return None if field.nullable else Undefined
        if self.is_awaitable(value) or isinstance(value, Exception):
            return Undefined
        named = field.named
        if not isinstance(named, GraphQLObjectType):
            try:
                coerced = named.coerce_output_value(value)
            except Exception:
                return Undefined
            return Undefined if coerced is None else coerced
        grouped, defer_usages, _ = self.collect_subfields(named, field_details_list)
        if defer_usages:
            return Undefined
        field_path = Path(path, response_name, parent_type.name)
        try:
            completed = self.execute_fields(named, value, field_path, grouped, None)
        except Exception as raw_error:
            # As execute_field: located, and raised on only if the field is non-null.
            self.handle_field_error(raw_error, field.type, field_details_list, field_path)
            return None
        if self.is_awaitable(completed):
            return self._guarded(completed, field, field_details_list, field_path)
        return completed

    async def _guarded(
        self, completed: Awaitable[Any], field: PlainField, field_details_list: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, field_details_list, path)
            return None

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        # A plain object (a list's item, a resolver's answer): its fields at once, as
        # graphql-core would reach them through complete_object_value.
        named = self.plan.objects.get(id(return_type))
        if (
            named is not None
            and position_context is None
            and result is not None
            and result is not Undefined
            and not isinstance(result, Exception)
        ):
            grouped, defer_usages, _ = self.collect_subfields(named, field_details_list)
            if not defer_usages:
                return self.execute_fields(named, result, path, grouped, None)
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

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


def executor_for(
    schema: GraphQLSchema, names: NameConverter
) -> type[StrawberryGraphQLCoreExecutionContext]:
    """The execution context class of `schema`, what is plain in it found once (at build)."""
    attributes: dict[str, object] = {"plan": Plan.of(schema, names), "runtime_types": {}}
    return type("PlainFieldsExecutor", (PlainFieldsExecutor,), attributes)
