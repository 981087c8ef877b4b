"""What a running app holds: settings, the engine and the session factory."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import Request

from service.core.database import create_engine, create_session_factory
from service.core.settings import Settings


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def start(
        cls,
        settings: Settings,
        engine: AsyncEngine | None = None,
        sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> Runtime:
        engine = engine or create_engine(settings)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions or create_session_factory(engine),
        )


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
