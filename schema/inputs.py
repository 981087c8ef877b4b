"""Input objects: sort orders and filters of the connections.

The orderBy enums are the entity registry's connection orderings (names, descriptions and
the default), so an ordering is declared once, in ``service/core/registry/entities.py``.

Filters translate into the data core's ``Selection`` (the one source of filter logic shared
with exporters, HTTP routes and the CLI) plus per-entity extras.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import Enum
from typing import Any, ClassVar

import strawberry

from schema.errors import BadUserInput
from schema.types.enums import (
    DatePrecisionEnum,
    LawKindEnum,
    LawStatusEnum,
    MilestoneKindEnum,
    MilestoneStatusEnum,
    OrderDirection,
    TaskKindEnum,
)
from service.core import registry
from service.core.dataset_filter import DatasetFilter, DatasetFilterError, parse_date_bound
from service.core.date_match import DateMatch


def _order_fields(entity: str, note: str = "") -> type[Enum]:
    """The GraphQL enum of the registry's orderings of ``entity``: one value per ordering,
    named and described as the registry declares it."""
    entry = registry.entity(entity)
    name = "".join(part.capitalize() for part in entity.split("_")) + "OrderField"
    values = {
        key: strawberry.enum_value(key.lower(), description=order.description)
        for key, order in entry.orders.items()
    }
    fields = Enum(name, values)  # type: ignore[misc]
    description = f"Fields {entry.plural} can be ordered by{note}."
    return strawberry.enum(fields, description=description)


def _sort_by(fields: type[Enum], entity: str) -> Any:
    """The ``field`` argument of an order input: the registry's default ordering."""
    default = registry.entity(entity).default_order
    assert default is not None, f"{entity} has no default ordering in the registry"
    return strawberry.field(default=fields[default], description="What to sort by.")


StrategyOrderField = _order_fields("strategy")
TaskOrderField = _order_fields("task")
MilestoneOrderField = _order_fields("milestone", " (open bounds sort first)")
BudgetOrderField = _order_fields("budget")
LawOrderField = _order_fields("law")
LawGroupOrderField = _order_fields("law_group")
TargetOrderField = _order_fields("target")


_DIRECTION = "ASC (default) or DESC."


@strawberry.input(description="Order of strategies; ties are broken by id.")
class StrategyOrder:
    table: ClassVar[str] = "strategy"
    field: StrategyOrderField = _sort_by(StrategyOrderField, "strategy")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="Order of tasks; ties are broken by id.")
class TaskOrder:
    table: ClassVar[str] = "task"
    field: TaskOrderField = _sort_by(TaskOrderField, "task")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="Order of milestones; ties are broken by id.")
class MilestoneOrder:
    table: ClassVar[str] = "milestone"
    field: MilestoneOrderField = _sort_by(MilestoneOrderField, "milestone")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="Order of budgets; ties are broken by id.")
class BudgetOrder:
    table: ClassVar[str] = "budget"
    field: BudgetOrderField = _sort_by(BudgetOrderField, "budget")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="Order of laws; ties are broken by id.")
class LawOrder:
    table: ClassVar[str] = "law"
    field: LawOrderField = _sort_by(LawOrderField, "law")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="Order of law groups; ties are broken by id.")
class LawGroupOrder:
    table: ClassVar[str] = "law_group"
    field: LawGroupOrderField = _sort_by(LawGroupOrderField, "law_group")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


@strawberry.input(description="Order of targets; ties are broken by id.")
class TargetOrder:
    table: ClassVar[str] = "target"
    field: TargetOrderField = _sort_by(TargetOrderField, "target")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description=_DIRECTION)


_PLANS = "Only items of these plans (slugs)."
_STRATEGIES = "Only items of these strategies (codes)."
_TECHNOLOGIES = "Only items of tasks tagged with any of these technologies (slugs)."
_REGIONS = "Only items of tasks tagged with any of these regions (slugs)."
_ORGANISATIONS = "Only items of tasks involving any of these organisations (slugs)."
_LAWS = "Only items of tasks that mention any of these laws (slugs)."


