"""Placeholder until the dataset branch lands its curated loader (this file is theirs)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from service.errors import StratagraphError


class SeedError(StratagraphError):
    """The seed data or the target database cannot be used as asked."""


async def load_curated(engine: AsyncEngine, data_dir: object = None) -> str:
    raise SeedError("the curated dataset is not available on this branch yet")
