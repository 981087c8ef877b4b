"""One lazily opened session per unit of work, with statements run one at a time.

Callers such as batched loaders may ask concurrently; an ``AsyncSession`` allows only one
operation at a time, so statements are serialised on a lock instead of opening a connection
per batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


class Reader:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()

    @property
    def dialect(self) -> str:
        bind = self._sessions.kw.get("bind")
        return bind.dialect.name if bind is not None else "sqlite"

    async def rows(self, statement: Executable) -> Sequence[Row[Any]]:
        async with self._lock:
            if self._session is None:
                self._session = self._sessions()
            result = await self._session.execute(statement)
            return result.all()

    async def scalar(self, statement: Executable) -> Any:
        rows = await self.rows(statement)
        return rows[0][0] if rows else None

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
