from __future__ import annotations

import pytest

from tests.schema.conftest import Run


async def test_search_finds_every_kind_and_law_aliases(run: Run) -> None:
    data = await run(
        '{ search(query: "inclusion", first: 50) { totalCount '
        "nodes { field node { __typename ... on Law { slug } ... on Task { code } } } } }"
    )
    hits = data["search"]["nodes"]
    kinds = [h["node"]["__typename"] for h in hits]
    assert "Law" in kinds
    assert data["search"]["totalCount"] == len(kinds)
    by_alias = await run(
        '{ search(query: "act on digital") { nodes { field node { ... on Law { slug } } } } }'
    )
    assert by_alias["search"]["nodes"] == [
        {"field": "NAME", "node": {"slug": "digital-inclusion-act"}}
    ]


async def test_search_pages_with_cursors(run: Run) -> None:
    q = (
        'query($a: String) { search(query: "quote for task", first: 4, after: $a) '
        "{ totalCount nodes { node { id } } pageInfo { hasNextPage endCursor } } }"
    )
    first = (await run(q))["search"]
    second = (await run(q, a=first["pageInfo"]["endCursor"]))["search"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["totalCount"] == 24
    ids = [n["node"]["id"] for n in first["nodes"]], [n["node"]["id"] for n in second["nodes"]]
    assert len(ids[1]) == 4
    assert not set(ids[0]) & set(ids[1])


@pytest.mark.parametrize("query", ['"   "', '"' + "x" * 201 + '"', '"-- ~ !"'])
async def test_search_rejects_blank_or_long_queries(run: Run, query: str) -> None:
    result = await run.raw(f"{{ search(query: {query}) {{ totalCount }} }}")
    assert result.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_budget_summary_by_plan_is_exact(run: Run) -> None:
    data = await run(
        "{ budgetSummary(groupBy: PLAN) { key label total { amount currency } budgets } }"
    )
    rows = data["budgetSummary"]
    assert [r["key"] for r in rows] == ["plan-a", "plan-b"]
    assert rows[0]["total"] == {
        "amount": str(12 * 301_800_000_000 + sum(range(1, 13))),
        "currency": "KRW",
    }
    assert rows[0]["budgets"] == 12


async def test_budget_summary_by_period_adds_only_like_budgets(run: Run) -> None:
    data = await run(
        '{ budgetSummary(groupBy: PERIOD, filter: {plans: ["plan-a"], '
        'date: {from: "2023", to: "2024"}}) '
        "{ key label kind startYear endYear meaning total { amount } budgets } }"
    )
    assert data["budgetSummary"] == [
        {
            "key": "2022/2026",
            "label": "total over 2022–2026",
            "kind": "TOTAL",
            "startYear": 2022,
            "endYear": 2026,
            "meaning": "total over 2022–2026",
            "total": {"amount": str(12 * 301_800_000_000 + sum(range(1, 13)))},
            "budgets": 12,
        }
    ]
