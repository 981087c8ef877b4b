"""The curated dataset of the source documents, its loader, and the synthetic generator."""

from seed.errors import SeedError
from seed.loader import SeedReport, load_curated
from seed.synthetic import SyntheticReport, load_synthetic

__all__ = ["SeedError", "SeedReport", "SyntheticReport", "load_curated", "load_synthetic"]
