"""The dataset as a reader sees it: plans → strategies → tasks, each with its milestones,
budgets, targets and laws and the quotes that support every one (for the page at ``/``).

Knows nothing of HTML. Reads a bounded number of tasks (a national-scale dataset has tens of
thousands; a page shows the first ``limit`` and says how many there are), then everything
under them in one query per kind of row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Table, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.core.dataset_filter import (
    DatasetFilter,
    budget_condition,
    milestone_condition,
    plan_condition,
    strategy_condition,
    target_condition,
    task_condition,
)
from service.core.models import (
    Budget,
    Citation,
    Document,
    Law,
    LawAlias,
    Milestone,
    Organisation,
    Plan,
    Region,
    Strategy,
    Target,
    Task,
    Technology,
    task_law,
    task_organisation,
    task_region,
    task_technology,
)

DEFAULT_TASK_LIMIT = 200


@dataclass(frozen=True)
class Source:
    quote: str
    document_title: str
    document_url: str | None


@dataclass(frozen=True)
class MilestoneItem:
    task_code: str
    position: int
    title: str
    date_text: str
    edtf: str
    start: date | None
    end: date | None
    precision: str
    kind: str
    status: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class BudgetItem:
    amount: int
    currency: str
    amount_text: str
    kind: str
    start_year: int | None
    end_year: int | None
    purpose: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class TargetItem:
    metric: str
    value: Decimal
    unit: str
    value_text: str
    year: int | None
    baseline_text: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class LawRef:
    slug: str
    title: str
    status: str


@dataclass
class TaskItem:
    code: str
    label: str | None
    title: str
    description: str | None
    strategy_code: str
    parent_code: str | None
    technologies: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    regions: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    laws: list[LawRef] = field(default_factory=list)
    milestones: list[MilestoneItem] = field(default_factory=list)
    budgets: list[BudgetItem] = field(default_factory=list)
    targets: list[TargetItem] = field(default_factory=list)
    sources: tuple[Source, ...] = ()
    subtasks: list[TaskItem] = field(default_factory=list)


@dataclass
class StrategyItem:
    code: str
    label: str | None
    title: str
    description: str | None
    plan_slug: str
    sources: tuple[Source, ...] = ()
    tasks: list[TaskItem] = field(default_factory=list)  # top-level tasks, subtasks nested


@dataclass
class PlanItem:
    slug: str
    title: str
    announced_on: date | None
    summary: str | None
    document_title: str
    document_url: str | None
    sources: tuple[Source, ...] = ()
    strategies: list[StrategyItem] = field(default_factory=list)


@dataclass(frozen=True)
class PlanTree:
    plans: list[PlanItem]
    tasks_selected: int  # how many tasks the filter selects
    tasks_shown: int  # how many of them the tree holds (at most the limit)

    def strategies(self) -> Iterable[StrategyItem]:
        for plan in self.plans:
            yield from plan.strategies

    def milestones(self) -> Iterable[tuple[StrategyItem, MilestoneItem]]:
        return milestones_by_strategy(self.plans)


def milestones_by_strategy(
    plans: Iterable[PlanItem],
) -> Iterable[tuple[StrategyItem, MilestoneItem]]:
    """Every milestone in the tree with its strategy, in the tree's order."""
    for plan in plans:
        for strategy in plan.strategies:
            for task in _walk(strategy.tasks):
                for milestone in task.milestones:
                    yield strategy, milestone


@dataclass(frozen=True)
class LawPage:
    slug: str
    title: str
    kind: str
    status: str
    status_text: str | None
    enacted_text: str | None  # as written ("October 2021")
    enacted_edtf: str | None  # its EDTF value ("2021-10")
    description: str | None
    aliases: list[tuple[str, str | None]]  # (alias, document title)
    sources: tuple[Source, ...]
    tasks: list[tuple[str, str]]  # (code, title) of the tasks that mention it


def _walk(tasks: Iterable[TaskItem]) -> Iterable[TaskItem]:
    for task in tasks:
        yield task
        yield from _walk(task.subtasks)


async def read_plan_tree(
    session: AsyncSession, dataset_filter: DatasetFilter, limit: int = DEFAULT_TASK_LIMIT
) -> PlanTree:
    """The filter's plans, strategies and first ``limit`` tasks (in document order)."""
    where = task_condition(dataset_filter)
    selected = (
        await session.execute(select(func.count()).select_from(Task).where(where))
    ).scalar_one()
    tasks = await _tasks(session, where, dataset_filter, limit)
    strategies = await _strategies(session, strategy_condition(dataset_filter))
    plans = await _plans(session, plan_condition(dataset_filter))
    if len(tasks) < selected:  # cut short: show only the strategies the shown tasks are in
        shown = {task.strategy_code for task in tasks}
        strategies = [strategy for strategy in strategies if strategy.code in shown]
    _assemble(plans, strategies, tasks)
    return PlanTree(plans=plans, tasks_selected=int(selected), tasks_shown=len(tasks))


