"""The budget totals statement: what the engines sort to add budgets up."""

from __future__ import annotations

import pytest
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
