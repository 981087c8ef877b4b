"""The data version: one row the database bumps on every write to a data table.

Triggers (migrations 0002, 0003) keep it current whoever writes — the seed loaders, the JSON import
or a person at a SQL prompt — so caches keyed on it never serve data older than the version.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Base


class DataVersion(Base):
    __tablename__ = "data_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(
        Integer, primary_key=True, comment="Always 1: the table holds one row."
    )
    version: Mapped[int] = mapped_column(
        BigInteger, nullable=False, comment="Bumped by the database on every write to a data table."
    )
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, comment="When the version last changed (UTC)."
    )
    previous_changed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True),
        nullable=True,
        comment="When the version before this one was made (null: none is known)",
    )
