"""Batched lookups reuse one statement per shape, whatever the keys (including none)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core.queries import catalog, fetch
from service.core.queries.reader import Reader
from tests.conftest import bound_sessions


async def test_lookups_by_key_lists_of_any_length(seeded_db: AsyncConnection) -> None:
    task = catalog.task
    ids = list((await seeded_db.execute(select(task.c.id).order_by(task.c.id).limit(5))).scalars())
    reader = Reader(bound_sessions(seeded_db))
    try:
        for keys in (ids[:1], ids, [], [ids[0], -1]):
            found = await fetch.rows_by_ids(reader, task, keys)
            assert sorted(found) == sorted(k for k in keys if k > 0)
        milestones = catalog.milestone
        statement = select(milestones)
        order = (milestones.c.position, milestones.c.id)
        one = await fetch.children(reader, statement, milestones.c.task_id, ids[:2], order)
        both = await fetch.children(reader, statement, milestones.c.task_id, ids, order)
        assert both[:2] == one
        assert await fetch.children(reader, statement, milestones.c.task_id, [], order) == []
        counts = await fetch.child_counts(reader, statement, milestones.c.task_id, ids)
        assert counts == [len(rows) for rows in both]
    finally:
        await reader.close()


async def test_the_same_shape_is_built_once() -> None:
    table = catalog.law
    built = [fetch._reused((table, table.c.id), lambda: select(table)) for _ in range(3)]
    assert built[0] is built[1] is built[2]


async def test_key_lists_beyond_the_drivers_parameter_limit(seeded_db: AsyncConnection) -> None:
    """40,000 keys (asyncpg refuses more than 32,767 parameters in one statement)."""
    task = catalog.task
    ids = list((await seeded_db.execute(select(task.c.id).order_by(task.c.id).limit(3))).scalars())
    keys = [*ids, *range(10_000_000, 10_040_000)]
    reader = Reader(bound_sessions(seeded_db))
    try:
        found = await fetch.rows_by_ids(reader, task, keys)
        assert sorted(found) == ids
        milestones = catalog.milestone
        statement = select(milestones)
        order = (milestones.c.position, milestones.c.id)
        many = await fetch.children(reader, statement, milestones.c.task_id, keys, order)
        few = await fetch.children(reader, statement, milestones.c.task_id, ids, order)
        assert many[:3] == few
        assert not any(many[3:])
        counts = await fetch.child_counts(reader, statement, milestones.c.task_id, keys)
        assert counts[:3] == [len(rows) for rows in few]
        assert not any(counts[3:])
    finally:
        await reader.close()
