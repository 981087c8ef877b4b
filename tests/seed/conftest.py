"""A fresh, migrated database per test for tests that load (and commit) curated data."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from migrations import runner as migrate
from seed.loader import DATA_DIR
from service.core.database import engine_for_url
from tests.support.databases import temporary_database


@pytest.fixture
async def scratch_engine(backend: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async with temporary_database(backend, tmp_path, "seed") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            yield engine
        finally:
            await engine.dispose()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the curated files that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
