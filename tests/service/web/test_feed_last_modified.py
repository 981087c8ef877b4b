"""Last-Modified validates only a version alone in its second, whatever the clock says.

HTTP dates have one-second resolution: before, a change committed in the same second as the
copy a client holds was answered 304 to its If-Modified-Since, and so was a change made while
the clock was behind the last one's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from migrations import runner as migrate
from service.app import create_app
from service.core.database import engine_for_url
from service.core.models import DataVersion, Milestone
from service.core.settings import Settings
from tests.support.databases import temporary_database
from tests.support.feed_data import insert_feed_dataset

FEED = "/calendars/milestones.ics"


@pytest.fixture
async def committed(backend: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A database of its own: these writes are committed, as separate transactions are."""
    async with temporary_database(backend, tmp_path, "lastmod") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            async with engine.begin() as connection:
                await insert_feed_dataset(connection)
            yield engine
        finally:
            await engine.dispose()


async def _retitle(engine: AsyncEngine, title: str) -> datetime:
    async with engine.begin() as connection:
        await connection.execute(update(Milestone).values(title=title))
        changed: datetime = (await connection.execute(select(DataVersion.changed_at))).scalar_one()
    return changed.replace(tzinfo=UTC) if changed.tzinfo is None else changed


async def _client(engine: AsyncEngine) -> httpx.AsyncClient:
    app = create_app(Settings(database_url=engine.url), engine=engine)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_a_change_in_the_same_second_is_not_a_304(committed: AsyncEngine) -> None:
    async with await _client(committed) as client:
        for _attempt in range(10):
            first_change = await _retitle(committed, "first")
            # The validators the client holds (HEAD: building the feed would take longer
            # than the second the two changes must share).
            held = await client.head(FEED)
            second_change = await _retitle(committed, "second")
            if first_change.replace(microsecond=0) == second_change.replace(microsecond=0):
                break
        else:
            pytest.fail("no two changes fell in the same second in 10 tries")
        since = await client.get(FEED, headers={"If-Modified-Since": held.headers["last-modified"]})
        assert since.status_code == 200
        assert b"second" in since.content
        # Once the version is alone in its second, its date validates again.
        later = datetime.now(UTC) + timedelta(seconds=1)
        async with committed.begin() as connection:
            await connection.execute(
                text("UPDATE data_version SET previous_changed_at = changed_at, changed_at = :t"),
                {"t": later},
            )
        latest = await client.get(FEED)
        again = await client.get(
            FEED, headers={"If-Modified-Since": latest.headers["last-modified"]}
        )
        assert again.status_code == 304


async def test_a_change_while_the_clock_is_behind_is_not_a_304(committed: AsyncEngine) -> None:
    ahead = datetime.now(UTC) + timedelta(hours=1)  # as if the clock was then stepped back
    async with committed.begin() as connection:
        await connection.execute(
            text("UPDATE data_version SET changed_at = :t, previous_changed_at = NULL"),
            {"t": ahead},
        )
    async with await _client(committed) as client:
        held = await client.get(FEED)
        assert (
            await client.get(FEED, headers={"If-Modified-Since": held.headers["last-modified"]})
        ).status_code == 304
        await _retitle(committed, "made while the clock was behind")
        since = await client.get(FEED, headers={"If-Modified-Since": held.headers["last-modified"]})
    assert since.status_code == 200
    assert b"made while the clock was behind" in since.content
