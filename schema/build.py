"""Assemble the strawberry schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import strawberry
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig

from schema.context import Context
from schema.execution import FastExecutionContext
from schema.query import Query
from schema.types import entities
from schema.types.scalars import SCALARS


class CloseReader(SchemaExtension):
    """Return the request's database session to the pool when the operation ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            context = self.execution_context.context
            if isinstance(context, Context):
                await context.close()


def build_schema(extensions: tuple[Any, ...] = ()) -> strawberry.Schema:
    """The schema; ``extensions`` (classes or factories) are added after the built-in ones."""
    return strawberry.Schema(
        query=Query,
        execution_context_class=FastExecutionContext,
        config=StrawberryConfig(scalar_map=SCALARS),
        types=list(entities.NODE_TYPES.values()),
        extensions=[
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            CloseReader,
            *extensions,
        ],
    )
