"""What typed clients rely on: described enum values, Date's specification, the README's
example returning data (curated dataset, both engines)."""

from __future__ import annotations

import re
from pathlib import Path

import strawberry

from schema.types.enums import GRAPHQL_ENUMS
from service.core import registry
from tests.schema.conftest import Run

README = Path(__file__).resolve().parents[2] / "README.md"

INTROSPECTION = """{ __schema { types { kind name specifiedByURL
  enumValues(includeDeprecated: true) { name description } } } }"""


async def test_every_enum_value_is_described(schema: strawberry.Schema) -> None:
    result = await schema.execute(INTROSPECTION)
    assert result.errors is None
    types = [t for t in result.data["__schema"]["types"] if not t["name"].startswith("__")]
    undescribed = [
        f"{t['name']}.{v['name']}"
        for t in types
        if t["kind"] == "ENUM"
        for v in t["enumValues"]
        if not v["description"]
    ]
    assert undescribed == []
    [date] = [t for t in types if t["name"] == "Date"]
    assert date["specifiedByURL"] == "https://scalars.graphql.org/andimarek/local-date.html"


def _readme_query() -> str:
    graphql = README.read_text(encoding="utf-8").split("## GraphQL", 1)[1]
    return re.findall(r"```graphql\n(.+?)\n```", graphql, re.S)[0]


async def test_the_readme_example_returns_data(seeded_run: Run) -> None:
    task = (await seeded_run(_readme_query()))["task"]
    assert task["laws"]
    assert task["milestones"]
    assert task["subtasks"]
    assert all(m["statusAsOf"] == "2022-09-28" for m in task["milestones"])
    assert all(law["names"] for law in task["laws"] if law["title"] != task["title"])


def test_readme_shows_the_codegen_scalar_mapping_and_the_apollo_note() -> None:
    text = README.read_text(encoding="utf-8")
    assert "Date: string" in text
    assert "relayStylePagination" in text
    assert "edges" in text


def test_graphql_enums_mirror_the_core_value_for_value() -> None:
    for core, graphql_enum in GRAPHQL_ENUMS.items():
        assert [m.value for m in core] == [m.value for m in graphql_enum], core.__name__
        assert [m.name for m in core] == [m.name for m in graphql_enum], core.__name__
    stored = {
        field.enum for entry in registry.ENTITIES.values() for field in entry.fields if field.enum
    }
    assert stored <= set(GRAPHQL_ENUMS)
