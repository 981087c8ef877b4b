"""Milestones with the context a calendar feed shows, in keyset batches (bounded memory).

Knows nothing of iCalendar: it returns plain records (the milestone, its task, strategy and
plan, the task's technologies, the supporting quotes) and a cheap *version* of the data —
one query of aggregates the database computes without reading rows out — so HTTP can
answer conditional requests without rendering anything.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Executable, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.core.data_version import read_data_version
from service.core.dataset_filter import DatasetFilter, milestone_condition
from service.core.models import (
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
from service.core.timestamps import as_utc

DEFAULT_BATCH_SIZE = 1000

# Runs one statement: ``AsyncSession.execute``, or a reader's, which keeps to one snapshot.
Execute = Callable[[Executable], Awaitable[Any]]


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
    """The data's version: ``parts`` go into the ETag, ``last_modified`` is the last write.

    ``dates_validate``: whether a whole-second date identifies this version, i.e. the
    change before it was in an earlier second (RFC 9110 §8.8.2.2: a date validates only if
    the representation did not change twice within its second)."""

    last_modified: datetime | None
    parts: tuple[object, ...]
    dates_validate: bool = False


_MILESTONE = Milestone.__table__
_TASK = Task.__table__
_STRATEGY = Strategy.__table__
_PLAN = Plan.__table__
_TECHNOLOGY = Technology.__table__
_CITATION = Citation.__table__
_DOCUMENT = Document.__table__
# Core columns (not ORM attributes): rows come back as plain tuples, without ORM loading.
_FEED_COLUMNS = (
    _MILESTONE.c.id,
    _MILESTONE.c.task_id,
    _TASK.c.code,
    _MILESTONE.c.position,
    _MILESTONE.c.title,
    _MILESTONE.c.date_text,
    _MILESTONE.c.edtf,
    _MILESTONE.c.start_date,
    _MILESTONE.c.end_date,
    _MILESTONE.c.precision,
    _MILESTONE.c.kind,
    _MILESTONE.c.status,
    _MILESTONE.c.revision,
    _MILESTONE.c.updated_at,
    _TASK.c.title,
    _STRATEGY.c.code,
    _STRATEGY.c.title,
    _PLAN.c.slug,
    _PLAN.c.title,
)


async def feed_batches(
    execute: Execute,
    dataset_filter: DatasetFilter,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    pause: Callable[[], Awaitable[None]] | None = None,
) -> AsyncIterator[list[FeedMilestone]]:
    """The filtered milestones in id order, ``batch_size`` at a time (three queries each).

    Every query goes through ``execute`` (an export's reads go through its reader's snapshot).
    ``pause`` is awaited before each batch so a slow consumer holds the producer back.
    """
    last_id = 0
    condition = milestone_condition(dataset_filter)
    query = (
        select(*_FEED_COLUMNS)
        .join(_TASK, _TASK.c.id == _MILESTONE.c.task_id)
        .join(_STRATEGY, _STRATEGY.c.id == _TASK.c.strategy_id)
        .join(_PLAN, _PLAN.c.id == _STRATEGY.c.plan_id)
        .order_by(_MILESTONE.c.id)
        .limit(batch_size)
    )
    while True:
        if pause is not None:
            await pause()
        rows = (await execute(query.where(condition, _MILESTONE.c.id > last_id))).all()
        if not rows:
            return
        technologies = await _technologies(execute, {row[1] for row in rows})
        quotes = await _quotes(execute, [row[0] for row in rows])
        no_tags: tuple[str, ...] = ()
        no_quotes: tuple[Quote, ...] = ()
        yield [
            FeedMilestone(
                task_code=task_code,
                position=position,
                title=title,
                date_text=date_text,
                edtf=edtf,
                start_date=start_date,
                end_date=end_date,
                precision=precision,
                kind=kind,
                status=status,
                revision=revision,
                updated_at=as_utc(updated_at),
                task_title=task_title,
                strategy_code=strategy_code,
                strategy_title=strategy_title,
                plan_slug=plan_slug,
                plan_title=plan_title,
                technologies=technologies.get(task_id, no_tags),
                quotes=quotes.get(milestone_id, no_quotes),
            )
            for (
                milestone_id,
                task_id,
                task_code,
                position,
                title,
                date_text,
                edtf,
                start_date,
                end_date,
                precision,
                kind,
                status,
                revision,
                updated_at,
                task_title,
                strategy_code,
                strategy_title,
                plan_slug,
                plan_title,
            ) in rows
        ]
        if len(rows) < batch_size:
            return
        last_id = rows[-1][0]


async def _technologies(execute: Execute, task_ids: set[int]) -> dict[int, tuple[str, ...]]:
    result = await execute(
        select(task_technology.c.task_id, _TECHNOLOGY.c.name)
        .join(_TECHNOLOGY, _TECHNOLOGY.c.id == task_technology.c.technology_id)
        .where(task_technology.c.task_id.in_(sorted(task_ids)))
        .order_by(task_technology.c.task_id, _TECHNOLOGY.c.name)
    )
    names: dict[int, list[str]] = {}
    for task_id, name in result:
        names.setdefault(task_id, []).append(name)
    return {task_id: tuple(items) for task_id, items in names.items()}


async def _quotes(execute: Execute, milestone_ids: Sequence[int]) -> dict[int, tuple[Quote, ...]]:
    result = await execute(
        select(_CITATION.c.milestone_id, _CITATION.c.quote, _DOCUMENT.c.title, _DOCUMENT.c.url)
        .join(_DOCUMENT, _DOCUMENT.c.id == _CITATION.c.document_id)
        .where(_CITATION.c.milestone_id.in_(milestone_ids))
        .order_by(_CITATION.c.milestone_id, _CITATION.c.id)
    )
    quotes: dict[int, list[Quote]] = {}
    for milestone_id, text, title, url in result:
        assert milestone_id is not None  # filtered by the IN above
        quotes.setdefault(milestone_id, []).append(Quote(text, title, url))
    return {milestone_id: tuple(items) for milestone_id, items in quotes.items()}


async def feed_version(session: AsyncSession) -> FeedVersion:
    """What every feed's content depends on: the data version the database keeps.

    Triggers bump it on every write to any data table (migration 0002), so one read of a
    single row identifies the data: a change anywhere refreshes every feed (never a stale
    304), and a poll costs the same whatever the size of the dataset.
    """
    stamp = await read_data_version(session)
    if stamp is None:  # no version row (an unmigrated copy): never answer "not modified"
        return FeedVersion(last_modified=None, parts=(uuid.uuid4().hex,))
    return FeedVersion(
        last_modified=stamp.changed_at,
        parts=(stamp.version,),
        dates_validate=stamp.alone_in_its_second,
    )


async def plan_titles(execute: Execute, slugs: Sequence[str]) -> list[str]:
    """Titles of the named plans, in the order given (unknown slugs are left out)."""
    if not slugs:
        return []
    result = await execute(select(Plan.slug, Plan.title).where(Plan.slug.in_(slugs)))
    titles: dict[str, str] = {slug: title for slug, title in result}
    return [titles[slug] for slug in slugs if slug in titles]
