"""The database keeps the data version: every write to every data table bumps it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Table, delete, event, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import Pool

from migrations import runner as migrate
from service.core.data_version import VersionProbe, one_bump_for_bulk_load, read_data_version
from service.core.database import engine_for_url
from service.core.models import Base, DataVersion, Technology
from tests.support.databases import temporary_database

DATA_TABLES = [t for t in Base.metadata.sorted_tables if t.name != DataVersion.__tablename__]


async def _version(db: AsyncConnection) -> int:
    stamp = await read_data_version(db)
    assert stamp is not None
    return stamp.version


async def test_every_data_table_has_a_trigger_for_each_write(db: AsyncConnection) -> None:
    if db.dialect.name == "postgresql":
        rows = await db.execute(
            text(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'data_version_bump' "
                # statement-level (bit 0 clear), firing on insert (4), delete (8), update (16)
                "AND t.tgtype & 1 = 0 AND t.tgtype & 28 = 28"
            )
        )
        covered = {name for (name,) in rows}
    else:
        rows = await db.execute(
            text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        )
        events: dict[str, set[str]] = {}
        for table, sql in rows:
            for event in ("INSERT", "UPDATE", "DELETE"):
                if f"AFTER {event} " in sql and "data_version" in sql:
                    events.setdefault(table, set()).add(event)
        covered = {t for t, e in events.items() if e == {"INSERT", "UPDATE", "DELETE"}}
    missing = sorted({t.name for t in DATA_TABLES} - covered)
    assert missing == [], f"data tables without data-version triggers: {missing}"


async def test_an_update_of_every_data_table_bumps_the_version(seeded_db: AsyncConnection) -> None:
    for table in DATA_TABLES:
        key = next(iter(table.primary_key.columns))
        assert (await seeded_db.scalar(select(func.count()).select_from(table))) > 0, table.name
        before = await _version(seeded_db)
        first = select(func.min(key)).scalar_subquery()
        await seeded_db.execute(table.update().where(key == first).values({key.name: key}))
        assert await _version(seeded_db) > before, f"an update of {table.name} left the version"


async def test_insert_and_delete_bump_the_version(db: AsyncConnection) -> None:
    technology: Table = Technology.__table__  # type: ignore[assignment]
    start = await _version(db)
    await db.execute(insert(technology).values(id=1, slug="ai", name="AI"))
    inserted = await _version(db)
    await db.execute(delete(technology).where(technology.c.id == 1))
    deleted = await _version(db)
    assert start < inserted < deleted


async def test_the_version_reads_alike_through_session_connection_and_probes(
    engine: AsyncEngine, db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    expected = await _version(db)
    async with sessions() as session:
        stamp = await read_data_version(session)
    assert stamp is not None
    assert stamp.version == expected
    assert stamp.changed_at.utcoffset() == timedelta(0)
    assert await VersionProbe.for_bind(db).read() == expected
    # Through the engine: the committed version (this test wrote nothing).
    probe = VersionProbe.for_bind(engine)
    try:
        assert await probe.read() == expected
    finally:
        await probe.close()


async def test_the_version_starts_high_so_recreated_databases_do_not_reuse_it(
    db: AsyncConnection,
) -> None:
    assert await _version(db) > 1_700_000_000 * 1_000_000  # microseconds since 1970


async def test_a_probe_that_cannot_read_answers_none(db: AsyncConnection) -> None:
    await db.execute(text("DELETE FROM data_version"))
    assert await VersionProbe.for_bind(db).read() is None
    assert await read_data_version(db) is None


class _SlowProbe(VersionProbe):
    """Counts reads; each takes a moment and returns how many reads had started."""

    def __init__(self, db: AsyncConnection) -> None:
        super().__init__(db)
        self.started: list[float] = []

    async def _read_once(self) -> int | None:
        self.started.append(asyncio.get_running_loop().time())
        await asyncio.sleep(0.01)
        return len(self.started)


async def test_concurrent_reads_share_only_a_read_started_after_they_arrived(
    db: AsyncConnection,
) -> None:
    probe = _SlowProbe(db)
    first = asyncio.ensure_future(probe.read())
    await asyncio.sleep(0)  # the first read is in flight
    arrived = asyncio.get_running_loop().time()
    later = [asyncio.ensure_future(probe.read()) for _ in range(4)]
    assert await first == 1
    assert await asyncio.gather(*later) == [2, 2, 2, 2]  # one more read, shared
    assert probe.started[1] >= arrived
    assert await probe.read() == 3  # alone again: a read of its own


async def test_a_cancelled_reader_does_not_strand_the_others(db: AsyncConnection) -> None:
    probe = _SlowProbe(db)
    first = asyncio.ensure_future(probe.read())
    await asyncio.sleep(0)
    leader = asyncio.ensure_future(probe.read())
    follower = asyncio.ensure_future(probe.read())
    await asyncio.sleep(0)
    leader.cancel()
    assert await first == 1
    assert await follower is None  # answered uncached, not left waiting


async def _trigger_sql(db: AsyncConnection) -> list[str]:
    if db.dialect.name == "postgresql":
        query = "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'data_version_bump'"
    else:
        query = "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
    return sorted((await db.execute(text(query))).scalars())


async def test_a_bulk_load_bumps_the_version_and_keeps_every_trigger(db: AsyncConnection) -> None:
    technology: Table = Technology.__table__  # type: ignore[assignment]
    triggers, start = await _trigger_sql(db), await _version(db)
    async with one_bump_for_bulk_load(db):
        for n in range(1, 51):
            await db.execute(insert(technology).values(id=n, slug=f"t{n}", name="T"))
    assert await _trigger_sql(db) == triggers
    bumped = await _version(db)
    assert bumped > start
    if db.dialect.name == "sqlite":
        assert bumped == start + 1  # one bump for 50 rows, not 50
    await db.execute(delete(technology).where(technology.c.id == 1))
    assert await _version(db) > bumped  # the triggers work again


async def test_a_failed_bulk_load_rolls_the_triggers_back_in(db: AsyncConnection) -> None:
    triggers = await _trigger_sql(db)
    savepoint = await db.begin_nested()
    try:
        async with one_bump_for_bulk_load(db):
            raise RuntimeError("load failed")
    except RuntimeError:
        await savepoint.rollback()
    assert await _trigger_sql(db) == triggers


async def test_an_sqlite_probe_reads_without_a_pooled_connection(tmp_path: Path) -> None:
    """Read on every cached request: on SQLite it runs on the loop's thread
    (service.core.sqlite_inline), and still sees each committed bump at once."""
    async with temporary_database("sqlite", tmp_path, "probe") as url:
        engine = engine_for_url(url)
        await migrate.upgrade(engine)
        probe = VersionProbe.for_bind(engine)
        checkouts: list[object] = []

        def checked_out(*args: object) -> None:
            checkouts.append(args[0])

        event.listen(Pool, "checkout", checked_out)
        try:
            before = await probe.read()
            async with engine.begin() as connection:
                await connection.execute(insert(Technology).values(id=1, slug="ai", name="AI"))
            writes = len(checkouts)
            after = await probe.read()
            assert before is not None
            assert after is not None
            assert after > before
            assert len(checkouts) == writes  # the second read took no pooled connection
        finally:
            event.remove(Pool, "checkout", checked_out)
            await probe.close()
            await engine.dispose()