@strawberry.enum(description="How a record's (possibly open) date span must meet a date range.")
class DateMatchMode(Enum):
    OVERLAPS = strawberry.enum_value(
        "overlaps", description="The span shares at least one day with the range (default)."
    )
    WITHIN = strawberry.enum_value("within", description="The whole span lies inside the range.")
    STARTS = strawberry.enum_value(
        "starts", description="The span's first day lies inside the range (an open start never)."
    )
    ENDS = strawberry.enum_value(
        "ends", description="The span's last day lies inside the range (an open end never)."
    )


_BOUND = "YYYY, YYYY-MM or YYYY-MM-DD"


@strawberry.input(
    description="A date range and how a record's span must meet it. A year or a month stands "
    'for its whole span: from: "2024" is 2024-01-01, to: "2024" is 2024-12-31.'
)
class DateRange:
    from_: str | None = strawberry.field(
        default=None, name="from", description=f"First day of the range ({_BOUND}); open if null."
    )
    to: str | None = strawberry.field(
        default=None, description=f"Last day of the range ({_BOUND}); open if null."
    )
    match: DateMatchMode = strawberry.field(
        default=DateMatchMode.OVERLAPS, description="How the span must meet the range."
    )


_DATE = "Only items whose date span meets this range."


@strawberry.input(description="Which tasks to include; all conditions must hold.")
class TaskFilter:
    plans: list[str] | None = strawberry.field(default=None, description=_PLANS)
    strategies: list[str] | None = strawberry.field(default=None, description=_STRATEGIES)
    technologies: list[str] | None = strawberry.field(default=None, description=_TECHNOLOGIES)
    regions: list[str] | None = strawberry.field(default=None, description=_REGIONS)
    organisations: list[str] | None = strawberry.field(default=None, description=_ORGANISATIONS)
    laws: list[str] | None = strawberry.field(default=None, description=_LAWS)
    text: str | None = strawberry.field(
        default=None, description="Words in the code, title or description (case-insensitive)."
    )
    top_level: bool | None = strawberry.field(
        default=None, description="true: only tasks without a parent; false: only sub-tasks."
    )
    kinds: list[TaskKindEnum] | None = strawberry.field(
        default=None, description="Only items of these kinds (e.g. CORE_TASK, INITIATIVE)."
    )
    depth: int | None = strawberry.field(
        default=None, description="Only items at this outline level (1: under the strategy)."
    )


@strawberry.input(description="Which milestones to include; all conditions must hold.")
class MilestoneFilter:
    plans: list[str] | None = strawberry.field(default=None, description=_PLANS)
    strategies: list[str] | None = strawberry.field(default=None, description=_STRATEGIES)
    technologies: list[str] | None = strawberry.field(default=None, description=_TECHNOLOGIES)
    regions: list[str] | None = strawberry.field(default=None, description=_REGIONS)
    laws: list[str] | None = strawberry.field(default=None, description=_LAWS)
    date: DateRange | None = strawberry.field(default=None, description=_DATE)
    precisions: list[DatePrecisionEnum] | None = strawberry.field(
        default=None, description="Only these date precisions."
    )
    kinds: list[MilestoneKindEnum] | None = strawberry.field(
        default=None, description="Only these kinds."
    )
    statuses: list[MilestoneStatusEnum] | None = strawberry.field(
        default=None, description="Only these statuses."
    )


@strawberry.input(description="Which budgets to include; all conditions must hold.")
class BudgetFilter:
    plans: list[str] | None = strawberry.field(default=None, description=_PLANS)
    strategies: list[str] | None = strawberry.field(default=None, description=_STRATEGIES)
    technologies: list[str] | None = strawberry.field(default=None, description=_TECHNOLOGIES)
    date: DateRange | None = strawberry.field(
        default=None,
        description=_DATE + " A budget's span runs from 1 January of its first year to "
        "31 December of its last.",
    )


