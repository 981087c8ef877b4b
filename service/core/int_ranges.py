"""The integers each column type can hold on both engines (PostgreSQL's are the narrower)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Integer
from sqlalchemy.types import TypeEngine

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


def integer_range(kind: TypeEngine[Any]) -> tuple[int, int] | None:
    """(lowest, highest) for an integer column type; None for other types."""
    if isinstance(kind, BigInteger):
        return INT64
    if isinstance(kind, Integer):
        return INT32
    return None


def range_problem(value: int, bounds: tuple[int, int]) -> str | None:
    low, high = bounds
    if not low <= value <= high:
        return f"{value} is out of range ({low} to {high})"
    return None
