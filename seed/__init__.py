"""The curated dataset of the source documents, its loader, and the synthetic generator."""

from .loader import SeedError, load_curated
from .synthetic import load_synthetic

__all__ = ["SeedError", "load_curated", "load_synthetic"]
