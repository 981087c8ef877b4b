"""Helpers for seed tests: whole-database dumps and in-place YAML edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.core.models import Base


async def dump(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, ordered by primary key, including ids and updated_at.

    The data version is left out: the database bumps it on any write, even one that
    changes nothing.
    """
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "data_version":
                continue
            rows = await conn.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old`` in the file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
