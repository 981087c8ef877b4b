"""Closed vocabularies stored as checked strings (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


class MilestoneKind(enum.StrEnum):
    EVENT = "event"  # happens on (or within) the date
    START = "start"  # something begins then and goes on
    DEADLINE = "deadline"  # done by then
    PERIOD = "period"  # runs over the whole span


class MilestoneStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class TaskKind(enum.StrEnum):
    """What an item of a plan's outline is in its text (see ``service.core.outline``)."""

    TASK_STATEMENT = "task_statement"  # a strategy's headline task statement
    CORE_TASK = "core_task"  # a numbered core task (the work plan's ①–⑧)
    INITIATIVE = "initiative"  # a parenthesised tag opening an initiative: "(AI) ..."
    LIST_ITEM = "list_item"  # an enumerated item: "(i)" .. "(iv)"
    FOOTNOTE = "footnote"  # a footnote item: "*", "**", "※", or circled numbers under one
    TABLE_COLUMN = "table_column"  # a column heading of a flattened table
    TABLE_ITEM = "table_item"  # a bullet "•" of a table column


class BudgetKind(enum.StrEnum):
    TOTAL = "total"  # one amount over the whole period
    ANNUAL = "annual"  # the amount for a single year


class LawKind(enum.StrEnum):
    FRAMEWORK_ACT = "framework_act"
    SPECIAL_ACT = "special_act"
    ACT = "act"
    BILL = "bill"
    CHARTER = "charter"
    LEGAL_FRAMEWORK = "legal_framework"


class LawStatus(enum.StrEnum):
    PLANNED = "planned"
    TENTATIVE = "tentative"
    ENACTED = "enacted"
    AMENDED = "amended"


class Comparator(enum.StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    MULTIPLE = "multiple"  # "double": value is a factor of the baseline


class RegionKind(enum.StrEnum):
    COUNTRY = "country"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    SUPRANATIONAL = "supranational"
    AREA = "area"


class OrganisationKind(enum.StrEnum):
    GOVERNMENT = "government"
    MINISTRY = "ministry"
    COMMITTEE = "committee"
    TASK_FORCE = "task_force"
    INTERNATIONAL = "international"
    PUBLIC_BODY = "public_body"
    UNIVERSITY = "university"
    PROGRAMME = "programme"
    EVENT = "event"
    PRIVATE = "private"


def checked_enum(enum_cls: type[enum.StrEnum], name: str) -> Enum:
    """A VARCHAR column with a CHECK constraint listing the enum's values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
