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

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    previous_changed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True),
        nullable=True,
        comment="When the version before this one was made (null: none is known)",
    )
