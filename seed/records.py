"""Validated, typed records of the curated dataset (what the YAML files say, checked).

Natural keys and references are named attributes; every other stated column is in
``values`` (column name -> value), so a column added to a model flows through unnamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Values = dict[str, Any]


@dataclass(frozen=True)
class Cite:
    document: str
    quote: str
    # "file:line: record" of the citing record, for messages; not part of the citation.
    where: str = field(default="", compare=False)


@dataclass
class DocumentRecord:
    slug: str
    values: Values


@dataclass
class ItemRecord:
    """A milestone, budget or target of a task (its position is its place in the list)."""

    values: Values
    cites: list[Cite]


@dataclass
class TaskRecord:
    code: str
    strategy: str
    parent: str | None
    position: int
    values: Values
    cites: list[Cite]
    laws: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    milestones: list[ItemRecord] = field(default_factory=list)
    budgets: list[ItemRecord] = field(default_factory=list)
    targets: list[ItemRecord] = field(default_factory=list)


@dataclass
class StrategyRecord:
    code: str
    plan: str
    position: int
    values: Values
    cites: list[Cite]


@dataclass
class PlanRecord:
    slug: str
    document: str
    values: Values
    cites: list[Cite]


@dataclass
class AliasRecord:
    alias: str
    document: str | None
    values: Values
    cites: list[Cite]


@dataclass
class LawRecord:
    slug: str
    values: Values
    aliases: list[AliasRecord]
    cites: list[Cite]


@dataclass
class LawGroupRecord:
    """A named group of laws and the slugs of the laws the text names in it."""

    slug: str
    values: Values
    members: list[str]
    cites: list[Cite]


@dataclass
class VocabularyRecord:
    """A technology, region or organisation (``parent`` unused for technologies)."""

    slug: str
    parent: str | None
    values: Values
    cites: list[Cite]


@dataclass
class Dataset:
    documents: list[DocumentRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    strategies: list[StrategyRecord] = field(default_factory=list)
    # Parents always come before their sub-tasks.
    tasks: list[TaskRecord] = field(default_factory=list)
    laws: list[LawRecord] = field(default_factory=list)
    law_groups: list[LawGroupRecord] = field(default_factory=list)
    technologies: list[VocabularyRecord] = field(default_factory=list)
    regions: list[VocabularyRecord] = field(default_factory=list)
    organisations: list[VocabularyRecord] = field(default_factory=list)
