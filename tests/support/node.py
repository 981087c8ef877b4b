"""Node.js test tools (tests/js): installed once per machine with ``npm ci``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.ci import unavailable

JS_DIR = Path(__file__).resolve().parent.parent / "js"


def node_tools_dir() -> Path:
    """The folder holding ``node_modules``; skips (fails under CI) without node and npm."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        unavailable(
            "node and npm are needed for this test (graphql-http, ical.js, playwright-core)"
        )
    stamp = JS_DIR / "node_modules" / ".package-lock.json"
    lock = JS_DIR / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"npm ci in {JS_DIR} failed:\n{result.stderr[-2000:]}")
    return JS_DIR


def run_node(
    script: Path | str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a Node script from tests/js with the installed tools on its module path."""
    directory = node_tools_dir()
    return subprocess.run(
        ["node", str(script), *args],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
