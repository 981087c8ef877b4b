"""Every setting and every command is documented in the README (Datasette's rule)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from service.cli import build_parser
from service.core import settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setting_names() -> set[str]:
    source = Path(settings.__file__).read_text(encoding="utf-8")
    names = set(re.findall(r"\{PREFIX\}([A-Z][A-Z_]+)", source))
    names |= set(re.findall(r"_positive_setting\(\s*env,\s*\"([A-Z][A-Z_]+)\"", source))
    names |= set(settings.GRAPHQL_LIMITS.values())
    return {f"{settings.PREFIX}{name}" for name in names}


def _command_names() -> set[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(subparsers.choices)


def test_settings_are_found() -> None:
    assert "STRATAGRAPH_DATABASE_URL" in _setting_names()
    assert len(_setting_names()) >= 5


def test_every_setting_is_in_the_readme() -> None:
    missing = sorted(name for name in _setting_names() if f"`{name}`" not in README)
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    missing = sorted(name for name in _command_names() if f"`stratagraph {name}" not in README)
    assert missing == []
