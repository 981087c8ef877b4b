"""Tables, named orderings and relations of the entities, for keyset pages and batched loads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table

from service.core import registry
from service.core.models import (
    Budget,
    Citation,
    Document,
    Law,
    LawAlias,
    Milestone,
    Organisation,
    Plan,
    Region,
    Strategy,
    Target,
    Task,
    Technology,
    task_law,
    task_organisation,
    task_region,
    task_technology,
)
from service.core.queries.paging import Ordering, SortKey


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


document = _table(Document)
plan = _table(Plan)
strategy = _table(Strategy)
task = _table(Task)
milestone = _table(Milestone)
budget = _table(Budget)
law = _table(Law)
law_alias = _table(LawAlias)
target = _table(Target)
technology = _table(Technology)
region = _table(Region)
organisation = _table(Organisation)
citation = _table(Citation)

TABLES: Mapping[str, Table] = {
    t.name: t
    for t in (
        document,
        plan,
        strategy,
        task,
        milestone,
        budget,
        law,
        target,
        technology,
        region,
        organisation,
    )
}


@dataclass(frozen=True)
class OrderSpec:
    """A named sort order: its key columns (ending with the id) and each key's value type."""

    keys: tuple[SortKey, ...]
    types: tuple[type, ...]

    def ordering(self, descending: bool = False) -> Ordering:
        return Ordering(self.keys, descending)


def _spec(entry: registry.EntityInfo, columns: tuple[str, ...]) -> OrderSpec:
    keys = tuple(SortKey(entry.table.c[c], nullable=entry.field(c).nullable) for c in columns)
    return OrderSpec(keys, tuple(entry.field(c).python_type for c in columns))


# Connection orderings, as the registry declares them.
ORDERS: Mapping[str, Mapping[str, OrderSpec]] = {
    entry.name: {name: _spec(entry, columns) for name, columns in entry.orders.items()}
    for entry in registry.ENTITIES.values()
    if entry.orders
}


# Link tables from tasks to laws and vocabularies: (link table, its column for the other side).
TASK_LINKS: Mapping[str, tuple[Table, ColumnElement[Any]]] = {
    "law": (task_law, task_law.c.law_id),
    "technology": (task_technology, task_technology.c.technology_id),
    "region": (task_region, task_region.c.region_id),
    "organisation": (task_organisation, task_organisation.c.organisation_id),
}
