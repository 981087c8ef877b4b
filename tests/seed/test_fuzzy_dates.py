"""The EDTF subset used for fuzzy policy dates."""

from __future__ import annotations

from datetime import date

import pytest

from seed.fuzzy_dates import EdtfError, Span, parse_edtf
from service.core.models import DatePrecision as P


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023", Span(date(2023, 1, 1), date(2023, 12, 31), P.YEAR)),
        ("2023-11", Span(date(2023, 11, 1), date(2023, 11, 30), P.MONTH)),
        ("2024-02", Span(date(2024, 2, 1), date(2024, 2, 29), P.MONTH)),
        ("2022-12-28", Span(date(2022, 12, 28), date(2022, 12, 28), P.DAY)),
        ("2023-40", Span(date(2023, 1, 1), date(2023, 6, 30), P.HALF)),
        ("2023-41", Span(date(2023, 7, 1), date(2023, 12, 31), P.HALF)),
        ("2023-34", Span(date(2023, 4, 1), date(2023, 6, 30), P.QUARTER)),
        ("2022/2026", Span(date(2022, 1, 1), date(2026, 12, 31), P.YEAR)),
        ("2023/..", Span(date(2023, 1, 1), None, P.YEAR)),
        ("../2023", Span(None, date(2023, 12, 31), P.YEAR)),
    ],
)
def test_spans(value: str, expected: Span) -> None:
    assert parse_edtf(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "23", "2023-13", "2023-02-30", "2023-42", "../..", "2026/2022", "2022/2023-05", "2023\n"],
)
def test_rejects(value: str) -> None:
    with pytest.raises(EdtfError):
        parse_edtf(value)
