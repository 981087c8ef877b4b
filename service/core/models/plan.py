"""The policy hierarchy: plan → strategy → task (→ sub-task)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity, maintained
from service.core.models.enums import TaskKind, checked_enum


class Plan(Entity):
    __tablename__ = "plan"

    slug: Mapped[str] = mapped_column(
        String(100), unique=True, comment="Stable short name, e.g. digital-strategy-of-korea."
    )
    title: Mapped[str] = mapped_column(String(500), comment="Title of the plan.")
    announced_on: Mapped[date | None] = mapped_column(
        Date, index=True, comment="When the plan was announced."
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="RESTRICT"),
        index=True,
        comment="The document that announced the plan.",
    )
    summary: Mapped[str | None] = mapped_column(Text, comment="A short summary.")


class Strategy(Entity):
    """An ordered part of a plan. ``code`` is unique across all plans; ``label`` is as written."""

    __tablename__ = "strategy"
    __table_args__ = (
        UniqueConstraint("plan_id", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    code: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Code unique across plans, e.g. DSK-I."
    )
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"),
        index=True,
        comment="The plan the strategy belongs to.",
    )
    position: Mapped[int] = mapped_column(comment="1-based position in the plan.")
    label: Mapped[str | None] = mapped_column(
        String(100), comment='The numbering as written, e.g. "1".'
    )
    title: Mapped[str] = mapped_column(String(500), comment="Title of the strategy.")
    description: Mapped[str | None] = mapped_column(Text, comment="Longer description.")


# service.core.outline derives these from the labels and the nesting of the curated files.
_FROM_OUTLINE = maintained("derived from the label and the outline; curated files never state it")


class Task(Entity):
    """An ordered task of a strategy; a sub-item is a task whose ``parent_id`` is set."""

    __tablename__ = "task"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("depth >= 1", name="depth_positive"),
        CheckConstraint("outline_position >= 1", name="outline_position_positive"),
        Index("ix_task_strategy_id_outline_position", "strategy_id", "outline_position"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    code: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Code unique across plans, extending the strategy's."
    )
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("strategy.id", ondelete="CASCADE"),
        index=True,
        comment="The strategy the task belongs to.",
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"),
        index=True,
        comment="The task this one is a sub-item of; null for top-level tasks.",
    )
    position: Mapped[int] = mapped_column(comment="1-based position under its strategy or parent.")
    label: Mapped[str | None] = mapped_column(
        String(200), comment="The numbering or tag as written."
    )
    title: Mapped[str] = mapped_column(String(1000), comment="Title of the task.")
    description: Mapped[str | None] = mapped_column(Text, comment="Longer description.")
    kind: Mapped[TaskKind] = mapped_column(
        checked_enum(TaskKind, "task_kind"),
        index=True,
        comment="What the item is in its text: a task statement, core task, initiative, list "
        "item, footnote, table column or table item.",
        info=_FROM_OUTLINE,
    )
    depth: Mapped[int] = mapped_column(
        comment="Level in the outline: 1 directly under the strategy, 2 for its sub-items, ...",
        info=_FROM_OUTLINE,
    )
    number: Mapped[int | None] = mapped_column(
        comment="The label's ordinal, normalised (① is 1, (iii) is 3, ** is 2); null for tags "
        "and bullets.",
        info=_FROM_OUTLINE,
    )
    outline_position: Mapped[int] = mapped_column(
        comment="1-based position in the strategy's outline read top to bottom (a task before "
        "its sub-items).",
        info=_FROM_OUTLINE,
    )
