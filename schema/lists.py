"""Resolvers of the top-level connections: filter input -> Selection -> keyset page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Row, Select
from strawberry.types import Info

from schema.connection import Connection, make_connection
from schema.inputs import (
    BudgetFilter,
    LawFilter,
    LawGroupFilter,
    MilestoneFilter,
    StrategyFilter,
    TargetFilter,
    dataset_filter,
    task_selection,
)
from schema.known import known
from schema.loader_factories import context
from schema.types.entities import PageArgs
from schema.types.enums import BudgetKindEnum
from schema.types.summary import BudgetTotal
from schema.types.values import Money
from service.core.dataset_filter import DatasetFilter
from service.core.known_keys import KEYED_FIELDS
from service.core.queries import budgets, fetch, listing

T = TypeVar("T")
F = TypeVar("F")


async def paged(
    info: Info[Any, Any],
    statement: Select[Any],
    args: PageArgs,
    build: Callable[[Sequence[Row[Any]]], list[T]],
) -> Connection[T]:
    reader = context(info).reader
    page = await fetch.page(reader, statement, args.ordering, args.request)

    async def count() -> int:
        return await fetch.count(reader, statement)

    return make_connection(page, build, args.order_name, args.ordering, count)


def _values(items: list[Any] | None) -> tuple[str, ...]:
    return tuple(item.value for item in items or ())


@dataclass(frozen=True)
class Listing(Generic[F]):
    """A top-level connection's filter input read two ways: the data-core selection it
    stands for (whose slugs and codes ``known`` checks), and the statement of its rows."""

    selection: Callable[[F | None], DatasetFilter]
    statement: Callable[[DatasetFilter, F | None], Select[Any]]

    async def checked_statement(self, info: Info[Any, Any], f: F | None) -> Select[Any]:
        """The rows' statement, once every slug and code in the filter names a record."""
        return self.statement(await known(info, self.selection(f)), f)


def names_keys(selection: DatasetFilter) -> bool:
    """Whether the selection names records by slug or code (``known`` has to check them)."""
    return any(getattr(selection, keyed.field) for keyed in KEYED_FIELDS)


def _strategy_selection(f: StrategyFilter | None) -> DatasetFilter:
    return dataset_filter(plans=(f or StrategyFilter()).plans)


def _milestone_selection(f: MilestoneFilter | None) -> DatasetFilter:
    f = f or MilestoneFilter()
    base = dataset_filter(
        plans=f.plans,
        strategies=f.strategies,
        technologies=f.technologies,
        regions=f.regions,
        laws=f.laws,
        date_range=f.date,
    )
    return replace(
        base,
        precisions=_values(f.precisions),
        milestone_kinds=_values(f.kinds),
        milestone_statuses=_values(f.statuses),
    )


def budget_selection(f: BudgetFilter | None) -> DatasetFilter:
    f = f or BudgetFilter()
    return dataset_filter(
        plans=f.plans, strategies=f.strategies, technologies=f.technologies, date_range=f.date
    )


def _law_selection(f: LawFilter | None) -> DatasetFilter:
    f = f or LawFilter()
    return replace(dataset_filter(plans=f.plans), text=f.text or None)


def _laws(selection: DatasetFilter, f: LawFilter | None) -> Select[Any]:
    f = f or LawFilter()
    return listing.laws(selection, _values(f.statuses), _values(f.kinds))


def _law_group_selection(f: LawGroupFilter | None) -> DatasetFilter:
    return dataset_filter(laws=(f or LawGroupFilter()).laws)


def _target_selection(f: TargetFilter | None) -> DatasetFilter:
    f = f or TargetFilter()
    return dataset_filter(plans=f.plans, strategies=f.strategies, date_range=f.date)


STRATEGIES = Listing(_strategy_selection, lambda s, _f: listing.strategies(s))
TASKS = Listing(task_selection, lambda s, _f: listing.tasks(s))
MILESTONES = Listing(_milestone_selection, lambda s, _f: listing.milestones(s))
BUDGETS = Listing(budget_selection, lambda s, _f: listing.budgets(s))
LAWS = Listing(_law_selection, _laws)
LAW_GROUPS = Listing(_law_group_selection, lambda s, _f: listing.law_groups(s))
TARGETS = Listing(_target_selection, lambda s, _f: listing.targets(s))


async def budget_summary(
    info: Info[Any, Any], group: str, f: BudgetFilter | None
) -> list[BudgetTotal]:
    chosen = await known(info, budget_selection(f))
    return [
        BudgetTotal(
            key=t.key,
            label=t.label,
            kind=BudgetKindEnum(t.kind.value),
            start_year=t.start_year,
            end_year=t.end_year,
            meaning=t.meaning,
            total=Money(amount=str(t.amount), currency=t.currency),
            budgets=t.budgets,
        )
        for t in await budgets.totals(context(info).reader, chosen, group)
    ]
