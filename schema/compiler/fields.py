"""What each GraphQL field the compiler covers reads from the database, over the registry.

Derived from the schema and the entity registry: a field without a resolver whose Python
name is a stored field of the type's entity reads that column when its GraphQL scalar carries
the column's Python type (or is an enum whose names are the stored values in upper case); a
field named like a registry composite is a value object of its columns; a field named like a
to-one relation follows it; a list field without arguments named like a to-many or
many-to-many relation lists it in the registry's order; a resolver field named like a
registry computed value of a GraphQL scalar carrying its Python type is that value's SQL
(``Law.statusAsOf``); a column ``@stored`` shows under another name (``LawName.name``) is
found by that name; ``sources`` lists the citations. Root
fields and connections, whose arguments the resolvers interpret, are listed by hand with
the statements the resolvers use. A field missing from ``derive()``'s answer is not compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)
from sqlalchemy import ColumnElement, Select

from schema import inputs, lists
from schema.core_schema import core_schema
from schema.types.entities import _ALL_TASKS, _PLAN_STRATEGIES, _TOP_TASKS, NODE_TYPES, linked_tasks
from service.core import registry
from service.core.dataset_filter import DatasetFilter
from service.core.queries import catalog

LeafKind = Literal["plain", "enum", "amount", "decimal", "score"]


@dataclass(frozen=True)
class Column:
    """A stored value of the current row; ``scale``: a decimal column's digits after the point;
    kind ``score``: a search rank (the negated score in millionths) as the score's float."""

    column: str
    kind: LeafKind = "plain"
    scale: int | None = None


@dataclass(frozen=True)
class ComputedColumn:
    """A value the registry computes from the current row of ``table`` (``value.sql``)."""

    table: str
    value: registry.Computed


@dataclass(frozen=True)
class GlobalId:
    """The Relay ID of the current row."""


@dataclass(frozen=True)
class ValueObject:
    """An object made of the current row's columns (FuzzyDate, Money); with
    ``present_when``, null unless one of those columns is set (a target's Baseline)."""

    type_name: str
    fields: Mapping[str, Column]
    present_when: tuple[str, ...] = ()


@dataclass(frozen=True)
class ToOne:
    """The row of ``table`` whose id the current row's ``column`` holds."""

    target: str
    table: str
    column: str
    nullable: bool = False


@dataclass(frozen=True)
class RowList:
    """All rows related to the current row, in the loaders' order.

    ``parent`` is the column holding the current row's id: on ``table`` itself, or on the
    ``link`` table that joins ``link_other`` to ``table.id``.
    """

    target: str | None  # None: a list of the ``value`` column's strings
    table: str
    parent: str
    order: tuple[str, ...]
    link: str | None = None
    link_other: str | None = None
    value: str | None = None


ChildStatement = Callable[
    [Mapping[str, Any], DatasetFilter | None], tuple[Select[Any], ColumnElement[Any]]
]


@dataclass(frozen=True)
class ChildConnection:
    """A cursor connection under the current row (the resolvers' statements): ``statement``
    takes the coerced arguments and, with a ``filter_input``, the filter's selection."""

    target: str
    statement: ChildStatement
    order_input: type
    filter_input: type | None = None


@dataclass(frozen=True)
class RootConnection:
    """A top-level connection: its filter input turned into a statement by ``lists``."""

    target: str
    listing: lists.Listing[Any]
    filter_input: type
    order_input: type


@dataclass(frozen=True)
class RootLookup:
    """``plan(slug:)``, ``task(code:)``...: one row by its natural key."""

    target: str
    table: str
    column: str


@dataclass(frozen=True)
class RootList:
    """An unpaged top-level list in the resolver's order (columns, ascending)."""

    target: str
    table: str
    order: tuple[str, ...]


@dataclass(frozen=True)
class NodeLookup:
    """``node(id:)`` / ``nodes(ids:)``."""

    many: bool


@dataclass(frozen=True)
class RootSearch:
    """``search``: ranked hits over the search index, keyset-paged."""


@dataclass(frozen=True)
class HitSnippet:
    """``SearchHit.snippet``: the hit's text cut around the first word searched for."""


@dataclass(frozen=True)
class HitNode:
    """``SearchHit.node``: the record of the hit's kind and id."""


@dataclass(frozen=True)
class RootSummary:
    """``budgetSummary``: the budget totals statement."""


Spec = (
    Column
    | ComputedColumn
    | GlobalId
    | ValueObject
    | ToOne
    | RowList
    | ChildConnection
    | RootConnection
    | RootLookup
    | RootList
    | NodeLookup
    | RootSearch
    | HitSnippet
    | HitNode
    | RootSummary
)

TABLE_OF: dict[str, str] = {name: kind.table for name, kind in NODE_TYPES.items()}
TABLE_OF["Citation"] = "citation"
TABLE_OF["LawName"] = "law_alias"


def _plan_strategies(
    _args: Mapping[str, Any], _selection: DatasetFilter | None
) -> tuple[Select[Any], ColumnElement[Any]]:
    return _PLAN_STRATEGIES, catalog.strategy.c.plan_id


