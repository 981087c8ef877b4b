"""Cost limits checked before execution: depth, aliases, tokens, request size, nodes.

Depth and aliases are validation rules (their verdict is cached with the document); the
token limit is a parser option; the node limit depends on variables (``first: $n``) so it
is computed per request, GitHub's way: every connection asks for ``first``/``last`` nodes
(its default page size when neither is given), multiplied by the sizes of the connections
around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    value_from_ast,
)
from graphql.language import ListValueNode, Node, VariableNode

from schema.input_check import string_literal_rule
from schema.relay import MAX_PAGE
from service.core.list_bounds import BUDGET_GROUPS, ListBounds

TOO_COMPLEX = "QUERY_TOO_COMPLEX"


@dataclass(frozen=True)
class Limits:
    """What one GraphQL request may ask for. Every count limit is a positive integer."""

    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 5_000
    max_nodes: int = 20_000
    max_body_bytes: int = 100 * 1024
    max_string_length: int = 10_000
    default_page_size: int = MAX_PAGE
    # Time limits (milliseconds; 0 is none): reported by name when reached. The statement
    # limits are enforced by the database engine (service.core.database; the list bounds'
    # read has its own, service.core.internal_reads), the request budget around the wait for
    # the list bounds and execution (schema.http).
    statement_timeout_ms: int = 0
    list_bounds_timeout_ms: int = 0
    request_timeout_ms: int = 0
    # False: __schema and __type are validation errors (__typename stays allowed).
    introspection: bool = True

    def validation_rules(self) -> tuple[type[ASTValidationRule], ...]:
        """Rules to run with the specified ones (parametrised subclasses, cacheable)."""
        return (
            depth_rule(self.max_depth),
            alias_rule(self.max_aliases),
            string_literal_rule(self.max_string_length),
            *(() if self.introspection else (NoSchemaIntrospectionCustomRule,)),
        )

    def parse_options(self) -> dict[str, Any]:
        # Comments are tokens too for memory purposes; bound them by the same figure.
        return {"max_lexical_tokens": self.max_tokens, "max_comments": self.max_tokens}


def too_complex(message: str, limit: str, maximum: int, actual: int | None = None) -> GraphQLError:
    extensions: dict[str, Any] = {"code": TOO_COMPLEX, "limit": limit, "maximum": maximum}
    if actual is not None:
        extensions["actual"] = actual
    return GraphQLError(message, extensions=extensions)


def is_token_limit_error(error: GraphQLError) -> bool:
    """Whether graphql-core's parser gave up because of ``max_lexical_tokens``/``max_comments``."""
    return "Parsing aborted" in error.message


def token_limit_error(limits: Limits) -> GraphQLError:
    return too_complex(
        f"The document has more than {limits.max_tokens} tokens; "
        "split the query or send a persisted document",
        "tokens",
        limits.max_tokens,
    )


def body_limit_message(limits: Limits) -> str:
    return (
        f"The request body is larger than {limits.max_body_bytes} bytes; "
        "send a smaller query or fewer variables"
    )


# --- depth -----------------------------------------------------------------------------------


def depth_rule(max_depth: int) -> type[ASTValidationRule]:
    class DepthLimit(ValidationRule):
        """Rejects operations nested deeper than ``max_depth`` fields (introspection aside)."""

        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            fragments = _fragments(node)
            depths: dict[str, int] = {}
            for definition in node.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                depth = _depth(definition.selection_set, fragments, depths, set())
                if depth > max_depth:
                    name = (
                        f"Operation {definition.name.value}" if definition.name else "The operation"
                    )
                    error = too_complex(
                        f"{name} is nested {depth} fields deep; the limit is {max_depth}. "
                        "Ask for fewer levels and fetch deeper ones by node(id)",
                        "depth",
                        max_depth,
                        depth,
                    )
                    self.report_error(_at(error, definition))

    return DepthLimit


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    memo: dict[str, int],
    visiting: set[str],
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue  # introspection (GraphiQL's TypeRef nests ofType 9 levels deep)
            depth = 1 + _depth(selection.selection_set, fragments, memo, visiting)
        elif isinstance(selection, InlineFragmentNode):
            depth = _depth(selection.selection_set, fragments, memo, visiting)
        elif isinstance(selection, FragmentSpreadNode):
            depth = _fragment_depth(selection.name.value, fragments, memo, visiting)
        else:  # pragma: no cover - no other selection kinds exist
            continue
        deepest = max(deepest, depth)
    return deepest


