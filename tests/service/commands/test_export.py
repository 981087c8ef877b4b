"""``stratagraph export``: unknown formats and bad filters are one line and exit status 2;
a failed export leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.exporters.support import run_cli


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    assert run_cli("migrate", database_url=url).returncode == 0
    return url


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pdf"], "unknown format 'pdf'; available: "),
        (["json", "--from", "soon"], "from: 'soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"),
        (["json", "--plan", "no-such-plan"], "plan: no plan 'no-such-plan'; there are none"),
        (["json", "--plan", "Bad Slug"], "plan: 'Bad Slug' is not a slug"),
        (["json", "--from", "2024-02-01", "--to", "2024-01-01"], "from: 2024-02-01 is after"),
    ],
)
def test_bad_requests_are_one_line(
    database_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    target = tmp_path / "out.json"
    result = run_cli("export", *args, "-o", str(target), database_url=database_url)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not target.exists()
    assert list(tmp_path.glob(".out.json.*")) == []


def test_export_to_stdout_and_file(database_url: str, tmp_path: Path) -> None:
    to_stdout = run_cli("export", "json", database_url=database_url)
    assert to_stdout.returncode == 0
    target = tmp_path / "dataset.json"
    to_file = run_cli("export", "json", "-o", str(target), database_url=database_url)
    assert to_file.returncode == 0
    assert target.read_bytes() == to_stdout.stdout
    assert b'"plans":[]' in to_stdout.stdout


def test_import_reports_bad_files_in_one_message(database_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "stratagraph.dataset"', encoding="utf-8")
    result = run_cli("import", str(bad), database_url=database_url)
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr.decode()
    assert b"Traceback" not in result.stderr
    missing = run_cli("import", str(tmp_path / "missing.json"), database_url=database_url)
    assert missing.returncode == 2
    assert "cannot read the file" in missing.stderr.decode()
