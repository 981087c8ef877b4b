"""``Operations`` validates with graphql-core's public rules only; strawberry adds two of its
own (explicit null for ``Maybe`` arguments, ``@oneOf`` inputs). This schema uses neither, so
both verdicts agree: an explicit null in every nullable argument and every nullable input
field of the root fields is judged the same by ``Operations.prepare`` as by strawberry's
``Schema.execute`` (which runs its own validation)."""

from __future__ import annotations

from collections.abc import Iterator

import strawberry
from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLNonNull,
    get_named_type,
    is_leaf_type,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from schema.context import make_context
from schema.core_schema import core_schema
from schema.operation import Operations
from tests.conftest import bound_sessions


def _call(name: str, field: GraphQLField, arguments: str) -> str:
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    return f"{{ {name}({arguments}){selection} }}"


def _null_documents(schema: strawberry.Schema) -> Iterator[str]:
    """Per root field whose arguments are all optional: each argument null, and each nullable
    field of an input-object argument null."""
    query_type = core_schema(schema).query_type
    assert query_type is not None
    for name, field in query_type.fields.items():
        arguments: dict[str, GraphQLArgument] = field.args
        if any(isinstance(a.type, GraphQLNonNull) for a in arguments.values()):
            continue
        for argument_name, argument in arguments.items():
            yield _call(name, field, f"{argument_name}: null")
            named = get_named_type(argument.type)
            if isinstance(named, GraphQLInputObjectType):
                for input_name, input_field in named.fields.items():
                    if not isinstance(input_field.type, GraphQLNonNull):
                        value = f"{{{input_name}: null}}"
                        yield _call(name, field, f"{argument_name}: {value}")


def test_the_schema_has_no_one_of_input(schema: strawberry.Schema) -> None:
    assert "@oneOf" not in schema.as_str()


async def test_explicit_nulls_are_judged_as_strawberry_judges_them(
    operations: Operations, db: AsyncConnection
) -> None:
    documents = list(_null_documents(operations.schema))
    assert len(documents) > 20  # the root fields' filters and orders are all covered
    for document in documents:
        ours = operations.prepare(document).errors
        context = make_context(bound_sessions(db))
        try:
            result = await operations.schema.execute(document, context_value=context)
        finally:
            await context.close()
        theirs = [e for e in result.errors or [] if e.path is None]
        assert [e.message for e in ours] == [e.message for e in theirs], document
