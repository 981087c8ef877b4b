"""Fixtures for exporter tests."""

from .sample import sample_client

__all__ = ["sample_client"]
