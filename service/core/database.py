"""Async engine and session factory for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from service.core.errors import DatabaseUnavailableError
from service.core.settings import Settings


def create_engine(settings: Settings, **overrides: Any) -> AsyncEngine:
    return engine_for_url(settings.database_url, echo=settings.sql_echo, **overrides)


def engine_for_url(url: URL, **options: Any) -> AsyncEngine:
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, **options)
        _configure_sqlite(engine)
        return engine
    # No ping on checkout: it is a round trip per request. Connections are recycled before
    # servers or proxies drop idle ones, and the GraphQL reader retries a read whose pooled
    # connection turns out dead (service.queries.reader).
    options.setdefault("pool_recycle", 1800)
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 10)
    return create_async_engine(url, **options)


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Foreign keys on, WAL for concurrent readers, and SQLAlchemy-managed BEGIN.

    pysqlite's own transaction handling defers BEGIN and ignores SAVEPOINT semantics, which
    breaks transactional DDL and nested transactions (SQLAlchemy's documented recipe).
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def translate_connection_errors(url: URL) -> AsyncIterator[None]:
    """Turn driver-level connection failures into one line that names the database."""
    try:
        yield
    except (OperationalError, InterfaceError, OSError, socket.gaierror) as exc:
        raise DatabaseUnavailableError(describe_failure(url, exc)) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated or _refused_login(exc):
            raise DatabaseUnavailableError(describe_failure(url, exc)) from exc
        raise


def _refused_login(exc: DBAPIError) -> bool:
    """PostgreSQL refused the session: no such database (3D000) or role, bad password (28…)."""
    state = str(getattr(exc.orig, "sqlstate", None) or "")
    return state == "3D000" or state.startswith("28")


def describe_failure(url: URL, exc: BaseException) -> str:
    where = url.render_as_string(hide_password=True)
    reason = getattr(exc, "orig", None) or exc
    detail = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
    return f"STRATAGRAPH_DATABASE_URL: cannot use the database at {where}: {detail}"


async def ping(sessions: async_sessionmaker[AsyncSession], url: URL) -> None:
    """One round trip to the database; raises ``DatabaseUnavailableError`` when it fails."""
    async with translate_connection_errors(url), sessions() as session:
        await session.execute(text("SELECT 1"))
