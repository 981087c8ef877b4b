"""The dataset filter: one for GraphQL, exporters, HTTP routes and the CLI.

A ``DatasetFilter`` names what to include (plans, strategies, vocabularies, laws, a date
range); ``*_condition`` turn it into SQL conditions for the data core's queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, Select, Table, and_, exists, or_, select, true

from service.core import registry
from service.core.date_match import (
    BOUND_FORMATS,
    DateBoundError,
    DateMatch,
    SpanColumns,
    parse_bound,
    span_condition,
)
from service.core.errors import StratagraphError
from service.core.identifiers import is_code, is_slug
from service.core.models import (
    Budget,
    Citation,
    Document,
    Entity,
    Law,
    LawAlias,
    LawGroup,
    Milestone,
    Organisation,
    Plan,
    Region,
    Strategy,
    Target,
    Task,
    Technology,
    law_group_member,
    task_law,
    task_organisation,
    task_region,
    task_technology,
)
from service.core.search_index import records_matching, text_fields


class DatasetFilterError(StratagraphError):
    """A filter value is malformed; ``parameter`` names which one."""

    def __init__(self, parameter: str, problem: str) -> None:
        self.parameter = parameter
        self.problem = problem
        super().__init__(f"{parameter}: {problem}")


@dataclass(frozen=True)
class DatasetFilter:
    plans: tuple[str, ...] = ()  # plan slugs
    strategies: tuple[str, ...] = ()  # strategy codes
    technologies: tuple[str, ...] = ()  # technology slugs
    regions: tuple[str, ...] = ()  # region slugs
    organisations: tuple[str, ...] = ()  # organisation slugs
    laws: tuple[str, ...] = ()  # law slugs
    date_from: date | None = None  # inclusive first day of the date range
    date_to: date | None = None  # inclusive last day
    date_match: DateMatch = DateMatch.OVERLAPS  # how a record's span must meet the range
    # Narrower filters (GraphQL filter inputs; not HTTP parameters yet).
    text: str | None = None  # words in a task's code, title or description
    top_level: bool | None = None  # tasks without (True) or with (False) a parent
    task_kinds: tuple[str, ...] = ()  # what the tasks are in their text (TaskKind values)
    depth: int | None = None  # outline level of the tasks
    precisions: tuple[str, ...] = ()  # milestone date precisions
    milestone_kinds: tuple[str, ...] = ()
    milestone_statuses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("plans", "technologies", "regions", "organisations", "laws"):
            for value in getattr(self, name):
                if not is_slug(value):
                    raise DatasetFilterError(
                        _param(name),
                        f"{value!r} is not a slug (lower-case letters, digits and hyphens)",
                    )
        for value in self.strategies:
            if not is_code(value):
                raise DatasetFilterError("strategy", f"{value!r} is not a strategy code")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise DatasetFilterError(
                "from", f"{self.date_from.isoformat()} is after to={self.date_to.isoformat()}"
            )

    @property
    def is_everything(self) -> bool:
        return self == DatasetFilter()


PARAMETERS: Mapping[str, str] = {
    "plan": "plans",
    "strategy": "strategies",
    "technology": "technologies",
    "region": "regions",
    "organisation": "organisations",
    "law": "laws",
    "from": "date_from",
    "to": "date_to",
    "match": "date_match",
}


def _param(field_name: str) -> str:
    return next(p for p, f in PARAMETERS.items() if f == field_name)


def filter_from_params(params: Iterable[tuple[str, str]]) -> DatasetFilter:
    """Build a dataset filter from query parameters (repeatable, or comma-separated)."""
    values: dict[str, list[str]] = {}
    for key, raw in params:
        if key not in PARAMETERS:
            continue
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if parts:  # an empty value (a form field left blank) is no filter
            values.setdefault(key, []).extend(parts)
    kwargs: dict[str, object] = {}
    for key, items in values.items():
        field_name = PARAMETERS[key]
        if field_name == "date_match":
            kwargs[field_name] = parse_match(key, items)
        elif field_name.startswith("date_"):
            if len(items) != 1:
                raise DatasetFilterError(key, f"give one date ({BOUND_FORMATS})")
            kwargs[field_name] = parse_date_bound(key, items[0], upper=key == "to")
        else:
            kwargs[field_name] = tuple(dict.fromkeys(items))
    return DatasetFilter(**kwargs)  # type: ignore[arg-type]


def filter_to_params(dataset_filter: DatasetFilter) -> list[tuple[str, str]]:
    """The query parameters that ``filter_from_params`` turns back into ``dataset_filter``."""
    params: list[tuple[str, str]] = []
    for parameter, field_name in PARAMETERS.items():
        value = getattr(dataset_filter, field_name)
        if isinstance(value, DateMatch):
            if value is not DateMatch.OVERLAPS:
                params.append((parameter, value.value))
        elif isinstance(value, date):
            params.append((parameter, value.isoformat()))
        elif value:
            params.extend((parameter, item) for item in value)
    return params


def parse_date_bound(parameter: str, raw: str, *, upper: bool) -> date:
    """A range bound: a year or month stands for its first (``upper=False``) or last day."""
    try:
        return parse_bound(raw, upper=upper)
    except DateBoundError as error:
        raise DatasetFilterError(parameter, str(error)) from None


def parse_match(parameter: str, items: Sequence[str]) -> DateMatch:
    choices = ", ".join(m.value for m in DateMatch)
    if len(items) != 1:
        raise DatasetFilterError(parameter, f"give one of {choices}")
    try:
        return DateMatch(items[0].lower())
    except ValueError:
        raise DatasetFilterError(
            parameter, f"{items[0]!r} is not a way to match dates; use {choices}"
        ) from None


def task_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Tasks inside the filter's plans/strategies and tagged with its vocabularies."""
    conditions: list[ColumnElement[bool]] = []
    if dataset_filter.plans or dataset_filter.strategies:
        strategy_ids = select(Strategy.id)
        if dataset_filter.plans:
            strategy_ids = strategy_ids.join(Plan, Plan.id == Strategy.plan_id).where(
                Plan.slug.in_(dataset_filter.plans)
            )
        if dataset_filter.strategies:
            strategy_ids = strategy_ids.where(Strategy.code.in_(dataset_filter.strategies))
        conditions.append(Task.strategy_id.in_(strategy_ids))
    for link, column, model, slugs in (
        (task_technology, task_technology.c.technology_id, Technology, dataset_filter.technologies),
        (task_region, task_region.c.region_id, Region, dataset_filter.regions),
        (
            task_organisation,
            task_organisation.c.organisation_id,
            Organisation,
            dataset_filter.organisations,
        ),
        (task_law, task_law.c.law_id, Law, dataset_filter.laws),
    ):
        if slugs:
            conditions.append(
                exists()
                .where(link.c.task_id == Task.id)
                .where(column.in_(select(model.id).where(model.slug.in_(slugs))))
            )
    if dataset_filter.text:
        conditions.append(_text_condition("task", dataset_filter.text))
    if dataset_filter.top_level is not None:
        conditions.append(
            Task.parent_id.is_(None) if dataset_filter.top_level else Task.parent_id.is_not(None)
        )
    if dataset_filter.task_kinds:
        conditions.append(Task.kind.in_(dataset_filter.task_kinds))
    if dataset_filter.depth is not None:
        conditions.append(Task.depth == dataset_filter.depth)
    return and_(true(), *conditions)


