"""``csv_plugin``: the CSV test plugin installed for the whole session (any test may request
it: the registry, the CLI, ``/exports/csv`` and the page then all see a fourth format)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.plugins import csv_plugin_installed


@pytest.fixture(scope="session")
def csv_plugin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """sys.path entries that make the plugin importable and discoverable."""
    with csv_plugin_installed(tmp_path_factory.mktemp("site-packages")) as entries:
        yield entries
