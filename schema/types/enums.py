"""GraphQL enums over the data core's closed vocabularies, each value described.

Each GraphQL enum mirrors a core enum value for value (``GRAPHQL_ENUMS``; a test holds them
equal); resolvers return the core members, which serialise by value.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum

import strawberry

from service.core.models import (
    BudgetKind,
    Comparator,
    DatePrecision,
    LawKind,
    LawStatus,
    MilestoneKind,
    MilestoneStatus,
    OrganisationKind,
    RegionKind,
    TaskKind,
)


@strawberry.enum(name="DatePrecision", description="How precisely a fuzzy date is known.")
class DatePrecisionEnum(Enum):
    DAY = strawberry.enum_value("day", description="A single day.")
    MONTH = strawberry.enum_value("month", description='A month, e.g. "Nov. 2023".')
    QUARTER = strawberry.enum_value("quarter", description="A quarter of a year.")
    HALF = strawberry.enum_value("half", description='Half a year, e.g. "first half of 2023".')
    YEAR = strawberry.enum_value("year", description='A year, e.g. "(2025)" or "2023~".')


@strawberry.enum(name="MilestoneKind", description="How a milestone's date applies.")
class MilestoneKindEnum(Enum):
    EVENT = strawberry.enum_value("event", description="Happens on or within the date.")
    START = strawberry.enum_value(
        "start", description='Begins then and goes on ("2023~", "from 2023").'
    )
    DEADLINE = strawberry.enum_value(
        "deadline", description='Due by the end of the date ("by 2027", "~2023").'
    )
    PERIOD = strawberry.enum_value(
        "period", description='Runs over the whole span ("(2022~2026)").'
    )


@strawberry.enum(
    name="MilestoneStatus",
    description="Progress of a milestone as of its plan's announcement (statusAsOf).",
)
class MilestoneStatusEnum(Enum):
    PLANNED = strawberry.enum_value("planned", description="Not begun on that date.")
    IN_PROGRESS = strawberry.enum_value(
        "in_progress", description="Begun but not ended on that date."
    )
    COMPLETED = strawberry.enum_value("completed", description="Ended before that date.")


@strawberry.enum(name="TaskKind", description="What an item of a plan's outline is in its text.")
class TaskKindEnum(Enum):
    TASK_STATEMENT = strawberry.enum_value(
        "task_statement", description="A strategy's headline task statement (no label)."
    )
    CORE_TASK = strawberry.enum_value(
        "core_task", description="A numbered core task (the work plan's ①–⑧)."
    )
    INITIATIVE = strawberry.enum_value(
        "initiative", description='An initiative opened by a parenthesised tag: "(AI) …".'
    )
    LIST_ITEM = strawberry.enum_value(
        "list_item", description='An enumerated item: "(i)" … "(iv)".'
    )
    FOOTNOTE = strawberry.enum_value(
        "footnote", description='A footnote item: "*", "**", "※" or a circled number under one.'
    )
    TABLE_COLUMN = strawberry.enum_value(
        "table_column", description="A column heading of a flattened table."
    )
    TABLE_ITEM = strawberry.enum_value("table_item", description='A bullet "•" of a table column.')


@strawberry.enum(name="BudgetKind", description="What a budget's amount covers.")
class BudgetKindEnum(Enum):
    TOTAL = strawberry.enum_value(
        "total", description="One amount over the whole period (start to end year)."
    )
    ANNUAL = strawberry.enum_value("annual", description="The amount for a single year.")


@strawberry.enum(name="LawKind", description="What kind of legal text.")
class LawKindEnum(Enum):
    FRAMEWORK_ACT = strawberry.enum_value("framework_act", description="A framework act.")
    SPECIAL_ACT = strawberry.enum_value("special_act", description="A special act.")
    ACT = strawberry.enum_value("act", description="Any other act.")
    BILL = strawberry.enum_value("bill", description="A bill, or bills, to be legislated.")
    CHARTER = strawberry.enum_value("charter", description="A charter of rights.")
    LEGAL_FRAMEWORK = strawberry.enum_value(
        "legal_framework", description="Legislation described as a framework, not an act."
    )


@strawberry.enum(name="LawStatus", description="Where a law stands, as its document states it.")
class LawStatusEnum(Enum):
    PLANNED = strawberry.enum_value("planned", description="To be legislated.")
    TENTATIVE = strawberry.enum_value(
        "tentative", description="To be legislated under a tentative name."
    )
    ENACTED = strawberry.enum_value("enacted", description="In force.")
    AMENDED = strawberry.enum_value("amended", description="In force, recently amended.")


@strawberry.enum(name="Comparator", description="How a target's value is meant.")
class ComparatorEnum(Enum):
    EXACT = strawberry.enum_value("exact", description="Exactly the value.")
    AT_LEAST = strawberry.enum_value("at_least", description="The value or more.")
    MORE_THAN = strawberry.enum_value("more_than", description="More than the value.")
    AT_MOST = strawberry.enum_value("at_most", description="The value or less.")
    MULTIPLE = strawberry.enum_value(
        "multiple", description='A multiple of the baseline ("double" is 2).'
    )


@strawberry.enum(name="RegionKind", description="Kind of region.")
class RegionKindEnum(Enum):
    COUNTRY = strawberry.enum_value("country", description="A country.")
    PROVINCE = strawberry.enum_value("province", description="A province.")
    CITY = strawberry.enum_value("city", description="A city.")
    COUNTY = strawberry.enum_value("county", description="A county.")
    SUPRANATIONAL = strawberry.enum_value(
        "supranational", description="A union of countries, e.g. the EU."
    )
    AREA = strawberry.enum_value("area", description="Any other area or site.")


@strawberry.enum(name="OrganisationKind", description="Kind of organisation.")
class OrganisationKindEnum(Enum):
    GOVERNMENT = strawberry.enum_value("government", description="A government.")
    MINISTRY = strawberry.enum_value("ministry", description="A ministry or its division.")
    COMMITTEE = strawberry.enum_value("committee", description="A committee.")
    TASK_FORCE = strawberry.enum_value("task_force", description="A task force.")
    INTERNATIONAL = strawberry.enum_value(
        "international", description="An international organisation."
    )
    PUBLIC_BODY = strawberry.enum_value("public_body", description="Another public body.")
    UNIVERSITY = strawberry.enum_value("university", description="A university.")
    PROGRAMME = strawberry.enum_value("programme", description="A programme or initiative.")
    EVENT = strawberry.enum_value("event", description="A meeting, forum, summit or fair.")
    PRIVATE = strawberry.enum_value("private", description="A private company or body.")


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Smallest first (open bounds first).")
    DESC = strawberry.enum_value("desc", description="Largest first.")


# The GraphQL enum that shows each core enum's stored values.
GRAPHQL_ENUMS: Mapping[type[StrEnum], type[Enum]] = {
    DatePrecision: DatePrecisionEnum,
    MilestoneKind: MilestoneKindEnum,
    MilestoneStatus: MilestoneStatusEnum,
    TaskKind: TaskKindEnum,
    BudgetKind: BudgetKindEnum,
    LawKind: LawKindEnum,
    LawStatus: LawStatusEnum,
    Comparator: ComparatorEnum,
    RegionKind: RegionKindEnum,
    OrganisationKind: OrganisationKindEnum,
}
