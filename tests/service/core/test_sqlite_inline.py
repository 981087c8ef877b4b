"""Short SQLite reads run on the event loop's thread; longer ones, and failures, on the pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from service.core.database import create_session_factory, engine_for_url
from service.core.queries.reader import Reader
from tests.support.databases import temporary_database

# Counting to 2 million takes SQLite far longer than the inline budget.
_LONG = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000000) "
    "SELECT count(*), sg_base64url('long') FROM n"
)


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async with temporary_database("sqlite", tmp_path, "inline") as url:
        engine = engine_for_url(url)
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
            await connection.execute(text("INSERT INTO note VALUES (1, 'first'), (2, 'second')"))
        try:
            yield engine
        finally:
            await engine.dispose()


def _checkouts(engine: AsyncEngine) -> list[object]:
    seen: list[object] = []
    event.listen(engine.sync_engine, "checkout", lambda *args: seen.append(args[0]))
    return seen


async def _row(engine: AsyncEngine, sql: str, params: tuple[Any, ...] = ()) -> Any:
    return await Reader(create_session_factory(engine)).driver_row(sql, params)


async def test_a_short_read_runs_without_a_pooled_connection(sqlite_engine: AsyncEngine) -> None:
    checkouts = _checkouts(sqlite_engine)
    for key, body in ((1, "first"), (2, "second"), (3, None)):
        row = await _row(sqlite_engine, "SELECT (SELECT body FROM note WHERE id = ?)", (key,))
        assert row == (body,)
    assert await _row(sqlite_engine, "SELECT sg_base64url('x')") == ("eA",)  # same functions
    assert checkouts == []


async def test_a_read_over_the_budget_is_run_on_the_pool(sqlite_engine: AsyncEngine) -> None:
    checkouts = _checkouts(sqlite_engine)
    assert await _row(sqlite_engine, _LONG) == (2000000, "bG9uZw")
    assert len(checkouts) == 1
    assert await _row(sqlite_engine, "SELECT body FROM note WHERE id = 1") == ("first",)
    assert len(checkouts) == 1  # the inline connection is still there for short reads


async def test_committed_writes_are_read_inline_at_once(sqlite_engine: AsyncEngine) -> None:
    assert await _row(sqlite_engine, "SELECT count(*) FROM note") == (2,)
    async with sqlite_engine.begin() as connection:
        await connection.execute(text("INSERT INTO note VALUES (3, 'third')"))
    assert await _row(sqlite_engine, "SELECT count(*) FROM note") == (3,)


async def test_errors_are_reported_by_the_pool_as_before(sqlite_engine: AsyncEngine) -> None:
    checkouts = _checkouts(sqlite_engine)
    with pytest.raises(Exception, match="no such table: missing"):
        await _row(sqlite_engine, "SELECT * FROM missing")
    assert len(checkouts) == 1


async def test_nothing_is_written_inline(sqlite_engine: AsyncEngine) -> None:
    checkouts = _checkouts(sqlite_engine)
    await _row(sqlite_engine, "INSERT INTO note VALUES (9, 'written') RETURNING id")
    assert len(checkouts) == 1  # refused inline (read only): the pool ran it


async def test_an_in_memory_database_is_read_on_its_one_connection() -> None:
    engine = engine_for_url(make_url("sqlite+aiosqlite://"))
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x)"))
            await connection.execute(text("INSERT INTO t VALUES (7)"))
        assert await _row(engine, "SELECT x FROM t") == (7,)
    finally:
        await engine.dispose()
