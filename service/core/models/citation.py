"""Provenance: an exact quote from a document that supports exactly one record.

The subject is an exclusive arc of foreign keys (one column per citable table, exactly one
set) so the database, not application code, guarantees every citation points at a real row.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity

CITABLE_TABLES: tuple[str, ...] = (
    "plan",
    "strategy",
    "task",
    "milestone",
    "budget",
    "law",
    "law_alias",
    "law_group",
    "target",
    "technology",
    "region",
    "organisation",
)

_exactly_one_subject = (
    " + ".join(f"(CASE WHEN {table}_id IS NOT NULL THEN 1 ELSE 0 END)" for table in CITABLE_TABLES)
    + " = 1"
)


class Citation(Entity):
    __tablename__ = "citation"
    __table_args__ = (
        CheckConstraint(_exactly_one_subject, name="exactly_one_subject"),
        CheckConstraint("length(quote) > 0", name="quote_not_empty"),
    )

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True, comment="The document quoted."
    )
    quote: Mapped[str] = mapped_column(Text, comment="The supporting text, exactly as written.")

    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"),
        index=True,
        comment="The plan this quote supports (exactly one subject is set).",
    )
    strategy_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategy.id", ondelete="CASCADE"),
        index=True,
        comment="The strategy this quote supports (exactly one subject is set).",
    )
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"),
        index=True,
        comment="The task this quote supports (exactly one subject is set).",
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"),
        index=True,
        comment="The milestone this quote supports (exactly one subject is set).",
    )
    budget_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget.id", ondelete="CASCADE"),
        index=True,
        comment="The budget this quote supports (exactly one subject is set).",
    )
    law_id: Mapped[int | None] = mapped_column(
        ForeignKey("law.id", ondelete="CASCADE"),
        index=True,
        comment="The law this quote supports (exactly one subject is set).",
    )
    law_alias_id: Mapped[int | None] = mapped_column(
        ForeignKey("law_alias.id", ondelete="CASCADE"),
        index=True,
        comment="The law alias this quote supports (exactly one subject is set).",
    )
    law_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("law_group.id", ondelete="CASCADE"),
        index=True,
        comment="The law group this quote supports (exactly one subject is set).",
    )
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("target.id", ondelete="CASCADE"),
        index=True,
        comment="The target this quote supports (exactly one subject is set).",
    )
    technology_id: Mapped[int | None] = mapped_column(
        ForeignKey("technology.id", ondelete="CASCADE"),
        index=True,
        comment="The technology this quote supports (exactly one subject is set).",
    )
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="CASCADE"),
        index=True,
        comment="The region this quote supports (exactly one subject is set).",
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"),
        index=True,
        comment="The organisation this quote supports (exactly one subject is set).",
    )
