"""No N+1: a compiled operation is one statement; the resolver path a fixed number per level.

Both run through ``Operations``, the object ``/graphql`` uses.
"""

from __future__ import annotations

import pytest
import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from schema.context import make_context
from schema.limits import Limits
from schema.operation import Operations
from tests.conftest import bound_sessions
from tests.schema.fixtures import insert_small_dataset
from tests.support.sql import count_statements

DASHBOARD = """{ plan(slug: "plan-a") { title strategies(first: 5) { nodes { code title
  tasks(first: 20) { totalCount nodes { code title
    milestones { title date { start end } } budgets { amount { amount } } } } } } } }"""

# Resolvers: plan; strategies page; tasks page; task count; milestones; budgets.
RESOLVED = 6
COMPILED = 1


# The same shape through edges and fragments: the task lists are still loaded with the page.
DASHBOARD_WITH_FRAGMENTS = """{ plan(slug: "plan-a") { title strategies(first: 5) { nodes { code
  tasks(first: 20) { totalCount edges { node { ...TaskLists } } } } } } }
  fragment TaskLists on Task { code ... on Task { milestones { title date { start end } } }
    budgets { amount { amount } } }"""


async def _statements(
    schema: strawberry.Schema,
    db: AsyncConnection,
    scale: int,
    query: str = DASHBOARD,
    compiled: bool = True,
) -> int:
    await insert_small_dataset(db, scale=scale)
    operations = Operations(schema, Limits(), compiled=compiled)
    prepared = operations.prepare(query)
    operation = prepared.operation(None)
    assert not isinstance(operation, Exception)
    context = make_context(bound_sessions(db))
    with count_statements(db.engine) as log:
        outcome = await operations.execute(prepared, operation, None, context, None, "t")
    await context.close()
    assert outcome.errors == []
    assert (outcome.data_json is not None) is compiled
    strategies = outcome.body()["data"]["plan"]["strategies"]["nodes"]
    tasks = sum(len(s["tasks"].get("nodes", s["tasks"].get("edges"))) for s in strategies)
    assert tasks == 3 * 4 * scale
    return len(log.queries())


@pytest.mark.parametrize(("compiled", "expected"), [(True, COMPILED), (False, RESOLVED)])
async def test_dashboard_statement_count_is_fixed(
    schema: strawberry.Schema, db: AsyncConnection, compiled: bool, expected: int
) -> None:
    assert await _statements(schema, db, scale=1, compiled=compiled) == expected


@pytest.mark.parametrize(("compiled", "expected"), [(True, COMPILED), (False, RESOLVED)])
async def test_dashboard_statement_count_ignores_row_count(
    schema: strawberry.Schema, db: AsyncConnection, compiled: bool, expected: int
) -> None:
    assert await _statements(schema, db, scale=5, compiled=compiled) == expected


@pytest.mark.parametrize(("compiled", "expected"), [(True, COMPILED), (False, RESOLVED)])
async def test_dashboard_through_fragments_costs_the_same(
    schema: strawberry.Schema, db: AsyncConnection, compiled: bool, expected: int
) -> None:
    statements = await _statements(
        schema, db, scale=3, query=DASHBOARD_WITH_FRAGMENTS, compiled=compiled
    )
    assert statements == expected


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
