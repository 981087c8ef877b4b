"""No N+1: the dashboard query costs a fixed number of statements, whatever the row count."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from schema.context import make_context
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


async def _statements(
    schema: strawberry.Schema, db: AsyncConnection, scale: int, query: str = DASHBOARD
) -> int:
    await insert_small_dataset(db, scale=scale)
    engine = db.engine
    with count_statements(engine) as log:
        result = await schema.execute(query, context_value=make_context(bound_sessions(db)))
    assert result.errors is None, result.errors
    assert result.data is not None
    strategies = result.data["plan"]["strategies"]["nodes"]
    tasks = sum(len(s["tasks"].get("nodes", s["tasks"].get("edges"))) for s in strategies)
    assert tasks == 3 * 4 * scale
    return len(log.queries())


async def test_dashboard_statement_count_is_fixed(
    schema: strawberry.Schema, db: AsyncConnection
) -> None:
    assert await _statements(schema, db, scale=1) == EXPECTED


async def test_dashboard_statement_count_ignores_row_count(
    schema: strawberry.Schema, db: AsyncConnection
) -> None:
    assert await _statements(schema, db, scale=5) == EXPECTED


async def test_dashboard_through_fragments_costs_the_same(
    schema: strawberry.Schema, db: AsyncConnection
) -> None:
    assert await _statements(schema, db, scale=3, query=DASHBOARD_WITH_FRAGMENTS) == EXPECTED


async def test_nodes_of_one_type_load_in_one_statement(
    schema: strawberry.Schema, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    context = make_context(bound_sessions(db))
    listed = await schema.execute("{ tasks(first: 10) { nodes { id } } }", context_value=context)
    assert listed.data is not None
    ids = [n["id"] for n in listed.data["tasks"]["nodes"]]
    with count_statements(db.engine) as log:
        result = await schema.execute(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            variable_values={"ids": ids},
            context_value=make_context(bound_sessions(db)),
        )
    assert result.data == {"nodes": [{"id": i} for i in ids]}
    assert len(log.queries()) == 1