def _strategy_tasks(
    args: Mapping[str, Any], _selection: DatasetFilter | None
) -> tuple[Select[Any], ColumnElement[Any]]:
    statement = _ALL_TASKS if args.get("includeSubtasks") else _TOP_TASKS
    return statement, catalog.task.c.strategy_id


def _linked_tasks(entity: str) -> ChildConnection:
    """``tasks`` of a law, technology, region or organisation, as ``TaskLinked.tasks``."""

    def statement(
        _args: Mapping[str, Any], selection: DatasetFilter | None
    ) -> tuple[Select[Any], ColumnElement[Any]]:
        assert selection is not None
        return linked_tasks(entity, selection)

    return ChildConnection("Task", statement, inputs.TaskOrder, inputs.TaskFilter)


_HANDWRITTEN: dict[tuple[str, str], Spec] = {
    ("Plan", "strategies"): ChildConnection("Strategy", _plan_strategies, inputs.StrategyOrder),
    ("Strategy", "tasks"): ChildConnection("Task", _strategy_tasks, inputs.TaskOrder),
    # The resolver lists a law's other names as strings, ordered by the name.
    ("Law", "aliases"): RowList(None, "law_alias", "law_id", ("alias",), value="alias"),
    ("Law", "names"): RowList("LawName", "law_alias", "law_id", ("alias",)),
    ("Citation", "document"): ToOne("Document", "document", "document_id"),
    ("Law", "tasks"): _linked_tasks("law"),
    ("Technology", "tasks"): _linked_tasks("technology"),
    ("Region", "tasks"): _linked_tasks("region"),
    ("Organisation", "tasks"): _linked_tasks("organisation"),
    ("Query", "node"): NodeLookup(many=False),
    ("Query", "nodes"): NodeLookup(many=True),
    ("Query", "plan"): RootLookup("Plan", "plan", "slug"),
    ("Query", "strategy"): RootLookup("Strategy", "strategy", "code"),
    ("Query", "task"): RootLookup("Task", "task", "code"),
    ("Query", "law"): RootLookup("Law", "law", "slug"),
    ("Query", "technology"): RootLookup("Technology", "technology", "slug"),
    ("Query", "region"): RootLookup("Region", "region", "slug"),
    ("Query", "organisation"): RootLookup("Organisation", "organisation", "slug"),
    ("Query", "document"): RootLookup("Document", "document", "slug"),
    ("Query", "lawGroup"): RootLookup("LawGroup", "law_group", "slug"),
    ("Query", "plans"): RootList("Plan", "plan", ("announced_on NULLS FIRST", "id")),
    ("Query", "documents"): RootList("Document", "document", ("id",)),
    ("Query", "technologies"): RootList("Technology", "technology", ("name", "id")),
    ("Query", "regions"): RootList("Region", "region", ("name", "id")),
    ("Query", "organisations"): RootList("Organisation", "organisation", ("name", "id")),
    ("Query", "strategies"): RootConnection(
        "Strategy", lists.STRATEGIES, inputs.StrategyFilter, inputs.StrategyOrder
    ),
    ("Query", "tasks"): RootConnection("Task", lists.TASKS, inputs.TaskFilter, inputs.TaskOrder),
    ("Query", "milestones"): RootConnection(
        "Milestone", lists.MILESTONES, inputs.MilestoneFilter, inputs.MilestoneOrder
    ),
    ("Query", "budgets"): RootConnection(
        "Budget", lists.BUDGETS, inputs.BudgetFilter, inputs.BudgetOrder
    ),
    ("Query", "laws"): RootConnection("Law", lists.LAWS, inputs.LawFilter, inputs.LawOrder),
    ("Query", "lawGroups"): RootConnection(
        "LawGroup", lists.LAW_GROUPS, inputs.LawGroupFilter, inputs.LawGroupOrder
    ),
    ("Query", "search"): RootSearch(),
    ("SearchHit", "score"): Column("rank", "score"),
    ("SearchHit", "field"): Column("field", "enum"),
    ("SearchHit", "snippet"): HitSnippet(),
    ("SearchHit", "node"): HitNode(),
    # The columns of ``budgets.totals_statement``.
    ("Query", "budgetSummary"): RootSummary(),
    ("BudgetTotal", "key"): Column("key"),
    ("BudgetTotal", "label"): Column("label"),
    ("BudgetTotal", "kind"): Column("kind", "enum"),
    ("BudgetTotal", "startYear"): Column("start_year"),
    ("BudgetTotal", "endYear"): Column("end_year"),
    ("BudgetTotal", "meaning"): Column("meaning"),
    ("BudgetTotal", "total"): ValueObject(
        "Money", {"amount": Column("amount", "amount"), "currency": Column("currency")}
    ),
    ("BudgetTotal", "budgets"): Column("n"),
    ("Query", "targets"): RootConnection(
        "Target", lists.TARGETS, inputs.TargetFilter, inputs.TargetOrder
    ),
}

_SCALAR_TYPES: dict[str, type] = {"String": str, "Int": int, "Date": date}
TYPE_OF_TABLE = {table: type_name for type_name, table in TABLE_OF.items()}


