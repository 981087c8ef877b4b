"""Budget totals that mean something: only budgets of one kind, period and currency are added.

A TOTAL is one amount over a period ("2022~2026, a total of 301.8 billion won"); an ANNUAL
budget is the level for one year ("100 billion won in 2022"). Adding a total over five years to
an annual level gives a figure no document states, and so does splitting a total into years.
So every group (plan, strategy, technology, or none: PERIOD) is further split by kind, first and
last year and currency, and each total says what it is (``Total.meaning``, written by the
statement).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles

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
    meaning: str  # what the amount is, e.g. "total over 2022–2026" or "annual level in 2027"


def _text(value: ColumnElement[Any]) -> ColumnElement[str]:
    return cast(value, String)


def meaning_sql(
    kind: ColumnElement[Any], start: ColumnElement[Any], end: ColumnElement[Any]
) -> Any:
    """What a total of one kind over ``start``..``end`` is, in words (SQL, so the compiled
    GraphQL statements and every reader of ``totals`` say the same)."""
    year = func.coalesce(start, end)
    annual = case(
        (year.is_not(None), literal("annual level in ") + _text(year)),
        else_=literal("annual level, year not given"),
    )
    both = and_(start.is_not(None), end.is_not(None))
    return case(
        (kind == BudgetKind.ANNUAL, annual),
        (and_(both, start == end), literal("total for ") + _text(start)),
        (both, literal("total over ") + _text(start) + literal("–") + _text(end)),
        (start.is_not(None), literal("total from ") + _text(start) + literal(" (end not given)")),
        (end.is_not(None), literal("total until ") + _text(end) + literal(" (start not given)")),
        else_=literal("total, period not given"),
    )


def period_key_sql(start: ColumnElement[Any], end: ColumnElement[Any]) -> Any:
    """The period as a key: "2022/2026", "2027" for one year, ".." for an open end; null when
    neither year is given."""
    return case(
        (and_(start.is_(None), end.is_(None)), literal(None, String)),
        (start == end, _text(start)),
        else_=func.coalesce(_text(start), literal(".."))
        + literal("/")
        + func.coalesce(_text(end), literal("..")),
    )


class _GroupTerms(ColumnElement[Any]):
    """The GROUP BY of the totals: the group's primary key (if any), then kind, first and last
    year and currency. SQLite sorts every budget by these terms in a temporary B-tree, and
    comparing five values per pair of rows was most of its time: there (``_one_sort_key``) they
    become one integer and the currency."""

    inherit_cache = False  # its terms are not in SQLAlchemy's cache key: compiled each time

    def __init__(self, grouped: tuple[ColumnElement[Any], ...]) -> None:
        self.grouped = grouped


@compiles(_GroupTerms)
def _all_terms(element: _GroupTerms, compiler: Any, **kw: Any) -> str:
    b = catalog.budget
    terms = (*element.grouped, b.c.kind, b.c.start_year, b.c.end_year, b.c.currency)
    return ", ".join(compiler.process(term, **kw) for term in terms)


# The integer packs (group id, kind, first year, last year) when the years lie in 0..9998 and
# the id below 4e10 (any real budget): ((id * 2 + annual) * 10^4 + start + 1) * 10^4 + end + 1
# stays below 2^63. Other values keep their own terms, as text: never equal to an integer.
_MAX_YEAR = 9998
_MAX_ID = 40_000_000_000


def _one_sort_key(grouped: tuple[ColumnElement[Any], ...]) -> ColumnElement[Any]:
    b = catalog.budget
    group_id: ColumnElement[Any] = grouped[0] if grouped else literal(0)
    start, end = b.c.start_year, b.c.end_year
    annual = case((b.c.kind == BudgetKind.ANNUAL, 1), else_=0)
    packed = (
        (group_id * 2 + annual) * 10_000 + func.coalesce(start + 1, 0)
    ) * 10_000 + func.coalesce(end + 1, 0)
    fits = and_(
        group_id.between(0, _MAX_ID),
        or_(start.is_(None), start.between(0, _MAX_YEAR)),
        or_(end.is_(None), end.between(0, _MAX_YEAR)),
    )
    return case((fits, packed), else_=func.json_array(group_id, b.c.kind, start, end))


@compiles(_GroupTerms, "sqlite")
def _sqlite_terms(element: _GroupTerms, compiler: Any, **kw: Any) -> str:
    key = _one_sort_key(element.grouped)
    return f"{compiler.process(key, **kw)}, {compiler.process(catalog.budget.c.currency, **kw)}"


def _grouped_totals(
    dataset_filter: DatasetFilter, group: str
) -> tuple[Select[Any], tuple[ColumnElement[Any], ...]]:
    """The totals statement without its order, and that order.

    Budgets are grouped by the group's primary key, not by its key and label texts: the
    engines sort every budget by the GROUP BY's terms (SQLite in a temporary B-tree), and
    comparing texts there cost SQLite more than the rest of the statement."""
    b, t, s, p = catalog.budget, catalog.task, catalog.strategy, catalog.plan
    key: ColumnElement[Any] = literal(None)
    label: ColumnElement[Any] = literal(None)
    grouped: tuple[ColumnElement[Any], ...] = ()  # the group's primary key
    first: tuple[ColumnElement[Any], ...] = ()  # the group's order
    statement = select().select_from(b)
    if group == "plan":
        statement = (
            statement.join(t, t.c.id == b.c.task_id)
            .join(s, s.c.id == t.c.strategy_id)
            .join(p, p.c.id == s.c.plan_id)
        )
        key, label = p.c.slug, p.c.title
        grouped, first = (p.c.id,), (p.c.slug,)
    elif group == "strategy":
        statement = statement.join(t, t.c.id == b.c.task_id).join(s, s.c.id == t.c.strategy_id)
        key, label = s.c.code, s.c.title
        grouped = first = (s.c.id,)
    elif group == "technology":
        link, other = catalog.TASK_LINKS["technology"]
        tech = catalog.technology
        statement = statement.join(link, link.c.task_id == b.c.task_id).join(
            tech, tech.c.id == other
        )
        key, label = tech.c.slug, tech.c.name
        grouped, first = (tech.c.id,), (tech.c.slug,)
    elif group != "period":
        raise ValueError(group)
    meaning = meaning_sql(b.c.kind, b.c.start_year, b.c.end_year)
    if group == "period":
        key, label = period_key_sql(b.c.start_year, b.c.end_year), meaning
    order = (
        *first,
        b.c.start_year.asc().nulls_last(),
        b.c.end_year.asc().nulls_last(),
        b.c.kind,
        b.c.currency,
    )
    statement = (
        statement.add_columns(
            key.label("key"),
            func.coalesce(label, meaning).label("label"),
            b.c.kind,
            b.c.start_year,
            b.c.end_year,
            b.c.currency,
            func.sum(b.c.amount).label("amount"),
            func.count().label("n"),
            meaning.label("meaning"),
        )
        .where(budget_condition(dataset_filter))
        .group_by(_GroupTerms(grouped))
    )
    return statement, order


def totals_statement(
    dataset_filter: DatasetFilter, group: str, numbered: bool = False
) -> Select[Any]:
    """One row per group, kind, first and last year and currency, with the sum, count and
    meaning, in order; ``numbered``: with that order as ``position`` too."""
    statement, order = _grouped_totals(dataset_filter, group)
    if numbered:
        statement = statement.add_columns(func.row_number().over(order_by=order).label("position"))
    return statement.order_by(*order)


def totals_of(rows: Sequence[Row[Any]]) -> list[Total]:
    return [
        Total(
            row.key,
            row.label,
            BudgetKind(row.kind),
            row.start_year,
            row.end_year,
            row.currency,
            int(row.amount),
            int(row.n),
            row.meaning,
        )
        for row in rows
    ]


async def totals(reader: Reader, dataset_filter: DatasetFilter, group: str) -> list[Total]:
    return totals_of(await reader.rows(totals_statement(dataset_filter, group)))
