"""Quantitative goals of a task."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity, maintained
from service.core.models.enums import Comparator, DatePrecision, checked_enum

_FROM_EDTF = maintained("the loader derives it from date_edtf; curated files never state it")


class Target(Entity):
    __tablename__ = "target"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint(
            "baseline_year IS NULL OR year IS NULL OR baseline_year <= year",
            name="baseline_not_after_year",
        ),
        CheckConstraint(
            "date_start IS NULL OR date_end IS NULL OR date_start <= date_end",
            name="date_start_not_after_end",
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
    # "by 2027", "in 2023", "(2023~)": kept as written, so a deadline, a year and a start
    # stay apart (the year alone cannot say which).
    date_text: Mapped[str | None] = mapped_column(
        String(200), comment='When the target is for, as written ("by 2027", "(2023~)").'
    )
    date_edtf: Mapped[str | None] = mapped_column(
        String(100), comment='The target\'s date as an EDTF value ("../2027", "2023/..").'
    )
    date_start: Mapped[date | None] = mapped_column(
        Date,
        index=True,
        comment="First day of the span the target's date covers; null when open.",
        info=_FROM_EDTF,
    )
    date_end: Mapped[date | None] = mapped_column(
        Date,
        index=True,
        comment="Last day of the span the target's date covers; null when open.",
        info=_FROM_EDTF,
    )
    date_precision: Mapped[DatePrecision | None] = mapped_column(
        checked_enum(DatePrecision, "date_precision"),
        comment="How precisely the target's date is known (day, month, quarter, half, year).",
        info=_FROM_EDTF,
    )
    year: Mapped[int | None] = mapped_column(
        index=True,
        comment="Year the target is for: the year its date ends in (null when open-ended).",
        info=maintained("the loader derives it from date_edtf; curated files never state it"),
    )
    baseline_value: Mapped[Decimal | None] = mapped_column(
        Numeric(24, 4), comment="Baseline value as an exact decimal string."
    )
    baseline_year: Mapped[int | None] = mapped_column(comment="Year of the baseline.")
    baseline_text: Mapped[str | None] = mapped_column(
        String(300), comment="The baseline as written."
    )