def _fragment_depth(
    name: str,
    fragments: Mapping[str, FragmentDefinitionNode],
    memo: dict[str, int],
    visiting: set[str],
) -> int:
    # Memoised per fragment so "fragment bombs" cost linear time; cycles are reported by
    # the specified NoFragmentCycles rule, here they only stop the walk.
    if name in memo:
        return memo[name]
    fragment = fragments.get(name)
    if fragment is None or name in visiting:
        return 0
    visiting.add(name)
    memo[name] = _depth(fragment.selection_set, fragments, memo, visiting)
    visiting.discard(name)
    return memo[name]


# --- aliases ---------------------------------------------------------------------------------


def alias_rule(max_aliases: int) -> type[ASTValidationRule]:
    class AliasLimit(ValidationRule):
        """Rejects documents that use more than ``max_aliases`` aliases."""

        count = 0

        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            if node.alias is not None:
                self.count += 1

        def leave_document(self, node: DocumentNode, *_args: Any) -> None:
            if self.count > max_aliases:
                self.report_error(
                    too_complex(
                        f"The document uses {self.count} aliases; the limit is {max_aliases}. "
                        "Use variables and several requests, or nodes(ids:), instead",
                        "aliases",
                        max_aliases,
                        self.count,
                    )
                )

    return AliasLimit


# --- nodes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeCount:
    """How many nodes an operation may return, and whether variables decided it."""

    total: int
    uses_variables: bool


