"""The Node types of the dataset and their relations (batched through per-request loaders)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Annotated, Any, ClassVar, Self, TypeVar, cast

import strawberry
from sqlalchemy import ColumnElement, Row, Select, select
from strawberry.types import Info

from schema import loader_factories
from schema.connection import Connection, make_connection
from schema.inputs import StrategyOrder, TaskFilter, TaskOrder, task_selection
from schema.known import known
from schema.relay import encode_id, page_request
from schema.types.enums import (
    OrderDirection,
)
from schema.types.stored import stored
from schema.types.values import FuzzyDate, Money
from service.core import registry
from service.core.dataset_filter import DatasetFilter
from service.core.decimals import decimal_text
from service.core.queries import catalog, listing
from service.core.queries.paging import Ordering, PageRequest


@strawberry.interface(description="An object with an opaque global ID that node(id) resolves.")
class Node:
    pk: strawberry.Private[int]
    # Set by ``@stored``: the entity, the row columns copied to ``attributes`` (each column's
    # own name unless renamed), the conversions of some of them, and the builder of the
    # composites of a result's rows.
    table: ClassVar[str]
    columns: ClassVar[tuple[str, ...]] = ()
    attributes: ClassVar[tuple[str, ...]] = ()
    converters: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    composer: ClassVar[Callable[[tuple[str, ...]], Callable[[Any], dict[str, Any]] | None]]

    @strawberry.field(description="Opaque global ID; pass it to node(id) or nodes(ids).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(type(self).__name__, self.pk))

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        return cls.from_rows([row])[0]

    @classmethod
    def from_rows(cls, rows: Sequence[Row[Any]]) -> list[Self]:
        """Objects of rows of one result, whose rows share their fields: picked by position
        (a Row attribute read by name costs ~0.3 us; a dashboard reads ~1,000 rows)."""
        if not rows:
            return []
        names = rows[0]._fields
        pick = itemgetter(names.index("id"), *map(names.index, cls.columns))
        attributes, converters = cls.attributes, cls.converters
        compose = cls.composer(names)
        out = []
        for row in rows:
            values = pick(row)
            fields = dict(zip(attributes, values[1:], strict=True))
            for name, convert in converters.items():
                fields[name] = convert(fields[name])
            if compose is not None:
                fields.update(compose(row))
            out.append(cls(pk=values[0], **fields))
        return out


@strawberry.type(description="A source text that records cite (a press release, a work plan).")
@stored("document")
class Document(Node):
    pass


@strawberry.type(description="An exact quote from a document that supports a record.")
class Citation:
    quote: str = strawberry.field(description="The supporting text, exactly as written.")
    document_id: strawberry.Private[int]

    @strawberry.field(description="The document quoted.")
    async def document(self, info: Info[Any, Any]) -> Document:
        return await _record(info, Document, self.document_id)


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
        request = page_request(first, after, last, before, name, spec.types, ranges=spec.ranges)
        return cls(name, spec.ordering(order.direction is OrderDirection.DESC), request)


_FIRST = "Return the first n items (at most 100)."
_AFTER = "Return items after this cursor."
_LAST = "Return the last n items (at most 100)."
_BEFORE = "Return items before this cursor."
_TOP_TASKS = select(catalog.task).where(catalog.task.c.parent_id.is_(None))
_ALL_TASKS = select(catalog.task)
_PLAN_STRATEGIES = select(catalog.strategy)


N = TypeVar("N", bound=Node)


async def _record(info: Info[Any, Any], kind: type[N], pk: int) -> N:
    """The ``kind`` record a to-one relation's key names (the compiled path follows the
    registry's ``ToOne``), through the request's batched loader."""
    return kind.from_row(await loader_factories.by_id(info, catalog.TABLES[kind.table]).load(pk))


async def _optional_record(info: Info[Any, Any], kind: type[N], pk: int | None) -> N | None:
    """``_record``, or None for a null key (a top-level task, region or organisation...)."""
    return None if pk is None else await _record(info, kind, pk)


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

    return make_connection(page, build, args.order_name, args.ordering, count)


def linked_tasks(entity: str, selection: DatasetFilter) -> tuple[Select[Any], ColumnElement[Any]]:
    """The selected tasks linked to a record of ``entity``, and the link's column that holds
    the record's id."""
    link, linked_id = catalog.TASK_LINKS[entity]
    return listing.tasks(selection).join(link, link.c.task_id == catalog.task.c.id), linked_id


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
        statement, linked_id = linked_tasks(self.table, selection)
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
@stored("plan")
class Plan(Sourced):
    document_id: strawberry.Private[int]

    @strawberry.field(description="The document that announced the plan.")
    async def document(self, info: Info[Any, Any]) -> Document:
        return await _record(info, Document, self.document_id)

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
@stored("strategy")
class Strategy(Sourced):
    plan_id: strawberry.Private[int]

    @strawberry.field(description="The plan the strategy belongs to.")
    async def plan(self, info: Info[Any, Any]) -> Plan:
        return await _record(info, Plan, self.plan_id)

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
@stored("task")
class Task(Sourced):
    strategy_id: strawberry.Private[int]
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The strategy the task belongs to.")
    async def strategy(self, info: Info[Any, Any]) -> Strategy:
        return await _record(info, Strategy, self.strategy_id)

    @strawberry.field(description="The task this one is a sub-item of; null for top-level tasks.")
    async def parent(self, info: Info[Any, Any]) -> Task | None:
        return await _optional_record(info, Task, self.parent_id)

    async def _list(self, info: Info[Any, Any], name: str) -> list[Any]:
        """The relation's objects, through the request's batched loader."""
        return await _load_list(info, name, self.pk)

    @strawberry.field(description="Sub-items of the task, in order.")
    async def subtasks(self, info: Info[Any, Any]) -> list[Task]:
        return cast(list[Task], await self._list(info, "subtasks"))

    @strawberry.field(description="Dated promises and events of the task, in order.")
    async def milestones(self, info: Info[Any, Any]) -> list[Milestone]:
        return cast(list[Milestone], await self._list(info, "milestones"))

    @strawberry.field(description="Money for the task, in order.")
    async def budgets(self, info: Info[Any, Any]) -> list[Budget]:
        return cast(list[Budget], await self._list(info, "budgets"))

    @strawberry.field(description="Quantitative goals of the task, in order.")
    async def targets(self, info: Info[Any, Any]) -> list[Target]:
        return cast(list[Target], await self._list(info, "targets"))

    @strawberry.field(description="Laws the task mentions (under any of their names).")
    async def laws(self, info: Info[Any, Any]) -> list[Law]:
        return cast(list[Law], await self._list(info, "laws"))

    @strawberry.field(description="Technologies the task concerns.")
    async def technologies(self, info: Info[Any, Any]) -> list[Technology]:
        return cast(list[Technology], await self._list(info, "technologies"))

    @strawberry.field(description="Regions the task concerns.")
    async def regions(self, info: Info[Any, Any]) -> list[Region]:
        return cast(list[Region], await self._list(info, "regions"))

    @strawberry.field(description="Organisations involved in the task.")
    async def organisations(self, info: Info[Any, Any]) -> list[Organisation]:
        return cast(list[Organisation], await self._list(info, "organisations"))


