"""``stratagraph serve``: run the HTTP service with uvicorn."""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from migrations import runner as migrations
from service.commands._run import run_with_engine
from service.core.errors import StratagraphError
from service.core.models import Plan
from service.core.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the HTTP service (GraphQL, exports, calendars)",
        description="Serve the API. Before starting, the schema is migrated to head and, when "
        "the database holds no plans, the curated dataset is loaded.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    parser.add_argument(
        "--no-prepare",
        action="store_true",
        help="skip the migrate-and-seed step (for databases managed elsewhere)",
    )
    parser.set_defaults(handler=handle)


async def prepare_database(engine: AsyncEngine) -> bool:
    """Migrate to head; seed the curated dataset if there are no plans. True if it seeded."""
    import seed

    await migrations.upgrade(engine)
    async with engine.connect() as connection:
        plans = (await connection.execute(select(func.count()).select_from(Plan))).scalar_one()
    if plans:
        return False
    await seed.load_curated(engine)
    return True


def handle(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise StratagraphError(f"--workers: {args.workers} is not a positive whole number")
    settings = Settings.from_env()
    if not args.no_prepare and run_with_engine(prepare_database):
        print("loaded the curated dataset into the empty database")
    uvicorn.run(
        "service.app:create_app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level,
        timeout_graceful_shutdown=10,
        proxy_headers=True,
    )
    return 0
