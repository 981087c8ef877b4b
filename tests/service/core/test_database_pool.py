"""A worker's connections to the database are bounded by STRATAGRAPH_DATABASE_POOL_SIZE."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiosqlite
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from migrations import runner as migrate
from service.app import create_app
from service.core.database import engine_for_url, on_pooled_driver, serving_engine
from service.core.settings import Settings
from tests.support.ci import unavailable
from tests.support.databases import (
    POSTGRES_ADMIN_URL,
    postgres_unavailable_reason,
    temporary_database,
)


async def test_the_serving_engine_holds_at_most_the_pool_size(backend: str, tmp_path: Path) -> None:
    async with temporary_database(backend, tmp_path, "pool") as url:
        migrator = engine_for_url(url)
        await migrate.upgrade(migrator)  # the serving engine never creates an SQLite file
        await migrator.dispose()
        engine = serving_engine(Settings(database_url=url, database_pool_size=3), pool_timeout=0.2)
        held: list[AsyncConnection] = []
        try:
            for _ in range(3):
                held.append(await engine.connect())
            with pytest.raises(PoolTimeoutError):
                await engine.connect()
            await held.pop().close()
            held.append(await engine.connect())  # a connection given back is there again
        finally:
            for connection in held:
                await connection.close()
            await engine.dispose()


async def test_a_running_app_opens_at_most_pool_size_plus_one(tmp_path: Path) -> None:
    """PostgreSQL counts the worker's connections: the pool's, and the data-version probe's."""
    reason = await postgres_unavailable_reason()
    if reason:
        unavailable(reason)
    async with temporary_database("postgresql", tmp_path, "pool_app") as url:
        migrator = engine_for_url(url)
        await migrate.upgrade(migrator)
        await migrator.dispose()
        app = create_app(Settings(database_url=url, database_pool_size=2))
        admin = create_async_engine(POSTGRES_ADMIN_URL)
        try:
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                    requests = [
                        client.get("/graphql", params={"query": "{ plans { slug } }"})
                        for _ in range(12)
                    ] + [client.get("/exports/json") for _ in range(2)]
                    answers = await asyncio.gather(*requests)
                    assert {answer.status_code for answer in answers} == {200}
                    async with admin.connect() as connection:
                        opened = await connection.scalar(
                            text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                            {"name": url.database},
                        )
            assert 1 <= opened <= 2 + 1
        finally:
            await admin.dispose()


async def test_an_sqlite_connection_given_back_mid_transaction_comes_back_rolled_back(
    tmp_path: Path,
) -> None:
    """SQLite's pool rolls back only connections that hold a transaction: one that does
    still comes back without it."""
    async with temporary_database("sqlite", tmp_path, "reset") as url:
        engine = engine_for_url(url, pool_size=1)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("CREATE TABLE note (body TEXT)"))

            async def leave_a_transaction_open(driver: Any) -> None:
                await driver.execute("BEGIN")
                await driver.execute("INSERT INTO note VALUES ('never committed')")

            # given back to the pool with the transaction open
            await on_pooled_driver(engine, leave_a_transaction_open)
            async with engine.connect() as connection:  # the pool's only connection
                rows = (await connection.execute(text("SELECT count(*) FROM note"))).scalar_one()
                assert rows == 0
        finally:
            await engine.dispose()


async def test_sqlite_gives_back_a_connection_without_a_needless_rollback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aiosqlite runs every call on the connection's thread: a rollback with nothing to roll
    back costs a lookup a thread hop."""
    rollbacks: list[object] = []
    rollback = aiosqlite.Connection.rollback

    async def counted(self: aiosqlite.Connection) -> None:
        rollbacks.append(self)
        await rollback(self)

    monkeypatch.setattr(aiosqlite.Connection, "rollback", counted)
    async with temporary_database("sqlite", tmp_path, "no_rollback") as url:
        engine = engine_for_url(url, pool_size=1)
        try:
            await on_pooled_driver(engine, lambda d: d.execute_fetchall("SELECT 1"))
            rollbacks.clear()  # the first connection's set-up ends in a rollback of its own
            for _ in range(3):
                value = await on_pooled_driver(engine, lambda d: d.execute_fetchall("SELECT 1"))
                assert list(value) == [(1,)]
            assert rollbacks == []
            async with engine.connect() as connection:  # SQLAlchemy's own transaction
                await connection.execute(text("SELECT 1"))
            assert len(rollbacks) == 1  # rolled back once, by the connection, not again
        finally:
            await engine.dispose()
