"""The policy hierarchy: plan → strategy → task (→ sub-task)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity


class Plan(Entity):
    __tablename__ = "plan"

    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    announced_on: Mapped[date | None] = mapped_column(Date, index=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="RESTRICT"), index=True
    )
    summary: Mapped[str | None] = mapped_column(Text)


class Strategy(Entity):
    """An ordered part of a plan. ``code`` is unique across all plans; ``label`` is as written."""

    __tablename__ = "strategy"
    __table_args__ = (
        UniqueConstraint("plan_id", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    code: Mapped[str] = mapped_column(String(64), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)


class Task(Entity):
    """An ordered task of a strategy; a sub-item is a task whose ``parent_id`` is set."""

    __tablename__ = "task"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    code: Mapped[str] = mapped_column(String(64), unique=True)
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("strategy.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    label: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text)
