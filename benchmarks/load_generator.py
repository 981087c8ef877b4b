"""HTTP load for the GraphQL benchmarks: wrk, N keep-alive connections, bodies in rotation.

wrk is written in C and drives all connections from one thread, so on a 2-core machine it
leaves nearly all the CPU to the server and its database (a Python client took about a fifth
of a core at 3,000 req/s, which capped the small scenarios and hid differences between
servers). Issue 9's own measurements used wrk too. Debian: ``apt-get install wrk``.

``rotate_bodies.lua`` sends the bodies in turn, one per request, across all connections, and
prints wrk's summary as one JSON line, which ``load`` reads.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "rotate_bodies.lua"


@dataclass(frozen=True)
class Load:
    """What one measured run of wrk saw."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian) or see wrk's README")
    return found


def load(port: int, bodies: list[bytes], clients: int, seconds: float) -> Load:
    """POST ``bodies`` in rotation to ``/graphql`` on ``port`` for ``seconds`` from ``clients``
    keep-alive connections; fails unless every answer was a 2xx (a request error would be
    measuring something else)."""
    if any(b"\n" in body for body in bodies):
        raise ValueError("a body holds a newline: the script reads one body per line")
    with tempfile.NamedTemporaryFile("wb", suffix=".bodies") as file:
        file.write(b"\n".join(bodies) + b"\n")
        file.flush()
        finished = subprocess.run(
            [
                wrk_path(),
                "--threads",
                "1",
                "--connections",
                str(clients),
                "--duration",
                f"{max(math.ceil(seconds), 1)}s",
                "--timeout",
                "60s",
                "--script",
                str(SCRIPT),
                f"http://127.0.0.1:{port}/graphql",
                "--",
                file.name,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    failed = {k: summary[k] for k in ("status", "connect", "read", "write", "timeout")}
    if any(failed.values()):
        raise RuntimeError(f"the load saw failed requests: {failed}")
    return Load(
        summary["requests"],
        summary["duration_us"] / 1e6,
        summary["p50_us"] / 1000,
        summary["p99_us"] / 1000,
    )
