"""JSON dataset: valid against the published schema, stable bytes, exact values, lossless
round trip through ``import`` on both engines, and imports that fail cleanly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from exporters.json_exporter import JsonExporter
from exporters.json_import import DatasetImportError, import_dataset, schema_problems
from exporters.json_schema import SCHEMA_FILE, render_schema, schema
from service.core.database import create_session_factory
from service.core.dataset_filter import DatasetFilter
from service.core.models import Plan
from tests.exporters.sample import BIG_AMOUNT
from tests.exporters.support import export_bytes, fresh_engine, run_cli

EXPORTER = JsonExporter()


def test_published_schema_matches_the_models() -> None:
    published = (Path(__file__).resolve().parents[2] / "exporters" / SCHEMA_FILE).read_bytes()
    assert published == render_schema(), "run: python -m exporters.json_schema"
    Draft202012Validator.check_schema(schema())


async def test_export_is_valid_stable_and_exact(
    sample_sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = await export_bytes(EXPORTER, sample_sessions)
    second = await export_bytes(EXPORTER, sample_sessions, batch_size=1000)
    assert first == second
    document = json.loads(first)
    Draft202012Validator(schema(), format_checker=FormatChecker()).validate(document)
    budget = document["budgets"][0]
    assert budget["amount"] == str(BIG_AMOUNT)
    target = document["targets"][0]
    assert (target["value"], target["baseline_value"]) == ("1000000", "12.5")
    task = document["tasks"][0]
    assert task["technologies"] == ["6g", "ai"]
    assert [c["quote"] for c in task["citations"]] == ["AI semiconductors", "@quote"]
    law = document["laws"][0]
    assert law["aliases"][0]["alias"] == "디지털 권리장전"
    assert law["aliases"][0]["citations"][0]["quote"] == "권리장전"
    assert document["tasks"][2]["parent"] == "DSK-I-1"
    assert document["milestones"][1]["end_date"] is None
    assert document["milestones"][0]["updated_at"] == "2024-05-06T07:08:09.123456Z"
    assert "디지털 권리장전".encode() in first  # UTF-8, not \u escapes


async def test_round_trip_through_import_gives_the_same_bytes(
    sample_sessions: async_sessionmaker[AsyncSession], backend: str, tmp_path: Path
) -> None:
    original = await export_bytes(EXPORTER, sample_sessions)
    async with fresh_engine(backend, tmp_path) as engine:
        report = await import_dataset(engine, json.loads(original))
        assert report.rows["tasks"] == 3
        again = await export_bytes(EXPORTER, create_session_factory(engine))
    assert again == original


async def test_cli_export_import_round_trip(
    sample_sessions: async_sessionmaker[AsyncSession], backend: str, tmp_path: Path
) -> None:
    original = await export_bytes(EXPORTER, sample_sessions)
    source = tmp_path / "dataset.json"
    source.write_bytes(original)
    async with fresh_engine(backend, tmp_path) as engine:
        url = engine.url.render_as_string(hide_password=False)
        imported = run_cli("import", str(source), database_url=url)
        assert imported.returncode == 0, imported.stderr.decode()
        assert b"imported" in imported.stdout
        target = tmp_path / "again.json"
        exported = run_cli("export", "json", "-o", str(target), database_url=url)
        assert exported.returncode == 0, exported.stderr.decode()
        assert target.read_bytes() == original
        again = run_cli("import", str(source), database_url=url)
        assert again.returncode == 2
        assert b"empty database" in again.stderr
        assert b"Traceback" not in again.stderr


def _broken(document: dict[str, Any], change: str) -> dict[str, Any]:
    if change == "schema":
        document["tasks"][1]["position"] = "first"
        document["budgets"][0]["amount"] = "1e9"
    elif change == "reference":
        document["tasks"][1]["strategy"] = "DSK-IX"
    elif change == "duplicate":
        document["strategies"][1]["code"] = "DSK-I"
    elif change == "constraint":
        document["milestones"][0]["start_date"] = "2030-01-01"
    return document


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        (
            "schema",
            [
                "tasks[1] (DSK-II-1) field 'position': 'first' is not of type 'integer'",
                "budgets[0] (DSK-I-1 #1) field 'amount': '1e9' does not match",
            ],
        ),
        ("reference", ["tasks[1] (DSK-II-1) field 'strategy': no strategy 'DSK-IX' in the file"]),
        ("duplicate", ["strategies[1] (DSK-I): the same key as strategies[0] (DSK-I)"]),
        ("constraint", ["the database refused the data", "start_not_after_end"]),
    ],
)
async def test_bad_import_names_record_and_field_and_writes_nothing(
    sample_sessions: async_sessionmaker[AsyncSession],
    backend: str,
    tmp_path: Path,
    change: str,
    messages: list[str],
) -> None:
    document = _broken(json.loads(await export_bytes(EXPORTER, sample_sessions)), change)
    async with fresh_engine(backend, tmp_path) as engine:
        with pytest.raises(DatasetImportError) as raised:
            await import_dataset(engine, document, "bad.json")
        for message in messages:
            assert message in str(raised.value)
        async with engine.connect() as connection:
            plans = await connection.execute(select(func.count()).select_from(Plan))
            assert plans.scalar_one() == 0


async def test_filtered_export_keeps_only_the_selection(
    sample_sessions: async_sessionmaker[AsyncSession],
) -> None:
    dataset_filter = DatasetFilter(technologies=("6g",))
    document = json.loads(await export_bytes(EXPORTER, sample_sessions, dataset_filter))
    assert [t["code"] for t in document["tasks"]] == ["DSK-I-1"]
    assert [s["code"] for s in document["strategies"]] == ["DSK-I"]
    assert [b["amount"] for b in document["budgets"]] == [str(BIG_AMOUNT)]


@pytest.mark.parametrize(
    ("entity", "field", "value"),
    [
        ("milestones", "end_date", "2023-13-45"),
        ("milestones", "precision", None),
        ("milestones", "status", "done"),
        ("tasks", "parent", "not a code!"),
        ("tasks", "label", 5),
        ("laws", "enacted_precision", "x" * 11),
        ("targets", "baseline_value", "1.50"),
        ("budgets", "end_year", "2023"),
        ("plans", "document", None),
        # Patterns hold to the true end of the value ($ in Python matches before a final "\n").
        ("technologies", "slug", "6g\n"),
        ("tasks", "code", "DSK-I-1\n"),
        ("budgets", "amount", "1000\n"),
        ("targets", "value", "-0"),  # canonical zero is "0"
    ],
)
async def test_fast_validation_rules_equal_the_published_schema(
    sample_sessions: async_sessionmaker[AsyncSession], entity: str, field: str, value: Any
) -> None:
    document = json.loads(await export_bytes(EXPORTER, sample_sessions))
    published = Draft202012Validator(schema(), format_checker=FormatChecker())
    assert not schema_problems(document)
    document[entity][0][field] = value
    assert published.is_valid(document) is False
    assert schema_problems(document), (entity, field, value)
