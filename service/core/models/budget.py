"""Money for a task over a period, as an exact integer in the currency's unit."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity
from service.core.models.enums import BudgetKind, checked_enum


class Budget(Entity):
    __tablename__ = "budget"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint(
            "start_year IS NULL OR end_year IS NULL OR start_year <= end_year",
            name="start_year_not_after_end_year",
        ),
        CheckConstraint("position >= 1", name="position_positive"),
        Index("ix_budget_start_year_end_year", "start_year", "end_year"),
    )

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="KRW")
    amount_text: Mapped[str] = mapped_column(String(200))
    kind: Mapped[BudgetKind] = mapped_column(checked_enum(BudgetKind, "budget_kind"))
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]
    purpose: Mapped[str] = mapped_column(String(1000))
