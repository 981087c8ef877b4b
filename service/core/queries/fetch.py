"""Batched lookups: rows by key lists, children per parent, link tables, counts.

Every function issues one statement per ``MAX_KEYS`` keys, so a caller that batches keys (a
DataLoader) costs one statement per relation for any ordinary batch, and a huge batch stays
under the drivers' limit on bound parameters (asyncpg 32,767; SQLite 32,766).

The statements of the fixed shapes (rows by keys, children, counts) are built once per shape
with an expanding ``IN`` parameter and reused: building a select and computing its cache key
costs ~0.1 ms, more than running a small one; a reused statement's key is memoised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, Select, Table, bindparam, func, select

from service.core.queries.paging import (
    Ordering,
    Page,
    PageRequest,
    count_select,
    finish_page,
    group_pages,
    page_select,
    per_parent_page_select,
)
from service.core.queries.reader import Reader

S = TypeVar("S")
K = TypeVar("K")
_KEYS = "sg_keys"
MAX_KEYS = 10_000  # keys per statement, leaving room for a statement's other parameters
_built: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}


def _reused(parts: tuple[Any, ...], build: Callable[[], S]) -> S:
    """The statement ``build`` makes from ``parts``, made once per identical parts. Callers
    pass long-lived parts (module-level statements, table columns); the bound keeps a caller
    that builds its parts per call from growing the memo without limit."""
    key = tuple(map(id, parts))
    hit = _built.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], parts, strict=True)):
        built: S = hit[1]
        return built
    if len(_built) >= 512:
        _built.clear()
    built = build()
    _built[key] = (parts, built)  # the parts stay alive, so their ids are not reused
    return built


def _keys() -> Any:
    return bindparam(_KEYS, expanding=True)


def key_chunks(keys: Sequence[K]) -> list[Sequence[K]]:
    """``keys`` in slices of at most ``MAX_KEYS`` (one statement each)."""
    return [keys[start : start + MAX_KEYS] for start in range(0, len(keys), MAX_KEYS)]


async def _rows_per_chunk(reader: Reader, statement: Any, keys: Sequence[Any]) -> list[Row[Any]]:
    rows: list[Row[Any]] = []
    for chunk in key_chunks(keys):
        rows.extend(await reader.rows(statement, {_KEYS: list(chunk)}))
    return rows


async def rows_by_ids(reader: Reader, table: Table, ids: Sequence[int]) -> dict[int, Row[Any]]:
    return await rows_by_column(reader, table, "id", ids)


async def rows_by_column(
    reader: Reader, table: Table, column: str, values: Sequence[Any]
) -> dict[Any, Row[Any]]:
    key = table.c[column]
    statement = _reused((table, key), lambda: select(table).where(key.in_(_keys())))
    rows = await _rows_per_chunk(reader, statement, values)
    return {getattr(row, column): row for row in rows}


async def children(
    reader: Reader,
    statement: Select[Any],
    parent: ColumnElement[Any],
    parent_ids: Sequence[int],
    order: Sequence[ColumnElement[Any]],
) -> list[list[Row[Any]]]:
    """All children of each parent, in ``order``; one list per parent id."""
    built = _reused(
        (statement, parent, *order),
        lambda: (
            statement.add_columns(parent.label("sg_parent"))
            .where(parent.in_(_keys()))
            .order_by(parent, *order)
        ),
    )
    rows = await _rows_per_chunk(reader, built, parent_ids)
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
    rows: list[Row[Any]] = []
    for chunk in key_chunks(parent_ids):
        rows.extend(
            await reader.rows(per_parent_page_select(statement, parent, chunk, ordering, page))
        )
    return group_pages(rows, parent_ids, page)


async def child_counts(
    reader: Reader, statement: Select[Any], parent: ColumnElement[Any], parent_ids: Sequence[int]
) -> list[int]:
    counted = _reused(
        (statement, parent, "count"),
        lambda: (
            statement.with_only_columns(parent.label("sg_parent"), func.count().label("n"))
            .where(parent.in_(_keys()))
            .group_by(parent)
            .order_by(None)
        ),
    )
    rows = await _rows_per_chunk(reader, counted, parent_ids)
    counts: Mapping[int, int] = {row.sg_parent: row.n for row in rows}
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
