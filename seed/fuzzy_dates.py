"""The subset of EDTF (ISO 8601-2) that policy texts need, turned into inclusive date spans.

Supported: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, sub-year groupings ``YYYY-33``..``YYYY-36``
(quarters) and ``YYYY-40``/``YYYY-41`` (semesters: first and second half), and intervals
``A/B``, ``A/..`` (open end, "2023~") and ``../B`` (open start, "~2023" = until 2023).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from service.core.models import DatePrecision

_SINGLE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_QUARTERS = {33: 1, 34: 2, 35: 3, 36: 4}
_HALVES = {40: 1, 41: 2}


class EdtfError(ValueError):
    """The value is not in the supported EDTF subset."""


@dataclass(frozen=True)
class Span:
    start: date | None
    end: date | None
    precision: DatePrecision


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _single(value: str) -> Span:
    match = _SINGLE.fullmatch(value)
    if not match:
        raise EdtfError(f"{value!r} is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-33..36/40..41")
    year = int(match.group(1))
    month_text, day_text = match.group(2), match.group(3)
    if month_text is None:
        return Span(date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR)
    code = int(month_text)
    if day_text is not None:
        try:
            day = date(year, code, int(day_text))
        except ValueError as exc:
            raise EdtfError(f"{value!r}: {exc}") from exc
        return Span(day, day, DatePrecision.DAY)
    if 1 <= code <= 12:
        return Span(date(year, code, 1), _month_end(year, code), DatePrecision.MONTH)
    if code in _QUARTERS:
        first = (_QUARTERS[code] - 1) * 3 + 1
        return Span(date(year, first, 1), _month_end(year, first + 2), DatePrecision.QUARTER)
    if code in _HALVES:
        first = (_HALVES[code] - 1) * 6 + 1
        return Span(date(year, first, 1), _month_end(year, first + 5), DatePrecision.HALF)
    raise EdtfError(f"{value!r}: month or grouping code {code} is not supported")


def parse_edtf(value: str) -> Span:
    """The inclusive span an EDTF value covers; an open interval end is ``None``."""
    if "/" not in value:
        return _single(value)
    left, _, right = value.partition("/")
    if left == ".." and right == "..":
        raise EdtfError(f"{value!r}: an interval needs at least one bound")
    start = None if left == ".." else _single(left)
    end = None if right == ".." else _single(right)
    if start and end and start.precision != end.precision:
        raise EdtfError(f"{value!r}: both ends must have the same precision")
    bound = start or end
    assert bound is not None
    span = Span(start.start if start else None, end.end if end else None, bound.precision)
    if span.start and span.end and span.start > span.end:
        raise EdtfError(f"{value!r}: the interval ends before it starts")
    return span
