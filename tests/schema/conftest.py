"""Schema tests run queries through ``Operations`` over ``build_schema()`` (the object
``/graphql`` executes with) and a real context."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from schema.build import build_schema
from schema.context import make_context
from schema.limits import Limits
from schema.operation import Operations, Outcome
from service.core.list_bounds import read_list_bounds
from tests.conftest import bound_sessions
from tests.schema.fixtures import insert_small_dataset


@pytest.fixture(scope="session")
def operations() -> Operations:
    return Operations(build_schema(), Limits())


@pytest.fixture(scope="session")
def schema(operations: Operations) -> strawberry.Schema:
    return operations.schema


class Run:
    def __init__(self, operations: Operations, db: AsyncConnection) -> None:
        self.operations = operations
        self.db = db

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        """Execute and return ``data``; fails the test on any error."""
        result = await self.raw(query, **variables)
        assert result.errors == [], result.errors
        assert result.data is not None
        return result.data

    async def raw(self, query: str, **variables: Any) -> Outcome:
        """The outcome: ``errors`` as clients see them, ``data`` when it executed."""
        context = make_context(bound_sessions(self.db))
        try:
            # The node limit counts unpaged lists at their real sizes, as /graphql does.
            bounds = await read_list_bounds(context.reader)
            return await self.operations.run(query, variables or None, context, bounds=bounds)
        finally:
            await context.close()


@pytest.fixture
async def run(operations: Operations, db: AsyncConnection) -> Run:
    await insert_small_dataset(db)
    return Run(operations, db)


@pytest.fixture
async def seeded_run(operations: Operations, seeded_db: AsyncConnection) -> Run:
    return Run(operations, seeded_db)
