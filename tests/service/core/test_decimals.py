"""One canonical decimal text, for GraphQL and the JSON export alike."""

from __future__ import annotations

from decimal import Decimal

import pytest

from service.core.decimals import decimal_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.5000"), "12.5"),
        (Decimal("100"), "100"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.0010"), "0.001"),
        (Decimal("-3.50"), "-3.5"),
        (Decimal("0"), "0"),
        (Decimal("0.0000"), "0"),
        (Decimal("-0"), "0"),
        (Decimal("-0.0000"), "0"),
        (Decimal("-0.0010"), "-0.001"),
        (7, "7"),
        (0, "0"),
    ],
)
def test_decimal_text(value: Decimal | int, text: str) -> None:
    assert decimal_text(value) == text
