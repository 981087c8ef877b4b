"""Budget totals that mean something: only budgets of one kind, period and currency are added.

A TOTAL is one amount over a period ("2022~2026, a total of 301.8 billion won"); an ANNUAL
budget is the level for one year ("100 billion won in 2022"). Adding a total over five years to
an annual level gives a figure no document states, and so does splitting a total into years.
So every group (plan, strategy, technology, or none: PERIOD) is further split by kind, first and
last year and currency, and each total says what it is (``Total.meaning``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, literal, select

from service.core.dataset_filter import DatasetFilter, budget_condition
from service.core.models import BudgetKind
from service.core.queries import catalog
from service.core.queries.reader import Reader

GROUPS: tuple[str, ...] = ("plan", "strategy", "technology", "period")


@dataclass(frozen=True)
class Total:
    key: str | None  # plan slug, strategy code or technology slug; the period for "period"
    label: str | None
    kind: BudgetKind
    start_year: int | None
    end_year: int | None
    currency: str
    amount: int
    budgets: int

    @property
    def meaning(self) -> str:
        """What the amount is, e.g. "total over 2022–2026" or "annual level in 2027"."""
        return describe_period(self.kind, self.start_year, self.end_year)


def describe_period(kind: BudgetKind, start: int | None, end: int | None) -> str:
    if kind is BudgetKind.ANNUAL:
        year = start if start is not None else end
        return f"annual level in {year}" if year is not None else "annual level, year not given"
    if start is not None and end is not None:
        return f"total for {start}" if start == end else f"total over {start}–{end}"
    if start is not None:
        return f"total from {start} (end not given)"
    if end is not None:
        return f"total until {end} (start not given)"
    return "total, period not given"


def period_key(start: int | None, end: int | None) -> str | None:
    if start is None and end is None:
        return None
    if start == end:
        return str(start)
    return f"{start if start is not None else '..'}/{end if end is not None else '..'}"


def totals_statement(dataset_filter: DatasetFilter, group: str) -> Select[Any]:
    """One row per group, kind, first and last year and currency, with the sum and count."""
    b, t, s, p = catalog.budget, catalog.task, catalog.strategy, catalog.plan
    key: ColumnElement[Any] = literal(None)
    label: ColumnElement[Any] = literal(None)
    grouped: tuple[ColumnElement[Any], ...] = ()  # the group's columns, the first its order
    statement = select().select_from(b)
    if group == "plan":
        statement = (
            statement.join(t, t.c.id == b.c.task_id)
            .join(s, s.c.id == t.c.strategy_id)
            .join(p, p.c.id == s.c.plan_id)
        )
        key, label = p.c.slug, p.c.title
        grouped = (p.c.slug, p.c.title)
    elif group == "strategy":
        statement = statement.join(t, t.c.id == b.c.task_id).join(s, s.c.id == t.c.strategy_id)
        key, label = s.c.code, s.c.title
        grouped = (s.c.id, s.c.code, s.c.title)
    elif group == "technology":
        link, other = catalog.TASK_LINKS["technology"]
        tech = catalog.technology
        statement = statement.join(link, link.c.task_id == b.c.task_id).join(
            tech, tech.c.id == other
        )
        key, label = tech.c.slug, tech.c.name
        grouped = (tech.c.slug, tech.c.name)
    elif group != "period":
        raise ValueError(group)
    period = (b.c.kind, b.c.start_year, b.c.end_year, b.c.currency)
    return (
        statement.add_columns(
            key.label("key"),
            label.label("label"),
            b.c.kind,
            b.c.start_year,
            b.c.end_year,
            b.c.currency,
            func.sum(b.c.amount).label("amount"),
            func.count().label("n"),
        )
        .where(budget_condition(dataset_filter))
        .group_by(*grouped, *period)
        .order_by(
            *grouped[:1],
            b.c.start_year.asc().nulls_last(),
            b.c.end_year.asc().nulls_last(),
            b.c.kind,
            b.c.currency,
        )
    )


def totals_of(rows: Sequence[Row[Any]], group: str) -> list[Total]:
    totals = []
    for row in rows:
        kind = BudgetKind(row.kind)
        key, label = row.key, row.label
        if group == "period":
            key, label = period_key(row.start_year, row.end_year), None
        totals.append(
            Total(
                key,
                label if label is not None else describe_period(kind, row.start_year, row.end_year),
                kind,
                row.start_year,
                row.end_year,
                row.currency,
                int(row.amount),
                int(row.n),
            )
        )
    return totals


async def totals(reader: Reader, dataset_filter: DatasetFilter, group: str) -> list[Total]:
    return totals_of(await reader.rows(totals_statement(dataset_filter, group)), group)
