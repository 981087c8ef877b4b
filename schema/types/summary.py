"""Aggregates: budget totals."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.types.values import Money


@strawberry.enum(description="How budget totals are grouped.")
class BudgetGroup(Enum):
    PLAN = "plan"
    STRATEGY = "strategy"
    TECHNOLOGY = "technology"
    YEAR = "year"


@strawberry.type(description="The sum of the budgets in one group (and one currency).")
class BudgetTotal:
    key: str | None = strawberry.field(
        description="Plan slug, strategy code, technology slug or year; null when the "
        "budgets give no year."
    )
    label: str | None = strawberry.field(
        description="Plan/strategy title, technology name or year."
    )
    total: Money = strawberry.field(description="Exact sum of the amounts.")
    budgets: int = strawberry.field(description="How many budgets contribute to the total.")
