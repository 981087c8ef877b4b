"""Package data names only files that exist (a pattern for a missing folder ships nothing)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_data_pattern_matches_a_file() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data: dict[str, list[str]] = project["tool"]["setuptools"]["package-data"]
    empty = [
        f"{package}: {pattern}"
        for package, patterns in package_data.items()
        for pattern in patterns
        if not any(path.is_file() for path in (ROOT / package.replace(".", "/")).glob(pattern))
    ]
    assert empty == []
