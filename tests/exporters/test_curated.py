"""The exporters over the curated dataset of the two documents, on both engines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import openpyxl
from jsonschema import Draft202012Validator, FormatChecker
from python_calamine import CalamineWorkbook

from exporters.json_exporter import JsonExporter
from exporters.json_import import import_dataset
from exporters.json_schema import schema
from service.core.database import create_session_factory
from tests.exporters.support import export_bytes, fresh_engine


async def test_curated_json_is_valid_and_round_trips(
    seeded_client: httpx.AsyncClient, backend: str, tmp_path: Path
) -> None:
    response = await seeded_client.get("/exports/json")
    assert response.status_code == 200
    original = response.content
    document = json.loads(original)
    Draft202012Validator(schema(), format_checker=FormatChecker()).validate(document)
    assert {p["slug"] for p in document["plans"]} == {
        "digital-strategy-of-korea",
        "msit-work-plan-2023",
    }
    assert (await seeded_client.get("/exports/json")).content == original
    async with fresh_engine(backend, tmp_path) as engine:
        await import_dataset(engine, document)
        again = await export_bytes(JsonExporter(), create_session_factory(engine), batch_size=7)
    assert again == original


async def test_curated_workbook_reads_the_same_in_both_readers(
    seeded_client: httpx.AsyncClient,
) -> None:
    response = await seeded_client.get("/exports/xlsx?plan=digital-strategy-of-korea")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    tasks = list(workbook["Tasks"].iter_rows(values_only=True))
    assert len(tasks) > 1
    assert all(str(row[1]).startswith("DSK-") for row in tasks[1:])
    read_back = calamine.get_sheet_by_name("Tasks").to_python()
    assert [row[0] for row in read_back] == [row[0] for row in tasks]
    budgets = list(workbook["Budgets"].iter_rows(values_only=True))
    for row in budgets[1:]:
        assert isinstance(row[2], int)


async def test_curated_law_groups_in_json_and_workbook(seeded_client: httpx.AsyncClient) -> None:
    document = (await seeded_client.get("/exports/json")).json()
    groups = {g["slug"]: g for g in document["law_groups"]}
    assert set(groups) == {"major-five-digital-economy-acts", "four-laws"}
    five = groups["major-five-digital-economy-acts"]
    assert (five["name"], five["stated_count"]) == ("the major five digital economy act", 5)
    assert "cyber-security-framework-act" in five["members"]
    assert len(five["members"]) == 5
    assert all(c["document"] == "digital-strategy-of-korea" for c in five["citations"])

    response = await seeded_client.get("/exports/xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    header, *rows = list(workbook["Law groups"].iter_rows(values_only=True))
    by_slug = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    four = by_slug["four-laws"]
    assert (four["Name as written"], four["Laws stated"]) == ("four laws", 4)
    # Laws by title, as on the Tasks sheet.
    assert "Artificial Intelligence Framework Act" in four["Laws named"]
    assert "ai-framework-act" not in four["Laws named"]
