"""Substring matching: the same LIKE pattern for search and filters, wildcards taken literally."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core.models import Technology
from service.core.text_match import contains, contains_pattern

NAMES = ("100% Renewable", "100 percent", "snake_case", "snakeXcase", "back\\slash", "backXslash")


def test_pattern_escapes_the_wildcards_and_lower_cases() -> None:
    assert contains_pattern("50%_A\\b") == "%50\\%\\_a\\\\b%"


async def _matching(db: AsyncConnection, text: str) -> list[str]:
    rows = await db.execute(
        select(Technology.name)
        .where(contains(Technology.name, contains_pattern(text)))
        .order_by(Technology.id)
    )
    return list(rows.scalars())


async def test_wildcards_match_only_themselves_on_both_engines(db: AsyncConnection) -> None:
    await db.execute(
        insert(Technology),
        [{"slug": f"t{i}", "name": name} for i, name in enumerate(NAMES, start=1)],
    )
    assert await _matching(db, "0%") == ["100% Renewable"]
    assert await _matching(db, "e_c") == ["snake_case"]
    assert await _matching(db, "k\\s") == ["back\\slash"]
    assert await _matching(db, "RENEW") == ["100% Renewable"]
    assert await _matching(db, "100") == ["100% Renewable", "100 percent"]
