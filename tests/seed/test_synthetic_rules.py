"""Synthetic data obeys the model's rules like curated and imported data: a generated row
with a slug ending in a newline, a non-http(s) URL or a parent cycle stops the load."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import seed
from seed import synthetic
from seed.synthetic_data import SyntheticDataset, generate
from service.core.models import Plan


def _set(dataset: SyntheticDataset, table: str, index: int, column: str, value: Any) -> None:
    names = next(c for t, c, _ in dataset.tables() if t == table)
    row = list(dataset.rows[table][index])
    row[names.index(column)] = value
    dataset.rows[table][index] = tuple(row)


def _broken() -> SyntheticDataset:
    dataset = generate("small")
    _set(dataset, "technology", 0, "slug", "ai\n")
    _set(dataset, "document", 0, "url", "javascript:alert(1)")
    names = next(c for t, c, _ in dataset.tables() if t == "task")
    child = next(r for r in dataset.rows["task"] if r[names.index("parent_id")] is not None)
    parent_id = child[names.index("parent_id")]
    parent_index = next(
        i for i, r in enumerate(dataset.rows["task"]) if r[names.index("id")] == parent_id
    )
    _set(dataset, "task", parent_index, "parent_id", child[names.index("id")])
    return dataset


async def test_a_broken_synthetic_dataset_is_refused_and_writes_nothing(
    scratch_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synthetic, "generate", lambda size: _broken())
    with pytest.raises(seed.SeedError) as caught:
        await seed.load_synthetic(scratch_engine, "small")
    problems = caught.value.problems
    assert any("technology id" in p and "'ai\\n' is not a slug" in p for p in problems)
    assert any("document id" in p and "not an http:// or https:// URL" in p for p in problems)
    assert any("task column 'parent_id': a cycle of ids" in p for p in problems)
    async with scratch_engine.connect() as connection:
        assert (await connection.execute(select(func.count()).select_from(Plan))).scalar_one() == 0
