"""The entities of the dataset, each declared once: what is related, ordered, searched and
computed. What is stored (columns, types, descriptions) is read from the models."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Integer, Table, case, cast, func, select

from service.core.models import (
    Budget,
    Citation,
    Document,
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
from service.core.models.citation import CITABLE_TABLES
from service.core.registry.spec import (
    Composite,
    Computed,
    EntityInfo,
    ManyToMany,
    Order,
    Provenance,
    Through,
    ToMany,
    ToOne,
)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _top_level(tasks: FromClause) -> ColumnElement[bool]:
    return tasks.c.parent_id.is_(None)


def _span_year(milestones: FromClause) -> ColumnElement[Any]:
    """The year a milestone's span ends in (or starts in, when it is open-ended)."""
    bound = func.coalesce(milestones.c.end_date, milestones.c.start_date)
    return cast(func.extract("year", bound), Integer)


def _plan_announcement(milestones: FromClause) -> ColumnElement[Any]:
    """The day the plan of a milestone's task was announced."""
    task, strategy, plan = _table(Task), _table(Strategy), _table(Plan)
    chain = task.join(strategy, strategy.c.id == task.c.strategy_id).join(
        plan, plan.c.id == strategy.c.plan_id
    )
    found = select(plan.c.announced_on).select_from(chain)
    return found.where(task.c.id == milestones.c.task_id).scalar_subquery()


def _latest_quoting_document(laws: FromClause) -> ColumnElement[Any]:
    """The publication day of the latest document quoting a law; null when none quotes it or
    one of them has no date (the latest day is then unknown)."""
    citation, document = _table(Citation), _table(Document)
    quoting = citation.join(document, document.c.id == citation.c.document_id)
    dated = func.count(document.c.published_on) == func.count()
    latest = select(case((dated, func.max(document.c.published_on)))).select_from(quoting)
    return latest.where(citation.c.law_id == laws.c.id).scalar_subquery()


def _status_as_of(sql: Any, description: str) -> Computed:
    return Computed("status_as_of", sql, date, description)


def _linked_tasks(link: Table, far: str, description: str) -> ManyToMany:
    return ManyToMany("tasks", "task", link, far, "task_id", ("id",), description)


def _task_link(name: str, target: str, link: Table, description: str) -> ManyToMany:
    return ManyToMany(name, target, link, "task_id", f"{target}_id", ("id",), description)


def _task(description: str) -> ToOne:
    return ToOne("task", "task_id", "task", description)


def _by(column: str, description: str) -> Order:
    """An ordering by one column, ties broken by id."""
    return Order((column, "id"), description)


def _fuzzy_date(name: str, description: str) -> Composite:
    """A date the text gives, kept as written: ``{name}_text``, ``{name}_edtf`` and the span
    the loader derives (``_start``, ``_end``, ``_precision``); absent without an EDTF value."""
    parts = {part: f"{name}_{part}" for part in ("text", "edtf", "start", "end", "precision")}
    return Composite(name, parts, description, present_when=(f"{name}_edtf",))


_TEXT_ORDER = "The text's order."
_ID = Order(("id",), "Creation order (the primary key).")
_POSITION_IN_TASK = Order(("task_id", "position", "id"), _TEXT_ORDER)

