"""What the dataset holds, in a few aggregate queries (for the page at ``/``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.core.models import (
    Budget,
    Citation,
    Document,
    Entity,
    Law,
    Milestone,
    Plan,
    Strategy,
    Target,
    Task,
    Technology,
)
from service.core.timestamps import as_utc

# Entities a person asks "how many?" about, in the order the page lists them.
COUNTED: tuple[tuple[str, type[Entity]], ...] = (
    ("plans", Plan),
    ("strategies", Strategy),
    ("tasks", Task),
    ("milestones", Milestone),
    ("budgets", Budget),
    ("laws", Law),
    ("targets", Target),
    ("sources", Document),
)
# Choice lists longer than this become free text with suggestions.
CHOICE_LIMIT = 500


@dataclass(frozen=True)
class PlanSummary:
    slug: str
    title: str
    announced_on: date | None
    strategies: int
    milestones_from: date | None
    milestones_to: date | None
    document_title: str
    document_url: str | None


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    last_update: datetime | None
    plans: list[PlanSummary]
    strategies: list[tuple[str, str]]  # (code, title), at most CHOICE_LIMIT
    technologies: list[tuple[str, str]]  # (slug, name), at most CHOICE_LIMIT


async def dataset_overview(session: AsyncSession) -> Overview:
    totals = (
        await session.execute(
            select(
                *(select(func.count()).select_from(m).scalar_subquery() for _, m in COUNTED),
                *(
                    select(func.max(m.updated_at)).scalar_subquery()
                    for m in {m for _, m in COUNTED} | {Citation, Technology}
                ),
            )
        )
    ).one()
    counts = {name: int(n) for (name, _), n in zip(COUNTED, totals, strict=False)}
    stamps = [as_utc(t) for t in totals[len(COUNTED) :] if t is not None]
    return Overview(
        counts=counts,
        last_update=max(stamps) if stamps else None,
        plans=await _plans(session),
        strategies=[
            (code, title)
            for code, title in await session.execute(
                select(Strategy.code, Strategy.title).order_by(Strategy.id).limit(CHOICE_LIMIT)
            )
        ],
        technologies=[
            (slug, name)
            for slug, name in await session.execute(
                select(Technology.slug, Technology.name)
                .order_by(Technology.name)
                .limit(CHOICE_LIMIT)
            )
        ],
    )


async def _plans(session: AsyncSession) -> list[PlanSummary]:
    strategies = (
        select(func.count(Strategy.id))
        .where(Strategy.plan_id == Plan.id)
        .correlate(Plan)
        .scalar_subquery()
    )
    spans = (
        select(
            Strategy.plan_id.label("plan_id"),
            func.min(func.coalesce(Milestone.start_date, Milestone.end_date)).label("first"),
            func.max(func.coalesce(Milestone.end_date, Milestone.start_date)).label("last"),
        )
        .join(Task, Task.id == Milestone.task_id)
        .join(Strategy, Strategy.id == Task.strategy_id)
        .group_by(Strategy.plan_id)
        .subquery()
    )
    result = await session.execute(
        select(
            Plan.slug,
            Plan.title,
            Plan.announced_on,
            strategies,
            spans.c.first,
            spans.c.last,
            Document.title,
            Document.url,
        )
        .join(Document, Document.id == Plan.document_id)
        .outerjoin(spans, spans.c.plan_id == Plan.id)
        .order_by(Plan.announced_on, Plan.slug)
        .limit(CHOICE_LIMIT)
    )
    return [PlanSummary(*row) for row in result]
