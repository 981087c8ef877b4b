"""Each column is described once: a column added to a model reaches every consumer.

The guard (``tests.support.column_reach``) fails when a public column is left out by the
GraphQL type, the JSON export, its JSON Schema, the workbook or the seed files. It is shown
to fail by adding a column after the consumers were built, and the end-to-end test adds one
nullable column to ``Task`` before they are built and follows it through GraphQL, the SDL,
the JSON export and schema, import, the workbook and the seed files.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support.column_reach import unreached

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


END_TO_END = """
    import asyncio
    import io
    import json
    import shutil
    import sys
    from pathlib import Path

    import httpx
    import openpyxl
    from sqlalchemy.engine import make_url

    import seed
    from seed.loader import DATA_DIR
    from exporters.json_import import import_dataset
    from service.app import create_app
    from service.core.database import engine_for_url
    from service.core.models import Base
    from service.core.settings import Settings

    TMP = Path(sys.argv[1])
    NOTE = "Delivered through the ministries' yearly plans."


    def curated_files_with_the_note() -> Path:
        data = TMP / "data"
        shutil.copytree(DATA_DIR, data)
        path = data / "digital-strategy-of-korea.yaml"
        text = path.read_text(encoding="utf-8")
        marker = "        - code: DSK-I-1\\n"
        assert marker in text
        note = f"          delivery_note: {json.dumps(NOTE)}\\n"
        path.write_text(text.replace(marker, marker + note, 1), encoding="utf-8")
        return data


    async def database(name: str):
        engine = engine_for_url(make_url(f"sqlite+aiosqlite:///{TMP / name}"))
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        return engine


    async def get(engine, path: str, **kwargs) -> httpx.Response:
        url = engine.url.render_as_string(hide_password=False)
        settings = Settings.from_env({"STRATAGRAPH_DATABASE_URL": url})
        app = create_app(settings, engine=engine)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            if "json" in kwargs:
                return await client.post(path, **kwargs)
            return await client.get(path, **kwargs)


    async def main() -> None:
        engine = await database("curated.db")
        await seed.load_curated(engine, curated_files_with_the_note())

        sdl = (await get(engine, "/schema.graphql")).text
        assert '  \\"\\"\\"How it is delivered.\\"\\"\\"\\n  deliveryNote: String\\n' in sdl, sdl

        query = '{ tasks(first: 3) { nodes { code deliveryNote } } }'
        answer = (await get(engine, "/graphql", json={"query": query})).json()
        nodes = {node["code"]: node["deliveryNote"] for node in answer["data"]["tasks"]["nodes"]}
        assert nodes["DSK-I-1"] == NOTE, answer

        schema = (await get(engine, "/exports/json/schema")).json()
        assert schema["$defs"]["tasks"]["properties"]["delivery_note"] == {
            "anyOf": [{"type": "string", "maxLength": 300}, {"type": "null"}],
            "description": "How it is delivered.",
        }

        exported = (await get(engine, "/exports/json")).content
        tasks = {t["code"]: t for t in json.loads(exported)["tasks"]}
        assert tasks["DSK-I-1"]["delivery_note"] == NOTE
        assert tasks["DSK-I-1-1"]["delivery_note"] is None

        copy = await database("imported.db")
        await import_dataset(copy, json.loads(exported))
        assert (await get(copy, "/exports/json")).content == exported

        workbook = openpyxl.load_workbook(io.BytesIO((await get(copy, "/exports/xlsx")).content))
        header, *rows = workbook["Tasks"].iter_rows(values_only=True)
        column = header.index("Delivery note")
        assert header[-2:] == ("Source", "Quote")
        assert {row[0]: row[column] for row in rows}["DSK-I-1"] == NOTE
        await engine.dispose()
        await copy.dispose()
        print("reached everywhere")


    asyncio.run(main())
"""


def test_a_new_column_reaches_graphql_exports_import_workbook_and_seed(tmp_path: Path) -> None:
    """One nullable column added to Task, with nothing else changed, is in the SDL and the
    answers of /graphql, the JSON export and its schema, an import round trip, the workbook,
    and is read from the curated YAML files."""
    result = _python(ADD_COLUMN, END_TO_END, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "reached everywhere"
