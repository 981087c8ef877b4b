"""ORM models of the normalised policy database."""

from .associations import task_law, task_organisation, task_region, task_technology
from .base import Base, Entity
from .budget import Budget
from .citation import CITABLE_TABLES, Citation
from .data_version import DataVersion
from .document import Document
from .enums import (
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
from .law import Law, LawAlias
from .milestone import Milestone
from .plan import Plan, Strategy, Task
from .target import Target
from .vocabulary import Organisation, Region, Technology

__all__ = [
    "CITABLE_TABLES",
    "Base",
    "Budget",
    "BudgetKind",
    "Citation",
    "Comparator",
    "DataVersion",
    "DatePrecision",
    "Document",
    "Entity",
    "Law",
    "LawAlias",
    "LawKind",
    "LawStatus",
    "Milestone",
    "MilestoneKind",
    "MilestoneStatus",
    "Organisation",
    "OrganisationKind",
    "Plan",
    "Region",
    "RegionKind",
    "Strategy",
    "Target",
    "Task",
    "Technology",
    "task_law",
    "task_organisation",
    "task_region",
    "task_technology",
]
