"""The GraphQL reader: one pooled connection per unit of work, no session around reads."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.core.database import create_session_factory, engine_for_url
from service.core.queries.reader import Reader
from tests.conftest import bound_sessions


@pytest.fixture
async def one_connection_engine(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """An engine over the test database whose pool holds a single connection."""
    sized = {} if engine.dialect.name == "sqlite" else {"pool_size": 1}
    own = engine_for_url(engine.url, **sized)
    try:
        yield own
    finally:
        await own.dispose()


async def test_reader_returns_its_connection_to_the_pool(
    one_connection_engine: AsyncEngine,
) -> None:
    reader = Reader(create_session_factory(one_connection_engine))
    assert await reader.scalar(text("SELECT 1")) == 1
    assert await reader.scalar(text("SELECT 2")) == 2
    assert one_connection_engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    await reader.close()
    assert one_connection_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_reader_on_a_bound_connection_sees_its_transaction(db: AsyncConnection) -> None:
    await db.execute(text("CREATE TABLE sg_reader_probe (n INTEGER)"))
    await db.execute(text("INSERT INTO sg_reader_probe VALUES (7)"))
    reader = Reader(bound_sessions(db))
    assert await reader.scalar(text("SELECT n FROM sg_reader_probe")) == 7
    await reader.close()


async def test_reader_retries_once_when_the_server_dropped_its_pooled_connection(
    backend: str, engine: AsyncEngine, one_connection_engine: AsyncEngine
) -> None:
    if backend != "postgresql":
        pytest.skip("an embedded SQLite file has no server to drop connections")
    sessions = create_session_factory(one_connection_engine)
    first = Reader(sessions)
    dropped = await first.scalar(text("SELECT pg_backend_pid()"))
    await first.close()
    async with engine.connect() as admin:
        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    second = Reader(sessions)
    fresh = await second.scalar(text("SELECT pg_backend_pid()"))
    await second.close()
    assert fresh is not None
    assert fresh != dropped
