"""Each column is described once: a column added to a model reaches every consumer.

The guard (``tests.support.column_reach``) fails when a public column is left out by the
GraphQL type, the JSON export, its JSON Schema, the workbook or the seed files. It is shown
to fail by adding a column after the consumers were built, and the end-to-end test adds one
nullable column to ``Task`` before they are built and follows it through GraphQL, the SDL,
the JSON export and schema, import, the workbook and the seed files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl

from migrations import runner as migrate
from tests.support.column_reach import unreached
from tests.support.databases import temporary_database

REPO = Path(__file__).resolve().parents[1]


def test_every_public_column_reaches_every_consumer() -> None:
    assert unreached() == []


def _python(*pieces: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the pieces of code (each indented as it likes) in a fresh interpreter."""
    code = "\n".join(textwrap.dedent(piece) for piece in pieces)
    return subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )


ADD_COLUMN = """
    import sqlalchemy as sa
    from service.core.models import Task

    column = sa.Column(
        "delivery_note", sa.String(300), nullable=True, comment="How it is delivered."
    )
    Task.__table__.append_column(column)
    Task.__mapper__.add_property("delivery_note", column)
"""


def test_the_guard_fails_for_a_column_no_consumer_knows(tmp_path: Path) -> None:
    """Added after the consumers were built, the column is reported by each that builds its
    fields once (the seed parser reads the registry per file, so it still knows it)."""
    result = _python(
        """
        from tests.support import column_reach
        column_reach.unreached()  # builds every consumer first
        """,
        ADD_COLUMN,
        """
        for problem in column_reach.unreached():
            print(problem)
        """,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{consumer}: task.delivery_note"
        for consumer in ("json export", "json schema", "graphql", "workbook")
    ]


SYNTHETIC_REPORT = """
    import hashlib
    import json

    from seed.synthetic_data import COLUMNS, generate

    data = generate("small")
    added = COLUMNS["task"].index("delivery_note") if "delivery_note" in COLUMNS["task"] else None
    digest = hashlib.sha256(repr(sorted(data.document_texts.items())).encode())
    notes = []
    for table, _columns, rows in data.tables():
        for row in rows:
            if table == "task" and added is not None:
                notes.append(row[added])
                row = row[:added] + row[added + 1 :]
            digest.update(repr(row).encode())
    print(json.dumps({"digest": digest.hexdigest(), "notes": notes}))
"""


