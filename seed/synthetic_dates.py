"""Fuzzy policy dates for the synthetic dataset, written the way the source documents write them.

Each generated date keeps the text, its EDTF value (ISO 8601-2; quarters are the sub-year
groupings 33-36 and halves 40-41), the inclusive start/end span it covers (either side open for
"2023~" and "~2023"), its precision and its kind. "~2023" means "until 2023", as in the
documents. Deadlines ("by 2027", "~2027") are open-start intervals ending where the named
period ends (``../2027``), as in the curated dataset.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

MONTH_NAMES = tuple(calendar.month_name)[1:]
MONTH_ABBREVIATIONS = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Oct.",
    "Nov.",
    "Dec.",
)
ORDINALS = ("first", "second", "third", "fourth")

# Years weighted towards the middle of a typical five-year plan.
YEARS = tuple(range(2020, 2031))
YEAR_WEIGHTS = (2, 4, 8, 10, 10, 9, 8, 7, 5, 3, 2)


class FuzzyDate(NamedTuple):
    text: str
    edtf: str
    start: date | None
    end: date | None
    precision: str
    kind: str


def _year(rng: random.Random) -> int:
    return rng.choices(YEARS, YEAR_WEIGHTS)[0]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(rng: random.Random) -> FuzzyDate:
    year, month = _year(rng), rng.randint(1, 12)
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    when = date(year, month, day)
    written = (
        f"{MONTH_NAMES[month - 1]} {day}, {year}"
        if rng.random() < 0.6
        else f"{day} {MONTH_ABBREVIATIONS[month - 1]} {year}"
    )
    if rng.random() < 0.3:
        return FuzzyDate(f"by {written}", f"../{when.isoformat()}", None, when, "day", "deadline")
    return FuzzyDate(written, when.isoformat(), when, when, "day", "event")


def _month(rng: random.Random) -> FuzzyDate:
    year, month = _year(rng), rng.randint(1, 12)
    written = (
        f"{MONTH_ABBREVIATIONS[month - 1]} {year}"
        if rng.random() < 0.5
        else f"{MONTH_NAMES[month - 1]} {year}"
    )
    edtf, start, end = f"{year}-{month:02d}", date(year, month, 1), _month_end(year, month)
    roll = rng.random()
    if roll < 0.2:
        return FuzzyDate(f"by {written}", f"../{edtf}", None, end, "month", "deadline")
    if roll < 0.35:
        return FuzzyDate(f"from {written}", f"{edtf}/..", start, None, "month", "start")
    if roll < 0.5 and month < 12:
        last = rng.randint(month + 1, 12)
        return FuzzyDate(
            f"{MONTH_ABBREVIATIONS[month - 1]}~{MONTH_ABBREVIATIONS[last - 1]} {year}",
            f"{edtf}/{year}-{last:02d}",
            start,
            _month_end(year, last),
            "month",
            "period",
        )
    return FuzzyDate(written, edtf, start, end, "month", "event")


def _quarter(rng: random.Random) -> FuzzyDate:
    year, quarter = _year(rng), rng.randint(1, 4)
    start = date(year, 3 * quarter - 2, 1)
    end = _month_end(year, 3 * quarter)
    written = (
        f"Q{quarter} {year}" if rng.random() < 0.5 else f"{ORDINALS[quarter - 1]} quarter of {year}"
    )
    edtf = f"{year}-{32 + quarter}"
    if rng.random() < 0.3:
        text = f"by the end of {written}"
        return FuzzyDate(text, f"../{edtf}", None, end, "quarter", "deadline")
    return FuzzyDate(written, edtf, start, end, "quarter", "event")


def _half(rng: random.Random) -> FuzzyDate:
    year, half = _year(rng), rng.randint(1, 2)
    start = date(year, 1, 1) if half == 1 else date(year, 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    roll = rng.random()
    if roll < 0.4:
        written = f"({ORDINALS[half - 1]} half of {year})"
    elif roll < 0.7:
        written = f"{ORDINALS[half - 1]} half of {year}"
    else:
        written = f"H{half} {year}"
    edtf = f"{year}-{39 + half}"
    if rng.random() < 0.25:
        text = f"by the {written.strip('()')}"
        return FuzzyDate(text, f"../{edtf}", None, end, "half", "deadline")
    return FuzzyDate(written, edtf, start, end, "half", "event")


def _year_date(rng: random.Random) -> FuzzyDate:
    year = _year(rng)
    start, end = date(year, 1, 1), date(year, 12, 31)
    roll = rng.random()
    if roll < 0.2:
        text = rng.choice((f"by {year}", f"(by {year})"))
        return FuzzyDate(text, f"../{year}", None, end, "year", "deadline")
    if roll < 0.35:
        text = rng.choice((f"{year}~", f"(starting {year})", f"from {year}"))
        return FuzzyDate(text, f"{year}/..", start, None, "year", "start")
    if roll < 0.45:
        text = rng.choice((f"~{year}", f"(~{year})"))
        return FuzzyDate(text, f"../{year}", None, end, "year", "deadline")
    if roll < 0.7:
        last = min(year + rng.randint(1, 5), YEARS[-1] + 2)
        return FuzzyDate(
            f"({year}~{last})", f"{year}/{last}", start, date(last, 12, 31), "year", "period"
        )
    return FuzzyDate(rng.choice((str(year), f"in {year}")), str(year), start, end, "year", "event")


_FORMS: tuple[Callable[[random.Random], FuzzyDate], ...] = (
    _day,
    _month,
    _quarter,
    _half,
    _year_date,
)
_FORM_WEIGHTS = (10, 25, 10, 20, 35)


def random_fuzzy_date(rng: random.Random) -> FuzzyDate:
    """One fuzzy date: precision day 10%, month 25%, quarter 10%, half 20%, year 35%."""
    return rng.choices(_FORMS, _FORM_WEIGHTS)[0](rng)
