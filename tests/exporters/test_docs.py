"""docs/exporters.md stays true: it documents every protocol attribute and built-in format,
and its example plugin is the one the tests install."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

from exporters.protocol import ENTRY_POINT_GROUP
from exporters.registry import TEXT_ATTRIBUTES
from tests.plugins import CSV_PLUGIN

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "exporters.md").read_text(encoding="utf-8")


def test_every_protocol_attribute_is_documented() -> None:
    for attribute in TEXT_ATTRIBUTES:
        assert f"| `{attribute}` |" in DOC, attribute
    assert (
        "async def export(self, dataset: DatasetReader, dataset_filter: DatasetFilter, "
        "out: ByteSink)" in DOC
    )


def test_every_built_in_format_is_documented() -> None:
    built_ins = [
        point.name
        for point in entry_points(group=ENTRY_POINT_GROUP)
        if point.dist is not None and point.dist.name == "stratagraph"
    ]
    assert {"json", "xlsx", "ics"} <= set(built_ins)
    for name in built_ins:
        assert f"- **{name}**" in DOC, name


def test_the_example_plugin_is_the_tested_one() -> None:
    blocks = re.findall(r"```(\w*)\n(.*?)```", DOC, flags=re.DOTALL)
    example = next(
        code for lang, code in blocks if lang == "python" and "class CsvExporter" in code
    )
    plugin = (CSV_PLUGIN / "stratagraph_csv_exporter" / "__init__.py").read_text()
    for line in example.splitlines():
        assert line in plugin.splitlines(), line
    toml = next(code for lang, code in blocks if lang == "toml")
    pyproject = (CSV_PLUGIN / "pyproject.toml").read_text()
    for line in toml.splitlines():
        assert line in pyproject.splitlines(), line
