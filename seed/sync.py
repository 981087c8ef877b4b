"""Make one table's rows equal a desired set, keyed by natural keys, touching only differences.

Rows whose content is unchanged are not written, so ``updated_at`` (and a milestone's
``revision``) move only when something really changed, and loading twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

Key = tuple[Any, ...]
# Far above any real position: a temporary home while positions are swapped under a
# UNIQUE (parent, position) constraint.
_POSITION_SHIFT = 1_000_000


@dataclass
class TableChanges:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0


@dataclass
class SyncResult:
    ids: dict[Key, int] = field(default_factory=dict)
    changes: TableChanges = field(default_factory=TableChanges)
    stale_ids: list[int] = field(default_factory=list)


def _key(row: Any, key_columns: Sequence[str]) -> Key:
    return tuple(row[name] for name in key_columns)


async def _existing(
    conn: AsyncConnection, table: Table, key_columns: Sequence[str], columns: Sequence[str]
) -> dict[Key, Any]:
    result = await conn.execute(select(*(table.c[name] for name in ("id", *columns))))
    return {_key(row._mapping, key_columns): row._mapping for row in result}


async def sync_table(
    conn: AsyncConnection,
    table: Table,
    key_columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    *,
    delete_stale: bool = True,
    revision_column: str | None = None,
    unique_position: bool = False,
) -> SyncResult:
    """Upsert ``rows`` (dicts of column values) by ``key_columns``; rows in the table but not
    in ``rows`` are deleted now, or returned as ``stale_ids`` when ``delete_stale`` is false
    (for parents that children still reference until their own sync)."""
    columns = list(rows[0]) if rows else list(key_columns)
    if revision_column:
        columns.append(revision_column)
    outcome = SyncResult()
    outcome.changes.rows = len(rows)
    wanted = {_key(row, key_columns) for row in rows}
    existing = await _existing(conn, table, key_columns, columns)
    stale = [row["id"] for key, row in existing.items() if key not in wanted]
    if stale and delete_stale:
        await conn.execute(delete(table).where(table.c.id.in_(stale)))
        outcome.changes.deleted = len(stale)
        # Cascades may have removed more rows: read again.
        existing = await _existing(conn, table, key_columns, columns)
    elif stale:
        outcome.stale_ids = stale

    changed: list[tuple[int, dict[str, Any]]] = []
    new_rows: list[dict[str, Any]] = []
    for row in rows:
        current = existing.get(_key(row, key_columns))
        if current is None:
            new_rows.append(row)
            continue
        outcome.ids[_key(row, key_columns)] = current["id"]
        if any(current[name] != value for name, value in row.items()):
            values = dict(row)
            if revision_column:
                values[revision_column] = current[revision_column] + 1
            changed.append((current["id"], values))

    if unique_position and changed:
        for row_id, _ in changed:
            await conn.execute(
                update(table)
                .where(table.c.id == row_id)
                .values(position=table.c.position + _POSITION_SHIFT)
            )
    for row_id, values in changed:
        await conn.execute(update(table).where(table.c.id == row_id).values(**values))
    outcome.changes.updated = len(changed)

    if new_rows:
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        result = await conn.execute(statement, new_rows)
        for row, new_id in zip(new_rows, result.scalars(), strict=True):
            outcome.ids[_key(row, key_columns)] = new_id
        outcome.changes.inserted = len(new_rows)
    return outcome


async def delete_ids(conn: AsyncConnection, table: Table, ids: Sequence[int]) -> int:
    if ids:
        await conn.execute(delete(table).where(table.c.id.in_(ids)))
    return len(ids)


async def sync_links(
    conn: AsyncConnection, table: Table, columns: tuple[str, str], pairs: set[tuple[int, int]]
) -> TableChanges:
    """Make an association table hold exactly ``pairs``."""
    left, right = (table.c[name] for name in columns)
    existing = {(row[0], row[1]) for row in await conn.execute(select(left, right))}
    stale, new = existing - pairs, pairs - existing
    for a, b in stale:
        await conn.execute(delete(table).where(left == a, right == b))
    if new:
        await conn.execute(insert(table), [{columns[0]: a, columns[1]: b} for a, b in sorted(new)])
    return TableChanges(rows=len(pairs), inserted=len(new), deleted=len(stale))
