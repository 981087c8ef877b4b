"""A faster execution context: plain attribute fields with leaf values skip the resolver path.

graphql-core builds a ``Path``, a ``ResolveInfo`` and calls the field's resolver for every
field of every object. For strawberry "basic" fields (a stored attribute, no resolver, no
arguments) that return a scalar or enum, that machinery only amounts to ``getattr`` plus
serialisation, so it is done directly. Everything else (resolvers, objects, lists, NULL in a
non-null field, middleware) takes graphql-core's own path, with its errors unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# (attribute name, serialize, nullable) of a plain leaf field, or None when it is not one.
Plan = tuple[str, Callable[[Any], Any], bool] | None

_plans: dict[tuple[str, str], Plan] = {}


def _plan(parent_type: GraphQLObjectType, field_name: str) -> Plan:
    key = (parent_type.name, field_name)
    if key in _plans:
        return _plans[key]
    plan: Plan = None
    field: GraphQLField | None = parent_type.fields.get(field_name)
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF) if field else None
    if field is not None and definition is not None and not field.args:
        nullable = not isinstance(field.type, GraphQLNonNull)
        leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        basic = getattr(definition, "is_basic_field", False)
        if basic and is_leaf_type(leaf) and not getattr(definition, "extensions", None):
            plan = (definition.python_name, leaf.serialize, nullable)
    _plans[key] = plan
    return plan


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any = None,
    ) -> AwaitableOrValue[dict[str, Any]]:
        manager = self.middleware_manager
        if manager is not None and manager.middlewares:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        slow: GroupedFieldSet = {}
        fast: dict[str, Any] = {}
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            plan = None if node.arguments else _plan(parent_type, node.name.value)
            if plan is None:
                slow[response_name] = details
                continue
            attribute, serialize, nullable = plan
            value = getattr(source_value, attribute, Undefined)
            if value is None and nullable:
                fast[response_name] = None
            elif value is None or value is Undefined:
                slow[response_name] = details  # let graphql-core report the error
            else:
                try:
                    fast[response_name] = serialize(value)
                except Exception:
                    slow[response_name] = details
        if not slow:
            return fast
        rest = super().execute_fields(parent_type, source_value, path, slow, position_context)
        if self.is_awaitable(rest):

            async def merged() -> dict[str, Any]:
                return _in_order(grouped_field_set, fast, await rest)

            return merged()
        return _in_order(grouped_field_set, fast, rest)  # type: ignore[arg-type]


def _in_order(
    grouped: GroupedFieldSet, fast: dict[str, Any], rest: dict[str, Any]
) -> dict[str, Any]:
    """Results in the order the query asked for them (the response keeps selection order)."""
    if not fast:
        return rest
    if not rest:
        return fast
    return {
        name: (fast[name] if name in fast else rest[name])
        for name in grouped
        if name in fast or name in rest
    }
