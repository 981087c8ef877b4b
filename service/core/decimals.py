"""Exact decimal numbers as canonical text (GraphQL and the JSON export write the same)."""

from __future__ import annotations

from decimal import Decimal


def decimal_text(value: Decimal | int) -> str:
    """Plain notation without exponent or trailing zeros; zero is "0", never "-0".

    ``Decimal("12.5000")`` -> "12.5", ``Decimal("1E+2")`` -> "100", ``Decimal("-0.00")`` -> "0".
    """
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def stored_decimal_text(value: float | int | None, scale: int) -> str | None:
    """``decimal_text`` of a number SQLite holds for a ``Numeric`` column, read at the
    column's scale as SQLAlchemy reads it (SQLite stores REAL or INTEGER): the compiled
    GraphQL statements call it as ``sg_decimal_text(value, scale)``."""
    if value is None:
        return None
    return decimal_text(Decimal(f"{value:.{scale}f}"))
