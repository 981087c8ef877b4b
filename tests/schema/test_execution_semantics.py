"""Execution through the production object (``Operations``, what ``/graphql`` runs): two
schemas never share memos, and sibling fields are awaited together, as graphql-core does.

The types are local to each test (no ``from __future__ import annotations``: strawberry
resolves their annotations eagerly).
"""

import asyncio

import strawberry

from schema.limits import Limits
from schema.operation import Operations, Outcome


async def _run(schema: strawberry.Schema, query: str) -> Outcome:
    operations = Operations(schema, Limits())
    return await operations.run(query)


def _schema_with_stored_name() -> strawberry.Schema:
    @strawberry.type(name="Thing")
    class StoredThing:
        name: str

    @strawberry.type
    class Query:
        @strawberry.field
        def thing(self) -> StoredThing:
            return StoredThing(name="stored")

    return strawberry.Schema(Query)


def _schema_with_resolved_name() -> strawberry.Schema:
    @strawberry.type(name="Thing")
    class ResolvedThing:
        # The same attribute as the first schema's stored field, but GraphQL's ``name``
        # here is a resolver: a memo shared by type and field name would read the attribute.
        name: strawberry.Private[str]

        @strawberry.field(name="name")
        def shown_name(self) -> str:
            return f"resolved from {self.name}"

    @strawberry.type
    class Query:
        @strawberry.field
        def thing(self) -> ResolvedThing:
            return ResolvedThing(name="stored")

    return strawberry.Schema(Query)


async def test_two_schemas_with_the_same_type_names_share_no_memo() -> None:
    """The first schema's ``Thing.name`` is a stored attribute; the second's a resolver."""
    first = await _run(_schema_with_stored_name(), "{ thing { name } }")
    second = await _run(_schema_with_resolved_name(), "{ thing { name } }")
    assert first.data == {"thing": {"name": "stored"}}
    assert second.data == {"thing": {"name": "resolved from stored"}}


async def test_sibling_fields_are_awaited_together() -> None:
    """Each sibling's resolver waits for the other one to have started: awaiting them one
    after the other never finishes; awaiting them together (graphql-core's way) does."""
    started = {"left": asyncio.Event(), "right": asyncio.Event()}

    @strawberry.type
    class Half:
        side: strawberry.Private[str]
        other: strawberry.Private[str]

        @strawberry.field
        async def ready(self) -> str:
            started[self.side].set()
            await started[self.other].wait()
            return self.side

    @strawberry.type
    class Pair:
        left: Half
        right: Half

    @strawberry.type
    class Query:
        @strawberry.field
        def pair(self) -> Pair:
            return Pair(
                left=Half(side="left", other="right"), right=Half(side="right", other="left")
            )

    schema = strawberry.Schema(Query)
    outcome = await asyncio.wait_for(
        _run(schema, "{ pair { left { ready } right { ready } } }"), timeout=5
    )
    assert outcome.errors == []
    assert outcome.data == {"pair": {"left": {"ready": "left"}, "right": {"ready": "right"}}}
