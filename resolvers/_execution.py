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
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    Undefined,
)
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from resolvers._plain import Kind, PlainField, Plan
from resolvers._runtime_types import RuntimeTypes

__all__ = ["PlainFieldsExecutor", "executor_for"]

LEAF = Kind.LEAF
_SETTLED = frozenset({str, int, float, bool})
"""Types of values that are neither awaitables nor exceptions (the common leaves)."""


class PlainFieldsExecutor(RuntimeTypes):
    """Strawberry's execution context with the `plan`'s fields and objects completed in place
    (module docstring)."""

    plan: ClassVar[Plan] = Plan()

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
                    if field.kind is LEAF and result is not Undefined:
                        results[response_name] = result  # serialised: final
                        continue
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
        if type(value) not in _SETTLED and (
            self.is_awaitable(value) or isinstance(value, Exception)
        ):
            return Undefined
        if field.item_type is not None:
            return self._plain_list(
                field, value, field_details_list, Path(path, response_name, parent_type.name)
            )
        if field.kind is Kind.LEAF:
            try:
                coerced = field.named.coerce_output_value(value)  # type: ignore[union-attr]
            except Exception:
                return Undefined
            return Undefined if coerced is None else coerced
        runtime = self._runtime_of(field, value)
        if runtime is None:
            return Undefined
        grouped, defer_usages, _ = self.collect_subfields(runtime, field_details_list)
        if defer_usages:
            return Undefined
        field_path = Path(path, response_name, parent_type.name)
        try:
            completed = self.execute_fields(runtime, value, field_path, grouped, None)
        except Exception as raw_error:
            # As execute_field: located, and raised on only if the field is non-null.
            self.handle_field_error(raw_error, field.type, field_details_list, field_path)
            return None
        if self.is_awaitable(completed):
            return self._guarded(completed, field.type, field_details_list, field_path)
        return completed

    def _plain_list(
        self, field: PlainField, items: Any, field_details_list: Any, path: Path
    ) -> Any:
        """A plain list completed in place, or Undefined when the general path must answer
        it: every item is checked (and its type found) before any item's fields run."""
        if not isinstance(items, list | tuple) or any(
            details.node.directives for details in field_details_list
        ):
            return Undefined  # @stream and other directives: the general path
        item_nullable, is_awaitable = field.item_nullable, self.is_awaitable
        if field.kind is Kind.LEAF:
            coerce = field.named.coerce_output_value  # type: ignore[union-attr]
            values: list[Any] = []
            for item in items:
                if item is None:
                    if not item_nullable:
                        return Undefined
                    values.append(None)
                    continue
                if is_awaitable(item) or isinstance(item, Exception):
                    return Undefined
                try:
                    coerced = coerce(item)
                except Exception:
                    return Undefined
                if coerced is None:
                    return Undefined
                values.append(coerced)
            return values
        kinds: list[tuple[GraphQLObjectType, Any] | None] = []
        for item in items:
            if item is None:
                if not item_nullable:
                    return Undefined
                kinds.append(None)
                continue
            if is_awaitable(item) or isinstance(item, Exception):
                return Undefined
            runtime = self._runtime_of(field, item)
            if runtime is None:
                return Undefined
            grouped, defer_usages, _ = self.collect_subfields(runtime, field_details_list)
            if defer_usages:
                return Undefined
            kinds.append((runtime, grouped))
        item_type = field.item_type
        assert item_type is not None
        completed: list[Any] = []
        pending: list[int] = []
        try:
            for index, (item, kind) in enumerate(zip(items, kinds, strict=True)):
                if kind is None:
                    completed.append(None)
                    continue
                item_path = Path(path, index, None)
                try:
                    result = self.execute_fields(kind[0], item, item_path, kind[1], None)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                    result = None
                if is_awaitable(result):
                    result = self._guarded(result, item_type, field_details_list, item_path)
                    pending.append(index)
                completed.append(result)
        except Exception as raw_error:
            # An item that may not be null failed: so does the list, as execute_field says.
            if pending:
                self.settle_in_background([completed[i] for i in pending])
            self.handle_field_error(raw_error, field.type, field_details_list, path)
            return None
        if not pending:
            return completed
        return self._gathered(completed, pending, field, field_details_list, path)

    async def _gathered(
        self,
        completed: list[Any],
        pending: list[int],
        field: PlainField,
        field_details_list: Any,
        path: Path,
    ) -> Any:
        try:
            awaited = await gather_with_cancel(*(completed[i] for i in pending))
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, field_details_list, path)
            return None
        for index, value in zip(pending, awaited, strict=True):
            completed[index] = value
        return completed

    async def _guarded(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        field_details_list: Any,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
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


def executor_for(
    schema: GraphQLSchema, names: NameConverter
) -> type[StrawberryGraphQLCoreExecutionContext]:
    """The execution context class of `schema`, what is plain in it found once (at build)."""
    attributes: dict[str, object] = {"plan": Plan.of(schema, names), "runtime_types": {}}
    return type("PlainFieldsExecutor", (PlainFieldsExecutor,), attributes)
