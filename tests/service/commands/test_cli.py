"""The ``stratagraph`` console script: help, migrate, and one-line errors with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.support.ci import unavailable
from tests.support.databases import POSTGRES_ADMIN_URL, postgres_unavailable_reason

STRATAGRAPH = str(Path(sys.executable).with_name("stratagraph"))


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STRATAGRAPH_")}
    environ.update(env or {})
    return subprocess.run(
        [STRATAGRAPH, *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize("command", ["serve", "migrate", "seed"])
def test_every_command_has_useful_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert f"usage: stratagraph {command}" in result.stdout
    assert "STRATAGRAPH_DATABASE_URL" in result.stdout or "--" in result.stdout


def test_top_level_help_lists_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("serve", "migrate", "seed"):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("nonsense", "is not a database URL"),
        ("mysql://root@127.0.0.1/test", "unsupported database"),
        ("postgresql://nobody@127.0.0.1:1/none", "cannot use the database"),
        ("sqlite:////no/such/folder/x.db", "does not exist"),
        ("postgresql://postgres@127.0.0.1:abc/db", "port 'abc' is not a number"),
    ],
)
@pytest.mark.parametrize("command", ["migrate", "seed", "serve"])
def test_bad_database_url_is_one_clear_line(command: str, url: str, fragment: str) -> None:
    result = run_cli(command, env={"STRATAGRAPH_DATABASE_URL": url})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("stratagraph: error: STRATAGRAPH_DATABASE_URL: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_migrate_upgrades_and_downgrades_a_fresh_file(tmp_path: Path) -> None:
    env = {"STRATAGRAPH_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    upgraded = run_cli("migrate", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "database schema at revision" in upgraded.stdout
    again = run_cli("migrate", env=env)
    assert again.returncode == 0
    assert again.stdout == upgraded.stdout
    downgraded = run_cli("migrate", "--downgrade", "--revision", "base", env=env)
    assert downgraded.returncode == 0, downgraded.stderr
    assert "base (empty)" in downgraded.stdout


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"database": "stratagraph_no_such_database"}, "does not exist"),
        ({"username": "stratagraph_no_such_role"}, "does not exist"),
    ],
)
@pytest.mark.parametrize("command", ["migrate", "seed", "import"])
async def test_postgresql_refusing_the_login_is_one_clear_line(
    command: str, change: dict[str, str], fragment: str, tmp_path: Path
) -> None:
    reason = await postgres_unavailable_reason()
    if reason:
        unavailable(reason)
    url = make_url(POSTGRES_ADMIN_URL).set(**change).render_as_string(hide_password=False)
    args = [command, str(tmp_path / "none.json")] if command == "import" else [command]
    (tmp_path / "none.json").write_text('{"format": "stratagraph.dataset"}')
    result = run_cli(*args, env={"STRATAGRAPH_DATABASE_URL": url})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("stratagraph: error: STRATAGRAPH_DATABASE_URL: cannot use")
    assert fragment in lines[0]


def test_migrate_logs_each_alembic_line_once(tmp_path: Path) -> None:
    env = {"STRATAGRAPH_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    for args in (("migrate",), ("migrate", "--downgrade", "--revision", "base")):
        result = run_cli(*args, env=env)
        assert result.returncode == 0, result.stderr
        lines = result.stderr.splitlines()
        assert any(" Running " in line for line in lines), result.stderr
        assert lines.count("INFO alembic.runtime.migration: Context impl SQLiteImpl.") == 1
        assert len(lines) == len(set(lines)), result.stderr


def test_the_log_level_setting_applies_to_commands(tmp_path: Path) -> None:
    env = {
        "STRATAGRAPH_DATABASE_URL": f"sqlite:///{tmp_path / 'quiet.db'}",
        "STRATAGRAPH_LOG_LEVEL": "warning",
    }
    result = run_cli("migrate", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "database schema at revision" in result.stdout


def test_a_bad_log_level_is_one_line(tmp_path: Path) -> None:
    result = run_cli("exporters", env={"STRATAGRAPH_LOG_LEVEL": "loud"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "stratagraph: error: STRATAGRAPH_LOG_LEVEL: 'loud' is not one of "
        "critical, error, warning, info, debug"
    ]


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_serve_needs_at_least_one_worker(workers: str, tmp_path: Path) -> None:
    database = tmp_path / "workers.db"
    result = run_cli(
        "serve", "--workers", workers, env={"STRATAGRAPH_DATABASE_URL": f"sqlite:///{database}"}
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"stratagraph: error: --workers: {workers} is not a positive whole number"
    ]
    assert not database.exists(), "nothing is prepared before the arguments are checked"
