"""What each GraphQL field the compiler covers reads from the database.

Stored leaves are derived from the schema and the tables: a field without a resolver whose
Python name is a column of the type's table, and whose GraphQL scalar carries the column's
Python type (or is an enum whose names are the stored values in upper case), reads that
column. Value objects, relations and connections are listed here by hand, each with the
statement the resolver path uses. A field missing from ``FIELDS`` is not compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import strawberry
from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, get_named_type
from sqlalchemy import ColumnElement, Select, Table
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema import inputs, lists
from schema.types.entities import _ALL_TASKS, _LAW_TASKS, _PLAN_STRATEGIES, _TOP_TASKS, NODE_TYPES
from service.core.queries import catalog

LeafKind = Literal["plain", "enum", "amount"]


@dataclass(frozen=True)
class Column:
    """A stored value of the current row."""

    column: str
    kind: LeafKind = "plain"


@dataclass(frozen=True)
class GlobalId:
    """The Relay ID of the current row."""


@dataclass(frozen=True)
class ValueObject:
    """An object made of the current row's columns (FuzzyDate, Money)."""

    type_name: str
    fields: Mapping[str, Column]


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


@dataclass(frozen=True)
class ChildConnection:
    """A cursor connection under the current row (the resolvers' statements)."""

    target: str
    statement: Callable[[Mapping[str, Any]], tuple[Select[Any], ColumnElement[Any]]]
    order_input: type


@dataclass(frozen=True)
class RootConnection:
    """A top-level connection: its filter input turned into a statement by ``lists``."""

    target: str
    statement: Callable[[Any], Select[Any]]
    filter_input: type
    order_input: type


@dataclass(frozen=True)
class RootLookup:
    """``plan(slug:)``: one row by a unique column."""

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


Spec = (
    Column
    | GlobalId
    | ValueObject
    | ToOne
    | RowList
    | ChildConnection
    | RootConnection
    | RootLookup
    | RootList
    | NodeLookup
)

TABLE_OF: dict[str, str] = {name: kind.table for name, kind in NODE_TYPES.items()}
TABLE_OF["Citation"] = "citation"


def _plan_strategies(_args: Mapping[str, Any]) -> tuple[Select[Any], ColumnElement[Any]]:
    return _PLAN_STRATEGIES, catalog.strategy.c.plan_id


def _strategy_tasks(args: Mapping[str, Any]) -> tuple[Select[Any], ColumnElement[Any]]:
    statement = _ALL_TASKS if args.get("includeSubtasks") else _TOP_TASKS
    return statement, catalog.task.c.strategy_id


def _law_tasks(_args: Mapping[str, Any]) -> tuple[Select[Any], ColumnElement[Any]]:
    return _LAW_TASKS, catalog.TASK_LINKS["law"][0].c.law_id


def _own(target: str, parent: str = "task_id") -> RowList:
    return RowList(target, TABLE_OF[target], parent, ("position", "id"))


def _linked(target: str, kind: str) -> RowList:
    link, other = catalog.TASK_LINKS[kind]
    return RowList(target, kind, "task_id", ("id",), link.name, other.key)


def _citations(table: str) -> RowList:
    return RowList("Citation", "citation", f"{table}_id", ("id",))


