"""The ``stratagraph`` console script: help, migrate, and one-line errors with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