@strawberry.type(description="A dated promise or event of a task, with its date as written.")
@stored("milestone", date=FuzzyDate)
class Milestone(Sourced):
    task_id: strawberry.Private[int]
    date: FuzzyDate = strawberry.field(description="When, as written and as a span.")

    @strawberry.field(description="The task this milestone belongs to.")
    async def task(self, info: Info[Any, Any]) -> Task:
        return await _record(info, Task, self.task_id)

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
@stored("budget", amount=lambda amount, currency: Money(amount=str(amount), currency=currency))
class Budget(Sourced):
    task_id: strawberry.Private[int]
    amount: Money = strawberry.field(description="The exact amount.")

    @strawberry.field(description="The task the money is for.")
    async def task(self, info: Info[Any, Any]) -> Task:
        return await _record(info, Task, self.task_id)


@strawberry.type(description="An act, bill or legal framework, one record with all its names.")
@stored("law", enacted=FuzzyDate.of_parts)
class Law(TaskLinked):
    enacted: FuzzyDate | None = strawberry.field(
        description='When it was enacted, as the text gives it ("October 2021" is a month, '
        "never a day); null when the texts give no date."
    )

    @strawberry.field(
        description="The day the status holds as of: the publication date of the latest "
        "document that quotes the law (the status is what the documents state on their "
        "dates, not today's standing); null when a document quoting it gives no date."
    )
    async def status_as_of(self, info: Info[Any, Any]) -> Day | None:
        citations = await loader_factories.citations(info, "law").load(self.pk)
        documents = loader_factories.by_id(info, catalog.document)
        rows = await asyncio.gather(*(documents.load(c.document_id) for c in citations))
        dates: list[Day | None] = [row.published_on for row in rows]
        if not dates or None in dates:
            return None
        return max(d for d in dates if d is not None)

    @strawberry.field(description="Named groups of laws it belongs to, by name.")
    async def groups(self, info: Info[Any, Any]) -> list[LawGroup]:
        return LawGroup.from_rows(await _linked_rows(info, "law", "groups", self.pk))

    @strawberry.field(description="Other names the documents use for this law.")
    async def aliases(self, info: Info[Any, Any]) -> list[str]:
        return [row.alias for row in await loader_factories.law_aliases(info).load(self.pk)]

    @strawberry.field(
        description="Every name of the law as a document writes it, with that document."
    )
    async def names(self, info: Info[Any, Any]) -> list[LawName]:
        rows = await loader_factories.law_aliases(info).load(self.pk)
        return [
            LawName(name=row.alias, document_id=row.document_id)  # type: ignore[call-arg]
            for row in rows
        ]  # (``name`` is the law_alias.alias field that @stored places)


