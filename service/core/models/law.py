"""Acts, bills and legal frameworks, each one row with every name the documents use."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity, maintained
from service.core.models.enums import DatePrecision, LawKind, LawStatus, checked_enum

_FROM_EDTF = maintained("the loader derives it from enacted_edtf; curated files never state it")


class Law(Entity):
    __tablename__ = "law"

    slug: Mapped[str] = mapped_column(String(100), unique=True, comment="Stable short name.")
    title: Mapped[str] = mapped_column(String(500), comment="Canonical title.")
    kind: Mapped[LawKind] = mapped_column(
        checked_enum(LawKind, "law_kind"), index=True, comment="What kind of legal text."
    )
    status: Mapped[LawStatus] = mapped_column(
        checked_enum(LawStatus, "law_status"), index=True, comment="Where it stands."
    )
    # As written in the source, e.g. "enacted in October 2021"; the dates are derived from it.
    status_text: Mapped[str | None] = mapped_column(String(200), comment="The status as written.")
    # A month stays a month: no day the text does not give is invented.
    enacted_text: Mapped[str | None] = mapped_column(
        String(200), comment='When it was enacted, as written ("October 2021").'
    )
    enacted_edtf: Mapped[str | None] = mapped_column(
        String(100), comment='The enactment date as an EDTF value ("2021-10").'
    )
    enacted_start: Mapped[date | None] = mapped_column(
        Date, comment="First day of the span the enactment date covers.", info=_FROM_EDTF
    )
    enacted_end: Mapped[date | None] = mapped_column(
        Date, comment="Last day of the span the enactment date covers.", info=_FROM_EDTF
    )
    enacted_precision: Mapped[DatePrecision | None] = mapped_column(
        checked_enum(DatePrecision, "date_precision"),
        comment="How precisely the enactment date is known (day, month, quarter, half, year).",
        info=_FROM_EDTF,
    )
    description: Mapped[str | None] = mapped_column(Text, comment="What it covers.")


class LawAlias(Entity):
    """Another name of a law, and the document that uses it."""

    __tablename__ = "law_alias"

    law_id: Mapped[int] = mapped_column(
        ForeignKey("law.id", ondelete="CASCADE"), index=True, comment="The law this name refers to."
    )
    alias: Mapped[str] = mapped_column(
        String(500), unique=True, comment="Another name the documents use for the law."
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"),
        index=True,
        comment="The document that uses this name.",
    )


class LawGroup(Entity):
    """A group of laws a document names as one ("four laws"); its members are the laws the
    text names in it (``law_group_member``)."""

    __tablename__ = "law_group"
    __table_args__ = (
        CheckConstraint("stated_count IS NULL OR stated_count >= 1", name="stated_count_positive"),
    )

    slug: Mapped[str] = mapped_column(String(100), unique=True, comment="Stable short name.")
    name: Mapped[str] = mapped_column(
        String(500), comment='The group\'s name as the text writes it ("four laws").'
    )
    # Beside the members, so a group whose text names fewer laws than it counts says so
    # instead of being completed by guesswork.
    stated_count: Mapped[int | None] = mapped_column(
        comment="How many laws the text says the group holds; null when it gives no number."
    )
    description: Mapped[str | None] = mapped_column(Text, comment="What the group is for.")
