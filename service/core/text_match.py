"""Case-insensitive substring matching in SQL, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import QueryableAttribute

ESCAPE = "\\"


def contains_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` (lower-cased) anywhere; its wildcards match literally."""
    escaped = (
        text.lower()
        .replace(ESCAPE, ESCAPE * 2)
        .replace("%", ESCAPE + "%")
        .replace("_", ESCAPE + "_")
    )
    return f"%{escaped}%"


def contains(
    column: ColumnElement[Any] | QueryableAttribute[Any], pattern: str
) -> ColumnElement[bool]:
    """``column`` lower-cased matches ``pattern`` (from ``contains_pattern``)."""
    return func.lower(column).like(pattern, escape=ESCAPE)
