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

    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True, comment="The task the money is for."
    )
    position: Mapped[int] = mapped_column(comment="1-based position within the task.")
    amount: Mapped[int] = mapped_column(
        BigInteger, comment="Exact amount in the currency's unit (an integer, e.g. won)."
    )
    currency: Mapped[str] = mapped_column(
        String(3), default="KRW", comment="ISO 4217 currency code, e.g. KRW."
    )
    amount_text: Mapped[str] = mapped_column(
        String(200), comment="The amount as written in the source."
    )
    kind: Mapped[BudgetKind] = mapped_column(
        checked_enum(BudgetKind, "budget_kind"),
        comment="TOTAL over the period or ANNUAL for one year.",
    )
    start_year: Mapped[int | None] = mapped_column(comment="First year the money covers.")
    end_year: Mapped[int | None] = mapped_column(comment="Last year the money covers.")
    purpose: Mapped[str] = mapped_column(String(1000), comment="What the money is for.")
