"""Fixtures for exporter tests."""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.exporters.sample import add_sample, sample_client

__all__ = ["sample_client", "sample_sessions"]


@pytest.fixture
async def sample_sessions(
    sessions: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    """The test's database holding the sample dataset."""
    async with sessions() as session:
        await add_sample(session)
    return sessions
