"""Loading the curated dataset: idempotent, minimal writes, and the database equals the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import seed
from service.core.models import Citation, Milestone, Plan, Region, Strategy, Target, Task
from tests.seed.support import dump, edit

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
    differing = {name for name in before if before[name] != after[name]}
    assert differing == {"milestone", "search_text"}  # the search index follows the title

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


async def test_reordered_strategies_and_reparented_regions(
    scratch_engine: AsyncEngine, data_copy: Path
) -> None:
    """Swapping positions under UNIQUE (plan, position) and moving a region to a new parent."""
    await seed.load_curated(scratch_engine, data_copy)
    path = data_copy / MSIT
    text = path.read_text(encoding="utf-8")
    second = text.index("    - code: MSIT23-2\n")
    third = text.index("    - code: MSIT23-3\n")
    path.write_text(text[:second] + text[third:] + text[second:third], encoding="utf-8")
    edit(
        data_copy / "vocabulary.yaml",
        "    name: Gangneung\n    kind: city\n    parent: gangwon-province\n",
        "    name: Gangneung\n    kind: city\n    parent: korea\n",
    )

    report = await seed.load_curated(scratch_engine, data_copy)

    assert report.tables["strategy"].updated == 2
    assert report.tables["region"].updated == 1
    async with scratch_engine.connect() as conn:
        order = (
            await conn.execute(
                select(Strategy.code)
                .where(Strategy.code.like("MSIT23-%"))
                .order_by(Strategy.position)
            )
        ).scalars()
        assert list(order) == ["MSIT23-1", "MSIT23-3", "MSIT23-2"]
        parent = await conn.scalar(
            select(Region.slug).where(
                Region.id
                == select(Region.parent_id).where(Region.slug == "gangneung").scalar_subquery()
            )
        )
    assert parent == "korea"
    assert not (await seed.load_curated(scratch_engine, data_copy)).changed


async def test_load_refuses_to_delete_plans_the_files_do_not_hold(
    scratch_engine: AsyncEngine,
) -> None:
    await seed.load_synthetic(scratch_engine, "small")
    before = await dump(scratch_engine)

    with pytest.raises(seed.SeedError, match=r"holds plans the curated files do not \(syn-"):
        await seed.load_curated(scratch_engine)
    assert await dump(scratch_engine) == before

    await seed.load_curated(scratch_engine, replace=True)
    async with scratch_engine.connect() as conn:
        slugs = set((await conn.execute(select(Plan.slug))).scalars())
    assert slugs == {"digital-strategy-of-korea", "msit-work-plan-2023"}
