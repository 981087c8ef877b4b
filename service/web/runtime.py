"""What a running app holds: settings, the engine, the session factory, the export slots and
the export worker processes."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import Request

from service.core.database import create_session_factory, serving_engine
from service.core.settings import Settings
from service.web.export_process import ExportWorkers


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    exports: ExportSlots = field(default_factory=lambda: ExportSlots(1))
    # None when the app was given its sessions: exports then read through them, here.
    export_workers: ExportWorkers | None = None

    @classmethod
    def start(
        cls,
        settings: Settings,
        engine: AsyncEngine | None = None,
        sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> Runtime:
        engine = engine or serving_engine(settings)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions or create_session_factory(engine),
            exports=ExportSlots(settings.max_concurrent_exports),
            # A worker process reads through its own connection: it sees only committed data,
            # so an app bound to a test's transaction builds its exports in-process.
            export_workers=None if sessions is not None else ExportWorkers(settings),
        )


class ExportSlots:
    """How many exports this worker builds at once (a per-process cap, not shared state)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.running = 0

    def try_take(self) -> bool:
        if self.running >= self.limit:
            return False
        self.running += 1
        return True

    def give_back(self) -> None:
        self.running -= 1


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
