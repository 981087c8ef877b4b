"""A live uvicorn server running the app in a subprocess, for checkers that need real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy.engine import URL


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(
    database_url: URL,
    env: Mapping[str, str] | None = None,
    timeout: float = 30,
    log: IO[str] | None = None,
    started: Callable[[int], None] | None = None,
    cwd: Path | None = None,
) -> Iterator[str]:
    """Serve the app on a free 127.0.0.1 port; yields its base URL, stops it afterwards.

    The server's output goes to ``log`` when given (read it afterwards), else to a pipe;
    ``started`` is told the server's process id; ``cwd`` serves the code checked out there
    (benchmarks compare commits) instead of this one."""
    port = free_port()
    environment = {
        **os.environ,
        "STRATAGRAPH_DATABASE_URL": database_url.render_as_string(hide_password=False),
        **(env or {}),
    }
    process = subprocess.Popen(
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
            "--log-level",
            "warning",
        ],
        env=environment,
        cwd=cwd,
        stdout=log if log is not None else subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, f"{base}/healthz", timeout)
        if started is not None:
            started(process.pid)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _wait_until_up(process: subprocess.Popen[str], url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"the server exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")
