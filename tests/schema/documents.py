"""GraphQL documents found in the test suite and the persisted documents, for differential runs.

Every string constant in ``tests/**/*.py`` that parses and validates against the schema, and
needs no variable without a default, is a document the compiled and the resolver paths must
answer alike.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import strawberry
from graphql import GraphQLError, OperationDefinitionNode, parse, validate

from schema.core_schema import core_schema

TESTS = Path(__file__).resolve().parent.parent
PERSISTED = TESTS.parent / "schema" / "persisted"


def _runnable(schema: strawberry.Schema, source: str) -> bool:
    try:
        document = parse(source)
    except GraphQLError:
        return False
    if validate(core_schema(schema), document):
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        return False
    return all(
        v.default_value is not None or v.type.kind != "non_null_type"
        for v in operations[0].variable_definitions or ()
    )


def _constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.lstrip().startswith(("{", "query", "fragment"))
    ]


@cache
def suite_documents(schema: strawberry.Schema) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for path in sorted(TESTS.rglob("*.py")):
        for source in _constants(path):
            if _runnable(schema, source):
                found[source] = None
    for path in sorted(PERSISTED.glob("*.graphql")):
        source = path.read_text(encoding="utf-8")
        if _runnable(schema, source):
            found[source] = None
    return tuple(found)
