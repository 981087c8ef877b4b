"""GraphQL throughput: one uvicorn worker, N keep-alive clients, six query shapes.

    python benchmarks/graphql_load.py DATABASE_URL [DATABASE_URL ...] [--duration 10]
                              [--warmup 3] [--clients 8] [--cache on|off] [--lookup-ids 500]

Against the synthetic ``large`` dataset (``/work/bench/large.db`` or
``postgresql+asyncpg://postgres@127.0.0.1:5432/stratagraph_bench_large``). The scenarios:
a dashboard, a flat page of milestones, a task lookup by rotating ids, a strategy's 100 tasks
(big), a page of search hits for rotating words, and budget totals by rotating groups. Prints, per
scenario, requests per second, p50 and p99 latency, and the SQL statements one request runs
(counted in-process through the same app). The load comes from wrk (``load_generator.py``),
which costs the machine's CPU as little as possible; each scenario has a warm-up run first.

With several URLs (a PostgreSQL and an SQLite database of the same data), each scenario is
measured on each database's server in turn, in one run, and the SQLite / PostgreSQL ratio of
req/s is printed against issue 9's target (SQLite within 1.5x of PostgreSQL).

``--cache on`` runs the server with its response cache (the default size); ``off`` sets
``STRATAGRAPH_GRAPHQL_CACHE_BYTES=0``. The data does not change during a run, so with the
cache on every request after the first of its kind is a hit: the figures are those of an
unchanged dataset. The lookup scenario rotates over ``--lookup-ids`` tasks (each client
starting at its own offset) so it is not one cached answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from load_generator import Load, load
from sqlalchemy import event, func, select

from schema.relay import encode_id
from service.app import create_app
from service.core.database import engine_for_url
from service.core.queries import catalog
from service.core.settings import Settings, parse_database_url

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Scenario:
    name: str
    query: str
    variants: list[dict[str, Any]]  # variables; clients take them round-robin

    def bodies(self) -> list[bytes]:
        return [json.dumps({"query": self.query, "variables": v}).encode() for v in self.variants]

    def body(self) -> bytes:
        return self.bodies()[0]


DASHBOARD = """query Dashboard($slug: String!) { plan(slug: $slug) { title
  strategies(first: 5) { nodes { code title
    tasks(first: 20) { nodes { code title
      milestones { title date { text start end precision } kind status }
      budgets { amount { amount currency } startYear endYear } } } } } } }"""

FLAT = """query Flat($from: String!, $to: String!) {
  milestones(filter: {date: {from: $from, to: $to}}, orderBy: {field: START_DATE}, first: 100) {
    nodes { title date { text start end precision } kind status } } }"""

LOOKUP = """query Lookup($id: ID!) { node(id: $id) { ... on Task { code title
  laws { title status kind } } } }"""

BIG = """query Big($id: ID!) { node(id: $id) { ... on Strategy { code
  tasks(first: 100, includeSubtasks: true) { nodes { code title
    milestones { title date { text start end precision } kind status } } } } } }"""

SEARCH = """query Search($q: String!) { search(query: $q, first: 10) { edges { cursor node {
  score field snippet node { __typename id ... on Task { code title } ... on Law { slug title }
  ... on Plan { slug title } } } } pageInfo { hasNextPage endCursor } } }"""

SUMMARY = """query Summary($group: BudgetGroup!) { budgetSummary(groupBy: $group) { key label
  kind startYear endYear meaning total { amount currency } budgets } }"""

SEARCH_WORDS = ("metaverse", "semiconductors", "6G network", "quantum science", "data economy")
SUMMARY_GROUPS = ("STRATEGY", "PERIOD", "TECHNOLOGY", "PLAN")


async def scenarios(url: str, lookup_ids: int) -> list[Scenario]:
    """Pick real keys from the dataset: a plan, tasks with laws, a strategy with 100 tasks."""
    engine = engine_for_url(parse_database_url(url))
    try:
        async with engine.connect() as conn:
            slug = (
                await conn.execute(select(catalog.plan.c.slug).order_by(catalog.plan.c.id).limit(1))
            ).scalar_one()
            link = catalog.TASK_LINKS["law"][0]
            task_ids = (
                await conn.execute(
                    select(link.c.task_id).distinct().order_by(link.c.task_id).limit(lookup_ids)
                )
            ).scalars()
            lookups = [{"id": encode_id("Task", task_id)} for task_id in task_ids]
            t = catalog.task
            strategy_id = (
                await conn.execute(
                    select(t.c.strategy_id)
                    .group_by(t.c.strategy_id)
                    .having(func.count() >= 100)
                    .order_by(t.c.strategy_id)
                    .limit(1)
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    return [
        Scenario("a dashboard", DASHBOARD, [{"slug": slug}]),
        Scenario("b flat", FLAT, [{"from": "2024-01-01", "to": "2025-12-31"}]),
        Scenario("c lookup", LOOKUP, lookups),
        Scenario("d big", BIG, [{"id": encode_id("Strategy", strategy_id)}]),
        Scenario("e search", SEARCH, [{"q": words} for words in SEARCH_WORDS]),
        Scenario("f summary", SUMMARY, [{"group": group} for group in SUMMARY_GROUPS]),
    ]


async def statements_per_request(
    url: str, cases: list[Scenario], cache_bytes: int
) -> dict[str, tuple[int, int, int]]:
    """(SQL statements of a first and of a repeated request, objects in the answer) per
    scenario, in-process."""
    engine = engine_for_url(parse_database_url(url))
    settings = Settings(database_url=parse_database_url(url), graphql_cache_bytes=cache_bytes)
    app = create_app(settings, engine=engine)
    counts: dict[str, tuple[int, int, int]] = {}
    log: list[str] = []

    def record(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        log.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for case in cases:
                runs = []
                for _ in range(2):
                    log.clear()
                    response = await client.post(
                        "/graphql",
                        content=case.body(),
                        headers={"Content-Type": "application/json"},
                    )
                    answer = response.json()
                    if response.status_code != 200 or answer.get("errors"):
                        raise SystemExit(f"{case.name}: {response.status_code} {answer}")
                    runs.append(len(log))
                counts[case.name] = (runs[0], runs[1], _objects(answer["data"]))
    finally:
        await engine.dispose()
    return counts


def _objects(value: Any, in_list: bool = False) -> int:
    """Records in an answer: objects in lists plus lone objects with a title or code."""
    if isinstance(value, dict):
        own = 1 if in_list or "title" in value or "code" in value else 0
        return own + sum(_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(_objects(v, in_list=True) for v in value)
    return 0


# ---- load generator (separate process) ----


@dataclass(frozen=True)
class Measured:
    """One scenario on one server: wrk's figures and the CPU the server and its database
    used per request while wrk measured."""

    load: Load
    cpu_ms: float
    database_cpu_ms: float | None  # None for SQLite (in the server's process)


def measure(
    pid: int,
    port: int,
    bodies: list[bytes],
    clients: int,
    warmup: float,
    duration: float,
    database: str | None,
) -> Measured:
    """A warm-up run, not counted, then a measured one with the CPU counted around it."""
    load(port, bodies, clients, warmup)
    cpu_before = _cpu_seconds(pid)
    database_before = _database_cpu(database)
    measured = load(port, bodies, clients, duration)
    cpu = _cpu_seconds(pid) - cpu_before
    database_cpu = database_cpu_used(database, database_before)
    count = max(measured.requests, 1)
    return Measured(measured, cpu * 1000 / count, database_cpu * 1000 / count if database else None)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _database_cpu(database: str | None) -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend process serving ``database`` on this
    machine (its process title names the database); empty for SQLite or a remote server."""
    if not database:
        return {}
    found: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if title.startswith("postgres: ") and f" {database} " in title:
                found[int(entry.name)] = _cpu_seconds(int(entry.name))
        except OSError:
            continue  # the process ended meanwhile
    return found