ENTITIES: Mapping[str, EntityInfo] = {
    entry.name: entry
    for entry in (
        EntityInfo(
            "document",
            "documents",
            _table(Document),
            "A source text that records cite (a press release, a work plan).",
            natural_key=("slug",),
            relations=(
                ToMany("plans", "plan", "document_id", ("id",), "Plans it announces.", owned=False),
            ),
            search=("slug", "title", "publisher"),
            cited=False,
        ),
        EntityInfo(
            "technology",
            "technologies",
            _table(Technology),
            "A technology that tasks concern (AI, data, 5G…).",
            natural_key=("slug",),
            relations=(_linked_tasks(task_technology, "technology_id", "Tasks concerning it."),),
            search=("slug", "name"),
        ),
        EntityInfo(
            "region",
            "regions",
            _table(Region),
            "A country, province, city or area that tasks concern.",
            natural_key=("slug",),
            relations=(
                ToOne("parent", "parent_id", "region", "The enclosing region."),
                _linked_tasks(task_region, "region_id", "Tasks concerning it."),
            ),
            search=("slug", "name"),
        ),
        EntityInfo(
            "organisation",
            "organisations",
            _table(Organisation),
            "A ministry, committee or other organisation involved in tasks.",
            natural_key=("slug",),
            relations=(
                ToOne("parent", "parent_id", "organisation", "The organisation it belongs to."),
                _linked_tasks(task_organisation, "organisation_id", "Tasks it is involved in."),
            ),
            search=("slug", "name", "abbreviation"),
        ),
        EntityInfo(
            "law",
            "laws",
            _table(Law),
            "An act, bill or legal framework, one record with all its names.",
            natural_key=("slug",),
            relations=(
                ToMany("aliases", "law_alias", "law_id", ("id",), "Other names of the law."),
                _linked_tasks(task_law, "law_id", "Tasks that mention it."),
                ManyToMany(
                    "groups",
                    "law_group",
                    law_group_member,
                    "law_id",
                    "law_group_id",
                    ("name", "id"),
                    "Named groups of laws it belongs to, by name.",
                ),
            ),
            orders={
                "TITLE": _by("title", "Title."),
                "SLUG": _by("slug", "Slug."),
                "ENACTED": _by("enacted_start", "First day of the enactment span."),
                "ID": _ID,
            },
            default_order="TITLE",
            search=("slug", "title", "status_text", "description", Through("aliases", "alias")),
            text_filter=("title", Through("aliases", "alias")),
            composites=(
                _fuzzy_date(
                    "enacted", "When it was enacted, as the text gives it (a month stays a month)."
                ),
            ),
            computed=(
                _status_as_of(
                    _latest_quoting_document,
                    "The day its status holds as of: the latest day a document quoting it was "
                    "published.",
                ),
            ),
        ),
        EntityInfo(
            "law_alias",
            "aliases",
            _table(LawAlias),
            "Another name of a law, and the document that uses it.",
            natural_key=("alias",),
            relations=(
                ToOne("law", "law_id", "law", "The law it names."),
                ToOne("document", "document_id", "document", "The document that uses it."),
            ),
        ),
        EntityInfo(
            "law_group",
            "law_groups",
            _table(LawGroup),
            'A group of laws a document names as one ("four laws"), with the laws it names.',
            natural_key=("slug",),
            search=("slug", "name", "description"),
            relations=(
                ManyToMany(
                    "members",
                    "law",
                    law_group_member,
                    "law_group_id",
                    "law_id",
                    ("title", "id"),
                    "The laws the text names in the group, by title.",
                ),
            ),
            orders={"NAME": _by("name", "Name."), "SLUG": _by("slug", "Slug."), "ID": _ID},
            default_order="NAME",
        ),
        EntityInfo(
            "plan",
            "plans",
            _table(Plan),
            "A policy plan announced in a document.",
            natural_key=("slug",),
            relations=(
                ToOne("document", "document_id", "document", "The document that announced it."),
                ToMany(
                    "strategies",
                    "strategy",
                    "plan_id",
                    ("position", "id"),
                    "The plan's strategies, in order.",
                ),
            ),
            orders={
                "SLUG": _by("slug", "Slug."),
                "ANNOUNCED_ON": _by("announced_on", "Day of announcement."),
                "ID": _ID,
            },
            default_order="ANNOUNCED_ON",
            search=("slug", "title", "summary"),
        ),
        EntityInfo(
            "strategy",
            "strategies",
            _table(Strategy),
            "An ordered, coded part of a plan.",
            natural_key=("code",),
            relations=(
                ToOne("plan", "plan_id", "plan", "The plan it belongs to."),
                ToMany(
                    "tasks",
                    "task",
                    "strategy_id",
                    ("position", "id"),
                    "Its top-level tasks, in order.",
                    where=_top_level,
                ),
                ToMany(
                    "all_tasks",
                    "task",
                    "strategy_id",
                    ("position", "id"),
                    "All its tasks, sub-tasks included.",
                ),
            ),
            orders={
                "POSITION": Order(("plan_id", "position", "id"), _TEXT_ORDER),
                "CODE": _by("code", "Code."),
                "TITLE": _by("title", "Title."),
                "ID": _ID,
            },
            default_order="POSITION",
            search=("code", "label", "title", "description"),
        ),
        EntityInfo(
            "task",
            "tasks",
            _table(Task),
            "An ordered, coded task of a strategy; sub-items are sub-tasks.",
            natural_key=("code",),
            relations=(
                ToOne("strategy", "strategy_id", "strategy", "The strategy it belongs to."),
                ToOne("parent", "parent_id", "task", "The task it is a sub-item of."),
                ToMany("subtasks", "task", "parent_id", ("position", "id"), "Its sub-items."),
                ToMany("milestones", "milestone", "task_id", ("position", "id"), "Its milestones."),
                ToMany("budgets", "budget", "task_id", ("position", "id"), "Its budgets."),
                ToMany("targets", "target", "task_id", ("position", "id"), "Its targets."),
                _task_link("laws", "law", task_law, "Laws it mentions."),
                _task_link("technologies", "technology", task_technology, "Its technologies."),
                _task_link("regions", "region", task_region, "Regions it concerns."),
                _task_link("organisations", "organisation", task_organisation, "Who is involved."),
            ),
            orders={
                "OUTLINE": Order(
                    ("strategy_id", "outline_position", "id"),
                    "The strategy's outline read top to bottom, each task before its "
                    "sub-items (default).",
                ),
                "POSITION": Order(("strategy_id", "position", "id"), _TEXT_ORDER),
                "CODE": _by("code", "Code."),
                "TITLE": _by("title", "Title."),
                "ID": _ID,
            },
            default_order="OUTLINE",
            search=("code", "label", "title", "description"),
            text_filter=("code", "title", "description"),
        ),
        EntityInfo(
            "milestone",
            "milestones",
            _table(Milestone),
            "A dated promise or event of a task, with its date as written.",
            natural_key=("task_id", "position"),
            relations=(_task("The task it belongs to."),),
            orders={
                "START_DATE": _by("start_date", "First day of the span."),
                "END_DATE": _by("end_date", "Last day of the span."),
                "POSITION": _POSITION_IN_TASK,
                "TITLE": _by("title", "Title."),
                "ID": _ID,
            },
            default_order="START_DATE",
            search=("title", "date_text"),
            composites=(
                Composite(
                    "date",
                    {
                        "text": "date_text",
                        "edtf": "edtf",
                        "start": "start_date",
                        "end": "end_date",
                        "precision": "precision",
                    },
                    "When, as written and as a span.",
                ),
            ),
            computed=(
                Computed(
                    "year",
                    _span_year,
                    int,
                    "The year the span ends in (or starts in, when it is open-ended).",
                ),
                _status_as_of(
                    _plan_announcement,
                    "The day its status holds as of: the day its plan was announced.",
                ),
            ),
        ),
        EntityInfo(
            "budget",
            "budgets",
            _table(Budget),
            "Money for a task over a period.",
            natural_key=("task_id", "position"),
            relations=(_task("The task the money is for."),),
            orders={
                "AMOUNT": _by("amount", "Amount."),
                "START_YEAR": _by("start_year", "First year."),
                "POSITION": _POSITION_IN_TASK,
                "ID": _ID,
            },
            default_order="POSITION",
            search=("purpose", "amount_text"),
            composites=(
                Composite("amount", {"amount": "amount", "currency": "currency"}, "The amount."),
            ),
        ),
        EntityInfo(
            "target",
            "targets",
            _table(Target),
            "A quantitative goal of a task.",
            natural_key=("task_id", "position"),
            relations=(_task("The task that sets it."),),
            orders={
                "YEAR": _by("year", "Year."),
                "METRIC": _by("metric", "What is measured."),
                "POSITION": _POSITION_IN_TASK,
                "ID": _ID,
            },
            default_order="POSITION",
            search=("metric", "value_text"),
            composites=(
                _fuzzy_date(
                    "date",
                    'When the target is for, as the text gives it ("by 2027" is a deadline, '
                    '"in 2023" a year, "(2023~)" a start).',
                ),
                Composite(
                    "baseline",
                    {"value": "baseline_value", "year": "baseline_year", "text": "baseline_text"},
                    "The starting point, if given.",
                    present_when=("baseline_value", "baseline_text"),
                ),
            ),
        ),
    )
}

PROVENANCE = Provenance(
    _table(Citation),
    document_column="document_id",
    quote_column="quote",
    subjects={name: f"{name}_id" for name in CITABLE_TABLES},
)

# Tables that hold no dataset records, and why no consumer shows them.
INTERNAL_TABLES: Mapping[str, str] = {
    "data_version": "a cache-validation counter the database keeps; not part of the data",
    "search_text": "the full-text search index, derived from the records by every writer",
}
