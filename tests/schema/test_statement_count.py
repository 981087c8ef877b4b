"""No N+1: the dashboard query costs a fixed number of statements, whatever the row count.

Queries run through ``Operations``, the object ``/graphql`` executes with."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from schema.context import make_context
from schema.operation import Operations, Outcome
from service.core.list_bounds import ListBounds, read_list_bounds
from tests.conftest import bound_sessions
from tests.schema.fixtures import insert_small_dataset
from tests.support.sql import count_statements

DASHBOARD = """{ plan(slug: "plan-a") { title strategies(first: 5) { nodes { code title
  tasks(first: 20) { totalCount nodes { code title
    milestones { title date { start end } } budgets { amount { amount } } } } } } } }"""

# plan; strategies page; tasks page; task count; milestones; budgets.
EXPECTED = 6


# The same shape through edges and fragments: the task lists are still loaded with the page.
DASHBOARD_WITH_FRAGMENTS = """{ plan(slug: "plan-a") { title strategies(first: 5) { nodes { code
  tasks(first: 20) { totalCount edges { node { ...TaskLists } } } } } } }
  fragment TaskLists on Task { code ... on Task { milestones { title date { start end } } }
    budgets { amount { amount } } }"""


async def _bounds(db: AsyncConnection) -> ListBounds:
    context = make_context(bound_sessions(db))
    try:
        return await read_list_bounds(context.reader)
    finally:
        await context.close()


async def _run(
    operations: Operations,
    db: AsyncConnection,
    query: str,
    variables: Any = None,
    bounds: ListBounds | None = None,
) -> Outcome:
    context = make_context(bound_sessions(db))
    try:
        return await operations.run(query, variables, context, bounds=bounds)
    finally:
        await context.close()


async def _statements(
    operations: Operations, db: AsyncConnection, scale: int, query: str = DASHBOARD
) -> int:
    await insert_small_dataset(db, scale=scale)
    engine = db.engine
    bounds = await _bounds(db)  # what /graphql reads once per data version
    with count_statements(engine) as log:
        result = await _run(operations, db, query, bounds=bounds)
    assert result.errors == [], result.errors
    assert result.data is not None
    strategies = result.data["plan"]["strategies"]["nodes"]
    tasks = sum(len(s["tasks"].get("nodes", s["tasks"].get("edges"))) for s in strategies)
    assert tasks == 3 * 4 * scale
    return len(log.queries())


async def test_dashboard_statement_count_is_fixed(
    operations: Operations, db: AsyncConnection
) -> None:
    assert await _statements(operations, db, scale=1) == EXPECTED


async def test_dashboard_statement_count_ignores_row_count(
    operations: Operations, db: AsyncConnection
) -> None:
    assert await _statements(operations, db, scale=5) == EXPECTED


async def test_dashboard_through_fragments_costs_the_same(
    operations: Operations, db: AsyncConnection
) -> None:
    assert await _statements(operations, db, scale=3, query=DASHBOARD_WITH_FRAGMENTS) == EXPECTED


async def test_nodes_of_one_type_load_in_one_statement(
    operations: Operations, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    listed = await _run(operations, db, "{ tasks(first: 10) { nodes { id } } }")
    assert listed.data is not None
    ids = [n["id"] for n in listed.data["tasks"]["nodes"]]
    with count_statements(db.engine) as log:
        result = await _run(
            operations, db, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}
        )
    assert result.data == {"nodes": [{"id": i} for i in ids]}
    assert len(log.queries()) == 1
