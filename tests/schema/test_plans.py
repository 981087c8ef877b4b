from __future__ import annotations

from tests.schema.conftest import Run


async def test_plans_are_listed_by_announcement(run: Run) -> None:
    data = await run("{ plans { slug title announcedOn document { title } } }")
    assert [p["slug"] for p in data["plans"]] == ["plan-a", "plan-b"]
    assert data["plans"][0]["announcedOn"] == "2022-09-28"
    assert data["plans"][0]["document"]["title"] == "Doc One"


async def test_plan_by_slug_with_strategies(run: Run) -> None:
    data = await run(
        '{ plan(slug: "plan-b") { title strategies(first: 2) { totalCount '
        "pageInfo { hasNextPage } nodes { code position plan { slug } } } } }"
    )
    plan = data["plan"]
    assert plan["title"] == "Plan B"
    assert plan["strategies"]["totalCount"] == 3
    assert plan["strategies"]["pageInfo"]["hasNextPage"] is True
    assert [s["code"] for s in plan["strategies"]["nodes"]] == ["P2-1", "P2-2"]


async def test_unknown_plan_is_null_and_bad_slug_is_user_error(run: Run) -> None:
    assert (await run('{ plan(slug: "nope") { title } }'))["plan"] is None
    result = await run.raw('{ plan(slug: "Not A Slug") { title } }')
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert "slug" in result.errors[0].message


async def test_graphql_rejects_a_slug_ending_in_a_newline(run: Run) -> None:
    result = await run.raw("query($s: String!) { plan(slug: $s) { title } }", s="plan-a\n")
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert await run('{ plan(slug: "plan-a") { title } }') == {"plan": {"title": "Plan A"}}