_MILESTONE_SPAN = SpanColumns(Milestone.start_date, Milestone.end_date)  # type: ignore[arg-type]
_BUDGET_SPAN = SpanColumns(Budget.start_year, Budget.end_year, years=True)  # type: ignore[arg-type]
_TARGET_SPAN = SpanColumns(Target.date_start, Target.date_end)  # type: ignore[arg-type]


def _dates(dataset_filter: DatasetFilter, span: SpanColumns) -> ColumnElement[bool]:
    return span_condition(
        span, dataset_filter.date_from, dataset_filter.date_to, dataset_filter.date_match
    )


def _text_condition(entity: str, words: str) -> ColumnElement[bool]:
    """Rows whose text-filter sources (the registry's) contain ``words``, compared
    Unicode-folded through the search index."""
    entry = registry.entity(entity)
    matching = records_matching(entity, text_fields(entry, entry.text_filter), words)
    return entry.table.c.id.in_(matching)


def milestone_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Milestones of selected tasks whose (possibly open) span matches the date range."""
    conditions: list[ColumnElement[bool]] = []
    task_filter = task_condition(dataset_filter)
    if _narrows_tasks(dataset_filter):
        conditions.append(Milestone.task_id.in_(select(Task.id).where(task_filter)))
    conditions.append(_dates(dataset_filter, _MILESTONE_SPAN))
    for column, values in (
        (Milestone.precision, dataset_filter.precisions),
        (Milestone.kind, dataset_filter.milestone_kinds),
        (Milestone.status, dataset_filter.milestone_statuses),
    ):
        if values:
            conditions.append(column.in_(values))
    return and_(true(), *conditions)


def budget_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Budgets of selected tasks whose year span matches the date range."""
    conditions: list[ColumnElement[bool]] = []
    if _narrows_tasks(dataset_filter):
        conditions.append(Budget.task_id.in_(select(Task.id).where(task_condition(dataset_filter))))
    conditions.append(_dates(dataset_filter, _BUDGET_SPAN))
    return and_(true(), *conditions)