async def read_task(session: AsyncSession, code: str) -> tuple[PlanItem, TaskItem] | None:
    """One task with its sub-tasks, inside its plan and strategy (which hold only it)."""
    task_id = (await session.execute(select(Task.id).where(Task.code == code))).scalar()
    if task_id is None:
        return None
    tasks = await _tasks(
        session,
        or_(Task.id == task_id, Task.parent_id == task_id),
        DatasetFilter(),
        DEFAULT_TASK_LIMIT,
    )
    task = next(t for t in tasks if t.code == code)
    strategies = await _strategies(session, Strategy.code == task.strategy_code)
    plans = await _plans(
        session, Plan.id.in_(select(Strategy.plan_id).where(Strategy.code == task.strategy_code))
    )
    _assemble(plans, strategies, tasks, root=code)
    return plans[0], task


async def read_law(session: AsyncSession, slug: str) -> LawPage | None:
    row = (await session.execute(select(Law).where(Law.slug == slug))).scalar_one_or_none()
    if row is None:
        return None
    aliases = (
        await session.execute(
            select(LawAlias.alias, Document.title)
            .outerjoin(Document, Document.id == LawAlias.document_id)
            .where(LawAlias.law_id == row.id)
            .order_by(LawAlias.id)
        )
    ).all()
    tasks = (
        await session.execute(
            select(Task.code, Task.title)
            .join(task_law, task_law.c.task_id == Task.id)
            .where(task_law.c.law_id == row.id)
            .order_by(Task.id)
        )
    ).all()
    sources = await _sources(session, Citation.law_id, [row.id])
    return LawPage(
        slug=row.slug,
        title=row.title,
        kind=row.kind.value,
        status=row.status.value,
        status_text=row.status_text,
        enacted_text=row.enacted_text,
        enacted_edtf=row.enacted_edtf,
        description=row.description,
        aliases=[(alias, title) for alias, title in aliases],
        sources=sources.get(row.id, ()),
        tasks=[(code, title) for code, title in tasks],
    )


def _assemble(
    plans: list[PlanItem],
    strategies: list[StrategyItem],
    tasks: list[TaskItem],
    root: str | None = None,
) -> None:
    """Nest tasks under their parents (or strategies), strategies under their plans."""
    by_code = {task.code: task for task in tasks}
    by_strategy = {strategy.code: strategy for strategy in strategies}
    for task in tasks:
        parent = by_code.get(task.parent_code) if task.parent_code else None
        if parent is not None and task.code != root:
            parent.subtasks.append(task)
        elif task.strategy_code in by_strategy:
            by_strategy[task.strategy_code].tasks.append(task)
    by_plan = {plan.slug: plan for plan in plans}
    for strategy in strategies:
        if strategy.plan_slug in by_plan:
            by_plan[strategy.plan_slug].strategies.append(strategy)


async def _plans(session: AsyncSession, where: ColumnElement[bool]) -> list[PlanItem]:
    rows = (
        await session.execute(
            select(
                Plan.id,
                Plan.slug,
                Plan.title,
                Plan.announced_on,
                Plan.summary,
                Document.title,
                Document.url,
            )
            .join(Document, Document.id == Plan.document_id)
            .where(where)
            .order_by(Plan.announced_on, Plan.slug)
        )
    ).all()
    sources = await _sources(session, Citation.plan_id, [row[0] for row in rows])
    return [PlanItem(*row[1:], sources=sources.get(row[0], ())) for row in rows]


async def _strategies(session: AsyncSession, where: ColumnElement[bool]) -> list[StrategyItem]:
    rows = (
        await session.execute(
            select(
                Strategy.id,
                Strategy.code,
                Strategy.label,
                Strategy.title,
                Strategy.description,
                Plan.slug,
            )
            .join(Plan, Plan.id == Strategy.plan_id)
            .where(where)
            .order_by(Plan.announced_on, Plan.slug, Strategy.position)
        )
    ).all()
    sources = await _sources(session, Citation.strategy_id, [row[0] for row in rows])
    return [StrategyItem(*row[1:], sources=sources.get(row[0], ())) for row in rows]


