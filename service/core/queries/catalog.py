"""Tables, named orderings and relations of the entities, for keyset pages and batched loads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table

from service.core import registry
from service.core.int_ranges import integer_range
from service.core.queries.paging import Ordering, SortKey


def _table(entity: str) -> Table:
    return registry.entity(entity).table


document = _table("document")
plan = _table("plan")
strategy = _table("strategy")
task = _table("task")
milestone = _table("milestone")
budget = _table("budget")
law = _table("law")
law_alias = _table("law_alias")
law_group = _table("law_group")
target = _table("target")
technology = _table("technology")
region = _table("region")
organisation = _table("organisation")
citation = registry.PROVENANCE.table

TABLES: Mapping[str, Table] = {name: entry.table for name, entry in registry.ENTITIES.items()}


@dataclass(frozen=True)
class OrderSpec:
    """A named sort order: its key columns (ending with the id) and each key's value type."""

    keys: tuple[SortKey, ...]
    types: tuple[type, ...]

    @property
    def ranges(self) -> tuple[tuple[int, int] | None, ...]:
        """The integers each key's column holds (None: not an integer column)."""
        return tuple(integer_range(key.column.type) for key in self.keys)

    def ordering(self, descending: bool = False) -> Ordering:
        return Ordering(self.keys, descending)


def _spec(entry: registry.EntityInfo, columns: tuple[str, ...]) -> OrderSpec:
    keys = tuple(SortKey(entry.table.c[c], nullable=entry.field(c).nullable) for c in columns)
    return OrderSpec(keys, tuple(entry.field(c).python_type for c in columns))


# Connection orderings, as the registry declares them.
ORDERS: Mapping[str, Mapping[str, OrderSpec]] = {
    entry.name: {name: _spec(entry, order.columns) for name, order in entry.orders.items()}
    for entry in registry.ENTITIES.values()
    if entry.orders
}


# Link tables from tasks to laws and vocabularies, by the linked entity: (link table, its
# column for the other side).
TASK_LINKS: Mapping[str, tuple[Table, ColumnElement[Any]]] = {
    link.target: (link.link, link.link.c[link.far])
    for link in registry.entity("task").many_to_many()
}