@strawberry.type(
    description='A group of laws a document names as one ("four laws", "the major five '
    'digital economy act"), with the laws the text names in it.'
)
@stored("law_group")
class LawGroup(Sourced):
    @strawberry.field(
        description="The laws the text names in the group, by title; fewer than statedCount "
        "when the text counts laws it does not name."
    )
    async def members(self, info: Info[Any, Any]) -> list[Law]:
        return Law.from_rows(await _linked_rows(info, "law_group", "members", self.pk))


async def _linked_rows(info: Info[Any, Any], entity: str, name: str, pk: int) -> Sequence[Any]:
    """The rows a many-to-many relation of the registry links to record ``pk``, in its order."""
    relation = registry.entity(entity).relation(name)
    assert isinstance(relation, registry.ManyToMany)
    target = catalog.TABLES[relation.target]
    link = relation.link
    statement = select(target).join(link, link.c[relation.far] == target.c.id)
    order = [target.c[column] for column in relation.order]
    loader = loader_factories.children(
        info, (entity, name), statement, link.c[relation.near], order
    )
    rows: Sequence[Any] = await loader.load(pk)
    return rows


@strawberry.type(description="A name of a law as written, and the document that uses it.")
@stored("law_alias", names={"alias": "name"})
class LawName:
    document_id: strawberry.Private[int | None]

    @strawberry.field(description="The document that uses this name; null if not recorded.")
    async def document(self, info: Info[Any, Any]) -> Document | None:
        return await _optional_record(info, Document, self.document_id)


@strawberry.type(description="A quantitative goal of a task.")
@stored(
    "target",
    date=FuzzyDate.of_parts,
    baseline=lambda value, year, text: Baseline(
        value=None if value is None else decimal_text(value), year=year, text=text
    ),
)
class Target(Sourced):
    task_id: strawberry.Private[int]
    date: FuzzyDate | None = strawberry.field(
        description='When the target is for, as the text gives it ("by 2027" is a deadline, '
        '"in 2023" a year, "(2023~)" a start); null when the text gives no date.'
    )
    year: int | None = strawberry.field(
        description="Year the target is for: the year its date ends in (null when open-ended).",
        deprecation_reason='Use date: a year alone cannot tell "by 2027" from "in 2027" '
        'or "(2023~)".',
    )
    baseline: Baseline | None = strawberry.field(description="The starting point, if given.")

    @strawberry.field(description="The task that sets this target.")
    async def task(self, info: Info[Any, Any]) -> Task:
        return await _record(info, Task, self.task_id)


@strawberry.type(description="Where a target starts from.")
class Baseline:
    value: str | None = strawberry.field(description="Baseline value as an exact decimal string.")
    year: int | None = strawberry.field(description="Year of the baseline.")
    text: str | None = strawberry.field(description="The baseline as written.")


@strawberry.type(description="A technology that tasks concern (AI, data, 5G…).")
@stored("technology")
class Technology(TaskLinked):
    pass


@strawberry.type(description="A country, province, city or area that tasks concern.")
@stored("region")
class Region(TaskLinked):
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The enclosing region; null for a country.")
    async def parent(self, info: Info[Any, Any]) -> Region | None:
        return await _optional_record(info, Region, self.parent_id)


@strawberry.type(description="A ministry, committee or other organisation involved in tasks.")
@stored("organisation")
class Organisation(TaskLinked):
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The organisation it belongs to; null for a top-level one.")
    async def parent(self, info: Info[Any, Any]) -> Organisation | None:
        return await _optional_record(info, Organisation, self.parent_id)


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
        LawGroup,
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
