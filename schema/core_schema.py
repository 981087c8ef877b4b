"""The graphql-core schema behind a strawberry schema, for graphql-core's own functions.

Strawberry offers no public accessor for the ``GraphQLSchema`` it builds; ``_schema`` is the
attribute its own extensions (``ValidationCache``) and printer read, so it is read here only.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLSchema


def core_schema(schema: strawberry.Schema) -> GraphQLSchema:
    return schema._schema
