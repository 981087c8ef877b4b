"""Walk a validated operation into a plan tree, following GraphQL's CollectFields rules.

Fragments and inline fragments apply when their type condition matches the object's type
(or an interface it implements); ``@skip``/``@include`` are evaluated against the request's
variables; aliases become response keys and fields of one key merge their sub-selections.
Arguments are checked by the resolvers' own code (``PageArgs.of``, the ``lists`` statement
builders, ``node_of``...), so a bad argument raises the same ``GraphQLError`` before any SQL.

A field the compiler does not cover raises ``NotCompiled``: inside a root field it leaves the
whole root field to the resolvers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableValues,
    get_argument_values,
    get_directive_values,
    is_abstract_type,
)
from strawberry.types import get_object_definition

from schema.compiler.fields import (
    TABLE_OF,
    TYPE_OF_TABLE,
    ChildConnection,
    Column,
    ComputedColumn,
    GlobalId,
    HitNode,
    HitSnippet,
    NodeLookup,
    RootConnection,
    RootList,
    RootLookup,
    RootSearch,
    RootSummary,
    RowList,
    Spec,
    ToOne,
    ValueObject,
    derive,
)
from schema.compiler.plan import (
    ChoiceItem,
    Item,
    Leaf,
    ListItem,
    ListRoot,
    LookupRoot,
    NodesRoot,
    Page,
    PageItem,
    PagePart,
    PageRoot,
    Record,
    Root,
    SummaryRoot,
    ToOneItem,
    TypenameRoot,
    ValueItem,
)
from schema.core_schema import core_schema
from schema.inputs import BudgetFilter, task_selection
from schema.lists import budget_selection, names_keys
from schema.query import check_key, check_node_ids, node_of
from schema.search import KEY_TYPES, ORDER_NAME, SearchArgs, search_args
from schema.types.entities import PageArgs
from service.core.dataset_filter import DatasetFilter
from service.core.queries import catalog
from service.core.queries.budgets import totals_statement
from service.core.queries.paging import Ordering, PageRequest
from service.core.queries.search import KINDS, search_statement

Fields = dict[str, list[FieldNode]]
_DIRECTIVES = {"skip", "include"}
_CURSOR_TYPES = (int, date)  # key types whose JSON the SQL writes as Python's json does


class NotCompiled(Exception):
    """The selection holds something the compiler does not cover."""


def freeze(value: Any) -> Any:
    """A hashable copy of a coerced argument value."""
    if isinstance(value, dict):
        return tuple((k, freeze(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


class Planner:
    """Plans operations of one schema; cheap to call per request."""

    def __init__(self, schema: strawberry.Schema) -> None:
        self.schema = schema
        self.graphql_schema = core_schema(schema)
        self.specs: dict[tuple[str, str], Spec] = derive(schema)
        self._names = schema.config.name_converter

    # --- collect fields ----------------------------------------------------------------------

    def collect(
        self,
        object_type: GraphQLObjectType,
        selection_sets: Iterable[SelectionSetNode],
        variables: VariableValues,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> Fields:
        fields: Fields = {}
        visited: set[str] = set()
        for selection_set in selection_sets:
            self._collect(object_type, selection_set, variables, fragments, fields, visited)
        return fields

    def _collect(
        self,
        object_type: GraphQLObjectType,
        selection_set: SelectionSetNode,
        variables: VariableValues,
        fragments: Mapping[str, FragmentDefinitionNode],
        fields: Fields,
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection, variables):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._matches(condition.name.value, object_type):
                    self._collect(
                        object_type,
                        selection.selection_set,
                        variables,
                        fragments,
                        fields,
                        visited,
                    )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if self._matches(fragment.type_condition.name.value, object_type):
                    self._collect(
                        object_type, fragment.selection_set, variables, fragments, fields, visited
                    )

    def _included(self, node: Any, variables: VariableValues) -> bool:
        directives = node.directives or ()
        if not directives:
            return True
        if any(d.name.value not in _DIRECTIVES for d in directives):
            raise NotCompiled("directive")
        skip = get_directive_values(GraphQLSkipDirective, node, variables)
        if skip is not None and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, variables)
        return not (include is not None and include.get("if") is False)

    def _matches(self, condition: str, object_type: GraphQLObjectType) -> bool:
        conditional = self.graphql_schema.get_type(condition)
        if conditional is object_type:
            return True
        if conditional is not None and is_abstract_type(conditional):
            return self.graphql_schema.is_sub_type(conditional, object_type)
        return False

    # --- roots ---------------------------------------------------------------------------------

    def root_fields(
        self,
        operation: OperationDefinitionNode,
        variables: VariableValues,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> Fields:
        query_type = self.graphql_schema.query_type
        assert query_type is not None
        return self.collect(query_type, [operation.selection_set], variables, fragments)

    def root(
        self,
        key: str,
        nodes: list[FieldNode],
        variables: VariableValues,
        fragments: Mapping[str, FragmentDefinitionNode],
        params: list[Any],
        base: int = 0,
    ) -> Root:
        """The plan of one root field; ``NotCompiled`` or the resolvers' ``GraphQLError``.

        Lookup keys are appended to ``params``; they are parameter ``base`` onwards.
        """
        name = nodes[0].name.value
        if name == "__typename":
            return TypenameRoot(key)
        query_type = self.graphql_schema.query_type
        assert query_type is not None
        spec = self.specs.get(("Query", name))
        if spec is None:
            raise NotCompiled(name)
        args = get_argument_values(query_type.fields[name], nodes[0], variables)
        context = _Walk(self, variables, fragments)
        if isinstance(spec, RootLookup):
            value = args[spec.column]
            check_key(spec.column, value)
            record = context.record(spec.target, nodes)
            params.append(value)
            return LookupRoot(key, spec.table, spec.column, record, base + len(params) - 1)
        if isinstance(spec, NodeLookup):
            if not spec.many:
                return self._lookup(key, args["id"], "id", nodes, context, params, base)
            check_node_ids(args["ids"])
            lookups = tuple(
                self._lookup(key, i, "ids", nodes, context, params, base) for i in args["ids"]
            )
            return NodesRoot(key, lookups)
        if isinstance(spec, RootList):
            return ListRoot(key, spec, context.record(spec.target, nodes))
        if isinstance(spec, RootConnection):
            filter_value = self.input(spec.filter_input, args.get("filter"))
            page_args = self._page_args(spec.order_input, args)
            selection = checkable(spec.listing.selection(filter_value))

            def statement() -> Any:
                return spec.listing.statement(selection, filter_value)

            page = context.page(spec.target, nodes, page_args, freeze(args), statement=statement)
            return PageRoot(key, page)
        if isinstance(spec, RootSearch):
            checked = search_args(args["query"], args["types"], args["first"], args["after"])
            return PageRoot(key, context.search_page(nodes, checked, freeze(args)))
        if isinstance(spec, RootSummary):
            chosen = checkable(budget_selection(self.input(BudgetFilter, args.get("filter"))))
            group = args["groupBy"].name.lower()  # as the resolver reads it

            def totals(numbered: bool) -> Any:
                return totals_statement(chosen, group, numbered)

            record = context.record("BudgetTotal", nodes)
            return SummaryRoot(key, record, freeze(args), totals)
        raise NotCompiled(name)

    def _lookup(
        self,
        key: str,
        global_id: str,
        argument: str,
        nodes: list[FieldNode],
        context: _Walk,
        params: list[Any],
        base: int,
    ) -> LookupRoot:
        kind, pk = node_of(global_id, argument)
        type_name = kind.__name__
        record = context.record(type_name, nodes)
        params.append(pk)
        return LookupRoot(key, kind.table, "id", record, base + len(params) - 1)

    def _page_args(self, order_input: type, args: Mapping[str, Any]) -> PageArgs:
        order = self.input(order_input, args.get("orderBy")) or order_input()
        return PageArgs.of(order, args["first"], args["after"], args["last"], args["before"])

    def input(self, cls: type, value: Mapping[str, Any] | None) -> Any:
        """The strawberry input object for a coerced value (as the resolvers receive it)."""
        if value is None:
            return None
        definition = get_object_definition(cls, strict=True)
        graphql_type = self.graphql_schema.get_type(definition.name)
        assert isinstance(graphql_type, GraphQLInputObjectType)
        values = {}
        for input_field in definition.fields:
            graphql_name = self._names.get_graphql_name(input_field)
            if graphql_name in value:
                values[input_field.python_name] = self._nested(
                    graphql_type.fields[graphql_name].type, value[graphql_name]
                )
        return cls(**values)

    def _nested(self, kind: GraphQLInputType, value: Any) -> Any:
        """An input field's value as the resolvers receive it: nested input objects too
        (walked along the graphql-core input types, whose strawberry classes
        ``Schema.get_type_by_name`` gives)."""
        if value is None:
            return None
        if isinstance(kind, GraphQLNonNull):
            return self._nested(kind.of_type, value)
        if isinstance(kind, GraphQLList):
            return [self._nested(kind.of_type, item) for item in value]
        if isinstance(kind, GraphQLInputObjectType):
            origin = getattr(self.schema.get_type_by_name(kind.name), "origin", None)
            assert isinstance(origin, type)
            return self.input(origin, value)
        return value


class _Walk:
    """Plans the selections under one root field."""

    def __init__(
        self,
        planner: Planner,
        variables: VariableValues,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self.planner = planner
        self.variables = variables
        self.fragments = fragments
        self.search: SearchArgs | None = None  # under ``search``: its arguments

    def _object_type(self, name: str) -> GraphQLObjectType:
        object_type = self.planner.graphql_schema.get_type(name)
        assert isinstance(object_type, GraphQLObjectType)
        return object_type

    def _sub(self, object_type: GraphQLObjectType, nodes: list[FieldNode]) -> Fields:
        sets = [n.selection_set for n in nodes if n.selection_set is not None]
        return self.planner.collect(object_type, sets, self.variables, self.fragments)

    def record(self, type_name: str, nodes: list[FieldNode]) -> Record:
        object_type = self._object_type(type_name)
        items: list[Item] = []
        for key, field_nodes in self._sub(object_type, nodes).items():
            items.append(self._item(object_type, key, field_nodes))
        return Record(type_name, tuple(items))

    def _item(self, object_type: GraphQLObjectType, key: str, nodes: list[FieldNode]) -> Item:
        name = nodes[0].name.value
        if name == "__typename":
            return Leaf(key, typename=object_type.name)
        spec = self.planner.specs.get((object_type.name, name))
        if spec is None:
            raise NotCompiled(f"{object_type.name}.{name}")
        if isinstance(spec, Column):
            return Leaf(key, column=spec)
        if isinstance(spec, ComputedColumn):
            return Leaf(key, computed=spec)
        if isinstance(spec, GlobalId):
            return Leaf(key, global_id=object_type.name)
        if isinstance(spec, ValueObject):
            value_type = self._object_type(spec.type_name)
            leaves: list[Item] = []
            for sub_key, sub_nodes in self._sub(value_type, nodes).items():
                sub_name = sub_nodes[0].name.value
                if sub_name == "__typename":
                    leaves.append(Leaf(sub_key, typename=spec.type_name))
                else:
                    leaves.append(Leaf(sub_key, column=spec.fields[sub_name]))
            return ValueItem(key, Record(spec.type_name, tuple(leaves)), spec.present_when)
        if isinstance(spec, ToOne):
            return ToOneItem(key, spec, self.record(spec.target, nodes))
        if isinstance(spec, RowList):
            record = self.record(spec.target, nodes) if spec.target is not None else None
            return ListItem(key, spec, record)
        if isinstance(spec, ChildConnection):
            field_def = object_type.fields[name]
            args = get_argument_values(field_def, nodes[0], self.variables)
            page_args = self.planner._page_args(spec.order_input, args)
            selection = None
            if spec.filter_input is not None:
                filter_value = self.planner.input(spec.filter_input, args.get("filter"))
                selection = checkable(task_selection(filter_value))

            def child_statement() -> Any:
                return spec.statement(args, selection)

            page = self.page(
                spec.target, nodes, page_args, freeze(args), child=spec, statement=child_statement
            )
            return PageItem(key, page)
        if isinstance(spec, HitSnippet) and self.search is not None:
            return Leaf(key, snippet=self.search.text)
        if isinstance(spec, HitNode) and self.search is not None:
            kinds = self.search.kinds or KINDS
            choices = (
                (KINDS.index(kind), kind, self.record(TYPE_OF_TABLE[kind], nodes)) for kind in kinds
            )
            return ChoiceItem(key, tuple(choices))
        raise NotCompiled(f"{object_type.name}.{name}")

    def search_page(
        self, nodes: list[FieldNode], checked: SearchArgs, shape: tuple[Any, ...]
    ) -> Page:
        """The page of ``search`` hits; its statement is built per database."""
        self.search = checked

        def source(dialect: str) -> tuple[Any, Ordering]:
            return search_statement(checked.text, dialect, checked.kinds)

        return self._page(
            "SearchHit", nodes, ORDER_NAME, None, checked.request, KEY_TYPES, shape, source=source
        )

    def page(
        self,
        target: str,
        nodes: list[FieldNode],
        page_args: PageArgs,
        shape: tuple[Any, ...],
        *,
        statement: Any = None,
        child: ChildConnection | None = None,
    ) -> Page:
        orders = catalog.ORDERS[TABLE_OF[target]]
        key_types = orders[page_args.order_name.split(":")[0]].types
        return self._page(
            target,
            nodes,
            page_args.order_name,
            page_args.ordering,
            page_args.request,
            key_types,
            shape,
            statement=statement,
            child=child,
        )

    def _page(
        self,
        target: str,
        nodes: list[FieldNode],
        order_name: str,
        ordering: Ordering | None,
        request: PageRequest,
        key_types: tuple[type, ...],
        shape: tuple[Any, ...],
        *,
        statement: Any = None,
        child: ChildConnection | None = None,
        source: Any = None,
    ) -> Page:
        connection_type = self._object_type(f"{target}Connection")
        edge_type = self._object_type(f"{target}Edge")
        parts: list[PagePart] = []
        for key, field_nodes in self._sub(connection_type, nodes).items():
            name = field_nodes[0].name.value
            if name in ("totalCount", "__typename"):
                parts.append(PagePart(key, name))
            elif name == "nodes":
                parts.append(PagePart(key, name, self.record(target, field_nodes)))
            elif name == "edges":
                edge_items: list[tuple[str, str, Record | None]] = []
                for edge_key, edge_nodes in self._sub(edge_type, field_nodes).items():
                    edge_name = edge_nodes[0].name.value
                    if edge_name == "cursor":
                        _cursor_supported(key_types)
                    record = self.record(target, edge_nodes) if edge_name == "node" else None
                    edge_items.append((edge_key, edge_name, record))
                parts.append(PagePart(key, name, items=tuple(edge_items)))
            elif name == "pageInfo":
                info_type = self._object_type("PageInfo")
                info_items: list[tuple[str, str, Record | None]] = []
                for info_key, info_nodes in self._sub(info_type, field_nodes).items():
                    info_name = info_nodes[0].name.value
                    if info_name in ("startCursor", "endCursor"):
                        _cursor_supported(key_types)
                    info_items.append((info_key, info_name, None))
                parts.append(PagePart(key, name, items=tuple(info_items)))
            else:
                raise NotCompiled(f"{connection_type.name}.{name}")
        return Page(
            target=target,
            order_name=order_name,
            ordering=ordering,
            request=request,
            key_types=key_types,
            shape=shape,
            parts=tuple(parts),
            statement=statement if child is None else None,
            source=source,
            child=child,
            child_args=shape if child is not None else (),
            child_statement=statement if child is not None else None,
        )


def checkable(selection: DatasetFilter) -> DatasetFilter:
    """``selection``, when it names no record by slug or code: those the resolvers check
    against the data first (an unknown one is an error), so such a field is not compiled."""
    if names_keys(selection):
        raise NotCompiled("a filter naming records by slug or code")
    return selection


def _cursor_supported(key_types: tuple[type, ...]) -> None:
    if not all(t in _CURSOR_TYPES for t in key_types):
        # A text key's JSON escapes differ between the databases and Python's json.
        raise NotCompiled("cursor over a text key")
