"""Lookups by natural key, back-links from vocabularies and laws, and filter values that
name no record — on the curated dataset, on both engines."""

from __future__ import annotations

import pytest

from tests.schema.conftest import Run


@pytest.mark.parametrize(
    ("field", "argument", "value", "selection", "expected"),
    [
        ("strategy", "code", "DSK-I", "code", "DSK-I"),
        ("task", "code", "DSK-I-2-1", "code", "DSK-I-2-1"),
        ("law", "slug", "data-framework-act", "slug", "data-framework-act"),
        ("technology", "slug", "ai", "slug", "ai"),
        ("region", "slug", "goseong-county", "slug", "goseong-county"),
        ("organisation", "slug", "un-escap", "slug", "un-escap"),
        ("document", "slug", "msit-work-plan-2023", "slug", "msit-work-plan-2023"),
        ("plan", "slug", "digital-strategy-of-korea", "slug", "digital-strategy-of-korea"),
    ],
)
async def test_lookup_by_natural_key(
    seeded_run: Run, field: str, argument: str, value: str, selection: str, expected: str
) -> None:
    data = await seeded_run(f'{{ {field}({argument}: "{value}") {{ {selection} }} }}')
    assert data[field] == {selection: expected}
    absent = value + "-x" if argument == "slug" else value + "-99"
    missing = await seeded_run(f'{{ {field}({argument}: "{absent}") {{ {selection} }} }}')
    assert missing[field] is None


@pytest.mark.parametrize(
    "query", ['{ task(code: "DSK I") { code } }', '{ technology(slug: "A I") { slug } }']
)
async def test_malformed_key_is_a_user_error(seeded_run: Run, query: str) -> None:
    result = await seeded_run.raw(query)
    assert result.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_tasks_tagged_with_a_technology_from_the_technology(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ technology(slug: "ai") { tasks(first: 100) { totalCount '
        "nodes { code technologies { slug } } } } "
        'tasks(filter: {technologies: ["ai"]}, first: 100) { nodes { code } } }'
    )
    back = data["technology"]["tasks"]
    codes = [n["code"] for n in back["nodes"]]
    assert back["totalCount"] == len(codes) > 5
    assert all("ai" in {t["slug"] for t in n["technologies"]} for n in back["nodes"])
    assert codes == [n["code"] for n in data["tasks"]["nodes"]]
    assert "DSK-I-2-1" in codes  # "(AI) ..."


async def test_back_links_take_the_task_filters(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ technology(slug: "ai") { '
        'work: tasks(filter: {plans: ["msit-work-plan-2023"]}) { nodes { code } } '
        "top: tasks(filter: {topLevel: true}) { nodes { code } } } "
        'region(slug: "goseong-county") { tasks { nodes { code } } } '
        'organisation(slug: "un-escap") { tasks { totalCount } } '
        'law(slug: "data-framework-act") { tasks { nodes { code } } } }'
    )
    work = [n["code"] for n in data["technology"]["work"]["nodes"]]
    assert work
    assert all(code.startswith("MSIT23-") for code in work)
    top = [n["code"] for n in data["technology"]["top"]["nodes"]]
    assert top
    assert all(code.count("-") == 2 for code in top)
    assert data["region"]["tasks"]["nodes"]
    assert data["organisation"]["tasks"]["totalCount"] >= 1
    assert data["law"]["tasks"]["nodes"]


@pytest.mark.parametrize(
    ("query", "argument", "value", "closest"),
    [
        (
            '{ tasks(filter: {technologies: ["blockchian"]}) { totalCount } }',
            "filter.technologies",
            "blockchian",
            "blockchain",
        ),
        (
            '{ milestones(filter: {plans: ["digital-strategy-of-corea"]}) { totalCount } }',
            "filter.plans",
            "digital-strategy-of-corea",
            "digital-strategy-of-korea",
        ),
        (
            '{ budgets(filter: {strategies: ["DSK-VI"]}) { totalCount } }',
            "filter.strategies",
            "DSK-VI",
            "DSK-V",
        ),
        (
            '{ technology(slug: "ai") { tasks(filter: {regions: ["busn"]}) { totalCount } } }',
            "filter.regions",
            "busn",
            "busan",
        ),
        (
            '{ laws(filter: {plans: ["msit-work-plan-2032"]}) { totalCount } }',
            "filter.plans",
            "msit-work-plan-2032",
            "msit-work-plan-2023",
        ),
    ],
)
async def test_misspelt_filter_value_is_a_coded_error_naming_the_closest(
    seeded_run: Run, query: str, argument: str, value: str, closest: str
) -> None:
    result = await seeded_run.raw(query)
    assert result.errors
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument
    assert repr(value) in error["message"]
    assert "closest: " + closest in error["message"]
