"""Custom scalars, each with the specification a client maps it by (``specifiedByURL``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types.scalar import ScalarDefinition

DATE_SPEC = "https://scalars.graphql.org/andimarek/local-date.html"


def _parse_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError(f"a Date is a string YYYY-MM-DD, not {type(value).__name__}")
    try:
        return date.fromisoformat(value) if len(value) == 10 else _reject(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar date YYYY-MM-DD") from None


def _reject(value: str) -> date:
    raise ValueError(value)


SCALARS: dict[object, ScalarDefinition] = {
    date: strawberry.scalar(
        name="Date",
        description="A calendar date without time zone, YYYY-MM-DD (RFC 3339 full-date).",
        specified_by_url=DATE_SPEC,
        serialize=date.isoformat,
        parse_value=_parse_date,
    ),
}
