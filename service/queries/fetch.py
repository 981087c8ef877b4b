"""Batched lookups: rows by key lists, children per parent, link tables, counts.

Every function issues exactly one statement, whatever the number of keys, so a caller that
batches keys (a DataLoader) costs one statement per relation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Table, func, select

from .paging import (
    Ordering,
    Page,
    PageRequest,
    count_select,
    finish_page,
    group_pages,
    page_select,
    per_parent_page_select,
)
from .reader import Reader


async def rows_by_ids(reader: Reader, table: Table, ids: Sequence[int]) -> dict[int, Row[Any]]:
    rows = await reader.rows(select(table).where(table.c.id.in_(ids)))
    return {row.id: row for row in rows}


async def rows_by_column(
    reader: Reader, table: Table, column: str, values: Sequence[Any]
) -> dict[Any, Row[Any]]:
    rows = await reader.rows(select(table).where(table.c[column].in_(values)))
    return {getattr(row, column): row for row in rows}


async def children(
    reader: Reader,
    statement: Select[Any],
    parent: ColumnElement[Any],
    parent_ids: Sequence[int],
    order: Sequence[ColumnElement[Any]],
) -> list[list[Row[Any]]]:
    """All children of each parent, in ``order``; one list per parent id."""
    rows = await reader.rows(
        statement.add_columns(parent.label("sg_parent"))
        .where(parent.in_(parent_ids))
        .order_by(parent, *order)
    )
    grouped: dict[int, list[Row[Any]]] = {}
    for row in rows:
        grouped.setdefault(row.sg_parent, []).append(row)
    return [grouped.get(pid, []) for pid in parent_ids]


async def child_pages(
    reader: Reader,
    statement: Select[Any],
    parent: ColumnElement[Any],
    parent_ids: Sequence[int],
    ordering: Ordering,
    page: PageRequest,
) -> list[Page]:
    rows = await reader.rows(per_parent_page_select(statement, parent, parent_ids, ordering, page))
    return group_pages(rows, parent_ids, page)


async def child_counts(
    reader: Reader, statement: Select[Any], parent: ColumnElement[Any], parent_ids: Sequence[int]
) -> list[int]:
    counted = (
        statement.with_only_columns(parent.label("sg_parent"), func.count().label("n"))
        .where(parent.in_(parent_ids))
        .group_by(parent)
        .order_by(None)
    )
    counts: Mapping[int, int] = {row.sg_parent: row.n for row in await reader.rows(counted)}
    return [counts.get(pid, 0) for pid in parent_ids]


async def page(
    reader: Reader, statement: Select[Any], ordering: Ordering, request: PageRequest
) -> Page:
    split_nulls = reader.dialect == "postgresql"
    rows = await reader.rows(page_select(statement, ordering, request, split_nulls))
    return finish_page(rows, request)


async def count(reader: Reader, statement: Select[Any]) -> int:
    value = await reader.scalar(count_select(statement))
    return int(value or 0)
