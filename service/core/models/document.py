"""Source documents that every record cites."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity


class Document(Entity):
    __tablename__ = "document"

    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(16), default="en")
    licence: Mapped[str | None] = mapped_column(String(200))
    # info "format": "url": only http(s) URLs are accepted wherever data enters.
    url: Mapped[str | None] = mapped_column(String(500), info={"format": "url"})
    source_file: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
