"""Fixtures: every database test runs on SQLite and on PostgreSQL.

Per backend the session creates two databases, migrated to head: ``engine`` (empty) and
``seeded_engine`` (the curated dataset loaded once). Each test gets a connection inside a
transaction that is rolled back afterwards (``db`` / ``seeded_db``); sessions and the HTTP
app are bound to that connection with savepoints, so tests never see each other's writes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from migrations import runner as migrate
from service.app import create_app
from service.core.database import engine_for_url
from service.core.settings import Settings
from tests.support.ci import unavailable
from tests.support.databases import (
    BACKENDS,
    postgres_unavailable_reason,
    temporary_database,
)


@pytest.fixture(scope="session")
def session_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("databases")


@pytest.fixture(scope="session", params=BACKENDS)
async def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql":
        reason = await postgres_unavailable_reason()
        if reason:
            unavailable(reason)
    return name


async def _migrated_engine(backend: str, tmp: Path, purpose: str) -> AsyncIterator[AsyncEngine]:
    async with temporary_database(backend, tmp, purpose) as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            yield engine
        finally:
            await engine.dispose()


@pytest.fixture(scope="session")
async def engine(backend: str, session_tmp: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database at the head revision."""
    async for engine in _migrated_engine(backend, session_tmp, "empty"):
        yield engine


@pytest.fixture(scope="session")
async def seeded_engine(backend: str, session_tmp: Path) -> AsyncIterator[AsyncEngine]:
    """A database at head with the curated dataset loaded (read-mostly; tests roll back)."""
    import seed

    async for engine in _migrated_engine(backend, session_tmp, "seeded"):
        await seed.load_curated(engine)
        yield engine


@pytest.fixture(scope="session")
async def large_url(backend: str, session_tmp: Path) -> AsyncIterator[URL]:
    """A database with the synthetic national-scale dataset ``large``, seeded once per engine
    (committed: for live servers and export worker processes)."""
    import seed

    async with temporary_database(backend, session_tmp, "large") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            await seed.load_synthetic(engine, "large")
        finally:
            await engine.dispose()
        yield url


async def _rolled_back(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            if transaction.is_active:
                await transaction.rollback()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async for connection in _rolled_back(engine):
        yield connection


@pytest.fixture
async def seeded_db(seeded_engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async for connection in _rolled_back(seeded_engine):
        yield connection


def bound_sessions(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    """Sessions whose commits become savepoints inside the test's outer transaction."""
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
    )


@pytest.fixture
def sessions(db: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return bound_sessions(db)


@pytest.fixture
def seeded_sessions(seeded_db: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return bound_sessions(seeded_db)


def _settings_for(engine: AsyncEngine) -> Settings:
    # The clients below call the app as http://testserver: links may name that host.
    return Settings(database_url=engine.url, allowed_hosts=("testserver",))


async def _client(
    engine: AsyncEngine, connection: AsyncConnection
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(_settings_for(engine), engine=engine, sessions=bound_sessions(connection))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def client(engine: AsyncEngine, db: AsyncConnection) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client through the ASGI app over the empty database."""
    async for c in _client(engine, db):
        yield c


@pytest.fixture
async def seeded_client(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection
) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client through the ASGI app over the curated dataset."""
    async for c in _client(seeded_engine, seeded_db):
        yield c
