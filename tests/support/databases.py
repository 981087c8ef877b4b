"""Throw-away databases for the test session, one per engine and purpose."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

BACKENDS = ("sqlite", "postgresql")

# Trust auth on this machine and in CI; override to point at another server.
POSTGRES_ADMIN_URL = os.environ.get(
    "STRATAGRAPH_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


async def postgres_unavailable_reason() -> str | None:
    """None when the test PostgreSQL server answers, else why not."""
    engine = create_async_engine(POSTGRES_ADMIN_URL)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "not available"
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc!s}".splitlines()[0]
    finally:
        await engine.dispose()
    return None


@asynccontextmanager
async def temporary_database(backend: str, tmp_dir: Path, purpose: str) -> AsyncIterator[URL]:
    """Create an empty database, yield its URL, drop it afterwards."""
    name = f"stratagraph_test_{purpose}_{uuid.uuid4().hex[:10]}"
    if backend == "sqlite":
        path = tmp_dir / f"{name}.db"
        # Files are left to pytest's tmp_path retention; nothing to drop.
        yield make_url(f"sqlite+aiosqlite:///{path}")
        return
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(POSTGRES_ADMIN_URL).set(database=name)
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()
