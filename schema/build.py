"""Assemble the strawberry schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.context import Context
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


class StratagraphSchema(strawberry.Schema):
    """The schema ``/graphql`` executes (through ``schema.operation.Operations``).

    ``added_extensions``: the extensions given to ``build_schema``. The compiled path runs no
    strawberry extension, so ``Operations`` leaves every operation of a schema with added
    extensions to strawberry, where they see it.
    """

    added_extensions: tuple[Any, ...] = ()

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Nothing here: ``Operations`` reports each error once, masking internal ones."""


def build_schema(extensions: tuple[Any, ...] = ()) -> strawberry.Schema:
    """The schema; ``extensions`` (classes or factories) are added after the built-in ones
    and run on every operation ``/graphql`` executes."""
    schema = StratagraphSchema(
        query=Query,
        config=StrawberryConfig(scalar_map=SCALARS),
        types=list(entities.NODE_TYPES.values()),
        extensions=[
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            CloseReader,
            *extensions,
        ],
    )
    schema.added_extensions = tuple(extensions)
    return schema