def _enum_is_upper_values(enum_type: GraphQLEnumType) -> bool:
    return all(name == str(value.value).upper() for name, value in enum_type.values.items())


def _stored(entry: registry.EntityInfo, name: str, field: GraphQLField) -> Column | None:
    """The column a field reads, when its GraphQL type renders the stored value exactly."""
    stored = next((f for f in entry.fields if f.name == name), None)
    if stored is None or not stored.public:
        return None
    named = get_named_type(field.type)
    if isinstance(named, GraphQLEnumType):
        if stored.enum is None or not _enum_is_upper_values(named):
            return None
        return Column(stored.name, "enum")
    if stored.is_money and named.name == "String":
        return Column(stored.name, "amount")
    if stored.python_type is Decimal and named.name == "String":
        scale = getattr(stored.column.type, "scale", None)
        return Column(stored.name, "decimal", scale) if isinstance(scale, int) else None
    if _SCALAR_TYPES.get(named.name) is stored.python_type:
        return Column(stored.name)
    return None


def _composite(
    entry: registry.EntityInfo, name: str, field: GraphQLField, graphql_schema: Any
) -> ValueObject | None:
    composite = next((c for c in entry.composites if c.name == name), None)
    value_type = get_named_type(field.type)
    if composite is None or not isinstance(value_type, GraphQLObjectType):
        return None
    parts: dict[str, Column] = {}
    for part, column in composite.parts.items():
        leaf = (
            _stored(entry, column, value_type.fields[part]) if part in value_type.fields else None
        )
        if leaf is None:
            return None
        parts[part] = leaf
    return ValueObject(value_type.name, parts, composite.present_when)


def _computed(entry: registry.EntityInfo, name: str, field: GraphQLField) -> Spec | None:
    value = next((c for c in entry.computed if c.name == name), None)
    if value is None or field.args:
        return None
    if _SCALAR_TYPES.get(get_named_type(field.type).name) is not value.python_type:
        return None
    return ComputedColumn(entry.name, value)


def _column_names(schema: strawberry.Schema, type_name: str) -> dict[str, str]:
    """Field (Python) name -> column, where ``@stored`` gave a column another name."""
    definition = schema.get_type_by_name(type_name)
    shown_as: Mapping[str, str] = getattr(getattr(definition, "origin", None), "shown_as", {})
    return {attribute: column for column, attribute in shown_as.items()}


def _relation(entry: registry.EntityInfo, name: str, field: GraphQLField) -> Spec | None:
    relation = next((r for r in entry.relations if r.name == name), None)
    if relation is None or relation.target not in TYPE_OF_TABLE:
        return None
    target = TYPE_OF_TABLE[relation.target]
    if get_named_type(field.type).name != target:
        return None
    is_list = isinstance(
        field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type, GraphQLList
    )
    if isinstance(relation, registry.ToOne) and not is_list:
        nullable = not isinstance(field.type, GraphQLNonNull)
        return ToOne(target, relation.target, relation.column, nullable)
    if field.args or not is_list:
        return None
    if isinstance(relation, registry.ToMany) and relation.where is None:
        return RowList(target, relation.target, relation.column, relation.order)
    if isinstance(relation, registry.ManyToMany):
        return RowList(
            target, relation.target, relation.near, relation.order, relation.link.name, relation.far
        )
    return None


def derive(schema: strawberry.Schema) -> dict[tuple[str, str], Spec]:
    """Every (type, field) the compiler covers, for this schema."""
    graphql_schema = core_schema(schema)
    found: dict[tuple[str, str], Spec] = {}
    for type_name, table_name in TABLE_OF.items():
        object_type = graphql_schema.get_type(type_name)
        if not isinstance(object_type, GraphQLObjectType) or table_name not in registry.ENTITIES:
            continue
        entry = registry.entity(table_name)
        columns = _column_names(schema, type_name)
        for field_name, field in object_type.fields.items():
            definition = schema.get_field_for_type(field_name, type_name)
            python_name = definition.python_name if definition is not None else field_name
            python_name = columns.get(python_name, python_name)
            spec: Spec | None = None
            if field_name == "id" and type_name in NODE_TYPES:
                spec = GlobalId()
            elif field_name == "sources" and table_name in registry.PROVENANCE.subjects:
                column = registry.PROVENANCE.subjects[table_name]
                spec = RowList("Citation", "citation", column, ("id",))
            elif definition is not None and definition.is_basic_field and not field.args:
                spec = _stored(entry, python_name, field) or _composite(
                    entry, python_name, field, graphql_schema
                )
            else:
                spec = _relation(entry, python_name, field) or _computed(entry, python_name, field)
            if spec is not None:
                found[(type_name, field_name)] = spec
    citation = graphql_schema.get_type("Citation")
    if isinstance(citation, GraphQLObjectType) and "quote" in citation.fields:
        found[("Citation", "quote")] = Column(registry.PROVENANCE.quote_column)
    for (type_name, field_name), spec in _HANDWRITTEN.items():
        object_type = graphql_schema.get_type(type_name)
        if isinstance(object_type, GraphQLObjectType) and field_name in object_type.fields:
            found[(type_name, field_name)] = spec
    return found
