"""The budget totals statement: what the engines sort to add budgets up."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core.dataset_filter import DatasetFilter
from service.core.queries import catalog
from service.core.queries.budgets import GROUPS, totals_statement


@pytest.mark.parametrize("group", GROUPS)
async def test_totals_are_grouped_by_primary_keys_not_texts(
    seeded_db: AsyncConnection, group: str
) -> None:
    """Every budget is sorted by the GROUP BY's terms: a group's code, slug, title or name
    there would be compared for each of them (most of SQLite's time in the summary). The
    group's id decides them all, and the totals still read them."""
    statement = totals_statement(DatasetFilter(), group)
    sql = str(statement.compile(dialect=seeded_db.dialect))
    grouped = sql.split("GROUP BY", 1)[1].split("ORDER BY", 1)[0].replace('"', "")
    texts = [
        f"{table.name}.{column}"
        for table in (catalog.plan, catalog.strategy, catalog.technology)
        for column in ("code", "slug", "title", "name")
        if column in table.c
    ]
    assert [text for text in texts if text in grouped] == []
    assert (await seeded_db.execute(statement)).all()


@pytest.mark.parametrize("group", GROUPS)
async def test_totals_add_up_every_budget_whatever_its_years(
    seeded_db: AsyncConnection, group: str
) -> None:
    """SQLite groups by one packed integer where the years fit in it, and by the terms
    themselves where they don't: both must add up exactly the budgets that belong together."""
    b, t, s, p = catalog.budget, catalog.task, catalog.strategy, catalog.plan
    template = (await seeded_db.execute(select(b).limit(1))).mappings().one()
    odd_years = [(-1, 10_000), (10_000, 10_000), (None, 99_999), (-5, None), (2024, 2024)]
    next_id = (await seeded_db.execute(select(func.max(b.c.id)))).scalar_one() + 1
    for offset, (start, end) in enumerate(odd_years * 2):  # each twice: two budgets to add
        for kind in ("total", "annual"):
            await seeded_db.execute(
                insert(b).values(
                    {
                        **template,
                        "id": next_id,
                        "start_year": start,
                        "end_year": end,
                        "kind": kind,
                        "amount": 1000 + offset,
                        "position": 1000 + next_id,
                    }
                )
            )
            next_id += 1
    rows = (await seeded_db.execute(totals_statement(DatasetFilter(), group))).all()
    got = {
        (row.key, row.kind, row.start_year, row.end_year, row.currency): (int(row.amount), row.n)
        for row in rows
    }
    assert len(got) == len(rows)  # no two totals for one group, kind, period and currency

    budgets = select(b, t.c.strategy_id, s.c.code, p.c.slug).join(t, t.c.id == b.c.task_id)
    budgets = budgets.join(s, s.c.id == t.c.strategy_id).join(p, p.c.id == s.c.plan_id)
    link, other = catalog.TASK_LINKS["technology"]
    technologies: dict[int, list[str]] = {}
    for task_id, slug in await seeded_db.execute(
        select(link.c.task_id, catalog.technology.c.slug).join(
            catalog.technology, catalog.technology.c.id == other
        )
    ):
        technologies.setdefault(task_id, []).append(slug)
    expected: dict[tuple[object, ...], tuple[int, int]] = {}
    for row in (await seeded_db.execute(budgets)).mappings():
        if group == "technology":
            keys: list[object] = technologies.get(row["task_id"], [])
        elif group == "period":
            keys = [period_key(row["start_year"], row["end_year"])]
        else:
            keys = [row["code"] if group == "strategy" else row["slug"]]
        for key in keys:
            at = (key, row["kind"], row["start_year"], row["end_year"], row["currency"])
            amount, count = expected.get(at, (0, 0))
            expected[at] = (amount + row["amount"], count + 1)
    assert got == expected


def period_key(start: int | None, end: int | None) -> str | None:
    if start is None and end is None:
        return None
    if start == end:
        return str(start)
    return f"{'..' if start is None else start}/{'..' if end is None else end}"
