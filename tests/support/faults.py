"""Stop, restart and freeze a private PostgreSQL under a bounded load; record every answer.

Shared by ``tests/service/web/test_outages.py`` (which asserts on the answers) and
``benchmarks/fault_injection.py`` (which prints them as a table).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from tests.support.private_postgres import PrivateCluster

ENDPOINTS = {
    "graphql": "/graphql?query="
    + "%7Bplans%7Bslug%20strategies%28first%3A3%29%7Bnodes%7Bcode%7D%7D%7D%7D",
    "export": "/exports/json",
    "feed": "/calendars/milestones.ics",
    "health": "/healthz",
}
CLIENTS = 4  # concurrent clients: a bounded load
CLIENT_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Answer:
    phase: str
    endpoint: str
    outcome: str  # the status code, "cut off" (a 200 whose body broke) or "no answer"
    seconds: float
    retry_after: bool


def _complete(endpoint: str, body: bytes) -> bool:
    if endpoint == "feed":
        return body.rstrip().endswith(b"END:VCALENDAR")
    if endpoint == "export":
        return body.rstrip().endswith(b"}")
    return True


async def ask(client: httpx.AsyncClient, phase: str, endpoint: str) -> Answer:
    started = time.monotonic()
    outcome: str
    retry_after = False
    try:
        response = await client.get(ENDPOINTS[endpoint], headers={"accept": "application/json"})
        retry_after = "retry-after" in response.headers
        outcome = str(response.status_code)
        if response.status_code == 200 and not _complete(endpoint, response.content):
            outcome = "cut off"
    except httpx.TimeoutException:
        outcome = "no answer"
    except httpx.HTTPError:
        outcome = "cut off"
    return Answer(phase, endpoint, outcome, time.monotonic() - started, retry_after)


async def load(
    client: httpx.AsyncClient, phase: str, seconds: float, answers: list[Answer]
) -> None:
    """``CLIENTS`` clients asking in turn for every endpoint for ``seconds``."""
    deadline = time.monotonic() + seconds
    names = list(ENDPOINTS)

    async def one_client(offset: int) -> None:
        turn = offset
        while time.monotonic() < deadline:
            answers.append(await ask(client, phase, names[turn % len(names)]))
            turn += 1

    await asyncio.gather(*(one_client(i) for i in range(CLIENTS)))


async def run_phases(base_url: str, cluster: PrivateCluster) -> list[Answer]:
    """up → restart → stopped → started → frozen → thawed, with the load running."""
    answers: list[Answer] = []
    limits = httpx.Limits(max_connections=CLIENTS * 2)
    async with httpx.AsyncClient(
        base_url=base_url, timeout=CLIENT_TIMEOUT_S, limits=limits
    ) as client:

        async def during(
            phase: str, seconds: float, action: Callable[[], None] | None = None
        ) -> None:
            if action is not None:
                await asyncio.to_thread(action)
            await load(client, phase, seconds, answers)

        async def first_of_each(phase: str) -> None:
            for endpoint in ENDPOINTS:
                answers.append(await ask(client, phase, endpoint))

        steps: list[Awaitable[None]] = [
            during("up", 2),
            _then(cluster.restart, first_of_each("first after restart")),
            during("after restart", 2),
            during("stopped", 4, cluster.stop),
            _then(cluster.start, first_of_each("first after start")),
            during("started", 2),
            during("frozen", 5, cluster.freeze),
            during("thawed", 3, cluster.thaw),
        ]
        for step in steps:
            await step
    return answers


async def _then(action: Callable[[], None], step: Awaitable[None]) -> None:
    await asyncio.to_thread(action)
    await step


def table(answers: list[Answer]) -> str:
    """Answers per phase and outcome, with the slowest answer of each phase."""
    phases = list(dict.fromkeys(a.phase for a in answers))
    outcomes = sorted({a.outcome for a in answers})
    lines = [
        "| phase | " + " | ".join(outcomes) + " | slowest (s) |",
        "| --- | " + " | ".join("---:" for _ in outcomes) + " | ---: |",
    ]
    for phase in phases:
        mine = [a for a in answers if a.phase == phase]
        counts = Counter(a.outcome for a in mine)
        slowest = max(a.seconds for a in mine)
        cells = " | ".join(str(counts.get(o, 0)) for o in outcomes)
        lines.append(f"| {phase} | {cells} | {slowest:.2f} |")
    return "\n".join(lines)


def answered_by_endpoint(answers: list[Answer]) -> str:
    """The 200 answers of each endpoint over all phases: how many, the median and slowest."""
    lines = ["| endpoint | 200 | median (s) | slowest (s) |", "| --- | ---: | ---: | ---: |"]
    for endpoint in ENDPOINTS:
        seconds = sorted(
            a.seconds for a in answers if a.endpoint == endpoint and a.outcome == "200"
        )
        if seconds:
            median = seconds[len(seconds) // 2]
            lines.append(f"| {endpoint} | {len(seconds)} | {median:.2f} | {seconds[-1]:.2f} |")
    return "\n".join(lines)
