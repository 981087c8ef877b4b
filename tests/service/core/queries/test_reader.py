"""The GraphQL reader: one pooled connection per unit of work, no session around reads."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.core.database import (
    create_session_factory,
    engine_for_url,
    failure_kind,
    serving_engine,
)
from service.core.queries.reader import Reader, ReaderClosedError
from service.core.settings import Settings
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


async def test_close_during_a_read_leaves_no_connection_checked_out(
    one_connection_engine: AsyncEngine,
) -> None:
    """graphql-core may return (a null in a non-null field) while sibling resolvers still
    read; closing then must neither leak their connection nor let a later read open one."""
    reader = Reader(create_session_factory(one_connection_engine))
    reading = asyncio.ensure_future(reader.scalar(text("SELECT 1")))
    await asyncio.sleep(0)  # the read is connecting
    await reader.close()
    late = asyncio.ensure_future(reader.scalar(text("SELECT 2")))
    for task in (reading, late):
        with contextlib.suppress(ReaderClosedError):
            await task
    assert one_connection_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    with pytest.raises(ReaderClosedError):
        await reader.scalar(text("SELECT 3"))


# --- statements run on the driver's own connection ---------------------------------------------

# Longer than any statement timeout here, on each engine.
SLOW = {
    "postgresql": "SELECT pg_sleep(2)",
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
    "WHERE x < 100000000) SELECT count(*) FROM c",
}


@contextlib.contextmanager
def _sqlalchemy_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_driver_rows_run_on_the_driver_connection_and_give_it_back_at_once(
    backend: str, one_connection_engine: AsyncEngine
) -> None:
    """No SQLAlchemy execution around a compiled statement, and no connection held after it
    (resolvers reading afterwards take the pool's one connection)."""
    reader = Reader(create_session_factory(one_connection_engine))
    placeholder = "$1::int" if backend == "postgresql" else "?"
    with _sqlalchemy_statements(one_connection_engine) as seen:
        row = await reader.driver_row(f"SELECT {placeholder} + 1, 'x'", (41,))
    assert row == (42, "x")
    assert seen == []
    assert one_connection_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert await reader.scalar(text("SELECT 3")) == 3  # then the SQLAlchemy path
    assert await reader.driver_row("SELECT 4", ()) == (4,)  # on the connection it holds
    await reader.close()
    assert one_connection_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_driver_rows_recover_when_the_server_dropped_every_pooled_connection(
    backend: str, engine: AsyncEngine
) -> None:
    """After a restart every pooled connection is dead: the first request still succeeds.

    ``pg_terminate_backend`` returns before the backends are gone, so the reader meets either
    connections the client already saw closed, or (about one run in three) connections whose
    FATAL error asyncpg has read but whose close it has not: asyncpg then refuses them as
    busy with another operation, and they must be discarded the same way."""
    if backend != "postgresql":
        pytest.skip("an embedded SQLite file has no server to drop connections")
    pooled = engine_for_url(engine.url, pool_size=3)
    try:
        held = [await pooled.connect() for _ in range(3)]
        pids = [(await c.execute(text("SELECT pg_backend_pid()"))).scalar() for c in held]
        for connection in held:
            await connection.close()
        async with engine.connect() as admin:
            for pid in pids:
                await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        reader = Reader(create_session_factory(pooled))
        fresh = await reader.driver_row("SELECT pg_backend_pid()", ())
        await reader.close()
        assert fresh is not None
        assert fresh[0] not in pids
        assert pooled.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        await pooled.dispose()


def test_a_connection_asyncpg_left_mid_operation_is_a_dead_connection() -> None:
    """What asyncpg raises for a connection whose server's FATAL error it read while idle (the
    window the test above meets one run in three, not reproducible at will)."""
    stuck = asyncpg.exceptions.InternalClientError(
        "cannot switch to state 11; another operation (2) is in progress"
    )
    assert failure_kind(stuck) == "unavailable"
    assert failure_kind(asyncpg.exceptions.InternalClientError("protocol error")) is None


async def test_a_driver_row_past_the_statement_timeout_is_a_statement_timeout(
    backend: str, engine: AsyncEngine
) -> None:
    settings = Settings(database_url=engine.url, statement_timeout_ms=100, database_pool_size=1)
    limited = serving_engine(settings)
    try:
        reader = Reader(create_session_factory(limited))
        with pytest.raises(Exception, match=r"statement timeout|interrupted") as raised:
            await reader.driver_row(SLOW[backend], ())
        assert failure_kind(raised.value) == "statement_timeout"
        assert await reader.driver_row("SELECT 1", ()) == (1,)  # the reader goes on reading
        await reader.close()
        assert limited.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        await limited.dispose()


async def test_a_driver_row_that_fails_is_not_an_outage_and_leaks_no_connection(
    one_connection_engine: AsyncEngine,
) -> None:
    reader = Reader(create_session_factory(one_connection_engine))
    with pytest.raises(Exception, match="no_such_column") as raised:
        await reader.driver_row("SELECT no_such_column FROM data_version", ())
    assert failure_kind(raised.value) is None
    assert await reader.driver_row("SELECT 1", ()) == (1,)
    await reader.close()
    assert one_connection_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
