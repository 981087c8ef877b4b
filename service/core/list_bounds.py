"""The real sizes of the lists that are not paged: the most children any record has.

A cost limit that counts an unpaged list as one item lets one small query ask for millions of
rows. The bound of each relation is read from the data (one aggregate per relation, on
indexed foreign keys), so a limit computed from it is an upper bound of what a query can
return. The figures change only with the data: callers cache them per data version.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.core.models import law_group_member
from service.core.queries import catalog
from service.core.queries.reader import Reader

# Records with their own citations (a ``citation.<entity>_id`` column each).
CITED = (
    "plan",
    "strategy",
    "task",
    "milestone",
    "budget",
    "law",
    "law_group",
    "target",
    "technology",
    "region",
    "organisation",
)
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


async def read_list_bounds(reader: Reader) -> ListBounds:
    """Every relation's bound, read in one statement."""
    queries: list[Select[Any]] = [
        *(_most_per_parent(parent) for parent in _PER_PARENT.values()),
        *(_count(table) for table in _WHOLE_TABLES.values()),
        *_budget_parts(),
    ]
    statement = select(*(q.scalar_subquery().label(f"b{i}") for i, q in enumerate(queries)))
    rows = await reader.rows(statement)
    values = [int(value or 0) for value in rows[0]]
    sizes = dict(zip((*_PER_PARENT, *_WHOLE_TABLES), values, strict=False))
    plans, strategies, technologies, periods = values[-4:]
    sizes[BUDGET_GROUPS] = max(plans, strategies, technologies, 1) * periods
    return ListBounds(sizes)


class BoundsByVersion:
    """The bounds of the current data, read once per data version (per process).

    Without a version (a database with no version row, or one whose version could not be
    read) nothing can tell whether cached bounds still hold, so they are read again.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._cached: tuple[int, ListBounds] | None = None
        self._lock = asyncio.Lock()

    async def get(self, version: int | None) -> ListBounds:
        cached = self._cached
        if version is not None and cached is not None and cached[0] == version:
            return cached[1]
        async with self._lock:  # requests arriving together after a write share one read
            cached = self._cached
            if version is not None and cached is not None and cached[0] == version:
                return cached[1]
            reader = Reader(self._sessions)
            try:
                bounds = await read_list_bounds(reader)
            finally:
                await reader.close()
            if version is not None:
                self._cached = (version, bounds)
            return bounds
