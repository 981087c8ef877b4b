"""Statements for the top-level lists, narrowed by a ``Selection`` (the shared filter logic)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select

from service.selection import (
    Selection,
    budget_condition,
    law_condition,
    milestone_condition,
    strategy_condition,
    target_condition,
    task_condition,
)

from . import catalog


def strategies(selection: Selection) -> Select[Any]:
    return select(catalog.strategy).where(strategy_condition(selection))


def tasks(selection: Selection) -> Select[Any]:
    return select(catalog.task).where(task_condition(selection))


def milestones(selection: Selection) -> Select[Any]:
    return select(catalog.milestone).where(milestone_condition(selection))


def budgets(selection: Selection) -> Select[Any]:
    return select(catalog.budget).where(budget_condition(selection))


def laws(
    selection: Selection, statuses: Sequence[str] = (), kinds: Sequence[str] = ()
) -> Select[Any]:
    return select(catalog.law).where(law_condition(selection, statuses, kinds))


def targets(selection: Selection, year: int | None = None) -> Select[Any]:
    return select(catalog.target).where(target_condition(selection, year))
