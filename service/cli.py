"""``stratagraph`` command line: the composition root for commands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from service.commands import ALL_COMMANDS
from service.core.errors import StratagraphError
from service.core.settings import log_level_from_env


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stratagraph",
        description="GraphQL data service over national digital-strategy policy.",
        epilog="Settings come from STRATAGRAPH_* environment variables; "
        "STRATAGRAPH_DATABASE_URL picks the database (default: ./stratagraph.db).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in ALL_COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        level = log_level_from_env()
        logging.basicConfig(level=level.upper(), format="%(levelname)s %(name)s: %(message)s")
        status: int = args.handler(args)
    except StratagraphError as exc:
        print(f"stratagraph: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
