"""No N+1: a compiled operation is one statement; the resolver path a fixed number per level.

Queries run through ``Operations``, the object ``/graphql`` executes with (and, for the
resolver path, the same with ``compiled=False``)."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from schema.context import make_context
from schema.limits import Limits
from schema.operation import Operations, Outcome
from service.core.list_bounds import ListBounds, read_list_bounds
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
    assert (result.data_json is not None) is operations_compile(operations)
    strategies = result.data["plan"]["strategies"]["nodes"]
    tasks = sum(len(s["tasks"].get("nodes", s["tasks"].get("edges"))) for s in strategies)
    assert tasks == 3 * 4 * scale
    return len(log.queries())


PATHS = pytest.mark.parametrize(("compiled", "expected"), [(True, COMPILED), (False, RESOLVED)])


def _operations(schema: strawberry.Schema, compiled: bool) -> Operations:
    return Operations(schema, Limits(), compiled=compiled)


@PATHS
async def test_dashboard_statement_count_is_fixed(
    schema: strawberry.Schema, db: AsyncConnection, compiled: bool, expected: int
) -> None:
    assert await _statements(_operations(schema, compiled), db, scale=1) == expected


@PATHS
async def test_dashboard_statement_count_ignores_row_count(
    schema: strawberry.Schema, db: AsyncConnection, compiled: bool, expected: int
) -> None:
    assert await _statements(_operations(schema, compiled), db, scale=5) == expected


@PATHS
async def test_dashboard_through_fragments_costs_the_same(
    schema: strawberry.Schema, db: AsyncConnection, compiled: bool, expected: int
) -> None:
    operations = _operations(schema, compiled)
    statements = await _statements(operations, db, scale=3, query=DASHBOARD_WITH_FRAGMENTS)
    assert statements == expected


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


def operations_compile(operations: Operations) -> bool:
    return operations.compiler is not None


SEARCH_AND_SUMMARY = """{ plans { slug } search(query: "task", first: 5) { totalCount
  edges { cursor node { score field snippet node { __typename id ... on Task { code } } } }
  pageInfo { hasNextPage endCursor } }
  budgetSummary(groupBy: STRATEGY) { key meaning total { amount currency } budgets }
  tasks(first: 3) { nodes { code } } }"""


@pytest.mark.parametrize(
    "query",
    [
        SEARCH_AND_SUMMARY,
        """{ search(query: "task") { nodes { node { id } } } }""",
        """{ budgetSummary(groupBy: PERIOD) { key total { amount } } }""",
        # values computed from other rows (the plan's day, the quoting documents' latest)
        """{ laws(first: 5) { nodes { statusAsOf enacted { text precision }
             names { name document { slug } } } }
           milestones(first: 20) { nodes { statusAsOf } } }""",
    ],
)
async def test_search_summary_and_computed_values_compile_into_the_one_statement(
    operations: Operations, db: AsyncConnection, query: str
) -> None:
    await insert_small_dataset(db)
    bounds = await _bounds(db)
    with count_statements(db.engine) as log:
        result = await _run(operations, db, query, bounds=bounds)
    assert result.errors == [], result.errors
    assert result.data_json is not None
    assert len(log.queries()) == 1
    assert result.data is not None
    assert all(result.data.values())
    if "search" in result.data:
        hits = result.data["search"].get("edges") or result.data["search"]["nodes"]
        assert hits