_HANDWRITTEN: dict[tuple[str, str], Spec] = {
    ("Milestone", "date"): ValueObject(
        "FuzzyDate",
        {
            "text": Column("date_text"),
            "edtf": Column("edtf"),
            "start": Column("start_date"),
            "end": Column("end_date"),
            "precision": Column("precision", "enum"),
        },
    ),
    ("Budget", "amount"): ValueObject(
        "Money", {"amount": Column("amount", "amount"), "currency": Column("currency")}
    ),
    ("Citation", "document"): ToOne("Document", "document", "document_id"),
    ("Plan", "document"): ToOne("Document", "document", "document_id"),
    ("Plan", "strategies"): ChildConnection("Strategy", _plan_strategies, inputs.StrategyOrder),
    ("Strategy", "plan"): ToOne("Plan", "plan", "plan_id"),
    ("Strategy", "tasks"): ChildConnection("Task", _strategy_tasks, inputs.TaskOrder),
    ("Task", "strategy"): ToOne("Strategy", "strategy", "strategy_id"),
    ("Task", "parent"): ToOne("Task", "task", "parent_id", nullable=True),
    ("Task", "subtasks"): _own("Task", "parent_id"),
    ("Task", "milestones"): _own("Milestone"),
    ("Task", "budgets"): _own("Budget"),
    ("Task", "targets"): _own("Target"),
    ("Task", "laws"): _linked("Law", "law"),
    ("Task", "technologies"): _linked("Technology", "technology"),
    ("Task", "regions"): _linked("Region", "region"),
    ("Task", "organisations"): _linked("Organisation", "organisation"),
    ("Milestone", "task"): ToOne("Task", "task", "task_id"),
    ("Budget", "task"): ToOne("Task", "task", "task_id"),
    ("Target", "task"): ToOne("Task", "task", "task_id"),
    ("Law", "aliases"): RowList(None, "law_alias", "law_id", ("alias",), value="alias"),
    ("Law", "tasks"): ChildConnection("Task", _law_tasks, inputs.TaskOrder),
    ("Query", "node"): NodeLookup(many=False),
    ("Query", "nodes"): NodeLookup(many=True),
    ("Query", "plan"): RootLookup("Plan", "plan", "slug"),
    ("Query", "plans"): RootList("Plan", "plan", ("announced_on NULLS FIRST", "id")),
    ("Query", "documents"): RootList("Document", "document", ("id",)),
    ("Query", "technologies"): RootList("Technology", "technology", ("name", "id")),
    ("Query", "regions"): RootList("Region", "region", ("name", "id")),
    ("Query", "organisations"): RootList("Organisation", "organisation", ("name", "id")),
    ("Query", "strategies"): RootConnection(
        "Strategy", lists.strategies_statement, inputs.StrategyFilter, inputs.StrategyOrder
    ),
    ("Query", "tasks"): RootConnection(
        "Task", lists.tasks_statement, inputs.TaskFilter, inputs.TaskOrder
    ),
    ("Query", "milestones"): RootConnection(
        "Milestone", lists.milestones_statement, inputs.MilestoneFilter, inputs.MilestoneOrder
    ),
    ("Query", "budgets"): RootConnection(
        "Budget", lists.budgets_statement, inputs.BudgetFilter, inputs.BudgetOrder
    ),
    ("Query", "laws"): RootConnection(
        "Law", lists.laws_statement, inputs.LawFilter, inputs.LawOrder
    ),
    ("Query", "targets"): RootConnection(
        "Target", lists.targets_statement, inputs.TargetFilter, inputs.TargetOrder
    ),
}

_SCALAR_TYPES: dict[str, type] = {"String": str, "Int": int, "Date": date}


def _enum_is_upper_values(enum_type: GraphQLEnumType) -> bool:
    return all(name == str(value.value).upper() for name, value in enum_type.values.items())


def _stored_leaf(table: Table, field: Any) -> Column | None:
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or not definition.is_basic_field or field.args:
        return None
    column = table.c.get(definition.python_name)
    if column is None:
        return None
    named = get_named_type(field.type)
    if isinstance(named, GraphQLEnumType):
        return Column(column.key, "enum") if _enum_is_upper_values(named) else None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return None
    if _SCALAR_TYPES.get(named.name) is python_type:
        return Column(column.key)
    return None


def derive(schema: strawberry.Schema) -> dict[tuple[str, str], Spec]:
    """Every (type, field) the compiler covers, for this schema."""
    graphql_schema = schema._schema
    found: dict[tuple[str, str], Spec] = {}
    for type_name, table_name in TABLE_OF.items():
        table = catalog.TABLES.get(table_name, catalog.citation)
        object_type = graphql_schema.get_type(type_name)
        if not isinstance(object_type, GraphQLObjectType):
            continue
        for field_name, field in object_type.fields.items():
            if field_name == "id" and type_name in NODE_TYPES:
                found[(type_name, field_name)] = GlobalId()
            elif field_name == "sources" and type_name in NODE_TYPES:
                found[(type_name, field_name)] = _citations(table_name)
            else:
                leaf = _stored_leaf(table, field)
                if leaf is not None:
                    found[(type_name, field_name)] = leaf
    for (type_name, field_name), spec in _HANDWRITTEN.items():
        object_type = graphql_schema.get_type(type_name)
        if isinstance(object_type, GraphQLObjectType) and field_name in object_type.fields:
            found[(type_name, field_name)] = spec
    return found


def is_non_null(object_type: GraphQLObjectType, field_name: str) -> bool:
    return isinstance(object_type.fields[field_name].type, GraphQLNonNull)
