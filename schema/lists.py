"""Resolvers of the top-level connections: filter input -> Selection -> keyset page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Row, Select
from strawberry.types import Info

from schema.connection import Connection, make_connection
from schema.errors import BadUserInput
from schema.inputs import (
    BudgetFilter,
    LawFilter,
    MilestoneFilter,
    StrategyFilter,
    TargetFilter,
    TaskFilter,
    dataset_filter,
)
from schema.loader_factories import context
from schema.types.entities import PageArgs
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

    return make_connection(page, build, args.order_name, args.ordering, count)


def _values(items: list[Any] | None) -> tuple[str, ...]:
    return tuple(item.value for item in items or ())


def strategies_statement(f: StrategyFilter | None) -> Select[Any]:
    f = f or StrategyFilter()
    return listing.strategies(dataset_filter(plans=f.plans))


def tasks_statement(f: TaskFilter | None) -> Select[Any]:
    f = f or TaskFilter()
    base = dataset_filter(
        plans=f.plans,
        strategies=f.strategies,
        technologies=f.technologies,
        regions=f.regions,
        organisations=f.organisations,
        laws=f.laws,
    )
    return listing.tasks(replace(base, text=f.text or None, top_level=f.top_level))


def milestones_statement(f: MilestoneFilter | None) -> Select[Any]:
    f = f or MilestoneFilter()
    base = dataset_filter(
        plans=f.plans,
        strategies=f.strategies,
        technologies=f.technologies,
        regions=f.regions,
        laws=f.laws,
        date_from=f.from_,
        date_to=f.to,
    )
    return listing.milestones(
        replace(
            base,
            precisions=_values(f.precisions),
            milestone_kinds=_values(f.kinds),
            milestone_statuses=_values(f.statuses),
        )
    )


def budget_selection(f: BudgetFilter | None) -> DatasetFilter:
    f = f or BudgetFilter()
    if f.from_year is not None and f.to_year is not None and f.from_year > f.to_year:
        raise BadUserInput("filter.fromYear", f"{f.from_year} is after toYear={f.to_year}")
    for name, year in (("filter.fromYear", f.from_year), ("filter.toYear", f.to_year)):
        if year is not None and not 1 <= year <= 9999:
            raise BadUserInput(name, f"{year} is not a year (1 to 9999)")
    return dataset_filter(
        plans=f.plans,
        strategies=f.strategies,
        technologies=f.technologies,
        date_from=date(f.from_year, 1, 1) if f.from_year is not None else None,
        date_to=date(f.to_year, 12, 31) if f.to_year is not None else None,
    )


def budgets_statement(f: BudgetFilter | None) -> Select[Any]:
    return listing.budgets(budget_selection(f))


async def budget_summary(
    info: Info[Any, Any], group: str, f: BudgetFilter | None
) -> list[BudgetTotal]:
    chosen = budget_selection(f)
    reader = context(info).reader
    if group == "year":
        totals = await budgets.by_year(reader, chosen)
    else:
        totals = await budgets.by_group(reader, chosen, group)
    return [
        BudgetTotal(
            key=t.key,
            label=t.label,
            total=Money(amount=str(t.amount), currency=t.currency),
            budgets=t.budgets,
        )
        for t in totals
    ]


def laws_statement(f: LawFilter | None) -> Select[Any]:
    f = f or LawFilter()
    base = replace(dataset_filter(plans=f.plans), text=f.text or None)
    return listing.laws(base, _values(f.statuses), _values(f.kinds))


def targets_statement(f: TargetFilter | None) -> Select[Any]:
    f = f or TargetFilter()
    return listing.targets(dataset_filter(plans=f.plans, strategies=f.strategies), f.year)
