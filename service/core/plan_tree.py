"""The dataset as a reader sees it: plans → strategies → tasks, each with its milestones,
budgets, targets and laws and the quotes that support every one (for the page at ``/``).

Knows nothing of HTML. Each item dataclass names the columns it shows; ``queries.items``
finds them, and the joins to the rows they point at, through the entity registry. Reads a
bounded number of tasks (a national-scale dataset has tens of thousands; a page shows the
first ``limit`` and says how many there are), then everything under them in one query per
kind of row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.core import registry
from service.core.dataset_filter import (
    DatasetFilter,
    budget_condition,
    milestone_condition,
    plan_condition,
    strategy_condition,
    target_condition,
    task_condition,
)
from service.core.models import Plan, Strategy, Task
from service.core.queries.items import ItemQuery, item_query

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
    start_date: date | None
    end_date: date | None
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
    date_text: str | None  # as written ("by 2027", "in 2022")
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
class AliasItem:
    alias: str
    document_title: str | None


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
    law = _LAW_PAGE.statement.where(_LAW_PAGE.table.c.slug == slug)
    row = (await session.execute(law)).first()
    if row is None:
        return None
    law_id = row.id
    aliases = _ALIASES.table
    names = await session.execute(
        _ALIASES.statement.where(aliases.c.law_id == law_id).order_by(aliases.c.id)
    )
    tasks = await _linked(session, "law", "tasks", [law_id], ("code", "title"), "id")
    sources = await _sources(session, "law", [law_id])
    return _LAW_PAGE.build(
        row._mapping,
        aliases=[(name.alias, name.document_title) for name in names],
        sources=sources.get(law_id, ()),
        tasks=[(code, title) for _, (code, title) in tasks],
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


_PLANS = item_query("plan", PlanItem)
_STRATEGIES = item_query("strategy", StrategyItem)
_TASKS = item_query("task", TaskItem)
_MILESTONES = item_query("milestone", MilestoneItem, keys=("task_id",))
_BUDGETS = item_query("budget", BudgetItem, keys=("task_id",))
_TARGETS = item_query("target", TargetItem, keys=("task_id",))
_LAW_PAGE = item_query("law", LawPage)
_ALIASES = item_query("law_alias", AliasItem)


async def _plans(session: AsyncSession, where: ColumnElement[bool]) -> list[PlanItem]:
    plans = _PLANS.table
    rows = (
        await session.execute(
            _PLANS.statement.where(where).order_by(plans.c.announced_on, plans.c.slug)
        )
    ).all()
    sources = await _sources(session, "plan", [row.id for row in rows])
    return [_PLANS.build(row._mapping, sources=sources.get(row.id, ())) for row in rows]


async def _strategies(session: AsyncSession, where: ColumnElement[bool]) -> list[StrategyItem]:
    rows = (
        await session.execute(
            _STRATEGIES.statement.where(where).order_by(*_STRATEGIES.order("POSITION"))
        )
    ).all()
    sources = await _sources(session, "strategy", [row.id for row in rows])
    return [_STRATEGIES.build(row._mapping, sources=sources.get(row.id, ())) for row in rows]


async def _tasks(
    session: AsyncSession,
    where: ColumnElement[bool],
    dataset_filter: DatasetFilter,
    limit: int,
) -> list[TaskItem]:
    statement = _TASKS.statement.where(where).order_by(_TASKS.table.c.id).limit(limit)
    rows = (await session.execute(statement)).all()
    tasks = {row.id: _TASKS.build(row._mapping) for row in rows}
    if not tasks:
        return []
    ids = list(tasks)
    for task_id, pair in await _linked(session, "task", "technologies", ids, _TAG, "name"):
        tasks[task_id].technologies.append(pair)
    for task_id, (_, name) in await _linked(session, "task", "regions", ids, _TAG, "name"):
        tasks[task_id].regions.append(name)
    for task_id, (_, name) in await _linked(session, "task", "organisations", ids, _TAG, "name"):
        tasks[task_id].organisations.append(name)
    for task_id, law in await _linked(session, "task", "laws", ids, _LAW_REF, "title"):
        tasks[task_id].laws.append(LawRef(*(str(_plain(value)) for value in law)))
    task_sources = await _sources(session, "task", ids)
    for task_id, task in tasks.items():
        task.sources = task_sources.get(task_id, ())
    for query, condition in (
        (_MILESTONES, milestone_condition),
        (_BUDGETS, budget_condition),
        (_TARGETS, target_condition),
    ):
        await _owned(session, query, tasks, condition(dataset_filter))
    return list(tasks.values())


_TAG = ("slug", "name")
_LAW_REF = tuple(field.name for field in dataclasses.fields(LawRef))


async def _owned(
    session: AsyncSession,
    query: ItemQuery[Any],
    tasks: dict[int, TaskItem],
    where: ColumnElement[bool],
) -> None:
    """The rows of a task-owned entity under their tasks, in the task's list named as the
    entity's list (``TaskItem.milestones``, ``.budgets``, ``.targets``)."""
    items_of = attrgetter(registry.entity(query.entity).plural)
    owned = query.statement.where(query.table.c.task_id.in_(list(tasks)), where)
    rows = (await session.execute(owned.order_by(*query.order("POSITION")))).all()
    sources = await _sources(session, query.entity, [row.id for row in rows])
    for row in rows:
        item = query.build(row._mapping, sources=sources.get(row.id, ()))
        items_of(tasks[row.task_id]).append(item)


async def _linked(
    session: AsyncSession,
    entity: str,
    relation_name: str,
    ids: Sequence[int],
    columns: tuple[str, ...],
    order: str,
) -> list[tuple[int, tuple[Any, ...]]]:
    """(id of the ``entity`` row, the ``columns`` of a linked row) through a many-to-many
    relation of the registry, for the rows ``ids``, in ``order`` of the linked rows."""
    relation = registry.entity(entity).relation(relation_name)
    assert isinstance(relation, registry.ManyToMany)
    link = relation.link
    other = registry.entity(relation.target).table
    result = await session.execute(
        select(link.c[relation.near], *(other.c[column] for column in columns))
        .join(other, other.c.id == link.c[relation.far])
        .where(link.c[relation.near].in_(ids))
        .order_by(link.c[relation.near], other.c[order])
    )
    return [(row[0], tuple(row[1:])) for row in result]


async def _sources(
    session: AsyncSession, entity: str, ids: Sequence[int]
) -> dict[int, tuple[Source, ...]]:
    if not ids:
        return {}
    citations = registry.PROVENANCE.table
    documents = registry.entity("document").table
    subject = citations.c[registry.PROVENANCE.subjects[entity]]
    result = await session.execute(
        select(subject, citations.c.quote, documents.c.title, documents.c.url)
        .join(documents, documents.c.id == citations.c[registry.PROVENANCE.document_column])
        .where(subject.in_(ids))
        .order_by(subject, citations.c.id)
    )
    found: dict[int, list[Source]] = {}
    for subject_id, quote, title, url in result:
        found.setdefault(subject_id, []).append(Source(quote, title, url))
    return {key: tuple(items) for key, items in found.items()}


def _plain(member: Any) -> Any:
    return getattr(member, "value", member)
