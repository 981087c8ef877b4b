"""ORM models of the normalised policy database."""

from service.core.models.associations import (
    law_group_member,
    task_law,
    task_organisation,
    task_region,
    task_technology,
)
from service.core.models.base import Base, Entity
from service.core.models.budget import Budget
from service.core.models.citation import CITABLE_TABLES, Citation
from service.core.models.data_version import DataVersion
from service.core.models.document import Document
from service.core.models.enums import (
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
from service.core.models.law import Law, LawAlias, LawGroup
from service.core.models.milestone import Milestone
from service.core.models.plan import Plan, Strategy, Task
from service.core.models.search import SearchText
from service.core.models.target import Target
from service.core.models.vocabulary import Organisation, Region, Technology

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
    "LawGroup",
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
    "SearchText",
    "Strategy",
    "Target",
    "Task",
    "TaskKind",
    "Technology",
    "law_group_member",
    "task_law",
    "task_organisation",
    "task_region",
    "task_technology",
]
