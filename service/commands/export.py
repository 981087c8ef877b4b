"""``stratagraph export FORMAT [-o FILE] [filters]``: write the dataset, or a filtered part of it,
in any registered format."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from exporters.registry import load_registry
from service.commands._run import run_with_engine
from service.core.database import create_session_factory
from service.core.dataset_filter import DatasetFilter, filter_from_params
from service.core.dataset_reader import DatasetReader
from service.core.date_match import DateMatch
from service.core.errors import StratagraphError
from service.core.known_keys import check_known, session_rows

# CLI option -> the dataset filter's query parameter (the same names as the HTTP filters).
FILTERS = {
    "plan": "plan slug",
    "strategy": "strategy code",
    "technology": "technology slug",
    "region": "region slug",
    "organisation": "organisation slug",
    "law": "law slug",
}


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (repeatable; as in GET /exports/FORMAT?...)")
    for name, what in FILTERS.items():
        group.add_argument(
            f"--{name}",
            action="append",
            default=[],
            metavar=what.split()[-1].upper(),
            help=f"only this {what} (repeat or comma-separate for several)",
        )
    group.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="start of the date range for milestones/budgets/targets (YYYY, YYYY-MM or "
        "YYYY-MM-DD; a year or month means its first day)",
    )
    group.add_argument(
        "--to",
        dest="date_to",
        metavar="DATE",
        help="end of the date range (YYYY, YYYY-MM or YYYY-MM-DD; a year or month means its "
        "last day)",
    )
    group.add_argument(
        "--match",
        dest="date_match",
        choices=[m.value for m in DateMatch],
        default=None,
        help="how a date span must meet the range: overlaps (default), within, starts or ends",
    )


def dataset_filter_of(args: argparse.Namespace) -> DatasetFilter:
    params = [(name, value) for name in FILTERS for value in getattr(args, name)]
    if args.date_from is not None:
        params.append(("from", args.date_from))
    if args.date_to is not None:
        params.append(("to", args.date_to))
    if args.date_match is not None:
        params.append(("match", args.date_match))
    return filter_from_params(params)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="export the dataset (or a selection) as xlsx, json, ics or a plugin format",
        description="Write the dataset in a registered format (see `stratagraph exporters`) to "
        "FILE or standard output. The file appears only once the export succeeded.",
    )
    parser.add_argument("format", metavar="FORMAT", help="exporter name, e.g. xlsx, json, ics")
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="file to write (default: standard output)"
    )
    add_filter_arguments(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    registry = load_registry()
    exporter = registry.get(args.format)
    if exporter is None:
        raise StratagraphError(
            f"unknown format {args.format!r}; available: {', '.join(registry.names) or 'none'}"
        )
    dataset_filter = dataset_filter_of(args)

    async def write(engine: AsyncEngine, out: IO[bytes]) -> None:
        async with create_session_factory(engine)() as session:
            await check_known(session_rows(session), dataset_filter)
            await exporter.export(DatasetReader(session), dataset_filter, out)

    if args.output is None or str(args.output) == "-":
        run_with_engine(lambda engine: write(engine, sys.stdout.buffer))
        sys.stdout.buffer.flush()
        return 0
    target: Path = args.output
    if not target.parent.resolve().is_dir():
        raise StratagraphError(f"--output: the folder {str(target.parent)!r} does not exist")
    handle_, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle_, "wb") as out:
            run_with_engine(lambda engine: write(engine, out))
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    print(f"wrote {target} ({target.stat().st_size} bytes, {exporter.title})", file=sys.stderr)
    return 0
