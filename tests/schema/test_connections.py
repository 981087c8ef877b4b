from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert

from service.core.queries import catalog
from tests.schema.conftest import Run


async def _codes(run: Run, query: str, **variables: Any) -> list[str]:
    data = await run(query, **variables)
    return [n["code"] for n in next(iter(data.values()))["nodes"]]


async def test_tasks_filtered_by_plan_strategy_technology_law_and_text(run: Run) -> None:
    q = "query($f: TaskFilter) { tasks(filter: $f, first: 100) { totalCount nodes { code } } }"
    by_plan = await run(q, f={"plans": ["plan-b"], "topLevel": True})
    assert by_plan["tasks"]["totalCount"] == 12
    assert await _codes(run, q, f={"strategies": ["P1-2"]}) == [
        "P1-2-1",
        "P1-2-2",
        "P1-2-3",
        "P1-2-4",
    ]
    by_law = await _codes(run, q, f={"laws": ["digital-inclusion-act"]})
    assert by_law == ["P1-1-1", "P1-2-1", "P1-3-1", "P2-1-1", "P2-2-1", "P2-3-1"]
    by_text = await _codes(run, q, f={"text": "INCLUSION law"})
    assert by_text == by_law
    ai = await run(q, f={"technologies": ["ai"]})
    assert ai["tasks"]["totalCount"] == 12


async def test_milestones_overlapping_a_range_ordered_by_start(run: Run) -> None:
    data = await run(
        '{ milestones(filter: {date: {from: "2023-03-01", to: "2023-06-30"}}, first: 100) '
        "{ totalCount nodes { date { start end precision text } kind status } } }"
    )
    nodes = data["milestones"]["nodes"]
    assert data["milestones"]["totalCount"] == len(nodes) > 0
    assert all(
        n["date"]["start"] <= "2023-06-30" and n["date"]["end"] >= "2023-03-01" for n in nodes
    )
    assert [n["date"]["start"] for n in nodes] == sorted(n["date"]["start"] for n in nodes)
    assert {n["date"]["precision"] for n in nodes} == {"HALF"}
    assert {n["kind"] for n in nodes} == {"DEADLINE"}


