"""Helpers for exporter tests: run an exporter into bytes, and a fresh migrated database."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from exporters.protocol import Exporter
from migrations import runner as migrate
from service.core.database import engine_for_url
from service.core.dataset_filter import DatasetFilter
from service.core.dataset_reader import DatasetReader
from tests.support.databases import temporary_database

ROOT = Path(__file__).resolve().parents[2]


async def export_bytes(
    exporter: Exporter,
    sessions: async_sessionmaker[AsyncSession],
    dataset_filter: DatasetFilter | None = None,
    batch_size: int = 2,  # tiny batches exercise the keyset paging
) -> bytes:
    out = io.BytesIO()
    async with sessions() as session:
        reader = DatasetReader(session, batch_size=batch_size)
        await exporter.export(reader, dataset_filter or DatasetFilter(), out)
    return out.getvalue()


@asynccontextmanager
async def fresh_engine(backend: str, tmp: Path) -> AsyncIterator[AsyncEngine]:
    """A new, empty database migrated to head (for tests that commit)."""
    async with temporary_database(backend, tmp, "fresh") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            yield engine
        finally:
            await engine.dispose()


def run_cli(
    *args: str, database_url: str, extra_path: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real ``stratagraph`` command in a subprocess."""
    env = dict(os.environ, STRATAGRAPH_DATABASE_URL=database_url)
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [extra_path, env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )


# The workbook's data sheets, in order (the Summary comes first).
DATA_SHEETS = [
    "Strategies",
    "Tasks",
    "Milestones",
    "Budgets",
    "Laws",
    "Law groups",
    "Targets",
    "Sources",
]