def count_nodes(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    default_page_size: int,
    bounds: ListBounds,
) -> NodeCount:
    """Sum over lists of their size times the sizes of the lists around them."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return NodeCount(0, False)
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in values and definition.default_value is not None:
            values[name] = value_from_ast(definition.default_value, GraphQLInt)
    counter = _NodeCounter(schema, _fragments(document), values, default_page_size, bounds)
    total = counter.cost(operation.selection_set, root)
    return NodeCount(total, counter.uses_variables)


def node_limit_error(count: int, max_nodes: int) -> GraphQLError:
    return too_complex(
        f"The query may return up to {count} nodes; the limit is {max_nodes}. "
        "Lower first/last on nested connections (a connection without them counts as "
        "its default page size; a list that is not paged, as the most items it holds in "
        "the data), or ask for fewer nested lists",
        "nodes",
        max_nodes,
        count,
    )


CompositeType = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType


class _NodeCounter:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        default_page_size: int,
        bounds: ListBounds,
    ) -> None:
        self.schema = schema
        self.bounds = bounds
        self.fragments = fragments
        self.variables = variables
        self.default_page_size = default_page_size
        self.uses_variables = False
        # Cost is linear in the multiplier, so a fragment's cost at 1 can be reused.
        self.memo: dict[tuple[str, str], int] = {}

    def cost(self, selection_set: SelectionSetNode, parent: CompositeType) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                total += self.cost(selection.selection_set, self._condition(selection, parent))
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment_cost(selection.name.value, parent)
        return total

    def _field_cost(self, node: FieldNode, parent: CompositeType) -> int:
        if isinstance(parent, GraphQLUnionType) or node.name.value.startswith("__"):
            return 0
        field = parent.fields.get(node.name.value)
        if field is None:
            return 0
        size = self._page_size(node, field)
        if size is None:
            size = self._list_size(node, field, parent)
        child = get_named_type(field.type)
        inner = 0
        if node.selection_set is not None and isinstance(child, CompositeType):
            inner = self.cost(node.selection_set, child)
        if size is None:
            return inner
        return size + size * inner

    def _page_size(self, node: FieldNode, field: GraphQLField) -> int | None:
        if "first" not in field.args and "last" not in field.args:
            return None
        for argument in node.arguments or ():
            if argument.name.value in ("first", "last"):
                if argument.value.kind == "variable":
                    self.uses_variables = True
                value = value_from_ast(argument.value, GraphQLInt, self.variables)
                if isinstance(value, int) and not isinstance(value, bool):
                    return max(value, 0)
        for name in ("first", "last"):
            default = field.args[name].default_value if name in field.args else None
            if isinstance(default, int) and not isinstance(default, bool):
                return default
        return self.default_page_size

    def _list_size(self, node: FieldNode, field: GraphQLField, parent: CompositeType) -> int | None:
        """How many items a list that is not a connection can hold; None for a single object
        (and for the lists inside a connection, whose page size counted them already)."""
        if not is_list_type(get_nullable_type(field.type)) or not is_composite_type(
            get_named_type(field.type)
        ):
            return None
        if parent.name.endswith(("Connection", "Edge")):
            return None
        if "ids" in field.args:
            return self._id_count(node)
        relation = list_relation(parent.name, node.name.value)
        bound = None if relation is None else self.bounds.get(relation)
        # A list without a known bound counts as more than any budget (tests check that
        # every list of the schema has one).
        return UNBOUNDED if bound is None else bound

    def _id_count(self, node: FieldNode) -> int:
        for argument in node.arguments or ():
            if argument.name.value != "ids":
                continue
            value = argument.value
            if isinstance(value, ListValueNode):
                return len(value.values)
            if isinstance(value, VariableNode):
                self.uses_variables = True
                given = self.variables.get(value.name.value)
                return len(given) if isinstance(given, list) else 1
            return 1
        return 0

    def _condition(self, node: InlineFragmentNode, parent: CompositeType) -> CompositeType:
        if node.type_condition is None:
            return parent
        named = self.schema.get_type(node.type_condition.name.value)
        return named if isinstance(named, CompositeType) else parent

    def _fragment_cost(self, name: str, parent: CompositeType) -> int:
        fragment = self.fragments.get(name)
        if fragment is None:
            return 0
        named = self.schema.get_type(fragment.type_condition.name.value)
        target = named if isinstance(named, CompositeType) else parent
        key = (name, target.name)
        if key not in self.memo:
            self.memo[key] = 0  # guards cycles (already reported by validation)
            self.memo[key] = self.cost(fragment.selection_set, target)
        return self.memo[key]


UNBOUNDED = 1 << 40
# Type -> its table, for the ``sources`` each sourced record has.
_SOURCED = {
    "Plan": "plan",
    "Strategy": "strategy",
    "Task": "task",
    "Milestone": "milestone",
    "Budget": "budget",
    "Law": "law",
    "LawGroup": "law_group",
    "Target": "target",
    "Technology": "technology",
    "Region": "region",
    "Organisation": "organisation",
}
_TASK_LISTS = (
    "subtasks",
    "milestones",
    "budgets",
    "targets",
    "laws",
    "technologies",
    "regions",
    "organisations",
)
_LAW_LISTS = {
    ("Law", "names"): "law.names",
    ("Law", "groups"): "law.groups",
    ("LawGroup", "members"): "law_group.members",
}
_QUERY_LISTS = {
    "documents": "documents",
    "plans": "plans",
    "technologies": "technologies",
    "regions": "regions",
    "organisations": "organisations",
    "budgetSummary": BUDGET_GROUPS,
}


def list_relation(type_name: str, field_name: str) -> str | None:
    """The relation (``service.core.list_bounds``) whose bound sizes this unpaged list."""
    if field_name == "sources" and type_name in _SOURCED:
        return f"{_SOURCED[type_name]}.sources"
    if type_name == "Task" and field_name in _TASK_LISTS:
        return f"task.{field_name}"
    if (type_name, field_name) in _LAW_LISTS:
        return _LAW_LISTS[type_name, field_name]
    if type_name == "Query":
        return _QUERY_LISTS.get(field_name)
    return None


# --- helpers ---------------------------------------------------------------------------------


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


def _at(error: GraphQLError, node: Node) -> GraphQLError:
    return GraphQLError(error.message, nodes=[node], extensions=error.extensions)
