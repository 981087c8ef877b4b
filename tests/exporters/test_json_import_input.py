"""``stratagraph import`` refuses what no database may hold, in one line per problem.

Each case failed before (a traceback and exit 1, or an accepted record the model forbids);
now the command exits 2 with a line naming the record and field, and writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from exporters.json_exporter import JsonExporter
from service.core.models import Document, Plan
from tests.exporters.support import export_bytes, fresh_engine, run_cli

Change = Callable[[dict[str, Any]], Any]


def _set(entity: str, index: int, field: str, value: Any) -> Change:
    def change(document: dict[str, Any]) -> None:
        document[entity][index][field] = value

    return change


def _cycle(document: dict[str, Any]) -> None:
    child = next(t for t in document["tasks"] if t["parent"] is not None)
    parent = next(t for t in document["tasks"] if t["code"] == child["parent"])
    parent["parent"] = child["code"]


CASES: dict[str, tuple[Change, str]] = {
    "position >= 2^31": (
        _set("tasks", 1, "position", 2**31),
        "tasks[1] (DSK-II-1) field 'position': 2147483648 is greater than the maximum",
    ),
    "year >= 2^63": (
        _set("budgets", 0, "start_year", 2**63),
        "budgets[0] (DSK-I-1 #1) field 'start_year': 9223372036854775808 is greater",
    ),
    "timestamp with month 13": (
        _set("tasks", 1, "updated_at", "2024-13-06T07:08:09.123456Z"),
        "tasks[1] (DSK-II-1) field 'updated_at': '2024-13-06T07:08:09.123456Z' is not valid",
    ),
    "NUL in a title": (
        _set("tasks", 1, "title", "AI\x00 everywhere"),
        "tasks[1] (DSK-II-1) field 'title': contains a NUL character (U+0000) at position 2",
    ),
    "lone surrogate in a title": (
        _set("tasks", 1, "title", "AI \ud800"),
        "tasks[1] (DSK-II-1) field 'title': contains a lone surrogate (U+D800)",
    ),
    "javascript: URL": (
        _set("documents", 0, "url", "javascript:alert(document.domain)"),
        "documents[0] (press-release) field 'url': 'javascript:alert(document.domain)'",
    ),
    "slug ending in a newline": (
        _set("technologies", 0, "slug", "ai\n"),
        "technologies[0] ('ai\\n') field 'slug': 'ai\\n' does not match",
    ),
    "code ending in a newline": (
        _set("strategies", 0, "code", "DSK-I\n"),
        "field 'code': 'DSK-I\\n' does not match",
    ),
    "parent cycle": (
        _cycle,
        "field 'parent': tasks form a cycle (DSK-I-1 -> DSK-I-1-a -> DSK-I-1)",
    ),
}


@pytest.fixture
async def original(sample_sessions: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(await export_bytes(JsonExporter(), sample_sessions))
    return loaded


async def _import_refused(backend: str, tmp_path: Path, content: bytes, expected: str) -> None:
    source = tmp_path / "bad.json"
    source.write_bytes(content)
    async with fresh_engine(backend, tmp_path) as engine:
        url = engine.url.render_as_string(hide_password=False)
        result = run_cli("import", str(source), database_url=url)
        stderr = result.stderr.decode("utf-8", "backslashreplace")
        assert result.returncode == 2, stderr
        assert "Traceback" not in stderr
        errors = [line for line in stderr.splitlines() if not line.startswith("INFO ")]
        assert len(errors) == 1, stderr  # migration progress lines aside
        assert expected in errors[0]
        async with engine.connect() as connection:
            for model in (Plan, Document):
                count = await connection.execute(select(func.count()).select_from(model))
                assert count.scalar_one() == 0


@pytest.mark.parametrize("case", list(CASES))
async def test_import_refuses_in_one_line_and_writes_nothing(
    original: dict[str, Any], backend: str, tmp_path: Path, case: str
) -> None:
    change, expected = CASES[case]
    change(original)
    content = json.dumps(original, ensure_ascii=True).encode()
    await _import_refused(backend, tmp_path, content, expected)


async def test_import_refuses_deeply_nested_json(backend: str, tmp_path: Path) -> None:
    deep = b'{"tasks": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    await _import_refused(
        backend,
        tmp_path,
        deep,
        "bad.json: cannot import: not a dataset: nested more than 32 levels",
    )
