"""Statements for the top-level lists, narrowed by a ``DatasetFilter`` (the shared filter
logic)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select

from service.core.dataset_filter import (
    DatasetFilter,
    budget_condition,
    law_condition,
    law_group_condition,
    milestone_condition,
    strategy_condition,
    target_condition,
    task_condition,
)
from service.core.queries import catalog


def strategies(dataset_filter: DatasetFilter) -> Select[Any]:
    return select(catalog.strategy).where(strategy_condition(dataset_filter))


def tasks(dataset_filter: DatasetFilter) -> Select[Any]:
    return select(catalog.task).where(task_condition(dataset_filter))


def milestones(dataset_filter: DatasetFilter) -> Select[Any]:
    return select(catalog.milestone).where(milestone_condition(dataset_filter))


def budgets(dataset_filter: DatasetFilter) -> Select[Any]:
    return select(catalog.budget).where(budget_condition(dataset_filter))


def laws(
    dataset_filter: DatasetFilter, statuses: Sequence[str] = (), kinds: Sequence[str] = ()
) -> Select[Any]:
    return select(catalog.law).where(law_condition(dataset_filter, statuses, kinds))


def targets(dataset_filter: DatasetFilter) -> Select[Any]:
    return select(catalog.target).where(target_condition(dataset_filter))


def law_groups(dataset_filter: DatasetFilter) -> Select[Any]:
    return select(catalog.law_group).where(law_group_condition(dataset_filter))
