"""The registry finds exporters through real entry points: the built-ins from stratagraph's
own metadata, a plugin distribution installed for the test, and broken plugins, which are
reported by name and skipped while the other formats keep working."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import httpx
import pytest

from exporters.protocol import ENTRY_POINT_GROUP
from exporters.registry import load_registry
from tests.exporters.sample import sample_client
from tests.exporters.support import run_cli
from tests.plugins import installed, write_distribution
from tests.plugins.fixtures import csv_plugin

__all__ = ["csv_plugin", "sample_client"]  # fixtures, used by name

BUILT_INS = {"json", "xlsx", "ics"}
BROKEN_MODULE = "raise RuntimeError('this plugin cannot start')\n"


def test_built_ins_are_registered_as_entry_points_of_stratagraph() -> None:
    points = {p.name: p for p in entry_points(group=ENTRY_POINT_GROUP)}
    for name in BUILT_INS:
        dist = points[name].dist
        assert dist is not None
        assert dist.name == "stratagraph"
    registry = load_registry()
    assert set(registry.names) >= BUILT_INS
    for exporter in registry:
        assert exporter.title
        assert exporter.description
        assert exporter.media_type


def test_plugin_is_discovered(csv_plugin: list[str]) -> None:
    exporter = load_registry().get("csv")
    assert exporter is not None
    assert type(exporter).__module__ == "stratagraph_csv_exporter"


async def test_plugin_serves_over_http(
    csv_plugin: list[str], sample_client: httpx.AsyncClient
) -> None:
    listed = await sample_client.get("/exports")
    assert "csv" in [f["name"] for f in listed.json()["formats"]]
    response = await sample_client.get("/exports/csv?strategy=DSK-I")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="stratagraph-strategy-DSK-I.csv"'
    )
    assert response.text.splitlines() == [
        "code,strategy,parent,title",
        "DSK-I-1,DSK-I,,AI semiconductors",
        "DSK-I-1-a,DSK-I,DSK-I-1,\tTab-led title",
    ]


def test_plugin_in_the_cli(csv_plugin: list[str], tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    path = os.pathsep.join(csv_plugin)
    listed = run_cli("exporters", database_url=url, extra_path=path)
    assert listed.returncode == 0, listed.stderr.decode()
    names = [line.split()[0] for line in listed.stdout.decode().splitlines()[1:]]
    assert {"csv", *BUILT_INS} <= set(names)
    assert run_cli("migrate", database_url=url).returncode == 0
    # The database is empty: a filter naming a strategy would be refused as unknown.
    exported = run_cli("export", "csv", database_url=url, extra_path=path)
    assert exported.returncode == 0, exported.stderr.decode()
    assert exported.stdout == b"code,strategy,parent,title\r\n"


@pytest.fixture
def broken_plugins(tmp_path: Path) -> Iterator[list[str]]:
    source = tmp_path / "src"
    source.mkdir()
    (source / "stratagraph_broken_plugin.py").write_text(BROKEN_MODULE, encoding="utf-8")
    write_distribution(
        tmp_path / "site",
        "stratagraph-broken-plugins",
        "1.0",
        {
            "no-module": "stratagraph_no_such_module:Exporter",
            "raises": "stratagraph_broken_plugin:Exporter",
            "no-attribute": "stratagraph_csv_exporter:DoesNotExist",
            "not-an-exporter": "stratagraph_csv_exporter:NOT_AN_EXPORTER",
            "nameless": "stratagraph_csv_exporter:Nameless",
            "json": "stratagraph_csv_exporter:CsvExporter",  # name mismatch
        },
    )
    from tests.plugins import CSV_PLUGIN

    with installed(tmp_path / "site", source, CSV_PLUGIN) as entries:
        yield entries


def test_broken_plugins_are_reported_by_name_and_skipped(
    broken_plugins: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="exporters.registry"):
        registry = load_registry()
    assert set(registry.names) >= BUILT_INS
    broken = registry.broken
    assert "No module named 'stratagraph_no_such_module'" in broken["no-module"]
    assert "RuntimeError: this plugin cannot start" in broken["raises"]
    assert "DoesNotExist" in broken["no-attribute"]
    assert "missing name, media_type" in broken["not-an-exporter"]
    assert "missing name" in broken["nameless"]
    assert "json" in broken
    assert registry.get("json") is not None
    assert type(registry.get("json")).__name__ == ("JsonExporter")
    for name in ("no-module", "raises", "no-attribute", "not-an-exporter", "nameless"):
        assert any(name in record.getMessage() for record in caplog.records), name


async def test_broken_plugins_do_not_break_http(
    broken_plugins: list[str], sample_client: httpx.AsyncClient
) -> None:
    listed = (await sample_client.get("/exports")).json()
    assert "raises" in listed["broken"]
    assert (await sample_client.get("/exports/json")).status_code == 200
    missing = await sample_client.get("/exports/raises")
    assert missing.status_code == 404
    assert "raises" not in missing.json()["available"]


def test_broken_plugins_are_listed_by_the_cli(broken_plugins: list[str], tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    listed = run_cli("exporters", database_url=url, extra_path=os.pathsep.join(broken_plugins))
    assert listed.returncode == 0
    output = listed.stdout.decode()
    assert "broken plugin 'raises' (skipped)" in output
    assert output.splitlines()[1].split()[0] in BUILT_INS | {"csv"}


async def test_plugin_appears_on_the_page(
    csv_plugin: list[str], sample_client: httpx.AsyncClient
) -> None:
    page = await sample_client.get("/")
    assert page.status_code == 200
    assert 'href="/exports/csv"' in page.text
    assert "Tasks as CSV" in page.text
