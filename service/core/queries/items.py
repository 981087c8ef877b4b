"""Rows of an entity read into a dataclass, the columns found through the entity registry.

The dataclass's field names say what it holds: a stored column of the entity (``title``), or
a column of the row a to-one relation points at, prefixed with the relation's name
(``document_title``: the title of the plan's ``document``). Fields that are neither are the
caller's to fill (``sources``, nested lists). So a reader that shows a column names it once,
in its dataclass, and no column list is written twice.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, FromClause, Select, Table, select
from sqlalchemy.engine import RowMapping

from service.core import registry

Item = TypeVar("Item")


@dataclass(frozen=True)
class ItemQuery(Generic[Item]):
    """``statement`` selects ``id``, the ``keys`` columns and every field of ``item`` the
    database holds, from the entity's ``table`` (for conditions) and its to-one targets."""

    entity: str
    item: type[Item]
    statement: Select[Any]
    fields: tuple[str, ...]
    table: Table

    def order(self, name: str) -> list[ColumnElement[Any]]:
        """The key columns of the registry's ordering ``name`` of the entity."""
        return [
            self.table.c[column] for column in registry.entity(self.entity).orders[name].columns
        ]

    def build(self, row: RowMapping, **others: Any) -> Item:
        """The item of one result row; ``others`` fill the fields the database does not."""
        values = {name: _plain(row[name]) for name in self.fields}
        return self.item(**values, **others)


def item_query(entity: str, item: type[Item], *, keys: tuple[str, ...] = ()) -> ItemQuery[Item]:
    """The query that reads ``entity``'s rows as ``item`` (see the module docstring); ``keys``
    are further stored columns to select that the item does not hold (e.g. a parent id)."""
    entry = registry.entity(entity)
    table = entry.table
    stored = {field.name for field in entry.fields}
    targets: dict[str, FromClause] = {}
    columns: list[ColumnElement[Any]] = [table.c.id.label("id")]
    columns += [table.c[key].label(key) for key in keys]
    fields: list[str] = []
    joins: list[tuple[FromClause, ColumnElement[bool], bool]] = []
    for field in dataclasses.fields(item):  # type: ignore[arg-type]
        if field.name in stored:
            columns.append(table.c[field.name].label(field.name))
        else:
            found = _through_to_one(entry, field.name)
            if found is None:
                continue
            relation, column = found
            if relation.name not in targets:
                target = registry.entity(relation.target).table.alias()
                targets[relation.name] = target
                condition = table.c[relation.column] == target.c.id
                joins.append((target, condition, entry.field(relation.column).nullable))
            columns.append(targets[relation.name].c[column].label(field.name))
        fields.append(field.name)
    source: FromClause = table
    for joined, condition, optional in joins:
        source = source.join(joined, condition, isouter=optional)
    return ItemQuery(entity, item, select(*columns).select_from(source), tuple(fields), table)


def _through_to_one(entry: registry.EntityInfo, name: str) -> tuple[registry.ToOne, str] | None:
    for relation in entry.to_one():
        prefix = f"{relation.name}_"
        if name.startswith(prefix):
            column = name.removeprefix(prefix)
            if column in registry.entity(relation.target).table.c:
                return relation, column
    return None


def _plain(value: Any) -> Any:
    """Enum members as their text, as the page and its dataclasses expect."""
    return value.value if isinstance(value, enum.Enum) else value