async def _tasks(
    session: AsyncSession,
    where: ColumnElement[bool],
    dataset_filter: DatasetFilter,
    limit: int,
) -> list[TaskItem]:
    parent = Task.__table__.alias("parent")
    rows = (
        await session.execute(
            select(
                Task.id,
                Task.code,
                Task.label,
                Task.title,
                Task.description,
                Strategy.code,
                parent.c.code,
            )
            .join(Strategy, Strategy.id == Task.strategy_id)
            .outerjoin(parent, parent.c.id == Task.parent_id)
            .where(where)
            .order_by(Task.id)
            .limit(limit)
        )
    ).all()
    ids = [row[0] for row in rows]
    tasks = {row[0]: TaskItem(*row[1:]) for row in rows}
    if not ids:
        return []
    for task_id, pair in await _linked(session, task_technology, Technology, ids):
        tasks[task_id].technologies.append(pair)
    for task_id, (_, name) in await _linked(session, task_region, Region, ids):
        tasks[task_id].regions.append(name)
    for task_id, (_, name) in await _linked(session, task_organisation, Organisation, ids):
        tasks[task_id].organisations.append(name)
    laws = await session.execute(
        select(task_law.c.task_id, Law.slug, Law.title, Law.status)
        .join(Law, Law.id == task_law.c.law_id)
        .where(task_law.c.task_id.in_(ids))
        .order_by(task_law.c.task_id, Law.title)
    )
    for task_id, slug, title, status in laws:
        tasks[task_id].laws.append(LawRef(slug, title, getattr(status, "value", status)))
    task_sources = await _sources(session, Citation.task_id, ids)
    for task_id, task in tasks.items():
        task.sources = task_sources.get(task_id, ())
    await _milestones(session, tasks, milestone_condition(dataset_filter))
    await _budgets(session, tasks, budget_condition(dataset_filter))
    await _targets(session, tasks, target_condition(dataset_filter))
    return list(tasks.values())


async def _linked(
    session: AsyncSession,
    link: Table,
    model: type[Technology | Region | Organisation],
    ids: Sequence[int],
) -> list[tuple[int, tuple[str, str]]]:
    other = model.__table__
    result = await session.execute(
        select(link.c.task_id, other.c.slug, other.c.name)
        .join(other, other.c.id == link.c[f"{model.__tablename__}_id"])
        .where(link.c.task_id.in_(ids))
        .order_by(link.c.task_id, other.c.name)
    )
    return [(task_id, (slug, name)) for task_id, slug, name in result]


async def _milestones(
    session: AsyncSession, tasks: dict[int, TaskItem], where: ColumnElement[bool]
) -> None:
    rows = (
        await session.execute(
            select(
                Milestone.id,
                Milestone.task_id,
                Milestone.position,
                Milestone.title,
                Milestone.date_text,
                Milestone.edtf,
                Milestone.start_date,
                Milestone.end_date,
                Milestone.precision,
                Milestone.kind,
                Milestone.status,
            )
            .where(Milestone.task_id.in_(list(tasks)), where)
            .order_by(Milestone.task_id, Milestone.position)
        )
    ).all()
    sources = await _sources(session, Citation.milestone_id, [row[0] for row in rows])
    for milestone_id, task_id, position, title, text, edtf, start, end, *kinds in rows:
        precision, kind, status = (_value(v) for v in kinds)
        task = tasks[task_id]
        task.milestones.append(
            MilestoneItem(
                task.code,
                position,
                title,
                text,
                edtf,
                start,
                end,
                precision,
                kind,
                status,
                sources.get(milestone_id, ()),
            )
        )


async def _budgets(
    session: AsyncSession, tasks: dict[int, TaskItem], where: ColumnElement[bool]
) -> None:
    rows = (
        await session.execute(
            select(
                Budget.id,
                Budget.task_id,
                Budget.amount,
                Budget.currency,
                Budget.amount_text,
                Budget.kind,
                Budget.start_year,
                Budget.end_year,
                Budget.purpose,
            )
            .where(Budget.task_id.in_(list(tasks)), where)
            .order_by(Budget.task_id, Budget.position)
        )
    ).all()
    sources = await _sources(session, Citation.budget_id, [row[0] for row in rows])
    for row in rows:
        tasks[row[1]].budgets.append(
            BudgetItem(
                int(row[2]),
                row[3],
                row[4],
                _value(row[5]),
                *row[6:9],
                sources=sources.get(row[0], ()),
            )
        )


async def _targets(
    session: AsyncSession, tasks: dict[int, TaskItem], where: ColumnElement[bool]
) -> None:
    rows = (
        await session.execute(
            select(
                Target.id,
                Target.task_id,
                Target.metric,
                Target.value,
                Target.unit,
                Target.value_text,
                Target.year,
                Target.baseline_text,
            )
            .where(Target.task_id.in_(list(tasks)), where)
            .order_by(Target.task_id, Target.position)
        )
    ).all()
    sources = await _sources(session, Citation.target_id, [row[0] for row in rows])
    for row in rows:
        tasks[row[1]].targets.append(TargetItem(*row[2:8], sources=sources.get(row[0], ())))


async def _sources(
    session: AsyncSession, subject: Any, ids: Sequence[int]
) -> dict[int, tuple[Source, ...]]:
    if not ids:
        return {}
    result = await session.execute(
        select(subject, Citation.quote, Document.title, Document.url)
        .join(Document, Document.id == Citation.document_id)
        .where(subject.in_(ids))
        .order_by(subject, Citation.id)
    )
    found: dict[int, list[Source]] = {}
    for subject_id, quote, title, url in result:
        found.setdefault(subject_id, []).append(Source(quote, title, url))
    return {key: tuple(items) for key, items in found.items()}


def _value(member: Any) -> str:
    return str(getattr(member, "value", member))