def test_a_column_added_to_a_model_reaches_the_synthetic_data(tmp_path: Path) -> None:
    """A stated column that no synthetic builder names gets a placeholder of its type in
    every row; placeholders draw nothing from the random generator, so every other value
    stays as it was (benchmark figures stay comparable)."""
    reports = []
    for pieces in ((SYNTHETIC_REPORT,), (ADD_COLUMN, SYNTHETIC_REPORT)):
        result = _python(*pieces, tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
        reports.append(json.loads(result.stdout))
    before, after = reports
    assert after["digest"] == before["digest"]
    assert len(after["notes"]) == 200
    assert after["notes"][:2] == ["delivery note 1", "delivery note 2"]
    assert all(isinstance(note, str) and note for note in after["notes"])


SCRATCH_PACKAGES = ("service", "schema", "exporters", "seed", "migrations")
MODEL_LINE = (
    "    delivery_note: Mapped[str | None] = mapped_column(String(300), "
    'comment="How it is delivered.")\n'
)
MIGRATION = """\
import sqlalchemy as sa
from alembic import op

revision = "0099_demo_delivery_note"
down_revision = {head!r}


def upgrade() -> None:
    op.add_column(
        "task",
        sa.Column("delivery_note", sa.String(300), nullable=True, comment="How it is delivered."),
    )


def downgrade() -> None:
    op.drop_column("task", "delivery_note")
"""
NOTE = "Delivered through the ministries' yearly plans."


def _scratch_copy_with_the_column(tmp_path: Path) -> Path:
    """The packages copied, then what a contributor writes: one model line, one migration,
    and the value in the curated YAML file. Nothing else differs from this repository."""
    scratch = tmp_path / "repo"
    for package in SCRATCH_PACKAGES:
        shutil.copytree(
            REPO / package, scratch / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    model = scratch / "service/core/models/plan.py"
    text = model.read_text(encoding="utf-8")
    anchor = '    title: Mapped[str] = mapped_column(String(1000), comment="Title of the task.")\n'
    assert text.count(anchor) == 1
    model.write_text(text.replace(anchor, anchor + MODEL_LINE), encoding="utf-8")
    migration = scratch / "migrations/versions/0099_demo_delivery_note.py"
    migration.write_text(MIGRATION.format(head=migrate.head_revision()), encoding="utf-8")
    curated = scratch / "seed/data/digital-strategy-of-korea.yaml"
    text = curated.read_text(encoding="utf-8")
    marker = "        - code: DSK-I-1\n"
    assert marker in text
    value = f"          delivery_note: {json.dumps(NOTE)}\n"
    curated.write_text(text.replace(marker, marker + value, 1), encoding="utf-8")
    return scratch


def _in_scratch(scratch: Path, url: str, code: str, *args: str) -> str:
    """Python ``code`` run from the scratch copy (its packages come first) on ``url``."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        cwd=scratch,
        env={**os.environ, "STRATAGRAPH_DATABASE_URL": url, "PYTHONPATH": str(scratch)},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def _stratagraph(scratch: Path, url: str, *args: str) -> str:
    """The ``stratagraph`` command of the scratch copy."""
    return _in_scratch(
        scratch, url, "import sys; from service.cli import main; sys.exit(main())", *args
    )


OVER_HTTP = """
    import asyncio
    import json
    import os

    import httpx
    import service
    from service.app import create_app
    from service.core.settings import Settings

    QUERY = "{ tasks(first: 3) { nodes { code deliveryNote } } }"


    async def main() -> None:
        assert service.__file__.startswith(os.getcwd()), service.__file__
        app = create_app(Settings.from_env(os.environ))
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://localhost") as client,
        ):
            sdl = (await client.get("/schema.graphql")).text
            answer = (await client.post("/graphql", json={"query": QUERY})).json()
            schema = (await client.get("/exports/json/schema")).json()
        print(json.dumps({"sdl": sdl, "answer": answer, "schema": schema}))


    asyncio.run(main())
"""


async def test_a_new_column_reaches_graphql_exports_import_workbook_and_seed(
    backend: str, tmp_path: Path
) -> None:
    """A contributor adds one nullable column to Task: the model line with ``comment=`` and
    its migration, nothing else. On a scratch copy, ``stratagraph migrate`` and ``seed`` read
    it from the curated YAML; it is in the SDL (camelCase, the comment as its description),
    the answers of /graphql, the JSON export and its schema, the workbook's Tasks sheet, and
    ``stratagraph import`` of the export gives the same bytes again."""
    scratch = _scratch_copy_with_the_column(tmp_path)
    async with (
        temporary_database(backend, tmp_path, "column") as source,
        temporary_database(backend, tmp_path, "column_copy") as copy,
    ):
        url = source.render_as_string(hide_password=False)
        copy_url = copy.render_as_string(hide_password=False)
        _stratagraph(scratch, url, "migrate")
        _stratagraph(scratch, url, "seed")

        seen = json.loads(_in_scratch(scratch, url, OVER_HTTP))
        assert '  """How it is delivered."""\n  deliveryNote: String\n' in seen["sdl"]
        nodes = seen["answer"]["data"]["tasks"]["nodes"]
        assert {node["code"]: node["deliveryNote"] for node in nodes}["DSK-I-1"] == NOTE
        assert seen["schema"]["$defs"]["tasks"]["properties"]["delivery_note"] == {
            "anyOf": [{"type": "string", "maxLength": 300}, {"type": "null"}],
            "description": "How it is delivered.",
        }

        exported = tmp_path / "export.json"
        _stratagraph(scratch, url, "export", "json", "-o", str(exported))
        tasks = {t["code"]: t for t in json.loads(exported.read_bytes())["tasks"]}
        assert tasks["DSK-I-1"]["delivery_note"] == NOTE
        assert tasks["DSK-I-1-1"]["delivery_note"] is None

        _stratagraph(scratch, copy_url, "migrate")
        _stratagraph(scratch, copy_url, "import", str(exported))
        again = tmp_path / "again.json"
        _stratagraph(scratch, copy_url, "export", "json", "-o", str(again))
        assert again.read_bytes() == exported.read_bytes()

        workbook_path = tmp_path / "copy.xlsx"
        _stratagraph(scratch, copy_url, "export", "xlsx", "-o", str(workbook_path))
        workbook = openpyxl.load_workbook(workbook_path, read_only=True)
        header, *rows = workbook["Tasks"].iter_rows(values_only=True)
        column = header.index("Delivery note")
        assert header[-2:] == ("Source", "Quote")
        assert {row[0]: row[column] for row in rows}["DSK-I-1"] == NOTE
        workbook.close()
