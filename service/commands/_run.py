"""Shared plumbing for commands: settings, an engine, and async execution."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from service.core.database import create_engine, translate_connection_errors
from service.core.settings import Settings

T = TypeVar("T")


def run_with_engine(action: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Run ``action`` with an engine for the configured database, then dispose of it."""
    settings = Settings.from_env()

    async def _main() -> T:
        engine = create_engine(settings)
        try:
            async with translate_connection_errors(engine.url):
                return await action(engine)
        finally:
            await engine.dispose()

    return asyncio.run(_main())
