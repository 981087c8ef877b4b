"""The per-request GraphQL context: a lazily opened session and the request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schema.loaders import Loaders
from service.core.queries.reader import Reader


@dataclass
class Context:
    """What resolvers see as ``info.context``.

    ``reader`` runs the request's statements on one session, opened on first use and closed
    by the schema when the operation ends. ``request``/``response`` are for the HTTP layer.
    """

    reader: Reader
    loaders: Loaders
    request: Any = None
    response: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    async def close(self) -> None:
        await self.reader.close()


def make_context(
    sessions: async_sessionmaker[AsyncSession], request: Any = None, response: Any = None
) -> Context:
    reader = Reader(sessions)
    return Context(reader=reader, loaders=Loaders(reader), request=request, response=response)