def strategy_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Strategies of the filter's plans and codes that, when the filter narrows tasks
    further (vocabularies, laws, text), hold at least one selected task."""
    conditions: list[ColumnElement[bool]] = []
    if dataset_filter.plans:
        conditions.append(
            Strategy.plan_id.in_(select(Plan.id).where(Plan.slug.in_(dataset_filter.plans)))
        )
    if dataset_filter.strategies:
        conditions.append(Strategy.code.in_(dataset_filter.strategies))
    if _narrows_tasks(replace(dataset_filter, plans=(), strategies=())):
        conditions.append(
            Strategy.id.in_(select(Task.strategy_id).where(task_condition(dataset_filter)))
        )
    return and_(true(), *conditions)


def plan_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Plans that hold a selected strategy (all plans when tasks are not narrowed)."""
    if not _narrows_tasks(dataset_filter):
        return true()
    return Plan.id.in_(select(Strategy.plan_id).where(strategy_condition(dataset_filter)))


def law_condition(
    dataset_filter: DatasetFilter, statuses: Sequence[str] = (), kinds: Sequence[str] = ()
) -> ColumnElement[bool]:
    """Laws with these statuses/kinds, named like ``dataset_filter.text`` (title or any
    alias), and, when the filter narrows tasks, mentioned by at least one selected task."""
    conditions: list[ColumnElement[bool]] = []
    if statuses:
        conditions.append(Law.status.in_(statuses))
    if kinds:
        conditions.append(Law.kind.in_(kinds))
    if dataset_filter.text:
        conditions.append(_text_condition("law", dataset_filter.text))
    task_only = replace(dataset_filter, laws=(), text=None)
    if _narrows_tasks(task_only) or dataset_filter.laws:
        if dataset_filter.laws:
            conditions.append(Law.slug.in_(dataset_filter.laws))
        if _narrows_tasks(task_only):
            conditions.append(
                exists()
                .where(task_law.c.law_id == Law.id)
                .where(task_law.c.task_id.in_(select(Task.id).where(task_condition(task_only))))
            )
    return and_(true(), *conditions)


def law_group_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Groups holding at least one of the filter's laws (all groups without laws)."""
    if not dataset_filter.laws:
        return true()
    named = select(Law.id).where(Law.slug.in_(dataset_filter.laws))
    return LawGroup.id.in_(
        select(law_group_member.c.law_group_id).where(law_group_member.c.law_id.in_(named))
    )


