"""Plugins installed for tests the way pip would: a ``.dist-info`` with ``entry_points.txt``
on ``sys.path``, so ``importlib.metadata`` discovers them like any installed distribution."""

from __future__ import annotations

import importlib
import sys
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

PLUGINS = Path(__file__).resolve().parent
CSV_PLUGIN = PLUGINS / "csv_exporter"


def write_distribution(
    site: Path, name: str, version: str, entry_points: Mapping[str, str]
) -> None:
    """Write the installed-distribution metadata that pip would write into ``site``."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[stratagraph.exporters]", *(f"{k} = {v}" for k, v in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextmanager
def installed(site: Path, *source_dirs: Path) -> Iterator[list[str]]:
    """Put ``site`` (with its dist-info) and the plugin sources on ``sys.path``; yields the
    entries (for PYTHONPATH in subprocesses) and removes them afterwards."""
    entries = [str(site), *map(str, source_dirs)]
    sys.path[:0] = entries
    importlib.invalidate_caches()
    try:
        yield entries
    finally:
        for entry in entries:
            sys.path.remove(entry)
        importlib.invalidate_caches()


def csv_plugin_entry_points() -> dict[str, str]:
    project = tomllib.loads((CSV_PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))
    points: dict[str, str] = project["project"]["entry-points"]["stratagraph.exporters"]
    return points


@contextmanager
def csv_plugin_installed(site: Path) -> Iterator[list[str]]:
    project = tomllib.loads((CSV_PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    write_distribution(site, project["name"], project["version"], csv_plugin_entry_points())
    with installed(site, CSV_PLUGIN) as entries:
        yield entries
