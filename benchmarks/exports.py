"""Time, peak memory and size of every registered exporter's whole export.

Each export runs in a fresh Python subprocess, so one export's memory cannot hide another's:
the child records its peak RSS (``ru_maxrss``) once the engine is connected, runs the
export into a file, and reports the growth of the peak. ``--tracemalloc`` also reports the
peak of Python allocations (slower). Compare a small and a large database: bounded memory
means the peak stays flat while the data grows a hundredfold.

    python benchmarks/exports.py URL [URL ...] [--format NAME ...] [--tracemalloc]

URLs are opened read-only where the engine allows it (SQLite: ``mode=ro``). Examples:
``sqlite:////work/bench/large.db``,
``postgresql+asyncpg://postgres@127.0.0.1:5432/stratagraph_bench_large``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url

from exporters.registry import load_registry
from service.core.database import create_session_factory, engine_for_url
from service.core.dataset_filter import DatasetFilter
from service.core.dataset_reader import DatasetReader
from service.core.models import Milestone, Task
from service.core.settings import parse_database_url


def read_only(url: URL) -> URL:
    if url.get_backend_name() != "sqlite":
        return url
    return url.set(database=f"file:{url.database}?mode=ro", query={"uri": "true"})


def cpu_seconds() -> float:
    """User + system CPU of this process (all threads: aiosqlite runs queries in one)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def child(raw_url: str, name: str, out_path: str, trace: bool) -> dict[str, Any]:
    exporter = load_registry().get(name)
    assert exporter is not None, f"no exporter {name!r}"
    engine = engine_for_url(read_only(parse_database_url(raw_url)))
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session:
            milestones = (await session.execute(select(func.count(Milestone.id)))).scalar_one()
            tasks = (await session.execute(select(func.count(Task.id)))).scalar_one()
        baseline = peak_rss_mib()
        if trace:
            tracemalloc.start()
        started, cpu_started = time.perf_counter(), cpu_seconds()
        # Exporters write synchronously to a binary stream; a plain file is what the CLI uses.
        with open(out_path, "wb") as out:  # noqa: ASYNC230
            async with sessions() as session:
                await exporter.export(DatasetReader(session), DatasetFilter(), out)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_started
        traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    finally:
        await engine.dispose()
    return {
        "tasks": tasks,
        "milestones": milestones,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rss_growth_mib": peak_rss_mib() - baseline,
        "rss_peak_mib": peak_rss_mib(),
        "tracemalloc_peak_mib": traced,
    }


def run_child(url: str, name: str, trace: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / f"export.{name}")
        command = [sys.executable, __file__, "--child", url, name, out]
        if trace:
            command.append("--tracemalloc")
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{name} on {url} failed:\n{result.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


def describe(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.get_backend_name()}:{Path(parsed.database or '').name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", metavar="URL")
    parser.add_argument("--format", action="append", dest="formats", metavar="NAME")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, name, out = args.urls
        figures = asyncio.run(child(url, name, out, args.tracemalloc))
        figures["bytes"] = Path(out).stat().st_size
        print(json.dumps(figures))
        return
    names = args.formats or load_registry().names
    header = (
        f"{'database':<38} {'format':<6} {'tasks':>7} {'milestones':>10} {'seconds':>8} "
        f"{'CPU s':>6} {'out MiB':>8} {'RSS peak':>9} {'RSS growth':>10}"
        + (f" {'py peak':>8}" if args.tracemalloc else "")
    )
    print(header)
    print("-" * len(header))
    for url in args.urls:
        for name in names:
            f = run_child(url, name, args.tracemalloc)
            line = (
                f"{describe(url):<38} {name:<6} {f['tasks']:>7,} {f['milestones']:>10,} "
                f"{f['seconds']:>8.1f} {f['cpu_seconds']:>6.1f} {f['bytes'] / 2**20:>8.1f} "
                f"{f['rss_peak_mib']:>8.0f}M {f['rss_growth_mib']:>9.0f}M"
            )
            if args.tracemalloc:
                line += f" {f['tracemalloc_peak_mib']:>7.1f}M"
            print(line, flush=True)


if __name__ == "__main__":
    main()
