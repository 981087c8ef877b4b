"""Milestones with the context a calendar feed shows, in keyset batches (bounded memory).

Knows nothing of iCalendar: it returns plain records (the milestone, its task, strategy and
plan, the task's technologies, the supporting quotes) and a cheap *version* of a selection —
aggregates the database computes without reading the rows out — so HTTP can answer
conditional requests without rendering anything.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import (
    Citation,
    DatePrecision,
    Document,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Plan,
    Strategy,
    Task,
    Technology,
    task_technology,
)
from .selection import Selection, milestone_condition

DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True)
class Quote:
    text: str
    document_title: str
    document_url: str | None


@dataclass(frozen=True)
class FeedMilestone:
    """One milestone; ``(task_code, position)`` is its natural key."""

    task_code: str
    position: int
    title: str
    date_text: str
    edtf: str
    start_date: date | None
    end_date: date | None
    precision: DatePrecision
    kind: MilestoneKind
    status: MilestoneStatus
    revision: int
    updated_at: datetime  # aware, UTC
    task_title: str
    strategy_code: str
    strategy_title: str
    plan_slug: str
    plan_title: str
    technologies: tuple[str, ...]  # names, sorted
    quotes: tuple[Quote, ...]  # in citation order


@dataclass(frozen=True)
class FeedVersion:
    """What a feed of a selection depends on, summarised by the database.

    Any edit of a row the feed shows moves ``last_modified`` (every row has ``updated_at``);
    deletions change a count. ``parts`` is the whole summary, for an ETag.
    """

    milestones: int
    last_modified: datetime | None
    parts: tuple[object, ...]


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def feed_batches(
    session: AsyncSession,
    selection: Selection,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    pause: Callable[[], Awaitable[None]] | None = None,
) -> AsyncIterator[list[FeedMilestone]]:
    """The selection's milestones in id order, ``batch_size`` at a time (three queries each).

    ``pause`` is awaited before each batch so a slow consumer holds the producer back.
    """
    last_id = 0
    milestone = Milestone.__table__
    condition = milestone_condition(selection)
    while True:
        if pause is not None:
            await pause()
        result = await session.execute(
            select(
                milestone,
                Task.code.label("task_code"),
                Task.title.label("task_title"),
                Strategy.code.label("strategy_code"),
                Strategy.title.label("strategy_title"),
                Plan.slug.label("plan_slug"),
                Plan.title.label("plan_title"),
            )
            .join(Task, Task.id == milestone.c.task_id)
            .join(Strategy, Strategy.id == Task.strategy_id)
            .join(Plan, Plan.id == Strategy.plan_id)
            .where(condition, milestone.c.id > last_id)
            .order_by(milestone.c.id)
            .limit(batch_size)
        )
        rows = [row._mapping for row in result]
        if not rows:
            return
        technologies = await _technologies(session, {row["task_id"] for row in rows})
        quotes = await _quotes(session, [row["id"] for row in rows])
        yield [
            FeedMilestone(
                task_code=row["task_code"],
                position=row["position"],
                title=row["title"],
                date_text=row["date_text"],
                edtf=row["edtf"],
                start_date=row["start_date"],
                end_date=row["end_date"],
                precision=DatePrecision(row["precision"]),
                kind=MilestoneKind(row["kind"]),
                status=MilestoneStatus(row["status"]),
                revision=row["revision"],
                updated_at=utc(row["updated_at"]),
                task_title=row["task_title"],
                strategy_code=row["strategy_code"],
                strategy_title=row["strategy_title"],
                plan_slug=row["plan_slug"],
                plan_title=row["plan_title"],
                technologies=technologies.get(row["task_id"], ()),
                quotes=quotes.get(row["id"], ()),
            )
            for row in rows
        ]
        if len(rows) < batch_size:
            return
        last_id = rows[-1]["id"]


async def _technologies(session: AsyncSession, task_ids: set[int]) -> dict[int, tuple[str, ...]]:
    result = await session.execute(
        select(task_technology.c.task_id, Technology.name)
        .join(Technology, Technology.id == task_technology.c.technology_id)
        .where(task_technology.c.task_id.in_(sorted(task_ids)))
        .order_by(task_technology.c.task_id, Technology.name)
    )
    names: dict[int, list[str]] = {}
    for task_id, name in result:
        names.setdefault(task_id, []).append(name)
    return {task_id: tuple(items) for task_id, items in names.items()}


async def _quotes(
    session: AsyncSession, milestone_ids: Sequence[int]
) -> dict[int, tuple[Quote, ...]]:
    result = await session.execute(
        select(Citation.milestone_id, Citation.quote, Document.title, Document.url)
        .join(Document, Document.id == Citation.document_id)
        .where(Citation.milestone_id.in_(milestone_ids))
        .order_by(Citation.milestone_id, Citation.id)
    )
    quotes: dict[int, list[Quote]] = {}
    for milestone_id, text, title, url in result:
        assert milestone_id is not None  # filtered by the IN above
        quotes.setdefault(milestone_id, []).append(Quote(text, title, url))
    return {milestone_id: tuple(items) for milestone_id, items in quotes.items()}


async def feed_version(session: AsyncSession, selection: Selection) -> FeedVersion:
    """Counts and latest modification times of everything the selection's feed shows.

    Three aggregate queries; nothing is rendered or read out row by row.
    """
    condition = milestone_condition(selection)
    rows = (
        await session.execute(
            select(
                func.count(Milestone.id),
                func.coalesce(func.sum(Milestone.revision), 0),
                func.max(Milestone.updated_at),
                func.max(Task.updated_at),
                func.max(Strategy.updated_at),
                func.max(Plan.updated_at),
            )
            .join(Task, Task.id == Milestone.task_id)
            .join(Strategy, Strategy.id == Task.strategy_id)
            .join(Plan, Plan.id == Strategy.plan_id)
            .where(condition)
        )
    ).one()
    selected = select(Milestone.id).where(condition).scalar_subquery()
    citations = (
        await session.execute(
            select(func.count(Citation.id), func.max(Citation.updated_at)).where(
                Citation.milestone_id.in_(selected)
            )
        )
    ).one()
    selected_tasks = select(Milestone.task_id).where(condition).scalar_subquery()
    # Link rows have no timestamp: their count catches tags added or removed; the small
    # vocabulary and document tables are summarised whole.
    vocabulary = (
        await session.execute(
            select(
                select(func.count())
                .select_from(task_technology)
                .where(task_technology.c.task_id.in_(selected_tasks))
                .scalar_subquery(),
                select(func.max(Technology.updated_at)).scalar_subquery(),
                select(func.max(Document.updated_at)).scalar_subquery(),
            )
        )
    ).one()
    count, revisions, *times = rows
    citation_count, citation_time = citations
    links, technology_time, document_time = vocabulary
    stamps = [utc(t) for t in (*times, citation_time, technology_time, document_time) if t]
    return FeedVersion(
        milestones=int(count),
        last_modified=max(stamps) if stamps and count else None,
        parts=(
            int(count),
            int(revisions),
            *(utc(t).isoformat() if t else None for t in times),
            int(citation_count),
            utc(citation_time).isoformat() if citation_time else None,
            int(links),
            utc(technology_time).isoformat() if technology_time else None,
            utc(document_time).isoformat() if document_time else None,
        ),
    )


async def plan_titles(session: AsyncSession, slugs: Sequence[str]) -> list[str]:
    """Titles of the named plans, in the order given (unknown slugs are left out)."""
    if not slugs:
        return []
    result = await session.execute(select(Plan.slug, Plan.title).where(Plan.slug.in_(slugs)))
    titles: dict[str, str] = {slug: title for slug, title in result}
    return [titles[slug] for slug in slugs if slug in titles]
