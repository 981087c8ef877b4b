"""``stratagraph exporters``: the registered export formats, and any broken plugins."""

from __future__ import annotations

import argparse
from typing import Any

from exporters.registry import load_registry


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "exporters",
        help="list the export formats (built-in and plugins)",
        description="List every exporter found under the 'stratagraph.exporters' entry "
        "points, and plugins that failed to load, with the reason.",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    registry = load_registry()
    rows = [(e.name, e.file_extension, e.media_type, e.title) for e in registry]
    widths = [
        max(len(row[i]) for row in [("NAME", "EXT", "MEDIA TYPE", ""), *rows]) for i in range(3)
    ]
    print(f"{'NAME':<{widths[0]}}  {'EXT':<{widths[1]}}  {'MEDIA TYPE':<{widths[2]}}  TITLE")
    for name, extension, media_type, title in rows:
        print(f"{name:<{widths[0]}}  {extension:<{widths[1]}}  {media_type:<{widths[2]}}  {title}")
    for name, reason in registry.broken.items():
        print(f"broken plugin {name!r} (skipped): {reason}")
    return 0
