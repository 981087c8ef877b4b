"""Matching fuzzy spans against a date range: overlaps, within, starts or ends in it.

A range bound is written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year or a month stands for
its whole span, so ``from=2024`` is 2024-01-01 and ``to=2024`` is 2024-12-31. A record's span
is inclusive and either end may be open (``None``): an open start lies before every date, an
open end after every date. Milestones and targets store their span as dates; budgets as
years, where a start year means its 1 January and an end year its 31 December.
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, true


class DateMatch(enum.StrEnum):
    OVERLAPS = "overlaps"  # the span shares at least one day with the range
    WITHIN = "within"  # the whole span lies inside the range
    STARTS = "starts"  # the span's first day lies inside the range
    ENDS = "ends"  # the span's last day lies inside the range


class DateBoundError(ValueError):
    """A range bound is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""


_BOUND = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
BOUND_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD"


def parse_bound(text: str, *, upper: bool) -> date:
    """The first day (``upper=False``) or last day (``upper=True``) that ``text`` names."""
    found = _BOUND.fullmatch(text)
    if found is None:
        raise DateBoundError(f"{text!r} is not a date; use {BOUND_FORMATS}")
    year, month, day = (int(part) if part else None for part in found.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 12, 31) if upper else date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return date(year, month, last if upper else 1)
        return date(year, month, day)
    except ValueError:
        raise DateBoundError(f"{text!r} is not a date; use {BOUND_FORMATS}") from None


@dataclass(frozen=True)
class SpanColumns:
    """Where a table keeps its span. ``years`` says the columns hold years, not dates."""

    start: ColumnElement[Any]
    end: ColumnElement[Any]
    years: bool = False

    def _at_or_after(self, column: ColumnElement[Any], day: date, *, is_end: bool) -> Any:
        if not self.years:
            return column >= day
        # A start year Y is Y-01-01 (>= day when Y > day's year, or day is 1 January);
        # an end year Y is Y-12-31 (>= day whenever Y >= day's year).
        first_year = day.year if is_end or (day.month, day.day) == (1, 1) else day.year + 1
        return column >= first_year

    def _at_or_before(self, column: ColumnElement[Any], day: date, *, is_end: bool) -> Any:
        if not self.years:
            return column <= day
        last_year = day.year if not is_end or (day.month, day.day) == (12, 31) else day.year - 1
        return column <= last_year

    def starts_after(self, day: date) -> ColumnElement[bool]:
        """The span's first day is ``day`` or later (an open start never is)."""
        return and_(self.start.is_not(None), self._at_or_after(self.start, day, is_end=False))

    def starts_before(self, day: date) -> ColumnElement[bool]:
        """The span's first day is ``day`` or earlier (an open start always is)."""
        return or_(self.start.is_(None), self._at_or_before(self.start, day, is_end=False))

    def ends_after(self, day: date) -> ColumnElement[bool]:
        return or_(self.end.is_(None), self._at_or_after(self.end, day, is_end=True))

    def ends_before(self, day: date) -> ColumnElement[bool]:
        return and_(self.end.is_not(None), self._at_or_before(self.end, day, is_end=True))


def span_condition(
    span: SpanColumns, low: date | None, high: date | None, match: DateMatch
) -> ColumnElement[bool]:
    """Rows whose span matches the inclusive range ``low..high`` (either may be open)."""
    if low is None and high is None:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if match is DateMatch.OVERLAPS:
        if high is not None:
            conditions.append(span.starts_before(high))
        if low is not None:
            conditions.append(span.ends_after(low))
    elif match is DateMatch.WITHIN:
        if low is not None:
            conditions.append(span.starts_after(low))
        if high is not None:
            conditions.append(span.ends_before(high))
    elif match is DateMatch.STARTS:
        if low is not None:
            conditions.append(span.starts_after(low))
        if high is not None:
            conditions.append(and_(span.start.is_not(None), span.starts_before(high)))
    else:  # ENDS
        if low is not None:
            conditions.append(and_(span.end.is_not(None), span.ends_after(low)))
        if high is not None:
            conditions.append(span.ends_before(high))
    return and_(*conditions)
