"""Spot checks: the loaded database says what the two documents say."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core.models import (
    CITABLE_TABLES,
    Base,
    Budget,
    Citation,
    Document,
    Law,
    LawAlias,
    Milestone,
    Plan,
    Strategy,
    Target,
    Task,
    task_law,
)
from tests.seed.test_provenance import SEEDS


async def _milestones(db: AsyncConnection, code: str) -> list[Milestone]:
    rows = await db.execute(
        select(Milestone)
        .join(Task, Task.id == Milestone.task_id)
        .where(Task.code == code)
        .order_by(Milestone.position)
    )
    return [Milestone(**row._mapping) for row in rows]


async def test_plans_strategies_and_top_level_tasks(seeded_db: AsyncConnection) -> None:
    counts = dict(
        (
            await seeded_db.execute(
                select(Plan.slug, func.count(Strategy.id))
                .join(Strategy, Strategy.plan_id == Plan.id)
                .group_by(Plan.slug)
            )
        ).all()
    )
    assert counts == {"digital-strategy-of-korea": 5, "msit-work-plan-2023": 3}
    msit_core = (
        await seeded_db.execute(
            select(Task.label)
            .join(Strategy, Strategy.id == Task.strategy_id)
            .where(Task.parent_id.is_(None), Strategy.code.like("MSIT23-%"))
            .order_by(Strategy.position, Task.position)
        )
    ).scalars()
    assert list(msit_core) == list("①②③④⑤⑥⑦⑧")
    headline = await seeded_db.scalar(
        select(func.count())
        .select_from(Task)
        .join(Strategy, Strategy.id == Task.strategy_id)
        .where(Task.parent_id.is_(None), Strategy.code.like("DSK-%"))
    )
    assert headline == 18  # the text says 19; see seed/README.md


async def test_ai_budget_is_exact_won_over_2022_2026(seeded_db: AsyncConnection) -> None:
    rows = (
        await seeded_db.execute(
            select(Budget.amount, Budget.kind, Budget.start_year, Budget.end_year)
            .join(Task, Task.id == Budget.task_id)
            .where(Task.code.in_(["DSK-I-2-1-1", "DSK-I-2-1-2"]))
            .order_by(Task.code)
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        (301_800_000_000, "total", 2022, 2026),
        (1_020_000_000_000, "total", 2022, 2026),
    ]


async def test_fund_change_keeps_both_annual_points(seeded_db: AsyncConnection) -> None:
    rows = (
        await seeded_db.execute(
            select(Budget.amount, Budget.kind, Budget.start_year)
            .join(Task, Task.id == Budget.task_id)
            .where(Task.code == "DSK-I-5-1")
            .order_by(Budget.position)
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        (100_000_000_000, "annual", 2022),
        (300_000_000_000, "annual", 2027),
    ]


async def test_one_law_with_both_names_linked_to_both_plans(seeded_db: AsyncConnection) -> None:
    expected = {
        "ai-framework-act": {"Framework Act on AI", "Artificial Intelligence Framework Act"},
        "metaverse-special-act": {"Special Act on Metaverse", "Metaverse Special Act"},
        "digital-inclusion-act": {"Act on Digital Inclusiveness", "Digital Inclusion Act"},
        "digital-society-framework-act": {
            "Framework Act on Digital Society",
            "Digital Society Framework Act (tentative)",
        },
    }
    for slug, aliases in expected.items():
        names = (
            await seeded_db.execute(
                select(LawAlias.alias).join(Law, Law.id == LawAlias.law_id).where(Law.slug == slug)
            )
        ).scalars()
        assert set(names) == aliases
        plans = (
            await seeded_db.execute(
                select(Plan.slug)
                .distinct()
                .join(Strategy, Strategy.plan_id == Plan.id)
                .join(Task, Task.strategy_id == Strategy.id)
                .join(task_law, task_law.c.task_id == Task.id)
                .join(Law, Law.id == task_law.c.law_id)
                .where(Law.slug == slug)
            )
        ).scalars()
        assert set(plans) == {"digital-strategy-of-korea", "msit-work-plan-2023"}, slug


async def test_data_framework_act_enacted_october_2021(seeded_db: AsyncConnection) -> None:
    law = (await seeded_db.execute(select(Law).where(Law.slug == "data-framework-act"))).one()
    assert (law.status, law.enacted_text, law.enacted_edtf, law.enacted_precision) == (
        "enacted",
        "October 2021",
        "2021-10",
        "month",
    )
    assert (law.enacted_start, law.enacted_end) == (date(2021, 10, 1), date(2021, 10, 31))


async def test_every_law_is_an_act_bill_or_legislation(seeded_db: AsyncConnection) -> None:
    """Norms and principles (an AI ethics framework, self-regulation) are not laws."""
    titles = (await seeded_db.execute(select(Law.title))).scalars().all()
    assert titles
    words = ("act", "bill", "law", "legislat")
    assert [t for t in titles if not any(w in t.lower() for w in words)] == []


async def test_until_2023_is_an_open_start_deadline(seeded_db: AsyncConnection) -> None:
    [milestone] = await _milestones(seeded_db, "DSK-III-2-1")
    assert milestone.date_text == "(~2023)"
    assert (milestone.edtf, milestone.start_date, milestone.end_date) == (
        "../2023",
        None,
        date(2023, 12, 31),
    )
    assert milestone.kind == "deadline"


async def test_first_half_of_2023(seeded_db: AsyncConnection) -> None:
    [milestone] = await _milestones(seeded_db, "MSIT23-1-3-2")
    assert (milestone.edtf, milestone.start_date, milestone.end_date, milestone.precision) == (
        "2023-40",
        date(2023, 1, 1),
        date(2023, 6, 30),
        "half",
    )


async def test_open_ended_start_with_odd_tilde(seeded_db: AsyncConnection) -> None:
    [milestone] = await _milestones(seeded_db, "DSK-I-2-1-4")
    assert milestone.date_text == "(2023∽)"
    assert (milestone.edtf, milestone.start_date, milestone.end_date, milestone.kind) == (
        "2023/..",
        date(2023, 1, 1),
        None,
        "start",
    )


async def test_events_have_exact_dates(seeded_db: AsyncConnection) -> None:
    [forum] = await _milestones(seeded_db, "DSK-V-4-2")
    assert (forum.start_date, forum.kind, forum.status) == (date(2022, 9, 21), "event", "completed")
    [g20] = await _milestones(seeded_db, "DSK-V-4-1")
    assert (g20.edtf, g20.precision, g20.end_date) == ("2023-11", "month", date(2023, 11, 30))
    announced = dict((await seeded_db.execute(select(Plan.slug, Plan.announced_on))).all())
    assert announced == {
        "digital-strategy-of-korea": date(2022, 9, 28),
        "msit-work-plan-2023": date(2022, 12, 28),
    }


async def test_target_with_baseline(seeded_db: AsyncConnection) -> None:
    rows = (
        await seeded_db.execute(
            select(Target.value, Target.comparator, Target.baseline_value)
            .join(Task, Task.id == Target.task_id)
            .where(Task.code == "DSK-III-2-2-1")
            .order_by(Target.position)
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        (Decimal(6_000_000), "more_than", Decimal(2_000_000)),
        (Decimal(20), "more_than", Decimal(11)),
    ]


async def test_every_stored_record_is_cited_verbatim(seeded_db: AsyncConnection) -> None:
    for table_name in CITABLE_TABLES:
        table = Base.metadata.tables[table_name]
        column = Citation.__table__.c[f"{table_name}_id"]
        uncited = await seeded_db.scalar(
            select(func.count())
            .select_from(table)
            .where(~table.c.id.in_(select(column).where(column.is_not(None))))
        )
        assert uncited == 0, table_name
    if SEEDS is None:
        return
    texts = {
        row.id: (SEEDS / row.source_file).read_text(encoding="utf-8")
        for row in await seeded_db.execute(select(Document.id, Document.source_file))
    }
    for document_id, quote in await seeded_db.execute(select(Citation.document_id, Citation.quote)):
        assert quote in texts[document_id]
