"""Acts, bills and legal frameworks, each one row with every name the documents use."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity
from service.core.models.enums import LawKind, LawStatus, checked_enum


class Law(Entity):
    __tablename__ = "law"

    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[LawKind] = mapped_column(checked_enum(LawKind, "law_kind"), index=True)
    status: Mapped[LawStatus] = mapped_column(checked_enum(LawStatus, "law_status"), index=True)
    # As written in the source, e.g. "enacted in October 2021"; the dates are derived from it.
    status_text: Mapped[str | None] = mapped_column(String(200))
    # When it was enacted, as a fuzzy date: the date as written ("October 2021"), its EDTF
    # value ("2021-10") and the inclusive span and precision that value covers. A month stays
    # a month: no day the text does not give is invented.
    enacted_text: Mapped[str | None] = mapped_column(String(200))
    enacted_edtf: Mapped[str | None] = mapped_column(String(100))
    enacted_start: Mapped[date | None] = mapped_column(Date)
    enacted_end: Mapped[date | None] = mapped_column(Date)
    enacted_precision: Mapped[str | None] = mapped_column(String(10))
    description: Mapped[str | None] = mapped_column(Text)


class LawAlias(Entity):
    """Another name of a law, and the document that uses it."""

    __tablename__ = "law_alias"

    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(500), unique=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )
