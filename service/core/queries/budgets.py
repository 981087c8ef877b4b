"""Budget totals grouped by plan, strategy, technology or year, as exact integers.

Attribution to years (``by_year``): an ANNUAL budget counts in its year. A TOTAL budget over
``start_year..end_year`` is split evenly across those years in whole currency units; the
remainder of the division goes one unit at a time to the earliest years, so the yearly parts
add up exactly to the amount. A budget with only one known year counts in that year; one
with no year counts under ``None`` ("year not given"). With a year range in the filter,
only years inside it are reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from service.core.dataset_filter import DatasetFilter, budget_condition
from service.core.models import BudgetKind
from service.core.queries import catalog
from service.core.queries.reader import Reader


@dataclass(frozen=True)
class Total:
    key: str | None  # plan slug, strategy code, technology slug or year; None = not given
    label: str | None
    currency: str
    amount: int
    budgets: int


def group_statement(dataset_filter: DatasetFilter, group: str) -> Select[Any]:
    """Per plan, strategy or technology (a budget counts for each of its task's
    technologies) and currency: ``key``, ``label``, ``currency``, ``amount`` (the sum) and
    ``n`` (how many budgets), ordered by key and currency."""
    b, t, s, p = catalog.budget, catalog.task, catalog.strategy, catalog.plan
    key: ColumnElement[Any]
    label: ColumnElement[Any]
    statement = select().select_from(b).join(t, t.c.id == b.c.task_id)
    if group == "plan":
        statement = statement.join(s, s.c.id == t.c.strategy_id).join(p, p.c.id == s.c.plan_id)
        key, label = p.c.slug, p.c.title
    elif group == "strategy":
        statement = statement.join(s, s.c.id == t.c.strategy_id)
        key, label = s.c.code, s.c.title
    elif group == "technology":
        link, other = catalog.TASK_LINKS["technology"]
        tech = catalog.technology
        statement = statement.join(link, link.c.task_id == t.c.id).join(tech, tech.c.id == other)
        key, label = tech.c.slug, tech.c.name
    else:
        raise ValueError(group)
    return (
        statement.add_columns(
            key.label("key"),
            label.label("label"),
            b.c.currency,
            func.sum(b.c.amount).label("amount"),
            func.count().label("n"),
        )
        .where(budget_condition(dataset_filter))
        .group_by(key, label, b.c.currency)
        .order_by(key, b.c.currency)
    )


async def by_group(reader: Reader, dataset_filter: DatasetFilter, group: str) -> list[Total]:
    """Totals per plan, strategy or technology (``group_statement``)."""
    rows = await reader.rows(group_statement(dataset_filter, group))
    return [Total(r.key, r.label, r.currency, int(r.amount), r.n) for r in rows]


def split_by_year(
    amount: int, kind: BudgetKind, start: int | None, end: int | None
) -> list[tuple[int | None, int]]:
    """(year, part) pairs that add up to ``amount`` (see the module's rule)."""
    if start is None and end is None:
        return [(None, amount)]
    if start is None or end is None or kind is BudgetKind.ANNUAL:
        return [(start if start is not None else end, amount)]
    years = list(range(start, end + 1))
    share, remainder = divmod(amount, len(years))
    return [(year, share + (1 if i < remainder else 0)) for i, year in enumerate(years)]


async def by_year(reader: Reader, dataset_filter: DatasetFilter) -> list[Total]:
    b = catalog.budget
    rows = await reader.rows(
        select(b.c.amount, b.c.currency, b.c.kind, b.c.start_year, b.c.end_year).where(
            budget_condition(dataset_filter)
        )
    )
    low = dataset_filter.date_from.year if dataset_filter.date_from else None
    high = dataset_filter.date_to.year if dataset_filter.date_to else None
    sums: dict[tuple[int | None, str], list[int]] = {}
    for row in rows:
        for year, part in split_by_year(row.amount, row.kind, row.start_year, row.end_year):
            if year is not None and (
                (low is not None and year < low) or (high is not None and year > high)
            ):
                continue
            entry = sums.setdefault((year, row.currency), [0, 0])
            entry[0] += part
            entry[1] += 1
    ordered: Sequence[tuple[int | None, str]] = sorted(
        sums, key=lambda k: (k[0] is None, k[0] or 0, k[1])
    )
    return [
        Total(
            str(year) if year is not None else None,
            str(year) if year is not None else "year not given",
            currency,
            sums[(year, currency)][0],
            sums[(year, currency)][1],
        )
        for year, currency in ordered
    ]
