"""The curated dataset of the source documents, its loader, and the synthetic generator."""

from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from .errors import SeedError
from .loader import SeedReport, load_curated


async def load_synthetic(engine: AsyncEngine, size: str) -> Any:
    """Generate and load the synthetic dataset (``seed.synthetic``, imported on first use)."""
    synthetic = importlib.import_module(f"{__name__}.synthetic")
    return await synthetic.load_synthetic(engine, size)


__all__ = ["SeedError", "SeedReport", "load_curated", "load_synthetic"]
