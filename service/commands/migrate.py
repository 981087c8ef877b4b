"""``stratagraph migrate``: bring the database schema to a revision (default: head)."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from migrations import runner as migrations
from service.commands._run import run_with_engine


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "migrate",
        help="upgrade the database schema to the latest revision",
        description="Apply Alembic migrations to the database named by STRATAGRAPH_DATABASE_URL.",
    )
    parser.add_argument("--revision", default="head", help="target revision (default: head)")
    parser.add_argument(
        "--downgrade",
        action="store_true",
        help="downgrade to --revision instead of upgrading (e.g. --downgrade --revision base)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    async def action(engine: AsyncEngine) -> str | None:
        if args.downgrade:
            return await migrations.downgrade(engine, args.revision)
        return await migrations.upgrade(engine, args.revision)

    revision = run_with_engine(action)
    print(f"database schema at revision {revision or 'base (empty)'}")
    return 0
