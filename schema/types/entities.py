"""The Node types of the dataset and their relations (batched through per-request loaders)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Annotated, Any, ClassVar, Self, TypeVar, cast

import strawberry
from sqlalchemy import Row, select
from strawberry.types import Info

from schema import loader_factories
from schema.connection import Connection, make_connection
from schema.inputs import StrategyOrder, TaskFilter, TaskOrder, task_selection
from schema.known import known
from schema.lookahead import requested_under_nodes
from schema.relay import encode_id, page_request
from schema.types.enums import (
    BudgetKindEnum,
    ComparatorEnum,
    LawKindEnum,
    LawStatusEnum,
    MilestoneKindEnum,
    MilestoneStatusEnum,
    OrderDirection,
    OrganisationKindEnum,
    RegionKindEnum,
    TaskKindEnum,
)
from schema.types.values import FuzzyDate, Money
from service.core.decimals import decimal_text
from service.core.queries import catalog, listing
from service.core.queries.paging import Ordering, PageRequest


@strawberry.interface(description="An object with an opaque global ID that node(id) resolves.")
class Node:
    pk: strawberry.Private[int]
    table: ClassVar[str]
    columns: ClassVar[tuple[str, ...]] = ()

    @strawberry.field(description="Opaque global ID; pass it to node(id) or nodes(ids).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(type(self).__name__, self.pk))

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        return cls(pk=row.id, **{name: getattr(row, name) for name in cls.columns})

    @classmethod
    def from_rows(cls, rows: Sequence[Row[Any]]) -> list[Self]:
        """Objects of rows of one result, whose rows share their fields: picked by position
        (a Row attribute read by name costs ~0.3 us)."""
        own_from_row = cls.from_row.__func__ is not Node.from_row.__func__  # type: ignore[attr-defined]
        if not rows or own_from_row:  # types that build themselves their own way
            return [cls.from_row(row) for row in rows]
        names = rows[0]._fields
        pick = itemgetter(names.index("id"), *map(names.index, cls.columns))
        columns = cls.columns
        out = []
        for row in rows:
            values = pick(row)
            out.append(cls(pk=values[0], **dict(zip(columns, values[1:], strict=True))))
        return out


@strawberry.type(description="A source text that records cite (a press release, a work plan).")
class Document(Node):
    table: ClassVar[str] = "document"
    columns: ClassVar[tuple[str, ...]] = (
        "slug",
        "title",
        "publisher",
        "published_on",
        "language",
        "licence",
        "url",
    )
    slug: str = strawberry.field(description="Stable short name.")
    title: str = strawberry.field(description="Title of the document.")
    publisher: str = strawberry.field(description="Who published it.")
    published_on: date | None = strawberry.field(description="Publication date.")
    language: str = strawberry.field(description="BCP 47 language tag of the text used.")
    licence: str | None = strawberry.field(description="Licence of the text.")
    url: str | None = strawberry.field(description="Where the document can be read.")


@strawberry.type(description="An exact quote from a document that supports a record.")
class Citation:
    quote: str = strawberry.field(description="The supporting text, exactly as written.")
    document_id: strawberry.Private[int]

    @strawberry.field(description="The document quoted.")
    async def document(self, info: Info[Any, Any]) -> Document:
        row = await loader_factories.by_id(info, catalog.document).load(self.document_id)
        return Document.from_row(row)


@strawberry.interface(description="A record backed by quotes from its source documents.")
class Sourced(Node):
    @strawberry.field(description="Quotes from the documents that support this record.")
    async def sources(self, info: Info[Any, Any]) -> list[Citation]:
        rows = await loader_factories.citations(info, self.table).load(self.pk)
        return [Citation(quote=r.quote, document_id=r.document_id) for r in rows]


@dataclass(frozen=True)
class PageArgs:
    """A connection's orderBy and page arguments, validated and resolved to an ordering."""

    order_name: str
    ordering: Ordering
    request: PageRequest

    @classmethod
    def of(
        cls,
        order: Any,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
    ) -> PageArgs:
        spec = catalog.ORDERS[order.table][order.field.name]
        name = f"{order.field.name}:{order.direction.name}"
        request = page_request(first, after, last, before, name, spec.types)
        return cls(name, spec.ordering(order.direction is OrderDirection.DESC), request)


