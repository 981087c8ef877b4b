"""GraphQL enums over the data core's closed vocabularies (values are UPPER_CASE names)."""

from __future__ import annotations

from enum import Enum

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
)

DatePrecisionEnum = strawberry.enum(
    DatePrecision, name="DatePrecision", description="How precisely a fuzzy date is known."
)
MilestoneKindEnum = strawberry.enum(
    MilestoneKind,
    name="MilestoneKind",
    description="EVENT happens within the date, START begins then, DEADLINE is due by then, "
    "PERIOD runs over the whole span.",
)
MilestoneStatusEnum = strawberry.enum(
    MilestoneStatus, name="MilestoneStatus", description="Progress of a milestone."
)
BudgetKindEnum = strawberry.enum(
    BudgetKind,
    name="BudgetKind",
    description="TOTAL is one amount over the whole period, ANNUAL the amount for one year.",
)
LawKindEnum = strawberry.enum(LawKind, name="LawKind", description="What kind of legal text.")
LawStatusEnum = strawberry.enum(
    LawStatus, name="LawStatus", description="Where a law stands: planned, tentative, enacted…"
)
ComparatorEnum = strawberry.enum(
    Comparator,
    name="Comparator",
    description="How a target's value is meant: exactly, at least, more than, at most, or "
    "a MULTIPLE of the baseline.",
)
RegionKindEnum = strawberry.enum(RegionKind, name="RegionKind", description="Kind of region.")
OrganisationKindEnum = strawberry.enum(
    OrganisationKind, name="OrganisationKind", description="Kind of organisation."
)


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"
