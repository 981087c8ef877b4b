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

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    metric: Mapped[str] = mapped_column(String(500))
    value: Mapped[Decimal] = mapped_column(Numeric(24, 4))
    comparator: Mapped[Comparator] = mapped_column(checked_enum(Comparator, "comparator"))
    unit: Mapped[str] = mapped_column(String(100))
    value_text: Mapped[str] = mapped_column(String(300))
    year: Mapped[int | None] = mapped_column(index=True)
    baseline_value: Mapped[Decimal | None] = mapped_column(Numeric(24, 4))
    baseline_year: Mapped[int | None]
    baseline_text: Mapped[str | None] = mapped_column(String(300))
