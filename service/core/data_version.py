"""Reading the data version (see ``service.core.models.DataVersion``) for caches keyed on it.

``read_data_version`` is the plain read for any session or connection. ``VersionProbe``
is the per-request read of a running app: the same row in one statement, as cheap as the
bind allows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from service.core.database import (
    Timeouts,
    engine_for_url,
    failure_kind,
    first_line,
    on_pooled_driver,
    timed_out,
)
from service.core.errors import DatabaseUnavailableError
from service.core.models import DataVersion
from service.core.sqlite_inline import NotRun, inline_row
from service.core.timestamps import as_utc

logger = logging.getLogger("stratagraph.data_version")

VERSION_SQL = "SELECT version FROM data_version WHERE id = 1"


@dataclass(frozen=True)
class DataVersionStamp:
    version: int
    changed_at: datetime  # aware, UTC: when the last write happened
    previous_changed_at: datetime | None = None  # the change before it (None: not known)

    @property
    def alone_in_its_second(self) -> bool:
        """Whether no earlier change shares ``changed_at``'s second, so that a whole-second
        date (HTTP's Last-Modified) identifies this version (RFC 9110 §8.8.2.2)."""
        previous = self.previous_changed_at
        return previous is None or previous.replace(microsecond=0) < self.changed_at.replace(
            microsecond=0
        )


async def read_data_version(bind: AsyncConnection | AsyncSession) -> DataVersionStamp | None:
    """The current data version; None when the row is missing (nothing may be cached)."""
    result = await bind.execute(
        select(DataVersion.version, DataVersion.changed_at, DataVersion.previous_changed_at).where(
            DataVersion.id == 1
        )
    )
    row = result.one_or_none()
    if row is None:
        return None
    previous = None if row.previous_changed_at is None else as_utc(row.previous_changed_at)
    return DataVersionStamp(int(row.version), as_utc(row.changed_at), previous)


class VersionProbe:
    """Reads the data version once per request.

    Bound to a connection (tests bind the app to one inside a rolled-back transaction) it
    runs the statement there, so a request sees the writes of that transaction. Bound to an
    engine it runs the statement straight on a pooled driver connection: no session, no
    transaction, no result processing. On PostgreSQL it keeps a small pool of its own without
    pre-ping — the probe is its own liveness check: a failed read discards the connection.
    A read that fails returns None (the request runs uncached) and is logged, except when
    the database is unavailable: that raises ``DatabaseUnavailableError`` (an outage).

    Concurrent requests share reads, but only one that *starts* after they arrived: a
    request arriving while a read is in flight waits for the next one, joined by everyone
    else who arrives meanwhile. So each request still sees every write committed before it
    came, and under load the database sees fewer reads than requests.
    """

    def __init__(
        self, bind: AsyncEngine | AsyncConnection, timeouts: Timeouts | None = None
    ) -> None:
        self._connection = bind if isinstance(bind, AsyncConnection) else None
        self._engine: AsyncEngine | None = None
        self._owns_engine = False
        self._lock = asyncio.Lock()
        self._next: asyncio.Future[int | None] | None = None  # the batch waiting for a read
        if isinstance(bind, AsyncEngine):
            if bind.dialect.name == "postgresql":
                self._engine = engine_for_url(
                    bind.url, timeouts=timeouts, pool_pre_ping=False, pool_size=1
                )
                self._owns_engine = True
            else:
                self._engine = bind

    @classmethod
    def for_bind(cls, bind: Any, timeouts: Timeouts | None = None) -> VersionProbe:
        if not isinstance(bind, AsyncEngine | AsyncConnection):
            raise TypeError(f"cannot read the data version through {bind!r}")
        return cls(bind, timeouts)

    async def read(self) -> int | None:
        if self._next is not None:
            return await asyncio.shield(self._next)
        batch: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._next = batch
        value: int | None = None
        try:
            async with self._lock:  # the read in flight started before this batch arrived
                if self._next is batch:
                    self._next = None  # later arrivals form the next batch
                value = await self._read_once()
        except DatabaseUnavailableError as error:
            if not batch.done():
                batch.set_exception(error)  # the whole batch meets the outage
                batch.exception()  # marked retrieved: there may be no other waiter
            raise
        finally:
            if self._next is batch:
                self._next = None
            if not batch.done():
                batch.set_result(value)  # None if cancelled: the others run uncached
        return value

    async def _read_once(self) -> int | None:
        try:
            if self._connection is not None:
                result = await self._connection.exec_driver_sql(VERSION_SQL)
                value = result.scalar()
            else:
                value = await self._read_raw_retrying()
        except Exception as error:
            if failure_kind(error) == "unavailable":
                raise DatabaseUnavailableError(first_line(error)) from error
            logger.warning(
                "Could not read the data version; answering uncached: %s", first_line(error)
            )
            return None
        return None if value is None else int(value)

    async def _read_raw_retrying(self) -> Any:
        """A pooled connection the server dropped (it restarted) fails its first read: the
        read is retried once on a new connection. A server that did not answer in time is
        not asked again (that would double the wait)."""
        try:
            return await self._read_raw()
        except Exception as error:
            if failure_kind(error) != "unavailable" or timed_out(error):
                raise
            return await self._read_raw()

    async def _read_raw(self) -> Any:
        assert self._engine is not None
        postgresql = self._engine.dialect.name == "postgresql"
        if not postgresql:  # read on the loop's thread when it can be (sqlite_inline)
            row = inline_row(self._engine, VERSION_SQL, ())
            if not isinstance(row, NotRun):
                return None if row is None else row[0]
        return await on_pooled_driver(
            self._engine, _read_version_asyncpg if postgresql else _read_version_aiosqlite
        )

    async def close(self) -> None:
        if self._owns_engine and self._engine is not None:
            await self._engine.dispose()


async def _read_version_asyncpg(driver: Any) -> Any:
    return await driver.fetchval(VERSION_SQL)


async def _read_version_aiosqlite(driver: Any) -> Any:
    async with driver.execute(VERSION_SQL) as cursor:
        row = await cursor.fetchone()
    return None if row is None else row[0]


# SQLite's bump, as its triggers do it (migration 0003): changed_at never goes back, and
# previous_changed_at keeps the change before it.
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
BUMP_SQL = (
    "UPDATE data_version SET version = version + 1, "
    f"previous_changed_at = CASE WHEN changed_at = {_SQLITE_NOW} "
    "THEN previous_changed_at ELSE changed_at END, "
    f"changed_at = max(changed_at, {_SQLITE_NOW}) WHERE id = 1"
)


@asynccontextmanager
async def one_bump_for_bulk_load(connection: AsyncConnection) -> AsyncIterator[None]:
    """Inside the caller's transaction, replace SQLite's per-row version triggers by a single
    bump for a bulk load, and put them back before the transaction commits.

    SQLite has only row triggers, so each inserted row would update the version row again.
    Its DDL is transactional: other connections never see the triggers missing. PostgreSQL's
    triggers fire once per statement already, so there it changes nothing.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    triggers = (
        await connection.execute(
            text(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'data_version_%'"
            )
        )
    ).all()
    for name, _sql in triggers:
        await connection.execute(text(f'DROP TRIGGER "{name}"'))
    # No try/finally: if the load fails, the caller's rollback restores the triggers.
    yield
    for _name, sql in triggers:
        await connection.execute(text(sql))
    await connection.execute(text(BUMP_SQL))