def database_cpu_used(database: str | None, before: dict[int, float]) -> float:
    """CPU seconds the database's backends used since ``before`` (backends that ended
    meanwhile are not counted; a pool keeps its connections, so there are few)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in _database_cpu(database).items())


def postgresql_database(url: str) -> str | None:
    parsed = parse_database_url(url)
    return parsed.database if parsed.get_backend_name() == "postgresql" else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(url: str, port: int, cache: bool, root: Path = ROOT) -> subprocess.Popen[bytes]:
    """One uvicorn worker serving the code in ``root`` (another checkout: an earlier commit)."""
    env = {**os.environ, "STRATAGRAPH_DATABASE_URL": url, "PYTHONPATH": str(root)}
    env.pop("STRATAGRAPH_GRAPHQL_CACHE_BYTES", None)
    if not cache:
        env["STRATAGRAPH_GRAPHQL_CACHE_BYTES"] = "0"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "service.app:create_app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=root,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


# Issue 9: SQLite uncached within 1.5x of PostgreSQL, i.e. at least 1/1.5 of its req/s.
SQLITE_SHARE_TARGET = 1 / 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "urls",
        nargs="+",
        metavar="url",
        help="database URLs (the synthetic large dataset); several are measured in turn per "
        "scenario, and a PostgreSQL and an SQLite URL are compared",
    )
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", default="", help="comma-separated scenario letters, e.g. a,c")
    parser.add_argument("--cache", choices=("on", "off"), default="off")
    parser.add_argument("--lookup-ids", type=int, default=500)
    parser.add_argument(
        "--before",
        type=Path,
        help="a checkout of an earlier commit (git worktree add /tmp/b COMMIT): its server is "
        "measured too, before this tree's, for each scenario and database",
    )
    args = parser.parse_args()
    cache = args.cache == "on"

    cases = asyncio.run(scenarios(args.urls[0], args.lookup_ids))
    if args.only:
        cases = [c for c in cases if c.name[0] in args.only.split(",")]
    counts = {}
    for url in args.urls:
        cache_bytes = Settings(database_url=parse_database_url(url)).graphql_cache_bytes
        counts[url] = asyncio.run(statements_per_request(url, cases, cache_bytes if cache else 0))
    roots = [("before ", args.before.resolve()), ("", ROOT)] if args.before else [("", ROOT)]
    servers: dict[str, tuple[str, int, subprocess.Popen[bytes]]] = {}
    rows = []
    try:
        for url in args.urls:
            for prefix, root in roots:
                port = _free_port()
                label = prefix + parse_database_url(url).get_backend_name()
                servers[label] = (url, port, _serve(url, port, cache, root))
        for case in cases:
            for label, (url, port, server) in servers.items():
                database = postgresql_database(url)
                found = measure(
                    server.pid,
                    port,
                    case.bodies(),
                    args.clients,
                    args.warmup,
                    args.duration,
                    database,
                )
                rows.append(
                    (
                        case.name,
                        label,
                        found.load.per_second,
                        found.load.p50_ms,
                        found.load.p99_ms,
                        found.cpu_ms,
                        found.database_cpu_ms,
                        *counts[url][case.name],
                    )
                )
    finally:
        for _url, _port, server in servers.values():
            server.terminate()
            server.wait(timeout=10)
    print(
        f"clients={args.clients} duration={args.duration}s "
        f"warmup={args.warmup}s workers=1 cache={args.cache} lookup-ids={args.lookup_ids}"
    )
    print(
        f"{'scenario':<12} {'server':<17} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'CPU ms':>8} {'DB CPU ms':>9} {'SQL/req':>8} {'SQL rep':>8} {'objects':>8}"
    )
    for name, backend, rps, p50, p99, cpu, database_cpu, statements, repeated, objects in rows:
        db = f"{database_cpu:>9.2f}" if database_cpu is not None else f"{'-':>9}"
        print(
            f"{name:<12} {backend:<17} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f} {cpu:>8.2f} "
            f"{db} {statements:>8} {repeated:>8} {objects:>8}"
        )
    backends = [parse_database_url(url).get_backend_name() for url in args.urls]
    if sorted(backends) == ["postgresql", "sqlite"]:
        print(f"{'scenario':<12} {'SQLite / PostgreSQL req/s':>26} {'target':>8} holds")
        for case in cases:
            rate = {r[1]: r[2] for r in rows if r[0] == case.name}
            share = rate["sqlite"] / rate["postgresql"]  # this tree's servers
            held = "yes" if share >= SQLITE_SHARE_TARGET else "no"
            print(f"{case.name:<12} {share:>25.2f}x {SQLITE_SHARE_TARGET:>7.2f}x {held}")
    if args.before:
        print(f"{'scenario':<12} {'server':<17} {'req/s after / before':>21} {'CPU ms before':>14}")
        for case in cases:
            for label in servers:
                if label.startswith("before "):
                    continue
                found = {r[1]: r for r in rows if r[0] == case.name}
                after, before = found[label], found["before " + label]
                print(
                    f"{case.name:<12} {label:<17} {after[2] / before[2]:>20.2f}x "
                    f"{before[5]:>8.2f} -> {after[5]:.2f}"
                )
    print("CPU ms: the server process's CPU time per request (SQLite's engine runs inside it)")
    print("DB CPU ms: PostgreSQL's backends' CPU time per request")
    print("SQL/req: statements of a first request; SQL rep: of the same request repeated,")
    print("  as SQLAlchemy's statement events see them: a compiled statement runs on the")
    print("  driver's own connection, which they don't see (SQLite counts BEGIN where it runs).")
    if cache:
        print("  With the cache on, each request also reads the data version: one more statement,")
        print("  run on the raw driver connection, which SQLAlchemy's statement events don't see.")


if __name__ == "__main__":
    main()
