"""Loading the curated dataset: idempotent, minimal writes, and the database equals the files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import seed
from service.models import Citation, Milestone, Target, Task

from .support import dump, edit

MSIT = "msit-work-plan-2023.yaml"


async def test_loading_twice_changes_nothing(seeded_engine: AsyncEngine) -> None:
    before = await dump(seeded_engine)
    report = await seed.load_curated(seeded_engine)
    assert not report.changed, str(report)
    assert await dump(seeded_engine) == before


async def test_report_prints_counts(seeded_engine: AsyncEngine) -> None:
    text = str(await seed.load_curated(seeded_engine))
    assert "plan 2" in text
    assert "strategy 8" in text
    assert "inserted 0, updated 0, deleted 0" in text


async def _milestone(engine: AsyncEngine, code: str) -> Milestone:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(Milestone).join(Task, Task.id == Milestone.task_id).where(Task.code == code)
            )
        ).one()
    return Milestone(**row._mapping)


async def test_changed_milestone_bumps_revision_and_nothing_else(
    scratch_engine: AsyncEngine, data_copy: Path
) -> None:
    await seed.load_curated(scratch_engine, data_copy)
    before = await dump(scratch_engine)
    original = await _milestone(scratch_engine, "MSIT23-2-3-2")

    edit(
        data_copy / MSIT,
        "title: “Universal Voucher” pilot program introduced",
        "title: Universal Voucher pilot introduced",
    )
    report = await seed.load_curated(scratch_engine, data_copy)

    assert report.tables["milestone"].updated == 1
    changed = await _milestone(scratch_engine, "MSIT23-2-3-2")
    assert changed.id == original.id
    assert changed.revision == original.revision + 1
    assert changed.updated_at > original.updated_at
    after = await dump(scratch_engine)
    differing = [name for name in before if before[name] != after[name]]
    assert differing == ["milestone"]

    await seed.load_curated(scratch_engine, data_copy)
    assert (await _milestone(scratch_engine, "MSIT23-2-3-2")).revision == changed.revision


async def test_removed_records_are_removed(scratch_engine: AsyncEngine, data_copy: Path) -> None:
    await seed.load_curated(scratch_engine, data_copy)
    # Drop the (6G) sub-task with its milestone and citations.
    path = data_copy / MSIT
    text = path.read_text(encoding="utf-8")
    start = text.index("            - code: MSIT23-1-3-2")
    end = text.index("            - code: MSIT23-1-3-3")
    path.write_text(text[:start] + text[end:].replace("MSIT23-1-3-3", "MSIT23-1-3-2"), "utf-8")

    report = await seed.load_curated(scratch_engine, data_copy)

    # The third sub-task moved up to the second code: one task row updated, one deleted.
    assert (report.tables["task"].updated, report.tables["task"].deleted) == (1, 1)
    async with scratch_engine.connect() as conn:
        titles = (
            await conn.execute(select(Task.title).where(Task.code.like("MSIT23-1-3-%")))
        ).scalars()
        assert [t.split()[0] for t in titles] == ["Legislate", "Support"]
        quotes = (await conn.execute(select(Citation.quote))).scalars().all()
        assert "(first half of 2023)" not in quotes
        milestones = await conn.scalar(select(func.count()).select_from(Milestone))
    assert report.tables["milestone"].deleted == 1
    assert milestones == report.tables["milestone"].rows


async def test_database_equals_files_after_any_sequence(
    scratch_engine: AsyncEngine, data_copy: Path
) -> None:
    """Loading edited files over the original gives the same content as loading them fresh."""
    await seed.load_curated(scratch_engine, data_copy)
    edit(data_copy / MSIT, "              laws: [network-act]\n", "")
    edit(
        data_copy / "digital-strategy-of-korea.yaml", "amount: 301800000000", "amount: 301800000001"
    )
    report = await seed.load_curated(scratch_engine, data_copy)
    assert report.tables["task_law"].deleted == 1
    assert report.tables["budget"].updated == 1
    async with scratch_engine.connect() as conn:
        targets = await conn.scalar(select(func.count()).select_from(Target))
    assert targets == report.tables["target"].rows
    again = await seed.load_curated(scratch_engine, data_copy)
    assert not again.changed
