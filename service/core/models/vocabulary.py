"""Shared vocabularies that tasks are tagged with: technologies, regions, organisations."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Entity
from service.core.models.enums import OrganisationKind, RegionKind, checked_enum


class Technology(Entity):
    __tablename__ = "technology"

    slug: Mapped[str] = mapped_column(String(100), unique=True, comment="Stable short name.")
    name: Mapped[str] = mapped_column(String(200), comment="Name.")


class Region(Entity):
    __tablename__ = "region"

    slug: Mapped[str] = mapped_column(String(100), unique=True, comment="Stable short name.")
    name: Mapped[str] = mapped_column(String(200), comment="Name.")
    kind: Mapped[RegionKind] = mapped_column(
        checked_enum(RegionKind, "region_kind"), comment="Kind of region."
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="SET NULL"), index=True, comment="The enclosing region."
    )


class Organisation(Entity):
    __tablename__ = "organisation"

    slug: Mapped[str] = mapped_column(String(100), unique=True, comment="Stable short name.")
    name: Mapped[str] = mapped_column(String(300), comment="Name.")
    abbreviation: Mapped[str | None] = mapped_column(String(50), comment="Abbreviation, e.g. MSIT.")
    kind: Mapped[OrganisationKind] = mapped_column(
        checked_enum(OrganisationKind, "organisation_kind"), comment="Kind of organisation."
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"),
        index=True,
        comment="The organisation it belongs to.",
    )
