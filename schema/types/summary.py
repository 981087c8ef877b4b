"""Aggregates: budget totals, each of one kind, period and currency."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.types.enums import BudgetKindEnum
from schema.types.values import Money


@strawberry.enum(description="How budget totals are grouped (each group is also split by period).")
class BudgetGroup(Enum):
    PLAN = strawberry.enum_value("plan", description="Per plan.")
    STRATEGY = strawberry.enum_value("strategy", description="Per strategy, in plan order.")
    TECHNOLOGY = strawberry.enum_value(
        "technology",
        description="Per technology; a budget counts once for each technology of its task.",
    )
    PERIOD = strawberry.enum_value(
        "period", description="Per kind and period only (e.g. totals over 2022–2026)."
    )


@strawberry.type(
    description="The exact sum of budgets of one group that can be added up: all of one kind "
    "(TOTAL over a period, or ANNUAL level), the same first and last year, and one currency."
)
class BudgetTotal:
    key: str | None = strawberry.field(
        description="Plan slug, strategy code or technology slug; for PERIOD the period "
        '("2022/2026", or "2027" for one year); null when the budgets give no year.'
    )
    label: str | None = strawberry.field(
        description="Plan/strategy title or technology name; for PERIOD what the total is."
    )
    kind: BudgetKindEnum = strawberry.field(
        description="TOTAL: the amounts are totals over the period; ANNUAL: levels for one year."
    )
    start_year: int | None = strawberry.field(description="First year of the period.")
    end_year: int | None = strawberry.field(description="Last year of the period.")
    meaning: str = strawberry.field(
        description='What the total is, e.g. "total over 2022–2026" or "annual level in 2027".'
    )
    total: Money = strawberry.field(description="Exact sum of the amounts.")
    budgets: int = strawberry.field(description="How many budgets contribute to the total.")
