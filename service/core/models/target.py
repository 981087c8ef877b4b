"""Quantitative goals of a task."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity
from service.core.models.enums import Comparator, checked_enum


class Target(Entity):
    __tablename__ = "target"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint(
            "baseline_year IS NULL OR year IS NULL OR baseline_year <= year",
            name="baseline_not_after_year",
        ),
    )

    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"),
        index=True,
        comment="The task that sets this target.",
    )
    position: Mapped[int] = mapped_column(comment="1-based position within the task.")
    metric: Mapped[str] = mapped_column(String(500), comment="What is measured.")
    value: Mapped[Decimal] = mapped_column(
        Numeric(24, 4), comment="Target value as an exact decimal string."
    )
    comparator: Mapped[Comparator] = mapped_column(
        checked_enum(Comparator, "comparator"), comment="How the value is meant."
    )
    unit: Mapped[str] = mapped_column(String(100), comment="Unit of the value.")
    value_text: Mapped[str] = mapped_column(String(300), comment="The target as written.")
    year: Mapped[int | None] = mapped_column(index=True, comment="Year the target is for.")
    baseline_value: Mapped[Decimal | None] = mapped_column(
        Numeric(24, 4), comment="Baseline value as an exact decimal string."
    )
    baseline_year: Mapped[int | None] = mapped_column(comment="Year of the baseline.")
    baseline_text: Mapped[str | None] = mapped_column(
        String(300), comment="The baseline as written."
    )
