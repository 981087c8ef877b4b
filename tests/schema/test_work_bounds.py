"""The node limit bounds the work a query can cause: every list counts as what it can hold.

Before, ``nodes(ids:)`` and the unpaged lists (``milestones``, ``sources``, ``subtasks``, ...)
counted as one item, so a query counted at 100 nodes could return hundreds of thousands.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
from graphql import GraphQLList, GraphQLObjectType, get_named_type, get_nullable_type
from graphql import is_composite_type as composite
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.build import build_schema
from schema.core_schema import core_schema
from schema.limits import list_relation
from schema.relay import encode_id
from service.core.list_bounds import RELATIONS, read_list_bounds
from service.core.queries import catalog
from service.core.queries.reader import Reader
from tests.conftest import bound_sessions
from tests.schema.fixtures import insert_small_dataset
from tests.schema.http_support import GRAPHQL_RESPONSE, app_client
from tests.support.sql import count_statements


def _unpaged_lists() -> list[tuple[str, str]]:
    schema = core_schema(build_schema())
    found = []
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        if type_.name.endswith(("Connection", "Edge")):
            continue  # their lists are the page, counted by the connection's first/last
        for name, field in type_.fields.items():
            is_list = isinstance(get_nullable_type(field.type), GraphQLList)
            paged = "first" in field.args or "ids" in field.args
            if is_list and composite(get_named_type(field.type)) and not paged:
                found.append((type_.name, name))
    return found


def test_every_unpaged_list_has_a_bound_read_from_the_data() -> None:
    lists = _unpaged_lists()
    assert ("Task", "milestones") in lists
    assert ("Milestone", "sources") in lists
    for type_name, field_name in lists:
        relation = list_relation(type_name, field_name)
        assert relation in RELATIONS, (type_name, field_name)


async def test_the_bounds_are_the_most_children_any_record_has(db: AsyncConnection) -> None:
    await insert_small_dataset(db, scale=2)
    reader = Reader(bound_sessions(db))
    try:
        bounds = await read_list_bounds(reader)
    finally:
        await reader.close()
    milestone_tasks = (await db.execute(select(catalog.milestone.c.task_id))).scalars()
    cited = (await db.execute(select(catalog.citation.c.milestone_id))).scalars()
    plans = (await db.execute(select(catalog.plan.c.id))).scalars().all()
    parents = (await db.execute(select(catalog.task.c.parent_id))).scalars()
    assert bounds.get("task.milestones") == max(Counter(milestone_tasks).values())
    assert bounds.get("milestone.sources") == max(
        Counter(m for m in cited if m is not None).values(), default=0
    )
    assert bounds.get("plans") == len(plans)
    assert bounds.get("task.subtasks") == max(
        Counter(p for p in parents if p is not None).values(), default=0
    )


async def _post(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={"query": query, "variables": variables or None},
        headers={"accept": GRAPHQL_RESPONSE},
    )


NESTED = """
query Worst($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Strategy { tasks(first: 100) { nodes { code
    milestones { title sources { quote } task { milestones { title } } } } } } }
}
"""


async def _bounds(db: AsyncConnection) -> dict[str, int]:
    reader = Reader(bound_sessions(db))
    try:
        return dict((await read_list_bounds(reader)).sizes)
    finally:
        await reader.close()


async def test_nodes_ids_and_unpaged_lists_multiply_and_are_refused_before_any_sql(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    await insert_small_dataset(db, scale=2)
    b = await _bounds(db)
    ids = [encode_id("Strategy", pk) for pk in range(1, 7)]
    # per task: its milestones, each with its sources and its task's milestones again
    per_task = 1 + b["task.milestones"] * (1 + b["milestone.sources"] + b["task.milestones"])
    expected = len(ids) * (1 + 100 * per_task)
    async with app_client(engine, db, graphql_limits={"max_nodes": expected - 1}) as client:
        await _post(client, "{ plans { slug } }")  # the bounds of this data are now known
        with count_statements(db.engine) as log:
            refused = await _post(client, NESTED, ids=ids)
    assert refused.status_code == 400, refused.text
    (error,) = refused.json()["errors"]
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "nodes",
        "maximum": expected - 1,
        "actual": expected,
    }
    # Only the data version was read: no statement for strategies, tasks or milestones.
    assert [s for s in log.queries() if "data_version" not in s] == []


def _objects(value: Any) -> int:
    """Objects in a response (connections' edges and pageInfo aside, as the limit counts)."""
    if isinstance(value, list):
        return sum(_objects(item) for item in value)
    if isinstance(value, dict):
        inner = sum(_objects(v) for k, v in value.items() if k != "pageInfo")
        return inner + (1 if "id" in value or "code" in value or "title" in value else 0)
    return 0


async def test_an_accepted_query_returns_no_more_than_its_count(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    await insert_small_dataset(db, scale=2)
    b = await _bounds(db)
    ids = [encode_id("Strategy", pk) for pk in range(1, 7)]
    per_task = 1 + b["task.milestones"] * (1 + b["milestone.sources"] + b["task.milestones"])
    budget = len(ids) * (1 + 100 * per_task)
    async with app_client(engine, db, graphql_limits={"max_nodes": budget}) as client:
        accepted = await _post(client, NESTED, ids=ids)
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert "errors" not in body
    returned = _objects(body["data"])
    assert 0 < returned <= budget