def target_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Targets of selected tasks whose date matches the date range (an undated target lies
    in no range: its null bounds mean "not given", not "open")."""
    conditions: list[ColumnElement[bool]] = []
    if _narrows_tasks(dataset_filter):
        conditions.append(Target.task_id.in_(select(Task.id).where(task_condition(dataset_filter))))
    if dataset_filter.date_from is not None or dataset_filter.date_to is not None:
        conditions.append(Target.date_edtf.is_not(None))
    conditions.append(_dates(dataset_filter, _TARGET_SPAN))
    return and_(true(), *conditions)


def _narrows_tasks(dataset_filter: DatasetFilter) -> bool:
    return bool(
        dataset_filter.text
        or dataset_filter.top_level is not None
        or dataset_filter.task_kinds
        or dataset_filter.depth is not None
        or dataset_filter.plans
        or dataset_filter.strategies
        or dataset_filter.technologies
        or dataset_filter.regions
        or dataset_filter.organisations
        or dataset_filter.laws
    )


# What an export holds besides the selected plans, strategies and task records: the laws,
# vocabulary rows and documents those records refer to, so a filtered export is complete
# (it imports on its own) and holds nothing else.


def selected_task_ids(dataset_filter: DatasetFilter) -> Select[int]:
    return select(Task.id).where(task_condition(dataset_filter))


def referenced_law_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Every law a selected task mentions (all laws when tasks are not narrowed)."""
    if not _narrows_tasks(dataset_filter):
        return true()
    return Law.id.in_(
        select(task_law.c.law_id).where(task_law.c.task_id.in_(selected_task_ids(dataset_filter)))
    )


def referenced_law_group_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Groups all of whose members are exported laws, so each member link imports."""
    if not _narrows_tasks(dataset_filter):
        return true()
    laws = select(Law.id).where(referenced_law_condition(dataset_filter))
    missing = select(law_group_member.c.law_group_id).where(law_group_member.c.law_id.not_in(laws))
    return LawGroup.id.not_in(missing)


def referenced_vocabulary_condition(
    model: type[Technology] | type[Region] | type[Organisation],
) -> Callable[[DatasetFilter], ColumnElement[bool]]:
    """Rows of ``model`` a selected task is tagged with, and their parents up the tree."""
    link, column = _VOCABULARY_LINKS[model]

    def condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
        if not _narrows_tasks(dataset_filter):
            return true()
        tagged = select(column).where(link.c.task_id.in_(selected_task_ids(dataset_filter)))
        if model is Technology:
            return Technology.id.in_(tagged)
        table = model.__table__
        parent = table.c.parent_id
        tree = select(table.c.id, parent).where(table.c.id.in_(tagged)).cte(recursive=True)
        above = table.alias()
        tree = tree.union(
            select(above.c.id, above.c.parent_id).join(tree, tree.c.parent_id == above.c.id)
        )
        return table.c.id.in_(select(tree.c.id))

    return condition


def referenced_document_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """Documents a selected record names: its plan's source, a law alias's source, or a
    citation of any exported record."""
    if not _narrows_tasks(dataset_filter):
        return true()
    laws = select(Law.id).where(referenced_law_condition(dataset_filter))
    cited_subjects: list[ColumnElement[bool]] = [
        Citation.plan_id.in_(select(Plan.id).where(plan_condition(dataset_filter))),
        Citation.strategy_id.in_(select(Strategy.id).where(strategy_condition(dataset_filter))),
        Citation.task_id.in_(selected_task_ids(dataset_filter)),
        Citation.milestone_id.in_(select(Milestone.id).where(milestone_condition(dataset_filter))),
        Citation.budget_id.in_(select(Budget.id).where(budget_condition(dataset_filter))),
        Citation.target_id.in_(select(Target.id).where(target_condition(dataset_filter))),
        Citation.law_id.in_(laws),
        Citation.law_alias_id.in_(select(LawAlias.id).where(LawAlias.law_id.in_(laws))),
        Citation.law_group_id.in_(
            select(LawGroup.id).where(referenced_law_group_condition(dataset_filter))
        ),
    ]
    for model, column in (
        (Technology, Citation.technology_id),
        (Region, Citation.region_id),
        (Organisation, Citation.organisation_id),
    ):
        rows = select(model.id).where(referenced_vocabulary_condition(model)(dataset_filter))
        cited_subjects.append(column.in_(rows))
    return or_(
        Document.id.in_(select(Plan.document_id).where(plan_condition(dataset_filter))),
        Document.id.in_(select(LawAlias.document_id).where(LawAlias.law_id.in_(laws))),
        Document.id.in_(select(Citation.document_id).where(or_(*cited_subjects))),
    )


_VOCABULARY_LINKS: Mapping[type[Entity], tuple[Table, ColumnElement[int]]] = {
    Technology: (task_technology, task_technology.c.technology_id),
    Region: (task_region, task_region.c.region_id),
    Organisation: (task_organisation, task_organisation.c.organisation_id),
}