_FIRST = "Return the first n items (at most 100)."
_AFTER = "Return items after this cursor."
_LAST = "Return the last n items (at most 100)."
_BEFORE = "Return items before this cursor."
_TOP_TASKS = select(catalog.task).where(catalog.task.c.parent_id.is_(None))
_ALL_TASKS = select(catalog.task)
_PLAN_STRATEGIES = select(catalog.strategy)


N = TypeVar("N", bound=Node)
Day = date  # for annotations inside types with a field named ``date``


async def _child_connection(
    info: Info[Any, Any],
    name: Hashable,
    statement: Any,
    parent: Any,
    parent_id: int,
    args: PageArgs,
    build: Callable[[Sequence[Row[Any]]], list[N]],
) -> Connection[N]:
    page = await loader_factories.child_pages(
        info, name, statement, parent, args.ordering, args.request
    ).load(parent_id)
    counts = loader_factories.child_counts(info, name, statement, parent)

    async def count() -> int:
        total: int = await counts.load(parent_id)
        return total

    connection = make_connection(page, build, args.order_name, args.ordering, count)
    await prefetch_task_lists(info, [e.node for e in connection.edges if isinstance(e.node, Task)])
    return connection


@strawberry.interface(
    description="A record that tasks link to: a law they mention, or a technology, region or "
    "organisation they are tagged with."
)
class TaskLinked(Sourced):
    @strawberry.field(
        description="Tasks (and sub-tasks) linked to this record, filtered and ordered."
    )
    async def tasks(
        self,
        info: Info[Any, Any],
        filter: Annotated[
            TaskFilter | None, strawberry.argument(description="Which tasks to include.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
        order_by: Annotated[
            TaskOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
    ) -> Connection[Task]:
        args = PageArgs.of(order_by or TaskOrder(), first, after, last, before)
        selection = await known(info, task_selection(filter))
        link, linked_id = catalog.TASK_LINKS[self.table]
        statement = listing.tasks(selection).join(link, link.c.task_id == catalog.task.c.id)
        return await _child_connection(
            info,
            (f"{self.table}.tasks", selection),
            statement,
            linked_id,
            self.pk,
            args,
            Task.from_rows,
        )


@strawberry.type(description="A policy plan announced in a document.")
class Plan(Sourced):
    table: ClassVar[str] = "plan"
    columns: ClassVar[tuple[str, ...]] = ("slug", "title", "announced_on", "summary", "document_id")
    slug: str = strawberry.field(description="Stable short name, e.g. digital-strategy-of-korea.")
    title: str = strawberry.field(description="Title of the plan.")
    announced_on: date | None = strawberry.field(description="When the plan was announced.")
    summary: str | None = strawberry.field(description="A short summary.")
    document_id: strawberry.Private[int]

    @strawberry.field(description="The document that announced the plan.")
    async def document(self, info: Info[Any, Any]) -> Document:
        return Document.from_row(
            await loader_factories.by_id(info, catalog.document).load(self.document_id)
        )

    @strawberry.field(description="The plan's strategies, in order by default.")
    async def strategies(
        self,
        info: Info[Any, Any],
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
        order_by: Annotated[
            StrategyOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
    ) -> Connection[Strategy]:
        args = PageArgs.of(order_by or StrategyOrder(), first, after, last, before)
        return await _child_connection(
            info,
            "plan.strategies",
            _PLAN_STRATEGIES,
            catalog.strategy.c.plan_id,
            self.pk,
            args,
            Strategy.from_rows,
        )


@strawberry.type(description="An ordered, coded part of a plan.")
class Strategy(Sourced):
    table: ClassVar[str] = "strategy"
    columns: ClassVar[tuple[str, ...]] = (
        "code",
        "position",
        "label",
        "title",
        "description",
        "plan_id",
    )
    code: str = strawberry.field(description="Code unique across plans, e.g. DSK-I.")
    position: int = strawberry.field(description="1-based position in the plan.")
    label: str | None = strawberry.field(description='The numbering as written, e.g. "1".')
    title: str = strawberry.field(description="Title of the strategy.")
    description: str | None = strawberry.field(description="Longer description.")
    plan_id: strawberry.Private[int]

    @strawberry.field(description="The plan the strategy belongs to.")
    async def plan(self, info: Info[Any, Any]) -> Plan:
        return Plan.from_row(await loader_factories.by_id(info, catalog.plan).load(self.plan_id))

    @strawberry.field(
        description="The strategy's tasks: top-level ones unless includeSubtasks is true."
    )
    async def tasks(
        self,
        info: Info[Any, Any],
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
        order_by: Annotated[
            TaskOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
        include_subtasks: Annotated[
            bool, strawberry.argument(description="Also list sub-tasks, not only top-level tasks.")
        ] = False,
    ) -> Connection[Task]:
        args = PageArgs.of(order_by or TaskOrder(), first, after, last, before)
        return await _child_connection(
            info,
            "strategy.all_tasks" if include_subtasks else "strategy.tasks",
            _ALL_TASKS if include_subtasks else _TOP_TASKS,
            catalog.task.c.strategy_id,
            self.pk,
            args,
            Task.from_rows,
        )


@strawberry.type(description="An ordered, coded task of a strategy; sub-items are sub-tasks.")
class Task(Sourced):
    table: ClassVar[str] = "task"
    columns: ClassVar[tuple[str, ...]] = (
        "code",
        "position",
        "label",
        "title",
        "description",
        "strategy_id",
        "parent_id",
        "kind",
        "depth",
        "number",
    )
    code: str = strawberry.field(description="Code unique across plans, extending the strategy's.")
    position: int = strawberry.field(description="1-based position under its strategy or parent.")
    label: str | None = strawberry.field(description="The numbering or tag as written.")
    title: str = strawberry.field(description="Title of the task.")
    description: str | None = strawberry.field(description="Longer description.")
    kind: TaskKindEnum = strawberry.field(description="What the item is in its text.")
    depth: int = strawberry.field(
        description="Level in the outline: 1 directly under the strategy, 2 its sub-items, …"
    )
    number: int | None = strawberry.field(
        description="The label's ordinal, normalised: ① is 1, (iii) is 3, ** is 2; null for "
        "tags such as (AI) and for bullets."
    )
    strategy_id: strawberry.Private[int]
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The strategy the task belongs to.")
    async def strategy(self, info: Info[Any, Any]) -> Strategy:
        return Strategy.from_row(
            await loader_factories.by_id(info, catalog.strategy).load(self.strategy_id)
        )

    @strawberry.field(description="The task this one is a sub-item of; null for top-level tasks.")
    async def parent(self, info: Info[Any, Any]) -> Task | None:
        if self.parent_id is None:
            return None
        return Task.from_row(await loader_factories.by_id(info, catalog.task).load(self.parent_id))

    prefetched: strawberry.Private[dict[str, list[Any]] | None] = None

    def _list(self, info: Info[Any, Any], name: str) -> Any:
        """The relation's objects: prefetched with the page when the query asked for them
        (no await per task), else an awaitable batched load."""
        if self.prefetched is not None and name in self.prefetched:
            return self.prefetched[name]
        return _load_list(info, name, self.pk)

    @strawberry.field(description="Sub-items of the task, in order.")
    def subtasks(self, info: Info[Any, Any]) -> list[Task]:
        return cast(list[Task], self._list(info, "subtasks"))

    @strawberry.field(description="Dated promises and events of the task, in order.")
    def milestones(self, info: Info[Any, Any]) -> list[Milestone]:
        return cast(list[Milestone], self._list(info, "milestones"))

    @strawberry.field(description="Money for the task, in order.")
    def budgets(self, info: Info[Any, Any]) -> list[Budget]:
        return cast(list[Budget], self._list(info, "budgets"))

    @strawberry.field(description="Quantitative goals of the task, in order.")
    def targets(self, info: Info[Any, Any]) -> list[Target]:
        return cast(list[Target], self._list(info, "targets"))

    @strawberry.field(description="Laws the task mentions (under any of their names).")
    def laws(self, info: Info[Any, Any]) -> list[Law]:
        return cast(list[Law], self._list(info, "laws"))

    @strawberry.field(description="Technologies the task concerns.")
    def technologies(self, info: Info[Any, Any]) -> list[Technology]:
        return cast(list[Technology], self._list(info, "technologies"))

    @strawberry.field(description="Regions the task concerns.")
    def regions(self, info: Info[Any, Any]) -> list[Region]:
        return cast(list[Region], self._list(info, "regions"))

    @strawberry.field(description="Organisations involved in the task.")
    def organisations(self, info: Info[Any, Any]) -> list[Organisation]:
        return cast(list[Organisation], self._list(info, "organisations"))


@strawberry.type(description="A dated promise or event of a task, with its date as written.")
class Milestone(Sourced):
    table: ClassVar[str] = "milestone"
    title: str = strawberry.field(description="What is promised or happens.")
    position: int = strawberry.field(description="1-based position within the task.")
    date: FuzzyDate = strawberry.field(description="When, as written and as a span.")
    kind: MilestoneKindEnum = strawberry.field(
        description="How the date applies (event, start, deadline, period)."
    )
    status: MilestoneStatusEnum = strawberry.field(description="Progress.")
    revision: int = strawberry.field(description="Counts changes of the content (0 = original).")
    task_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        return cls(
            pk=row.id,
            title=row.title,
            position=row.position,
            date=FuzzyDate(
                text=row.date_text,
                edtf=row.edtf,
                start=row.start_date,
                end=row.end_date,
                precision=row.precision,
            ),
            kind=row.kind,
            status=row.status,
            revision=row.revision,
            task_id=row.task_id,
        )

    _FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "title",
        "position",
        "date_text",
        "edtf",
        "start_date",
        "end_date",
        "precision",
        "kind",
        "status",
        "revision",
        "task_id",
    )

    @classmethod
    def from_rows(cls, rows: Sequence[Row[Any]]) -> list[Self]:
        # Rows of one result share their fields: pick by position, not by name per row
        # (an attribute read on a Row costs ~0.3 us; a dashboard reads ~1,000 milestones).
        if not rows:
            return []
        pick = itemgetter(*map(rows[0]._fields.index, cls._FIELDS))
        out = []
        for row in rows:
            pk, title, position, text, edtf, start, end, precision, kind, status, revision, task = (
                pick(row)
            )
            date = FuzzyDate(text=text, edtf=edtf, start=start, end=end, precision=precision)
            out.append(
                cls(
                    pk=pk,
                    title=title,
                    position=position,
                    date=date,
                    kind=kind,
                    status=status,
                    revision=revision,
                    task_id=task,
                )
            )
        return out

    @strawberry.field(description="The task this milestone belongs to.")
    async def task(self, info: Info[Any, Any]) -> Task:
        return Task.from_row(await loader_factories.by_id(info, catalog.task).load(self.task_id))

    @strawberry.field(
        description="The day the status holds as of: the announcement date of the plan whose "
        "document gives the milestone (the status is what the document states or implies on "
        "that day, not today's progress); null when the plan gives no date."
    )
    async def status_as_of(self, info: Info[Any, Any]) -> Day | None:
        task = await loader_factories.by_id(info, catalog.task).load(self.task_id)
        strategy = await loader_factories.by_id(info, catalog.strategy).load(task.strategy_id)
        plan = await loader_factories.by_id(info, catalog.plan).load(strategy.plan_id)
        announced: Day | None = plan.announced_on
        return announced


@strawberry.type(description="Money for a task over a period.")
class Budget(Sourced):
    table: ClassVar[str] = "budget"
    amount: Money = strawberry.field(description="The exact amount.")
    amount_text: str = strawberry.field(description="The amount as written in the source.")
    kind: BudgetKindEnum = strawberry.field(
        description="TOTAL over the period or ANNUAL for one year."
    )
    start_year: int | None = strawberry.field(description="First year the money covers.")
    end_year: int | None = strawberry.field(description="Last year the money covers.")
    purpose: str = strawberry.field(description="What the money is for.")
    position: int = strawberry.field(description="1-based position within the task.")
    task_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        return cls(
            pk=row.id,
            amount=Money(amount=str(row.amount), currency=row.currency),
            amount_text=row.amount_text,
            kind=row.kind,
            start_year=row.start_year,
            end_year=row.end_year,
            purpose=row.purpose,
            position=row.position,
            task_id=row.task_id,
        )

    @strawberry.field(description="The task the money is for.")
    async def task(self, info: Info[Any, Any]) -> Task:
        return Task.from_row(await loader_factories.by_id(info, catalog.task).load(self.task_id))


@strawberry.type(description="An act, bill or legal framework, one record with all its names.")
class Law(TaskLinked):
    table: ClassVar[str] = "law"
    columns: ClassVar[tuple[str, ...]] = (
        "slug",
        "title",
        "kind",
        "status",
        "status_text",
        "description",
    )
    slug: str = strawberry.field(description="Stable short name.")
    title: str = strawberry.field(description="Canonical title.")
    kind: LawKindEnum = strawberry.field(description="What kind of legal text.")
    status: LawStatusEnum = strawberry.field(description="Where it stands.")
    status_text: str | None = strawberry.field(description="The status as written.")
    description: str | None = strawberry.field(description="What it covers.")
    enacted: FuzzyDate | None = strawberry.field(
        description='When it was enacted, as the text gives it ("October 2021" is a month, '
        "never a day); null when the texts give no date."
    )

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        enacted = None
        if row.enacted_edtf is not None:
            enacted = FuzzyDate(
                text=row.enacted_text,
                edtf=row.enacted_edtf,
                start=row.enacted_start,
                end=row.enacted_end,
                precision=row.enacted_precision,
            )
        return cls(pk=row.id, enacted=enacted, **{name: getattr(row, name) for name in cls.columns})

    @strawberry.field(description="Other names the documents use for this law.")
    async def aliases(self, info: Info[Any, Any]) -> list[str]:
        return [row.alias for row in await loader_factories.law_aliases(info).load(self.pk)]

    @strawberry.field(
        description="Every name of the law as a document writes it, with that document."
    )
    async def names(self, info: Info[Any, Any]) -> list[LawName]:
        rows = await loader_factories.law_aliases(info).load(self.pk)
        return [LawName(name=row.alias, document_id=row.document_id) for row in rows]


@strawberry.type(description="A name of a law as written, and the document that uses it.")
class LawName:
    name: str = strawberry.field(description="The name, exactly as the document writes it.")
    document_id: strawberry.Private[int | None]

    @strawberry.field(description="The document that uses this name; null if not recorded.")
    async def document(self, info: Info[Any, Any]) -> Document | None:
        if self.document_id is None:
            return None
        row = await loader_factories.by_id(info, catalog.document).load(self.document_id)
        return Document.from_row(row)


@strawberry.type(description="A quantitative goal of a task.")
class Target(Sourced):
    table: ClassVar[str] = "target"
    metric: str = strawberry.field(description="What is measured.")
    value: str = strawberry.field(description="Target value as an exact decimal string.")
    comparator: ComparatorEnum = strawberry.field(description="How the value is meant.")
    unit: str = strawberry.field(description="Unit of the value.")
    value_text: str = strawberry.field(description="The target as written.")
    year: int | None = strawberry.field(description="Year the target is for.")
    baseline: Baseline | None = strawberry.field(description="The starting point, if given.")
    position: int = strawberry.field(description="1-based position within the task.")
    task_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        baseline = None
        if row.baseline_value is not None or row.baseline_text is not None:
            baseline = Baseline(
                value=(None if row.baseline_value is None else decimal_text(row.baseline_value)),
                year=row.baseline_year,
                text=row.baseline_text,
            )
        return cls(
            pk=row.id,
            metric=row.metric,
            value=decimal_text(row.value),
            comparator=row.comparator,
            unit=row.unit,
            value_text=row.value_text,
            year=row.year,
            baseline=baseline,
            position=row.position,
            task_id=row.task_id,
        )

    @strawberry.field(description="The task that sets this target.")
    async def task(self, info: Info[Any, Any]) -> Task:
        return Task.from_row(await loader_factories.by_id(info, catalog.task).load(self.task_id))


@strawberry.type(description="Where a target starts from.")
class Baseline:
    value: str | None = strawberry.field(description="Baseline value as an exact decimal string.")
    year: int | None = strawberry.field(description="Year of the baseline.")
    text: str | None = strawberry.field(description="The baseline as written.")


@strawberry.type(description="A technology that tasks concern (AI, data, 5G…).")
class Technology(TaskLinked):
    table: ClassVar[str] = "technology"
    columns: ClassVar[tuple[str, ...]] = ("slug", "name")
    slug: str = strawberry.field(description="Stable short name.")
    name: str = strawberry.field(description="Name.")


@strawberry.type(description="A country, province, city or area that tasks concern.")
class Region(TaskLinked):
    table: ClassVar[str] = "region"
    columns: ClassVar[tuple[str, ...]] = ("slug", "name", "kind")
    slug: str = strawberry.field(description="Stable short name.")
    name: str = strawberry.field(description="Name.")
    kind: RegionKindEnum = strawberry.field(description="Kind of region.")


@strawberry.type(description="A ministry, committee or other organisation involved in tasks.")
class Organisation(TaskLinked):
    table: ClassVar[str] = "organisation"
    columns: ClassVar[tuple[str, ...]] = ("slug", "name", "abbreviation", "kind")
    slug: str = strawberry.field(description="Stable short name.")
    name: str = strawberry.field(description="Name.")
    abbreviation: str | None = strawberry.field(description="Abbreviation, e.g. MSIT.")
    kind: OrganisationKindEnum = strawberry.field(description="Kind of organisation.")


NODE_TYPES: dict[str, type[Node]] = {
    cls.__name__: cls
    for cls in (
        Document,
        Plan,
        Strategy,
        Task,
        Milestone,
        Budget,
        Law,
        Target,
        Technology,
        Region,
        Organisation,
    )
}


@dataclass(frozen=True)
class TaskList:
    """How to load one list relation of tasks for many tasks in one statement."""

    statement: Any
    parent: Any
    order: tuple[Any, ...]
    kind: type[Node]


def _own(table: Any, kind: type[Node], parent: str = "task_id") -> TaskList:
    return TaskList(select(table), table.c[parent], (table.c.position, table.c.id), kind)


def _linked(name: str, kind: type[Node]) -> TaskList:
    link, other = catalog.TASK_LINKS[name]
    table = catalog.TABLES[name]
    return TaskList(
        select(table).join(link, other == table.c.id), link.c.task_id, (table.c.id,), kind
    )


TASK_LISTS: dict[str, TaskList] = {
    "subtasks": _own(catalog.task, Task, "parent_id"),
    "milestones": _own(catalog.milestone, Milestone),
    "budgets": _own(catalog.budget, Budget),
    "targets": _own(catalog.target, Target),
    "laws": _linked("law", Law),
    "technologies": _linked("technology", Technology),
    "regions": _linked("region", Region),
    "organisations": _linked("organisation", Organisation),
}


def _list_loader(info: Info[Any, Any], name: str) -> Any:
    spec = TASK_LISTS[name]
    return loader_factories.children(info, ("task", name), spec.statement, spec.parent, spec.order)


async def _load_list(info: Info[Any, Any], name: str, task_id: int) -> list[Any]:
    rows = await _list_loader(info, name).load(task_id)
    return TASK_LISTS[name].kind.from_rows(rows)


async def prefetch_task_lists(info: Info[Any, Any], tasks: Sequence[Task]) -> None:
    """Load the list relations the query asks for under these tasks, one batch per relation
    (shared with sibling connections resolving in the same tick)."""
    names = requested_under_nodes(info, TASK_LISTS)
    if not names or not tasks:
        return
    ids = [task.pk for task in tasks]
    results = await asyncio.gather(*(_list_loader(info, n).load_many(ids) for n in names))
    for task in tasks:
        task.prefetched = {}
    for name, per_task in zip(names, results, strict=True):
        kind = TASK_LISTS[name].kind
        for task, rows in zip(tasks, per_task, strict=True):
            task.prefetched[name] = kind.from_rows(rows)  # type: ignore[index]
