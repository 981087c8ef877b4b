"""``stratagraph import FILE.json``: load a JSON dataset into an empty database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from exporters.json_import import import_dataset, load_document
from migrations import runner as migrations
from service.commands._run import run_with_engine


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import",
        help="import a JSON dataset (from `stratagraph export json`) into an empty database",
        description="Validate FILE against the published JSON Schema and its references, then "
        "write every record in one transaction (all or nothing). The schema is migrated to "
        "head first; the database must hold no data.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.json", help="the JSON dataset")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    document = load_document(args.file)

    async def action(engine: AsyncEngine) -> str:
        await migrations.upgrade(engine)
        return str(await import_dataset(engine, document, str(args.file)))

    print(run_with_engine(action))
    return 0
