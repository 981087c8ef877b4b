"""Schema tests execute queries directly against ``build_schema()`` with a real context."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from schema.build import build_schema
from schema.context import make_context
from tests.conftest import bound_sessions
from tests.schema.fixtures import insert_small_dataset


@pytest.fixture(scope="session")
def schema() -> strawberry.Schema:
    return build_schema()


class Run:
    def __init__(self, schema: strawberry.Schema, db: AsyncConnection) -> None:
        self.schema = schema
        self.db = db

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        """Execute and return ``data``; fails the test on any error."""
        result = await self.raw(query, **variables)
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    async def raw(self, query: str, **variables: Any) -> Any:
        context = make_context(bound_sessions(self.db))
        return await self.schema.execute(query, variable_values=variables, context_value=context)


@pytest.fixture
async def run(schema: strawberry.Schema, db: AsyncConnection) -> Run:
    await insert_small_dataset(db)
    return Run(schema, db)


@pytest.fixture
async def seeded_run(schema: strawberry.Schema, seeded_db: AsyncConnection) -> Run:
    return Run(schema, seeded_db)
