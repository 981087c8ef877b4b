"""The committed SDL snapshot matches the code, and the schema documents itself."""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

import schema as schema_package
from schema.core_schema import core_schema

SNAPSHOT = Path(schema_package.__file__).parent / "schema.graphql"


def test_snapshot_matches_code(schema: strawberry.Schema) -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema/schema.graphql is stale: run `python -m schema.snapshot` and commit it"
    )


def test_every_type_and_field_has_a_description(schema: strawberry.Schema) -> None:
    missing: list[str] = []
    for name, kind in core_schema(schema).type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Boolean", "ID", "Float"):
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, d in kind.fields.items() if not d.description]
        if isinstance(kind, GraphQLEnumType):
            assert all(v.isupper() or "_" in v for v in kind.values), name
    assert missing == []
