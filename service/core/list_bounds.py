"""The real sizes of the lists that are not paged: the most children any record has.

A cost limit that counts an unpaged list as one item lets one small query ask for millions of
rows. The bound of each relation is read from the data (one aggregate per relation, on
indexed foreign keys), so a limit computed from it is an upper bound of what a query can
return. The figures change only with the data: callers cache them per data version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, func, select

from service.core.models import law_group_member
from service.core.models.citation import CITABLE_TABLES
from service.core.queries import catalog
from service.core.queries.reader import Reader

# Records with their own citations (a ``citation.<entity>_id`` column each), listed in GraphQL
# as their ``sources``. A law alias's citations are listed with its law's names (``law.names``
# counts the aliases), not as a list of their own.
CITED = tuple(table for table in CITABLE_TABLES if table != "law_alias")
# Relation name -> the foreign key its children are grouped by.
_PER_PARENT: Mapping[str, ColumnElement[int]] = {
    "task.subtasks": catalog.task.c.parent_id,
    "task.milestones": catalog.milestone.c.task_id,
    "task.budgets": catalog.budget.c.task_id,
    "task.targets": catalog.target.c.task_id,
    **{
        f"task.{kind}": link.c.task_id
        for kind, (link, _other) in {
            "laws": catalog.TASK_LINKS["law"],
            "technologies": catalog.TASK_LINKS["technology"],
            "regions": catalog.TASK_LINKS["region"],
            "organisations": catalog.TASK_LINKS["organisation"],
        }.items()
    },
    **{f"{entity}.sources": catalog.citation.c[f"{entity}_id"] for entity in CITED},
    "law.names": catalog.law_alias.c.law_id,
    "law.groups": law_group_member.c.law_id,
    "law_group.members": law_group_member.c.law_group_id,
}
# Relation name -> the table every row of which the list may hold.
_WHOLE_TABLES = {
    "documents": catalog.document,
    "plans": catalog.plan,
    "technologies": catalog.technology,
    "regions": catalog.region,
    "organisations": catalog.organisation,
}
BUDGET_GROUPS = "budget_groups"
RELATIONS = (*_PER_PARENT, *_WHOLE_TABLES, BUDGET_GROUPS)


@dataclass(frozen=True)
class ListBounds:
    """The most items each relation's list can hold in the current data."""

    sizes: Mapping[str, int]

    def get(self, relation: str) -> int | None:
        return self.sizes.get(relation)

    @cached_property
    def key(self) -> tuple[tuple[str, int], ...]:
        """A hashable form, for caches of figures computed from the bounds (asked on every
        request: made once)."""
        return tuple(sorted(self.sizes.items()))


def _most_per_parent(parent: ColumnElement[int]) -> Select[Any]:
    counts = select(func.count().label("n")).where(parent.is_not(None)).group_by(parent).subquery()
    return select(func.max(counts.c.n))


def _count(table: Table) -> Select[Any]:
    return select(func.count()).select_from(table)


def _budget_parts() -> list[Select[Any]]:
    """What bounds a budget summary: one row per group (a plan, strategy or technology, or
    none) and distinct (kind, first year, last year, currency) of its budgets."""
    budget = catalog.budget
    periods = (
        select(budget.c.kind, budget.c.start_year, budget.c.end_year, budget.c.currency)
        .distinct()
        .subquery()
    )
    return [
        _count(catalog.plan),
        _count(catalog.strategy),
        _count(catalog.technology),
        select(func.count()).select_from(periods),
    ]


def bounds_statement() -> Select[Any]:
    """Every relation's bound in one statement: a column per relation (in ``RELATIONS``
    order, ``BUDGET_GROUPS`` as the four counts it is made of), then any column a caller
    adds, which the read ignores (tests add a deliberately slow one here)."""
    queries: list[Select[Any]] = [
        *(_most_per_parent(parent) for parent in _PER_PARENT.values()),
        *(_count(table) for table in _WHOLE_TABLES.values()),
        *_budget_parts(),
    ]
    return select(*(q.scalar_subquery().label(f"b{i}") for i, q in enumerate(queries)))


_READ_COLUMNS = len(_PER_PARENT) + len(_WHOLE_TABLES) + 4


async def read_list_bounds(reader: Reader) -> ListBounds:
    """Every relation's bound, read in one statement."""
    rows = await reader.rows(bounds_statement())
    values = [int(value or 0) for value in rows[0][:_READ_COLUMNS]]
    sizes = dict(zip((*_PER_PARENT, *_WHOLE_TABLES), values, strict=False))
    plans, strategies, technologies, periods = values[-4:]
    sizes[BUDGET_GROUPS] = max(plans, strategies, technologies, 1) * periods
    return ListBounds(sizes)