@strawberry.input(description="Which laws to include; all conditions must hold.")
class LawFilter:
    statuses: list[LawStatusEnum] | None = strawberry.field(
        default=None, description="Only laws with these statuses."
    )
    kinds: list[LawKindEnum] | None = strawberry.field(
        default=None, description="Only laws of these kinds."
    )
    plans: list[str] | None = strawberry.field(
        default=None, description="Only laws mentioned by tasks of these plans (slugs)."
    )
    text: str | None = strawberry.field(
        default=None, description="Words in the title or any alias (case-insensitive)."
    )


@strawberry.input(description="Which groups of laws to include.")
class LawGroupFilter:
    laws: list[str] | None = strawberry.field(
        default=None, description="Only groups holding any of these laws (slugs)."
    )


@strawberry.input(description="Which targets to include; all conditions must hold.")
class TargetFilter:
    plans: list[str] | None = strawberry.field(default=None, description=_PLANS)
    strategies: list[str] | None = strawberry.field(default=None, description=_STRATEGIES)
    date: DateRange | None = strawberry.field(
        default=None,
        description=_DATE + " A target's span is its date as the text gives it; a target "
        "without a date lies in no range.",
    )


@strawberry.input(description="Which strategies to include.")
class StrategyFilter:
    plans: list[str] | None = strawberry.field(default=None, description=_PLANS)


def task_selection(f: TaskFilter | None) -> DatasetFilter:
    f = f or TaskFilter()
    base = dataset_filter(
        plans=f.plans,
        strategies=f.strategies,
        technologies=f.technologies,
        regions=f.regions,
        organisations=f.organisations,
        laws=f.laws,
    )
    if f.depth is not None and not 1 <= f.depth <= 100:
        raise BadUserInput("filter.depth", f"{f.depth} is not an outline level (1 to 100)")
    return replace(
        base,
        text=f.text or None,
        top_level=f.top_level,
        task_kinds=tuple(dict.fromkeys(str(kind.value) for kind in f.kinds or ())),
        depth=f.depth,
    )


def _tuple(values: list[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values or ()))


def dataset_filter(
    plans: list[str] | None = None,
    strategies: list[str] | None = None,
    technologies: list[str] | None = None,
    regions: list[str] | None = None,
    organisations: list[str] | None = None,
    laws: list[str] | None = None,
    date_range: DateRange | None = None,
) -> DatasetFilter:
    """A data-core ``DatasetFilter``; its validation errors become BAD_USER_INPUT."""
    date_from, date_to = _bounds(date_range)
    try:
        return DatasetFilter(
            plans=_tuple(plans),
            strategies=_tuple(strategies),
            technologies=_tuple(technologies),
            regions=_tuple(regions),
            organisations=_tuple(organisations),
            laws=_tuple(laws),
            date_from=date_from,
            date_to=date_to,
            date_match=DateMatch[date_range.match.name] if date_range else DateMatch.OVERLAPS,
        )
    except DatasetFilterError as exc:
        raise BadUserInput(filter_argument(exc.parameter), exc.problem) from None


def _bounds(date_range: DateRange | None) -> tuple[date | None, date | None]:
    if date_range is None:
        return None, None
    bounds = []
    for name, text, upper in (("from", date_range.from_, False), ("to", date_range.to, True)):
        try:
            bounds.append(None if text is None else parse_date_bound(name, text, upper=upper))
        except DatasetFilterError as exc:
            raise BadUserInput(f"filter.date.{name}", exc.problem) from None
    return bounds[0], bounds[1]


_FILTER_NAMES = {
    "from": "date.from",
    "to": "date.to",
    "plan": "plans",
    "strategy": "strategies",
    "technology": "technologies",
    "region": "regions",
    "organisation": "organisations",
    "law": "laws",
}


def filter_argument(parameter: str) -> str:
    """The GraphQL argument path of a ``DatasetFilter`` query parameter."""
    return f"filter.{_FILTER_NAMES.get(parameter, parameter)}"
