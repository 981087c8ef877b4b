"""SQLite's allocation count is off in any process that imports the service before sqlite3."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# Memory SQLite counts as in use once a connection has run statements (0 with the count off).
_MEMORY_IN_USE = """
    import ctypes, sqlite3
    from service.core.sqlite_allocator import sqlite_library, turn_off_allocation_count
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    used = sqlite_library().sqlite3_memory_used
    used.restype = ctypes.c_int64
    print(used(), turn_off_allocation_count())
"""


def _fresh_interpreter(first_import: str) -> tuple[int, str]:
    code = first_import + "\n" + textwrap.dedent(_MEMORY_IN_USE)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    used, again = result.stdout.split()
    return int(used), again


def test_the_served_app_starts_sqlite_without_the_count() -> None:
    # uvicorn imports the app factory's module first (service.app:create_app_from_env)
    used, again = _fresh_interpreter("import service.app")
    assert used == 0
    assert again == "False"  # SQLite has started: too late to change, and nothing is changed


def test_sqlite_started_before_the_service_keeps_its_count() -> None:
    used, again = _fresh_interpreter("import sqlite3")
    assert used > 0
    assert again == "False"
