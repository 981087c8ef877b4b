"""Filter values that name no record: an error naming the value and the closest valid keys.

A misspelt slug or code in a filter would otherwise select nothing, silently. Every surface
(GraphQL filters, ``/exports``, the feeds, the CLI) checks its ``DatasetFilter`` here first.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, Row, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.core.dataset_filter import DatasetFilter, DatasetFilterError
from service.core.models import Law, Organisation, Plan, Region, Strategy, Technology

RunRows = Callable[[Executable], Awaitable[Sequence[Row[Any]]]]

CLOSEST = 3  # how many valid keys an error suggests


@dataclass(frozen=True)
class KeyedField:
    field: str  # DatasetFilter attribute
    parameter: str  # its query-parameter name
    noun: str
    table: Table
    key: str  # the natural-key column


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


KEYED_FIELDS: tuple[KeyedField, ...] = (
    KeyedField("plans", "plan", "plan", _table(Plan), "slug"),
    KeyedField("strategies", "strategy", "strategy", _table(Strategy), "code"),
    KeyedField("technologies", "technology", "technology", _table(Technology), "slug"),
    KeyedField("regions", "region", "region", _table(Region), "slug"),
    KeyedField("organisations", "organisation", "organisation", _table(Organisation), "slug"),
    KeyedField("laws", "law", "law", _table(Law), "slug"),
)


def closest(value: str, keys: Sequence[str]) -> list[str]:
    """Up to ``CLOSEST`` keys most like ``value`` (case-insensitively), best first."""
    by_folded: dict[str, str] = {}
    for key in keys:
        by_folded.setdefault(key.casefold(), key)
    matches = difflib.get_close_matches(value.casefold(), list(by_folded), n=CLOSEST, cutoff=0.5)
    return [by_folded[m] for m in matches]


def unknown_key_error(keyed: KeyedField, value: str, keys: Sequence[str]) -> DatasetFilterError:
    suggestions = closest(value, keys)
    hint = (
        f"closest: {', '.join(suggestions)}"
        if suggestions
        else f"valid: {', '.join(sorted(keys)[:10])}{', ...' if len(keys) > 10 else ''}"
        if keys
        else "there are none"
    )
    return DatasetFilterError(keyed.parameter, f"no {keyed.noun} {value!r}; {hint}")


def session_rows(session: AsyncSession) -> RunRows:
    async def run(statement: Executable) -> Sequence[Row[Any]]:
        return (await session.execute(statement)).all()

    return run


async def check_known(run: RunRows, dataset_filter: DatasetFilter) -> None:
    """Raise ``DatasetFilterError`` for the first filter value that names no record."""
    for keyed in KEYED_FIELDS:
        values: tuple[str, ...] = getattr(dataset_filter, keyed.field)
        if not values:
            continue
        column = keyed.table.c[keyed.key]
        found = {row[0] for row in await run(select(column).where(column.in_(values)))}
        missing = [value for value in values if value not in found]
        if missing:
            keys = [row[0] for row in await run(select(column).order_by(column))]
            raise unknown_key_error(keyed, missing[0], keys)
