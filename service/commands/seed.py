"""``stratagraph seed``: load the curated dataset, or generate a synthetic one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from migrations import runner as migrations
from service.commands._run import run_with_engine


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "seed",
        help="load the curated dataset of the source documents (or synthetic data)",
        description="Validate and load the curated dataset in one transaction. Loading twice "
        "changes nothing. The schema is migrated to head first.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder of curated YAML files (default: the dataset shipped with stratagraph)",
    )
    parser.add_argument(
        "--synthetic",
        choices=("small", "large"),
        default=None,
        help="generate a deterministic national-scale synthetic dataset instead",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="delete plans the curated files do not hold (e.g. synthetic data); "
        "without it such a load is refused and nothing changes",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    import seed

    async def action(engine: AsyncEngine) -> str:
        await migrations.upgrade(engine)
        if args.synthetic:
            return str(await seed.load_synthetic(engine, args.synthetic))
        return str(await seed.load_curated(engine, args.data_dir, replace=args.replace))

    print(run_with_engine(action))
    return 0
