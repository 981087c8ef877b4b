"""The curated dataset of the source documents, its loader, and the synthetic generator."""

from .errors import SeedError
from .loader import SeedReport, load_curated
from .synthetic import SyntheticReport, load_synthetic

__all__ = ["SeedError", "SeedReport", "SyntheticReport", "load_curated", "load_synthetic"]
