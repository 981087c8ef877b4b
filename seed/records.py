"""Validated, typed records of the curated dataset (what the YAML files say, checked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from seed.fuzzy_dates import Span
from service.core.models import TaskKind


@dataclass(frozen=True)
class Cite:
    document: str
    quote: str
    # "file:line: record" of the citing record, for messages; not part of the citation.
    where: str = field(default="", compare=False)


@dataclass
class DocumentRecord:
    slug: str
    title: str
    publisher: str
    published_on: date | None
    language: str
    licence: str | None
    url: str | None
    source_file: str | None
    summary: str | None


@dataclass
class MilestoneRecord:
    title: str
    date_text: str
    edtf: str
    start_date: date | None
    end_date: date | None
    precision: str
    kind: str
    status: str
    cites: list[Cite]


@dataclass
class BudgetRecord:
    amount: int
    currency: str
    amount_text: str
    kind: str
    start_year: int | None
    end_year: int | None
    purpose: str
    cites: list[Cite]


@dataclass
class TargetRecord:
    metric: str
    value: Decimal
    comparator: str
    unit: str
    value_text: str
    year: int | None
    baseline_value: Decimal | None
    baseline_year: int | None
    baseline_text: str | None
    cites: list[Cite]


@dataclass
class TaskRecord:
    code: str
    strategy: str
    parent: str | None
    position: int
    kind: TaskKind  # derived from the label and depth (service.core.outline)
    depth: int
    number: int | None
    outline_position: int
    label: str | None
    title: str
    description: str | None
    cites: list[Cite]
    laws: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    milestones: list[MilestoneRecord] = field(default_factory=list)
    budgets: list[BudgetRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)


@dataclass
class StrategyRecord:
    code: str
    plan: str
    position: int
    label: str | None
    title: str
    description: str | None
    cites: list[Cite]


@dataclass
class PlanRecord:
    slug: str
    document: str
    title: str
    announced_on: date | None
    summary: str | None
    cites: list[Cite]


@dataclass
class AliasRecord:
    alias: str
    document: str | None
    cites: list[Cite]


@dataclass
class LawRecord:
    slug: str
    title: str
    kind: str
    status: str
    status_text: str | None
    enacted_text: str | None  # as written, e.g. "October 2021"
    enacted_edtf: str | None
    enacted: Span | None  # the span enacted_edtf covers
    description: str | None
    aliases: list[AliasRecord]
    cites: list[Cite]


@dataclass
class VocabularyRecord:
    """A technology, region or organisation (``kind``/``parent`` unused for technologies)."""

    slug: str
    name: str
    kind: str | None
    abbreviation: str | None
    parent: str | None
    cites: list[Cite]


@dataclass
class Dataset:
    documents: list[DocumentRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    strategies: list[StrategyRecord] = field(default_factory=list)
    # Parents always come before their sub-tasks.
    tasks: list[TaskRecord] = field(default_factory=list)
    laws: list[LawRecord] = field(default_factory=list)
    technologies: list[VocabularyRecord] = field(default_factory=list)
    regions: list[VocabularyRecord] = field(default_factory=list)
    organisations: list[VocabularyRecord] = field(default_factory=list)
