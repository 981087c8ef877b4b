"""Loading the curated dataset: idempotent, and the database equals the files."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

import seed
from service.models import Base


async def dump(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered, including ids and updated_at."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = await conn.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [tuple(row) for row in rows]
    return tables


async def test_loading_twice_changes_nothing(seeded_engine: AsyncEngine) -> None:
    before = await dump(seeded_engine)
    report = await seed.load_curated(seeded_engine)
    assert not report.changed, str(report)
    assert await dump(seeded_engine) == before
    assert "plan 2" in str(report)