async def test_keyset_pages_walk_forward_and_back_without_overlap(run: Run) -> None:
    q = """query($after: String, $before: String, $first: Int, $last: Int) {
      tasks(orderBy: {field: CODE, direction: DESC}, first: $first, after: $after,
            last: $last, before: $before) {
        edges { cursor node { code } }
        pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
      } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await run(q, first=5, after=after))["tasks"]
        seen += [e["node"]["code"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == 25
    back = (await run(q, last=3, before=after))["tasks"]
    assert back["pageInfo"]["hasPreviousPage"] is True
    codes = [e["node"]["code"] for e in back["edges"]]
    assert codes == seen[seen.index(codes[0]) : seen.index(codes[0]) + 3]


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("{ tasks(first: 1000) { totalCount } }", "first"),
        ("{ tasks(last: -1) { totalCount } }", "last"),
        ('{ tasks(after: "bm9wZQ") { totalCount } }', "after"),
        (
            '{ milestones(filter: {date: {from: "2024", to: "2023"}}) { totalCount } }',
            "filter.date.from",
        ),
        ('{ tasks(filter: {plans: ["Bad Slug"]}) { totalCount } }', "filter.plans"),
        ('{ node(id: "!!!") { id } }', "id"),
        (
            '{ budgets(filter: {date: {from: "2026", to: "2022"}}) { totalCount } }',
            "filter.date.from",
        ),
        ('{ targets(filter: {date: {to: "2023-13"}}) { totalCount } }', "filter.date.to"),
        ('{ milestones(filter: {date: {from: "soon"}}) { totalCount } }', "filter.date.from"),
    ],
)
async def test_bad_arguments_are_user_errors(run: Run, query: str, argument: str) -> None:
    result = await run.raw(query)
    assert result.errors, query
    error = result.errors[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith(argument)


async def test_cursor_from_another_order_is_rejected(run: Run) -> None:
    data = await run("{ tasks(first: 1) { pageInfo { endCursor } } }")
    cursor = data["tasks"]["pageInfo"]["endCursor"]
    result = await run.raw(
        "query($c: String) { tasks(first: 1, after: $c, orderBy: {field: TITLE}) { totalCount } }",
        c=cursor,
    )
    assert result.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_every_node_type_round_trips_through_node(run: Run) -> None:
    data = await run(
        "{ plans { id } strategies(first: 1) { nodes { id } } tasks(first: 1) { nodes { id } } "
        "milestones(first: 1) { nodes { id } } budgets(first: 1) { nodes { id } } "
        "laws(first: 1) { nodes { id } } targets(first: 1) { nodes { id } } "
        "technologies { id } regions { id } documents { id } }"
    )
    ids = [
        data["plans"][0]["id"],
        data["technologies"][0]["id"],
        data["regions"][0]["id"],
        data["documents"][0]["id"],
    ]
    ids += [v["nodes"][0]["id"] for v in data.values() if isinstance(v, dict)]
    found = await run("query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }", ids=ids)
    assert [n["id"] for n in found["nodes"]] == ids
    assert len({n["__typename"] for n in found["nodes"]}) == len(ids)


async def test_nested_relations_and_values(run: Run) -> None:
    data = await run(
        """{ tasks(filter: {strategies: ["P1-1"]}, first: 1) { nodes {
          code strategy { code plan { slug } } subtasks { code parent { code } }
          milestones { title } budgets { amount { amount currency } startYear endYear }
          laws { title aliases tasks(first: 2) { totalCount nodes { code } } }
          targets { value unit year } technologies { slug } regions { slug }
          sources { quote document { title } } } } }"""
    )
    task = data["tasks"]["nodes"][0]
    assert task["strategy"] == {"code": "P1-1", "plan": {"slug": "plan-a"}}
    assert task["subtasks"] == [{"code": "P1-1-1-a", "parent": {"code": "P1-1-1"}}]
    assert task["budgets"][0]["amount"] == {"amount": "301800000001", "currency": "KRW"}
    law = task["laws"][0]
    assert law["aliases"] == ["Act on Digital Inclusion", "Digital Inclusion Law"]
    assert law["tasks"]["totalCount"] == 6
    assert task["targets"] == [{"value": "1000000", "unit": "people", "year": 2026}]
    assert task["sources"] == [{"quote": "quote for task 1", "document": {"title": "Doc One"}}]


async def test_laws_filtered_by_status_and_alias_text(run: Run) -> None:
    data = await run(
        '{ laws(filter: {statuses: [PLANNED], text: "act on digital"}) { nodes { slug } } }'
    )
    assert data["laws"]["nodes"] == [{"slug": "digital-inclusion-act"}]


async def test_cursors_are_stable_under_inserts(run: Run) -> None:
    q = (
        "query($a: String) { tasks(orderBy: {field: CODE}, first: 5, after: $a) "
        "{ nodes { code } pageInfo { endCursor } } }"
    )
    first = (await run(q))["tasks"]
    before = (await run(q, a=first["pageInfo"]["endCursor"]))["tasks"]["nodes"]
    # A task that sorts before the cursor must not shift the next page (offsets would).
    await run.db.execute(
        insert(catalog.task),
        [
            {
                "id": 20_000,
                "code": "P0-0",
                "strategy_id": 1,
                "position": 99,
                "kind": "task_statement",
                "depth": 1,
                "outline_position": 99,
                "title": "New",
            }
        ],
    )
    after = (await run(q, a=first["pageInfo"]["endCursor"]))["tasks"]["nodes"]
    assert after == before


async def test_prefetched_and_loaded_task_lists_agree(run: Run) -> None:
    fields = "code milestones { title } budgets { purpose } laws { slug } subtasks { code }"
    paged = await run(
        f"{{ tasks(first: 5, orderBy: {{field: CODE}}) {{ nodes {{ id {fields} }} }} }}"
    )
    nodes = paged["tasks"]["nodes"]
    looked_up = await run(
        f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ id ... on Task {{ {fields} }} }} }}",
        ids=[n["id"] for n in nodes],
    )
    assert looked_up["nodes"] == nodes
    assert any(n["subtasks"] for n in nodes)
    assert sum(len(n["milestones"]) for n in nodes) >= 8
