"""The Query root: lookups, Relay node fields and the top-level connections."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from schema import lists, loader_factories
from schema.connection import Connection
from schema.errors import BadUserInput
from schema.inputs import (
    BudgetFilter,
    BudgetOrder,
    LawFilter,
    LawGroupFilter,
    LawGroupOrder,
    LawOrder,
    MilestoneFilter,
    MilestoneOrder,
    StrategyFilter,
    StrategyOrder,
    TargetFilter,
    TargetOrder,
    TaskFilter,
    TaskOrder,
)
from schema.relay import decode_id
from schema.search import SearchHit, SearchType
from schema.search import search as search_records
from schema.types.entities import (
    _AFTER,
    _BEFORE,
    _FIRST,
    _LAST,
    NODE_TYPES,
    Budget,
    Document,
    Law,
    LawGroup,
    Milestone,
    Node,
    Organisation,
    PageArgs,
    Plan,
    Region,
    Strategy,
    Target,
    Task,
    Technology,
)
from schema.types.summary import BudgetGroup, BudgetTotal
from service.core.identifiers import is_code, is_slug
from service.core.queries import catalog


def node_of(global_id: str, argument: str) -> tuple[type[Node], int]:
    """The Node type and primary key a global ID names; BAD_USER_INPUT when it names none."""
    type_name, pk = decode_id(global_id, argument)
    kind = NODE_TYPES.get(type_name)
    if kind is None:
        raise BadUserInput(argument, f"{global_id!r} is not a global ID returned by this API")
    return kind, pk


def check_node_ids(ids: list[strawberry.ID]) -> None:
    if len(ids) > 100:
        raise BadUserInput("ids", f"{len(ids)} IDs given; ask for at most 100 at a time")


def check_key(column: str, value: str) -> None:
    """BAD_USER_INPUT unless ``value`` has the form of a ``column`` key (slug or code)."""
    valid, what = (
        (is_slug, "a slug (lower-case letters, digits and hyphens)")
        if column == "slug"
        else (is_code, "a code (letters, digits, '.', '_' and '-')")
    )
    if not valid(value):
        raise BadUserInput(column, f"{value!r} is not {what}")


async def _node(info: Info[Any, Any], global_id: str, argument: str) -> Node | None:
    kind, pk = node_of(global_id, argument)
    row = await loader_factories.by_id(info, catalog.TABLES[kind.table]).load(pk)
    return kind.from_row(row) if row is not None else None


K = TypeVar("K", bound=Node)


async def _by_key(info: Info[Any, Any], kind: type[K], column: str, value: str) -> K | None:
    """The record whose natural key ``column`` (slug or code) is ``value``; None if none."""
    check_key(column, value)
    row = await loader_factories.by_column(info, catalog.TABLES[kind.table], column).load(value)
    return kind.from_row(row) if row is not None else None


@strawberry.type(description="Read access to the policy dataset.")
class Query:
    @strawberry.field(description="Any object by its global ID; null when it does not exist.")
    async def node(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID.")],
    ) -> Node | None:
        return await _node(info, id, "id")

    @strawberry.field(description="Objects by global IDs, in the order given (null where missing).")
    async def nodes(
        self,
        info: Info[Any, Any],
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global IDs (at most 100).")
        ],
    ) -> list[Node | None]:
        check_node_ids(ids)
        # Gathered, so that the lookups of one type meet in one batched statement.
        return list(await asyncio.gather(*(_node(info, i, "ids") for i in ids)))

    @strawberry.field(description="The source documents.")
    async def documents(self, info: Info[Any, Any]) -> list[Document]:
        rows = await loader_factories.context(info).reader.rows(
            select(catalog.document).order_by(catalog.document.c.id)
        )
        return [Document.from_row(r) for r in rows]

    @strawberry.field(description="All plans, by announcement date.")
    async def plans(self, info: Info[Any, Any]) -> list[Plan]:
        p = catalog.plan
        rows = await loader_factories.context(info).reader.rows(
            select(p).order_by(p.c.announced_on.asc().nulls_first(), p.c.id)
        )
        return [Plan.from_row(r) for r in rows]

    @strawberry.field(description="A plan by slug; null when there is none.")
    async def plan(
        self,
        info: Info[Any, Any],
        slug: Annotated[str, strawberry.argument(description="e.g. digital-strategy-of-korea")],
    ) -> Plan | None:
        return await _by_key(info, Plan, "slug", slug)

    @strawberry.field(description="A strategy by code; null when there is none.")
    async def strategy(
        self,
        info: Info[Any, Any],
        code: Annotated[str, strawberry.argument(description="e.g. DSK-I or MSIT23-2")],
    ) -> Strategy | None:
        return await _by_key(info, Strategy, "code", code)

    @strawberry.field(description="A task or sub-task by code; null when there is none.")
    async def task(
        self,
        info: Info[Any, Any],
        code: Annotated[str, strawberry.argument(description="e.g. DSK-I-2 or DSK-I-2-1")],
    ) -> Task | None:
        return await _by_key(info, Task, "code", code)

    @strawberry.field(description="A law by slug; null when there is none.")
    async def law(
        self,
        info: Info[Any, Any],
        slug: Annotated[str, strawberry.argument(description="e.g. data-framework-act")],
    ) -> Law | None:
        return await _by_key(info, Law, "slug", slug)

    @strawberry.field(description="A technology by slug; null when there is none.")
    async def technology(
        self,
        info: Info[Any, Any],
        slug: Annotated[str, strawberry.argument(description="e.g. ai")],
    ) -> Technology | None:
        return await _by_key(info, Technology, "slug", slug)

    @strawberry.field(description="A region by slug; null when there is none.")
    async def region(
        self,
        info: Info[Any, Any],
        slug: Annotated[str, strawberry.argument(description="e.g. goseong-county")],
    ) -> Region | None:
        return await _by_key(info, Region, "slug", slug)

    @strawberry.field(description="An organisation by slug; null when there is none.")
    async def organisation(
        self,
        info: Info[Any, Any],
        slug: Annotated[str, strawberry.argument(description="e.g. un-escap")],
    ) -> Organisation | None:
        return await _by_key(info, Organisation, "slug", slug)

    @strawberry.field(description="A source document by slug; null when there is none.")
    async def document(
        self,
        info: Info[Any, Any],
        slug: Annotated[str, strawberry.argument(description="e.g. msit-work-plan-2023")],
    ) -> Document | None:
        return await _by_key(info, Document, "slug", slug)

    @strawberry.field(description="Strategies of all plans (or filtered).")
    async def strategies(
        self,
        info: Info[Any, Any],
        filter: Annotated[
            StrategyFilter | None, strawberry.argument(description="Which to include.")
        ] = None,
        order_by: Annotated[
            StrategyOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
    ) -> Connection[Strategy]:
        args = PageArgs.of(order_by or StrategyOrder(), first, after, last, before)
        return await lists.paged(
            info, await lists.STRATEGIES.checked_statement(info, filter), args, Strategy.from_rows
        )

    @strawberry.field(description="Tasks and sub-tasks, filtered and ordered.")
    async def tasks(
        self,
        info: Info[Any, Any],
        filter: Annotated[
            TaskFilter | None, strawberry.argument(description="Which to include.")
        ] = None,
        order_by: Annotated[
            TaskOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
    ) -> Connection[Task]:
        args = PageArgs.of(order_by or TaskOrder(), first, after, last, before)
        return await lists.paged(
            info, await lists.TASKS.checked_statement(info, filter), args, Task.from_rows
        )

    @strawberry.field(
        description="Milestones, filtered (a fuzzy date matches when its span overlaps "
        "the range) and ordered."
    )
    async def milestones(
        self,
        info: Info[Any, Any],
        filter: Annotated[
            MilestoneFilter | None, strawberry.argument(description="Which to include.")
        ] = None,
        order_by: Annotated[
            MilestoneOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
    ) -> Connection[Milestone]:
        args = PageArgs.of(order_by or MilestoneOrder(), first, after, last, before)
        return await lists.paged(
            info, await lists.MILESTONES.checked_statement(info, filter), args, Milestone.from_rows
        )

    @strawberry.field(description="Budgets, filtered and ordered.")
    async def budgets(
        self,
        info: Info[Any, Any],
        filter: Annotated[
            BudgetFilter | None, strawberry.argument(description="Which to include.")
        ] = None,
        order_by: Annotated[
            BudgetOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
    ) -> Connection[Budget]:
        args = PageArgs.of(order_by or BudgetOrder(), first, after, last, before)
        return await lists.paged(
            info, await lists.BUDGETS.checked_statement(info, filter), args, Budget.from_rows
        )

    @strawberry.field(description="Laws, filtered and ordered.")
    async def laws(
        self,
        info: Info[Any, Any],
        filter: Annotated[
            LawFilter | None, strawberry.argument(description="Which to include.")
        ] = None,
        order_by: Annotated[LawOrder | None, strawberry.argument(description="Sort order.")] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
    ) -> Connection[Law]:
        args = PageArgs.of(order_by or LawOrder(), first, after, last, before)
        return await lists.paged(
            info, await lists.LAWS.checked_statement(info, filter), args, Law.from_rows
        )

    @strawberry.field(description="A named group of laws by slug; null when there is none.")
    async def law_group(
        self,
        info: Info[Any, Any],
        slug: Annotated[str, strawberry.argument(description="e.g. four-laws")],
    ) -> LawGroup | None:
        return await _by_key(info, LawGroup, "slug", slug)

    @strawberry.field(description="Named groups of laws, filtered and ordered.")
    async def law_groups(
        self,
        info: Info[Any, Any],
        filter: Annotated[
            LawGroupFilter | None, strawberry.argument(description="Which to include.")
        ] = None,
        order_by: Annotated[
            LawGroupOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
    ) -> Connection[LawGroup]:
        args = PageArgs.of(order_by or LawGroupOrder(), first, after, last, before)
        return await lists.paged(
            info, await lists.LAW_GROUPS.checked_statement(info, filter), args, LawGroup.from_rows
        )

    @strawberry.field(description="Targets, filtered and ordered.")
    async def targets(
        self,
        info: Info[Any, Any],
        filter: Annotated[
            TargetFilter | None, strawberry.argument(description="Which to include.")
        ] = None,
        order_by: Annotated[
            TargetOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=_LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=_BEFORE)] = None,
    ) -> Connection[Target]:
        args = PageArgs.of(order_by or TargetOrder(), first, after, last, before)
        return await lists.paged(
            info, await lists.TARGETS.checked_statement(info, filter), args, Target.from_rows
        )

    @strawberry.field(description="All technologies, by name.")
    async def technologies(self, info: Info[Any, Any]) -> list[Technology]:
        table = catalog.technology
        rows = await loader_factories.context(info).reader.rows(
            select(table).order_by(table.c.name, table.c.id)
        )
        return [Technology.from_row(r) for r in rows]

    @strawberry.field(description="All regions, by name.")
    async def regions(self, info: Info[Any, Any]) -> list[Region]:
        table = catalog.region
        rows = await loader_factories.context(info).reader.rows(
            select(table).order_by(table.c.name, table.c.id)
        )
        return [Region.from_row(r) for r in rows]

    @strawberry.field(description="All organisations, by name.")
    async def organisations(self, info: Info[Any, Any]) -> list[Organisation]:
        table = catalog.organisation
        rows = await loader_factories.context(info).reader.rows(
            select(table).order_by(table.c.name, table.c.id)
        )
        return [Organisation.from_row(r) for r in rows]

    @strawberry.field(
        description="Ranked full-text search: records whose texts contain every word of the "
        "query as whole words (case, accents written composed or decomposed, and scripts "
        "beyond ASCII compared Unicode-correctly), over titles, descriptions, labels, codes "
        "and slugs, names (laws under each of their names) and the source quotes. One hit per "
        "record, best first."
    )
    async def search(
        self,
        info: Info[Any, Any],
        query: Annotated[str, strawberry.argument(description="Words to look for.")],
        types: Annotated[
            list[SearchType] | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only records of these types (default: all)."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
    ) -> Connection[SearchHit]:
        return await search_records(info, query, types, first, after)

    @strawberry.field(
        description="Budget totals per plan, strategy, technology or period, as exact decimal "
        "strings. Only budgets that can be added up meet in a total: one kind (a TOTAL over a "
        "period, or an ANNUAL level), the same first and last year, one currency. A total over "
        "several years is never split into years, and never added to annual levels."
    )
    async def budget_summary(
        self,
        info: Info[Any, Any],
        group_by: Annotated[BudgetGroup, strawberry.argument(description="How to group.")],
        filter: Annotated[
            BudgetFilter | None, strawberry.argument(description="Which budgets to include.")
        ] = None,
    ) -> list[BudgetTotal]:
        return await lists.budget_summary(info, group_by.name.lower(), filter)
