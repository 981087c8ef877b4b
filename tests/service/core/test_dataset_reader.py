"""The dataset reader: keyset batches of any size give the same records, and on PostgreSQL
an export reads from one REPEATABLE READ snapshot."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from migrations import runner as migrate
from service.core.database import create_session_factory, engine_for_url
from service.core.dataset_filter import DatasetFilter
from service.core.dataset_reader import ENTITIES, DatasetReader
from service.core.models import Technology
from tests.exporters.sample import add_sample
from tests.support.databases import temporary_database
from tests.support.sql import count_statements


async def test_batch_size_does_not_change_the_records(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        await add_sample(session)
    results = []
    for batch_size in (1, 2, 1000):
        async with sessions() as session:
            reader = DatasetReader(session, batch_size=batch_size)
            results.append(
                {
                    spec.name: [r async for r in reader.records(spec.name, DatasetFilter())]
                    for spec in ENTITIES
                }
            )
    assert results[0] == results[1] == results[2]
    assert len(results[0]["milestones"]) == 3


async def test_queries_per_batch_do_not_grow_with_rows(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        await add_sample(session)
        reader = DatasetReader(session, batch_size=1000)
        with count_statements(engine) as log:
            tasks = [r async for r in reader.records("tasks", DatasetFilter())]
    assert len(tasks) == 3
    # one page query + strategy + parent + 4 links + citations
    assert len(log.queries()) == 8


async def test_an_export_reads_one_snapshot(backend: str, tmp_path: Path) -> None:
    """Rows another connection commits mid-export are not seen by that export."""
    async with temporary_database(backend, tmp_path, "snapshot") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            async with create_session_factory(engine)() as session:
                reader = DatasetReader(session)
                before = await reader.counts(DatasetFilter())
                async with engine.begin() as writer:
                    await writer.execute(insert(Technology).values(slug="quantum", name="Quantum"))
                assert await reader.counts(DatasetFilter()) == before
            async with create_session_factory(engine)() as session:
                after = await DatasetReader(session).counts(DatasetFilter())
            assert after["technologies"] == before["technologies"] + 1
        finally:
            await engine.dispose()


async def test_postgres_exports_are_read_only_repeatable_reads(
    engine: AsyncEngine, backend: str
) -> None:
    async with create_session_factory(engine)() as session:
        reader = DatasetReader(session)
        await reader.counts(DatasetFilter())
        if backend == "sqlite":
            # A WAL read transaction is a snapshot by itself (the test above); nothing to set.
            assert session.in_transaction()
            return
        level = (await session.execute(text("SHOW transaction_isolation"))).scalar_one()
        read_only = (await session.execute(text("SHOW transaction_read_only"))).scalar_one()
    assert (level, read_only) == ("repeatable read", "on")


async def test_milestones_by_year_count_the_year_each_span_ends_or_starts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The registry's computed span year (end, else start) groups the summary's counts."""
    async with sessions() as session:
        await add_sample(session)
    async with sessions() as session:
        reader = DatasetReader(session)
        milestones = [r async for r in reader.records("milestones", DatasetFilter())]
        counts = await reader.milestone_counts_by_year(DatasetFilter())
    expected: dict[int, int] = {}
    for milestone in milestones:
        year = (milestone["end_date"] or milestone["start_date"]).year
        expected[year] = expected.get(year, 0) + 1
    assert counts == sorted(expected.items())
    assert all(isinstance(year, int) for year, _ in counts)
