"""One lazily checked-out connection per unit of work, with statements run one at a time.

Reads go through a Core ``AsyncConnection``: no ORM session, identity map or session
transaction around statements that only return rows. When the session factory is bound to
an engine (the running app), the connection comes straight from the engine's pool; on
PostgreSQL it reads in autocommit, which under READ COMMITTED gives each statement the same
snapshot rules as an explicit transaction would, minus the BEGIN and ROLLBACK round trips.
When the factory is bound to a connection (tests roll one back around each test), the
connection is taken from a session once, so the injected transaction still holds.

A compiled GraphQL statement (``driver_row``) needs less: it runs on a pooled driver
connection itself (asyncpg's, aiosqlite's), outside any explicit transaction, and that
connection goes back to the pool at once.

Callers such as batched loaders may ask concurrently; a connection runs one statement at a
time, so statements are serialised on a lock instead of checking out a connection per batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, Row
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from service.core.database import failure_kind, on_pooled_driver, timed_out
from service.core.sqlite_inline import NotRun, inline_row


class ReaderClosedError(RuntimeError):
    """A statement was asked of a reader whose unit of work has ended."""


class Reader:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        bind = sessions.kw.get("bind")
        self._engine = bind if isinstance(bind, AsyncEngine) else None
        self.dialect: str = bind.dialect.name if bind is not None else "sqlite"
        self.sql_dialect: Dialect | None = bind.dialect if bind is not None else None
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self._closed = False
        self._direct = self._engine is not None

    async def _connect(self) -> AsyncConnection:
        if self._engine is None:
            self._session = self._sessions()
            return await self._session.connection()
        connection = await self._engine.connect()
        if self.dialect == "postgresql":
            await connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Row[Any]]:
        async def run(connection: AsyncConnection) -> Sequence[Row[Any]]:
            return (await connection.execute(statement, params)).all()

        return await self._run(run)

    async def driver_row(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The first row of SQL text in the driver's own parameter style (no compilation).

        A reader bound to an engine that holds no connection yet runs it on a pooled driver
        connection itself and gives that back at once: SQLAlchemy's execution, result
        processing and autocommit switching (on SQLite its BEGIN and the thread hops of each
        step through aiosqlite) cost more CPU than the statement's round trip. On PostgreSQL
        asyncpg prepares it once per connection; on SQLite it runs outside any transaction,
        in the one SQLite gives every statement.
        """
        if self._direct:
            async with self._lock:
                if self._closed:
                    raise ReaderClosedError("the reader's unit of work has ended")
                if self._connection is None:
                    try:
                        return await self._pooled_driver_row(sql, params)
                    except Exception as error:
                        if failure_kind(error) != "unavailable" or timed_out(error):
                            raise
                # The pooled connection was one the server dropped (it restarted): SQLAlchemy's
                # path below notices the next dead one, discards the pool's old connections
                # and retries once on a new connection.

        async def run(connection: AsyncConnection) -> Sequence[Row[Any]]:
            return (await connection.exec_driver_sql(sql, params)).all()

        rows = await self._run(run)
        return tuple(rows[0]) if rows else None

    async def _pooled_driver_row(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        assert self._engine is not None
        if self.dialect == "postgresql":

            async def fetch(driver: Any) -> tuple[Any, ...] | None:
                row = await driver.fetchrow(sql, *params)
                return None if row is None else tuple(row)

        else:
            row = inline_row(self._engine, sql, params)
            if not isinstance(row, NotRun):
                return row

            async def fetch(driver: Any) -> tuple[Any, ...] | None:
                rows = list(await driver.execute_fetchall(sql, params))
                return tuple(rows[0]) if rows else None

        return await on_pooled_driver(self._engine, fetch)

    async def _run(
        self, run: Callable[[AsyncConnection], Awaitable[Sequence[Row[Any]]]]
    ) -> Sequence[Row[Any]]:
        try:
            return await self._locked(run)
        except Exception as exc:
            if failure_kind(exc) == "unavailable":
                await self._drop_connection()
            raise

    async def _drop_connection(self) -> None:
        """Discard the connection instead of returning it to the pool, which would first
        wait for a server that is not answering."""
        connection, self._connection = self._connection, None
        if connection is not None and self._engine is not None:
            await connection.invalidate()
            await connection.close()

    async def _locked(
        self, run: Callable[[AsyncConnection], Awaitable[Sequence[Row[Any]]]]
    ) -> Sequence[Row[Any]]:
        async with self._lock:
            if self._closed:
                raise ReaderClosedError("the reader's unit of work has ended")
            connection = self._connection
            if connection is not None:
                return await run(connection)
            connection = self._connection = await self._connect()
            try:
                return await run(connection)
            except DBAPIError as exc:
                # The pool does not ping on checkout (a round trip per request); a pooled
                # connection the server dropped fails its first statement instead, and the
                # pool discards its other old connections. Nothing has been read yet: retry
                # once on a fresh connection.
                if self._engine is None or not exc.connection_invalidated:
                    raise
                self._connection = None
                await connection.close()
                connection = self._connection = await self._connect()
                return await run(connection)

    async def scalar(self, statement: Executable) -> Any:
        rows = await self.rows(statement)
        return rows[0][0] if rows else None

    async def close(self) -> None:
        """Waits for a statement in flight (a resolver graphql-core no longer awaits may
        still be reading); later statements raise ``ReaderClosedError``."""
        self._closed = True
        async with self._lock:
            await self._release()

    async def _release(self) -> None:
        connection, self._connection = self._connection, None
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        elif connection is not None:
            await connection.close()
