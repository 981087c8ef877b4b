"""Source documents that every record cites."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity


class Document(Entity):
    __tablename__ = "document"

    slug: Mapped[str] = mapped_column(String(100), unique=True, comment="Stable short name.")
    title: Mapped[str] = mapped_column(String(500), comment="Title of the document.")
    publisher: Mapped[str] = mapped_column(String(200), comment="Who published it.")
    published_on: Mapped[date | None] = mapped_column(Date, comment="Publication date.")
    language: Mapped[str] = mapped_column(
        String(16), default="en", comment="BCP 47 language tag of the text used."
    )
    licence: Mapped[str | None] = mapped_column(String(200), comment="Licence of the text.")
    # info "format": "url": only http(s) URLs are accepted wherever data enters.
    url: Mapped[str | None] = mapped_column(
        String(500), info={"format": "url"}, comment="Where the document can be read."
    )
    source_file: Mapped[str | None] = mapped_column(
        String(200), comment="File name of the text among the seed documents."
    )
    summary: Mapped[str | None] = mapped_column(Text, comment="A short summary of the document.")
