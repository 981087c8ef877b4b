"""Resolvers of the top-level connections: filter input -> Selection -> keyset page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import Row, Select
from strawberry.types import Info

from schema.connection import Connection, make_connection
from schema.inputs import (
    BudgetFilter,
    LawFilter,
    MilestoneFilter,
    StrategyFilter,
    TargetFilter,
    TaskFilter,
    dataset_filter,
    task_selection,
)
from schema.known import known
from schema.loader_factories import context
from schema.types.entities import PageArgs, Task, prefetch_task_lists
from schema.types.enums import BudgetKindEnum
from schema.types.summary import BudgetTotal
from schema.types.values import Money
from service.core.dataset_filter import DatasetFilter
from service.core.queries import budgets, fetch, listing

T = TypeVar("T")


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

    connection = make_connection(page, build, args.order_name, args.ordering, count)
    await prefetch_task_lists(info, [e.node for e in connection.edges if isinstance(e.node, Task)])
    return connection


def _values(items: list[Any] | None) -> tuple[str, ...]:
    return tuple(item.value for item in items or ())


async def strategies_statement(info: Info[Any, Any], f: StrategyFilter | None) -> Select[Any]:
    f = f or StrategyFilter()
    return listing.strategies(await known(info, dataset_filter(plans=f.plans)))


async def tasks_statement(info: Info[Any, Any], f: TaskFilter | None) -> Select[Any]:
    return listing.tasks(await known(info, task_selection(f)))


async def milestones_statement(info: Info[Any, Any], f: MilestoneFilter | None) -> Select[Any]:
    f = f or MilestoneFilter()
    base = dataset_filter(
        plans=f.plans,
        strategies=f.strategies,
        technologies=f.technologies,
        regions=f.regions,
        laws=f.laws,
        date_range=f.date,
    )
    selection = replace(
        base,
        precisions=_values(f.precisions),
        milestone_kinds=_values(f.kinds),
        milestone_statuses=_values(f.statuses),
    )
    return listing.milestones(await known(info, selection))


async def budget_selection(info: Info[Any, Any], f: BudgetFilter | None) -> DatasetFilter:
    f = f or BudgetFilter()
    return await known(
        info,
        dataset_filter(
            plans=f.plans, strategies=f.strategies, technologies=f.technologies, date_range=f.date
        ),
    )


async def budgets_statement(info: Info[Any, Any], f: BudgetFilter | None) -> Select[Any]:
    return listing.budgets(await budget_selection(info, f))


async def budget_summary(
    info: Info[Any, Any], group: str, f: BudgetFilter | None
) -> list[BudgetTotal]:
    chosen = await budget_selection(info, f)
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


async def laws_statement(info: Info[Any, Any], f: LawFilter | None) -> Select[Any]:
    f = f or LawFilter()
    base = replace(await known(info, dataset_filter(plans=f.plans)), text=f.text or None)
    return listing.laws(base, _values(f.statuses), _values(f.kinds))


async def targets_statement(info: Info[Any, Any], f: TargetFilter | None) -> Select[Any]:
    f = f or TargetFilter()
    selection = dataset_filter(plans=f.plans, strategies=f.strategies, date_range=f.date)
    return listing.targets(await known(info, selection))
