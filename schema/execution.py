"""A faster execution context: stored-attribute fields skip graphql-core's per-field path.

graphql-core builds a ``Path`` and a ``ResolveInfo``, calls the resolver and dispatches on the
return type for every field of every object. For strawberry "basic" fields (a stored
attribute: no resolver, no arguments) that return a scalar, an enum or a plain object, this
context reads the attribute and serialises it (or executes the object's sub-selection)
directly. Anything else (resolvers, lists, abstract types, NULL in a non-null field,
serialisation failures, middleware) takes graphql-core's own path, with its errors unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLEnumType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter


class Direct(NamedTuple):
    """How to produce a field's value without its resolver."""

    attribute: str
    serialize: Callable[[Any], Any] | None  # for leaves
    object_type: GraphQLObjectType | None  # for plain objects
    nullable: bool


# Per schema (two schemas may name types alike): (type name, field name) -> direct access.
_directs: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], Direct | None]] = (
    WeakKeyDictionary()
)

# A compiled selection: per response key, the attribute to read, the leaf serialiser (or the
# nested compiled selection of a plain object) and whether null is allowed.
Compiled = list[tuple[str, str, "Callable[[Any], Any] | None", "Compiled | None", bool]]
_MISSING = object()


def _fill(source: Any, compiled: Compiled) -> dict[str, Any] | None:
    """The response object for ``source``, or None when some field needs graphql-core
    (a null in a non-null field, a value its scalar refuses) so the caller redoes it there,
    with graphql-core's errors and paths."""
    out: dict[str, Any] = {}
    for name, attribute, serialize, nested, nullable in compiled:
        value = getattr(source, attribute, _MISSING)
        if value is None and nullable:
            out[name] = None
            continue
        if value is None or value is _MISSING:
            return None
        if nested is not None:
            filled = _fill(value, nested)
            if filled is None:
                return None
            out[name] = filled
            continue
        assert serialize is not None
        try:
            serialized = serialize(value)
        except Exception:
            return None
        if serialized is None or serialized is Undefined:
            return None
        out[name] = serialized
    return out


def _fast_serializer(leaf: Any) -> Callable[[Any], Any]:
    serialize: Callable[[Any], Any] = leaf.serialize
    if leaf is GraphQLString:
        return lambda value: value if type(value) is str else serialize(value)
    wrapped = getattr(leaf, "wrapped_cls", None)
    if (
        isinstance(leaf, GraphQLEnumType)
        and isinstance(wrapped, type)
        and issubclass(wrapped, Enum)
    ):
        # strawberry enums hold Python members; map each member to its GraphQL name once.
        by_value = {value.value: name for name, value in leaf.values.items()}
        names: dict[Any, str] = {
            member: by_value[member.value] for member in wrapped if member.value in by_value
        }

        def enum_name(value: Any) -> Any:
            name = names.get(value)
            return name if name is not None else serialize(value)

        return enum_name
    return serialize


