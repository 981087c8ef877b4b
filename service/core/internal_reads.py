"""Reads the service makes for itself rather than for a user's query (the list bounds).

They run under a time limit of their own, not the user statement timeout: on a connection
of their own engine, whose statement timeout (PostgreSQL ``statement_timeout`` and the
client's command timeout; SQLite the progress handler's deadline) is the internal limit, so
the serving pool's limits never change mid-connection. That engine holds no connection
between reads (they come once per data version): each read connects, and its connection is
closed afterwards.

Sessions bound to a connection (tests roll one back around each test) read through it, so
the reads see that transaction's writes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.core.database import Timeouts, create_session_factory, engine_for_url, sqlite_path
from service.core.queries.reader import Reader

T = TypeVar("T")


class InternalReads:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], timeouts: Timeouts | None
    ) -> None:
        """``timeouts``: the internal reads' own limits, for sessions bound to an engine."""
        bind = sessions.kw.get("bind")
        self._engine: AsyncEngine | None = None
        self._sessions = sessions
        if isinstance(bind, AsyncEngine) and timeouts is not None and _shareable(bind):
            self._engine = engine_for_url(bind.url, timeouts=timeouts, pool_size=1, echo=bind.echo)
            self._sessions = create_session_factory(self._engine)

    async def run(self, read: Callable[[Reader], Awaitable[T]]) -> T:
        reader = Reader(self._sessions)
        try:
            return await read(reader)
        finally:
            await reader.close()
            await self.close()

    async def close(self) -> None:
        """Close the connections it holds (it opens new ones for the next read)."""
        if self._engine is not None:
            await self._engine.dispose()


def _shareable(engine: AsyncEngine) -> bool:
    """Whether a second engine reaches the same data (an in-memory SQLite database is
    private to its one connection)."""
    return engine.dialect.name != "sqlite" or sqlite_path(engine.url) is not None
