"""Timestamps become aware UTC whatever the engine returns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from service.core.timestamps import as_utc


def test_naive_is_taken_as_utc() -> None:
    assert as_utc(datetime(2024, 1, 2, 3, 4, 5)) == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_other_zones_are_converted() -> None:
    seoul = datetime(2024, 1, 2, 12, 0, tzinfo=timezone(timedelta(hours=9)))
    converted = as_utc(seoul)
    assert converted == datetime(2024, 1, 2, 3, 0, tzinfo=UTC)
    assert converted.tzinfo is UTC
