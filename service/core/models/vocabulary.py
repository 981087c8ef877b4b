"""Shared vocabularies that tasks are tagged with: technologies, regions, organisations."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity
from service.core.models.enums import OrganisationKind, RegionKind, checked_enum


class Technology(Entity):
    __tablename__ = "technology"

    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Region(Entity):
    __tablename__ = "region"

    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[RegionKind] = mapped_column(checked_enum(RegionKind, "region_kind"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="SET NULL"), index=True
    )


class Organisation(Entity):
    __tablename__ = "organisation"

    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    abbreviation: Mapped[str | None] = mapped_column(String(50))
    kind: Mapped[OrganisationKind] = mapped_column(
        checked_enum(OrganisationKind, "organisation_kind")
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
