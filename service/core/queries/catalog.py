"""Tables, named orderings and relations of the entities, for keyset pages and batched loads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, select

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
from service.core.queries.paging import Ordering, SortKey


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


document = _table(Document)
plan = _table(Plan)
strategy = _table(Strategy)
task = _table(Task)
milestone = _table(Milestone)
budget = _table(Budget)
law = _table(Law)
law_alias = _table(LawAlias)
target = _table(Target)
technology = _table(Technology)
region = _table(Region)
organisation = _table(Organisation)
citation = _table(Citation)

TABLES: Mapping[str, Table] = {
    t.name: t
    for t in (
        document,
        plan,
        strategy,
        task,
        milestone,
        budget,
        law,
        target,
        technology,
        region,
        organisation,
    )
}


@dataclass(frozen=True)
class OrderSpec:
    """A named sort order: its key columns (ending with the id) and each key's value type."""

    keys: tuple[SortKey, ...]
    types: tuple[type, ...]

    def ordering(self, descending: bool = False) -> Ordering:
        return Ordering(self.keys, descending)


def _spec(*columns: ColumnElement[Any], types: tuple[type, ...]) -> OrderSpec:
    keys = tuple(SortKey(c, nullable=bool(getattr(c, "nullable", False))) for c in columns)
    return OrderSpec(keys, types)


ORDERS: Mapping[str, Mapping[str, OrderSpec]] = {
    "plan": {
        "SLUG": _spec(plan.c.slug, plan.c.id, types=(str, int)),
        "ANNOUNCED_ON": _spec(plan.c.announced_on, plan.c.id, types=(date, int)),
        "ID": _spec(plan.c.id, types=(int,)),
    },
    "strategy": {
        "POSITION": _spec(
            strategy.c.plan_id, strategy.c.position, strategy.c.id, types=(int, int, int)
        ),
        "CODE": _spec(strategy.c.code, strategy.c.id, types=(str, int)),
        "TITLE": _spec(strategy.c.title, strategy.c.id, types=(str, int)),
        "ID": _spec(strategy.c.id, types=(int,)),
    },
    "task": {
        "POSITION": _spec(task.c.strategy_id, task.c.position, task.c.id, types=(int, int, int)),
        "CODE": _spec(task.c.code, task.c.id, types=(str, int)),
        "TITLE": _spec(task.c.title, task.c.id, types=(str, int)),
        "ID": _spec(task.c.id, types=(int,)),
    },
    "milestone": {
        "START_DATE": _spec(milestone.c.start_date, milestone.c.id, types=(date, int)),
        "END_DATE": _spec(milestone.c.end_date, milestone.c.id, types=(date, int)),
        "POSITION": _spec(
            milestone.c.task_id, milestone.c.position, milestone.c.id, types=(int, int, int)
        ),
        "TITLE": _spec(milestone.c.title, milestone.c.id, types=(str, int)),
        "ID": _spec(milestone.c.id, types=(int,)),
    },
    "budget": {
        "AMOUNT": _spec(budget.c.amount, budget.c.id, types=(int, int)),
        "START_YEAR": _spec(budget.c.start_year, budget.c.id, types=(int, int)),
        "POSITION": _spec(budget.c.task_id, budget.c.position, budget.c.id, types=(int, int, int)),
        "ID": _spec(budget.c.id, types=(int,)),
    },
    "law": {
        "TITLE": _spec(law.c.title, law.c.id, types=(str, int)),
        "SLUG": _spec(law.c.slug, law.c.id, types=(str, int)),
        "ENACTED": _spec(law.c.enacted_start, law.c.id, types=(date, int)),
        "ID": _spec(law.c.id, types=(int,)),
    },
    "target": {
        "YEAR": _spec(target.c.year, target.c.id, types=(int, int)),
        "METRIC": _spec(target.c.metric, target.c.id, types=(str, int)),
        "POSITION": _spec(target.c.task_id, target.c.position, target.c.id, types=(int, int, int)),
        "ID": _spec(target.c.id, types=(int,)),
    },
}


def all_rows(table: Table) -> Select[Any]:
    return select(table)


# Link tables from tasks to laws and vocabularies: (link table, its column for the other side).
TASK_LINKS: Mapping[str, tuple[Table, ColumnElement[Any]]] = {
    "law": (task_law, task_law.c.law_id),
    "technology": (task_technology, task_technology.c.technology_id),
    "region": (task_region, task_region.c.region_id),
    "organisation": (task_organisation, task_organisation.c.organisation_id),
}
