"""Fixtures for exporter tests."""

from tests.exporters.sample import sample_client

__all__ = ["sample_client"]
