"""Dated promises and events of a task, with the fuzzy date kept as written."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity, maintained
from service.core.models.enums import DatePrecision, MilestoneKind, MilestoneStatus, checked_enum


class Milestone(Entity):
    """``start_date``/``end_date`` are the inclusive span the fuzzy date covers; either may be
    open (``None``) for "2023~" or "~2023". ``revision`` counts content changes (iCalendar
    SEQUENCE)."""

    __tablename__ = "milestone"
    __table_args__ = (
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR start_date <= end_date",
            name="start_not_after_end",
        ),
        CheckConstraint("start_date IS NOT NULL OR end_date IS NOT NULL", name="has_a_bound"),
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("revision >= 0", name="revision_not_negative"),
        Index("ix_milestone_start_date_id", "start_date", "id"),
        Index("ix_milestone_end_date", "end_date"),
        Index("ix_milestone_updated_at", "updated_at"),
    )

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(1000))
    date_text: Mapped[str] = mapped_column(String(200))
    edtf: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    precision: Mapped[DatePrecision] = mapped_column(
        checked_enum(DatePrecision, "date_precision"), index=True
    )
    kind: Mapped[MilestoneKind] = mapped_column(
        checked_enum(MilestoneKind, "milestone_kind"), index=True
    )
    status: Mapped[MilestoneStatus] = mapped_column(
        checked_enum(MilestoneStatus, "milestone_status"), index=True
    )
    # Every UPDATE that does not set ``revision`` itself bumps it (like ``updated_at``), so
    # calendar clients see a higher SEQUENCE whenever a milestone changes.
    revision: Mapped[int] = mapped_column(
        Integer,
        default=0,
        onupdate=text("revision + 1"),
        info=maintained("the database counts content changes; curated files never state it"),
    )
