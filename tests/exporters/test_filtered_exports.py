"""A filtered export holds only what the filter selects: the laws, documents and vocabulary
rows its records refer to, no others. It still validates against the published JSON Schema
and imports on its own into an empty database (so nothing it refers to is missing)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from exporters.json_exporter import JsonExporter
from exporters.json_import import import_dataset
from exporters.json_schema import schema
from exporters.xlsx_exporter import XlsxExporter
from service.core.database import create_session_factory
from service.core.dataset_filter import DatasetFilter
from tests.exporters.support import export_bytes, fresh_engine

FILTERS = [
    DatasetFilter(plans=("msit-work-plan-2023",)),
    DatasetFilter(strategies=("DSK-I",)),
    DatasetFilter(technologies=("ai",)),
]


def _cited_documents(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "document" and isinstance(value, str):
                found.add(value)
            else:
                found |= _cited_documents(value)
    elif isinstance(node, list):
        for item in node:
            found |= _cited_documents(item)
    return found


def _referenced(document: dict[str, Any]) -> dict[str, set[str]]:
    tasks = document["tasks"]
    regions = {slug for task in tasks for slug in task["regions"]}
    organisations = {slug for task in tasks for slug in task["organisations"]}
    # Parents are references too: a region's or organisation's parent must be there.
    by_slug = {r["slug"]: r for r in document["regions"]}
    for slug in list(regions):
        while by_slug.get(slug, {}).get("parent"):
            slug = by_slug[slug]["parent"]
            regions.add(slug)
    by_slug = {o["slug"]: o for o in document["organisations"]}
    for slug in list(organisations):
        while by_slug.get(slug, {}).get("parent"):
            slug = by_slug[slug]["parent"]
            organisations.add(slug)
    others = {k: v for k, v in document.items() if k != "documents"}
    return {
        "laws": {slug for task in tasks for slug in task["laws"]},
        "technologies": {slug for task in tasks for slug in task["technologies"]},
        "regions": regions,
        "organisations": organisations,
        "documents": _cited_documents(others),
    }


async def _json(sessions: async_sessionmaker[AsyncSession], selection: DatasetFilter) -> Any:
    return json.loads(await export_bytes(JsonExporter(), sessions, selection, batch_size=1000))


@pytest.mark.parametrize(
    "selection", FILTERS, ids=lambda f: "-".join(f.plans + f.strategies + f.technologies)
)
async def test_filtered_json_holds_only_what_its_records_refer_to(
    seeded_sessions: async_sessionmaker[AsyncSession], selection: DatasetFilter
) -> None:
    everything = await _json(seeded_sessions, DatasetFilter())
    document = await _json(seeded_sessions, selection)
    Draft202012Validator(schema(), format_checker=FormatChecker()).validate(document)
    referenced = _referenced(document)
    for entity in ("laws", "technologies", "regions", "organisations"):
        held = {record["slug"] for record in document[entity]}
        assert held == referenced[entity], entity
    held_documents = {record["slug"] for record in document["documents"]}
    assert held_documents == referenced["documents"]
    # Narrower than everything: the filter really cut laws and vocabulary rows.
    assert len(document["laws"]) < len(everything["laws"])
    assert len(document["technologies"]) < len(everything["technologies"])


async def test_a_plans_export_has_only_its_own_laws(
    seeded_sessions: async_sessionmaker[AsyncSession],
) -> None:
    everything = await _json(seeded_sessions, DatasetFilter())
    work_plan = await _json(seeded_sessions, FILTERS[0])
    assert len(everything["laws"]) == 13
    assert 0 < len(work_plan["laws"]) < 13


async def test_a_plans_export_has_the_law_groups_all_of_whose_laws_it_holds(
    seeded_sessions: async_sessionmaker[AsyncSession],
) -> None:
    work_plan = await _json(seeded_sessions, FILTERS[0])
    laws = {law["slug"] for law in work_plan["laws"]}
    # The five digital economy acts include two the work plan never mentions.
    assert [group["slug"] for group in work_plan["law_groups"]] == ["four-laws"]
    assert all(set(group["members"]) <= laws for group in work_plan["law_groups"])


@pytest.mark.parametrize("selection", FILTERS[:2], ids=["plan", "strategy"])
async def test_filtered_json_imports_on_its_own(
    seeded_sessions: async_sessionmaker[AsyncSession],
    selection: DatasetFilter,
    backend: str,
    tmp_path: Path,
) -> None:
    original = await export_bytes(JsonExporter(), seeded_sessions, selection, batch_size=1000)
    async with fresh_engine(backend, tmp_path) as engine:
        await import_dataset(engine, json.loads(original))
        again = await export_bytes(JsonExporter(), create_session_factory(engine), batch_size=1000)
    before, after = json.loads(original), json.loads(again)
    assert after.pop("selection") == {}  # the copy is the whole of its database
    before.pop("selection")
    assert after == before


async def test_filtered_workbook_lists_only_referenced_laws_and_documents(
    seeded_sessions: async_sessionmaker[AsyncSession],
) -> None:
    document = await _json(seeded_sessions, FILTERS[0])
    data = await export_bytes(XlsxExporter(), seeded_sessions, FILTERS[0], batch_size=1000)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        names = workbook.sheetnames
        laws = workbook[next(n for n in names if n.lower() == "laws")]
        law_rows = [row for row in laws.iter_rows(min_row=2, values_only=True) if any(row)]
        assert len(law_rows) == len(document["laws"])
        sources = workbook[next(n for n in names if n.lower() in ("documents", "sources"))]
        source_rows = [row for row in sources.iter_rows(min_row=2, values_only=True) if any(row)]
        assert len(source_rows) == len(document["documents"])
    finally:
        workbook.close()
