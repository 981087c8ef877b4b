"""The fast content-line rendering writes exactly what icalendar's components write."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from icalendar import vDate, vDatetime
from icalendar.parser import Contentline
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from exporters import ics_lines
from exporters.ics import milestone_events
from service.core.dataset_filter import DatasetFilter
from service.core.milestone_feed import FeedMilestone, Quote, feed_batches
from tests.exporters.ics_reference import reference_event
from tests.support.feed_data import insert_feed_dataset

PUBLIC = "https://policy.example.org/"
# ASCII, escapes that must not end a line, and 2-, 3- and 4-octet UTF-8 characters.
ALPHABET = 'ab ,;:\\^"nN\t\u00e9\u00df\ud55c\uad6d\u201c\u2014\U0001f4c5'


def library_fold(line: str) -> bytes:
    folded: bytes = Contentline(line).to_ical()
    return folded + b"\r\n"


def test_fold_cuts_where_icalendar_cuts() -> None:
    rng = random.Random(5545)
    lines = ["", "x" * 74, "x" * 75, "x" * 73 + "\\n", "x" * 72 + "\ud55c" * 5, "^" * 300]
    lines += ["".join(rng.choices(ALPHABET, k=rng.randrange(1, 400))) for _ in range(3000)]
    for line in lines:
        assert ics_lines.fold(line.encode()) == library_fold(line), line


def test_text_and_categories_are_escaped_by_icalendar() -> None:
    assert ics_lines.text('a,b;c\\d\ne "f"') == b'a\\,b\\;c\\\\d\\ne "f"'
    assert ics_lines.categories(["a,b", "c;d"]) == b"a\\,b,c\\;d"


def test_dates_are_written_as_icalendar_writes_them() -> None:
    for day in (date(2023, 1, 1), date(999, 12, 31), date(2027, 12, 31)):
        assert ics_lines.date_value(day) == vDate(day).to_ical()
    moment = datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert ics_lines.utc_date_time(moment) == vDatetime(moment).to_ical()
    other = moment.astimezone(timezone(timedelta(hours=9)))
    with pytest.raises(ValueError, match="not in UTC"):
        ics_lines.utc_date_time(other)


async def feed_milestones(sessions: async_sessionmaker[AsyncSession]) -> list[FeedMilestone]:
    async with sessions() as session:
        return [m async for batch in feed_batches(session.execute, DatasetFilter()) for m in batch]


def assert_same_as_reference(milestones: list[FeedMilestone]) -> None:
    assert milestones
    for public_url in (PUBLIC, None):
        expected = b"".join(reference_event(m, public_url) for m in milestones)
        assert milestone_events(milestones, public_url) == expected


async def test_curated_feed_is_byte_identical_to_the_event_rendering(
    seeded_sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert_same_as_reference(await feed_milestones(seeded_sessions))


async def test_fixture_feed_is_byte_identical_to_the_event_rendering(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await insert_feed_dataset(db)  # long Hangul titles, quotes, escapes in names
    milestones = await feed_milestones(sessions)
    awkward = replace(
        milestones[0],
        title="; , \\ \\N \r\n " + "\ud55c\\" * 40,
        plan_slug="a b/ü",
        technologies=("x,y", "z;"),
        quotes=(Quote("^" * 90, "Doc \\", None),),
        revision=12,
    )
    assert_same_as_reference([*milestones, awkward])