def _direct(
    schema: GraphQLSchema, parent_type: GraphQLObjectType, field_name: str
) -> Direct | None:
    memo = _directs.setdefault(schema, {})
    key = (parent_type.name, field_name)
    if key in memo:
        return memo[key]
    direct: Direct | None = None
    field = parent_type.fields.get(field_name)
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF) if field else None
    if (
        field is not None
        and definition is not None
        and not field.args
        and getattr(definition, "is_basic_field", False)
        and not getattr(definition, "extensions", None)
    ):
        nullable = not isinstance(field.type, GraphQLNonNull)
        inner = field.type if nullable else field.type.of_type
        if is_leaf_type(inner):
            direct = Direct(definition.python_name, _fast_serializer(inner), None, nullable)
        elif isinstance(inner, GraphQLObjectType) and not nullable:
            # Only non-null objects: an error inside one propagates to the parent either way,
            # whereas graphql-core would turn it into null for a nullable field.
            direct = Direct(definition.python_name, None, inner, nullable)
    memo[key] = direct
    return direct


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def _no_middleware(self) -> bool:
        manager = self.middleware_manager
        return manager is None or not manager.middlewares

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        """Lists of non-null objects of one concrete type go straight to their sub-fields
        (graphql-core would complete each item through four generic steps)."""
        if not (
            isinstance(items, list)
            and isinstance(item_type, GraphQLNonNull)
            and isinstance(item_type.of_type, GraphQLObjectType)
            and self._no_middleware()
            and self.get_stream_usage(field_details_list, path) is None
        ):
            return super().complete_iterable_value(
                item_type, field_details_list, info, path, items, position_context
            )
        object_type = item_type.of_type
        is_awaitable = self.is_awaitable
        completed: list[Any] = []
        pending: list[int] = []
        compiled = self._compiled(object_type, field_details_list)
        if compiled is not None:
            for item in items:
                filled = _fill(item, compiled)
                if filled is None:
                    break
                completed.append(filled)
            else:
                return completed
            # An item needs graphql-core: redo the whole list the general way below.
            completed = []
        try:
            for index, item in enumerate(items):
                value = self.collect_and_execute_subfields(
                    object_type,
                    field_details_list,
                    path.add_key(index, None),
                    item,
                    position_context,
                )
                if is_awaitable(value):
                    pending.append(index)
                completed.append(value)
        except Exception:
            if pending:
                self.settle_in_background([completed[i] for i in pending])
            raise
        if not pending:
            return completed

        async def finish() -> list[Any]:
            # Concurrently, like graphql-core: items' loads must meet in one batch.
            values = await gather_with_cancel(*(completed[i] for i in pending))
            for i, value in zip(pending, values, strict=True):
                completed[i] = value
            return completed

        return finish()

    def _compiled(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Compiled | None:
        """The selection on ``object_type`` compiled to plain attribute reads when every field
        in it (and in its plain sub-objects) is direct; memoised like graphql-core's
        ``collect_subfields``, whose identity key it shares."""
        cache: dict[tuple[Any, int], tuple[FieldDetailsList, Compiled | None]] = (
            self.__dict__.setdefault("_compiled_selections", {})
        )
        key = (object_type, id(field_details_list))
        cached = cache.get(key)
        if cached is not None and cached[0] is field_details_list:
            return cached[1]
        grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(
            object_type, field_details_list
        )
        compiled: Compiled | None = [] if not new_defer_usages else None
        for name, details, direct in self._plan(object_type, grouped_field_set):
            if compiled is None:
                break
            if direct is None:
                compiled = None
            elif direct.object_type is not None:
                nested = self._compiled(direct.object_type, details)
                if nested is None:
                    compiled = None
                else:
                    compiled.append((name, direct.attribute, None, nested, direct.nullable))
            else:
                compiled.append((name, direct.attribute, direct.serialize, None, direct.nullable))
        cache[key] = (field_details_list, compiled)
        return compiled

    def _plan(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> list[tuple[str, FieldDetailsList, Direct | None]]:
        """Per grouped field set (graphql-core memoises one per type and selection, so all
        items of a list share it): each response key with its direct access, if any."""
        plans: dict[int, tuple[GroupedFieldSet, list[Any]]] = self.__dict__.setdefault(
            "_field_plans", {}
        )
        cached = plans.get(id(grouped_field_set))
        if cached is not None and cached[0] is grouped_field_set:
            return cached[1]
        plan = [
            (
                name,
                details,
                None
                if details[0].node.arguments
                else _direct(self.schema, parent_type, details[0].node.name.value),
            )
            for name, details in grouped_field_set.items()
        ]
        plans[id(grouped_field_set)] = (grouped_field_set, plan)
        return plan

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any = None,
    ) -> AwaitableOrValue[dict[str, Any]]:
        if not self._no_middleware():
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        slow: dict[str, FieldDetailsList] = {}
        pending: list[str] = []
        is_awaitable = self.is_awaitable
        for response_name, details, direct in self._plan(parent_type, grouped_field_set):
            if direct is None:
                slow[response_name] = details
                results[response_name] = Undefined  # keeps the response in query order
                continue
            value = getattr(source_value, direct.attribute, Undefined)
            if value is None and direct.nullable:
                results[response_name] = None
            elif value is None or value is Undefined:
                slow[response_name] = details  # graphql-core reports the error
                results[response_name] = Undefined
            elif direct.serialize is not None:
                try:
                    results[response_name] = direct.serialize(value)
                except Exception:
                    slow[response_name] = details
                    results[response_name] = Undefined
            else:
                assert direct.object_type is not None
                compiled = self._compiled(direct.object_type, details)
                filled = _fill(value, compiled) if compiled is not None else None
                if filled is not None:
                    results[response_name] = filled
                    continue
                sub = self.collect_and_execute_subfields(
                    direct.object_type,
                    details,
                    Path(path, response_name, parent_type.name),
                    value,
                    position_context,
                )
                results[response_name] = sub
                if is_awaitable(sub):
                    pending.append(response_name)
        rest: Any = {}
        if slow:
            rest = super().execute_fields(parent_type, source_value, path, slow, position_context)
        if not pending and not is_awaitable(rest):
            results.update(rest)
            return results

        async def finish() -> dict[str, Any]:
            # Together, like graphql-core: siblings' loads must meet in one batch.
            awaited = [results[name] for name in pending]
            if is_awaitable(rest):
                awaited.append(rest)
            values = await gather_with_cancel(*awaited)
            for name, value in zip(pending, values, strict=False):
                results[name] = value
            results.update(values[-1] if is_awaitable(rest) else rest)
            return results

        return finish()
