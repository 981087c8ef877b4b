"""The search enums are what the registry searches: ``SearchType`` has a value per searched
entity (described as the registry describes it), ``SearchField`` a value per kind of text the
index holds (each described), and no others."""

from __future__ import annotations

import graphql
import httpx

from service.core import registry
from service.core.search_index import FIELD_KINDS, FIELDS, SEARCHED_TABLES


async def _enum(client: httpx.AsyncClient, name: str) -> graphql.GraphQLEnumType:
    served = graphql.build_schema((await client.get("/schema.graphql")).text)
    enum = served.type_map[name]
    assert isinstance(enum, graphql.GraphQLEnumType)
    return enum


async def test_search_types_are_the_searched_entities(client: httpx.AsyncClient) -> None:
    enum = await _enum(client, "SearchType")
    searched = [entry.name for entry in registry.ENTITIES.values() if entry.search]
    assert list(enum.values) == [table.upper() for table in searched]
    assert list(SEARCHED_TABLES) == searched
    for table in searched:
        assert enum.values[table.upper()].description == registry.entity(table).description


async def test_search_fields_are_the_indexed_kinds_of_text(client: httpx.AsyncClient) -> None:
    enum = await _enum(client, "SearchField")
    described = {kind.name: kind.description for kind in FIELD_KINDS}
    assert set(enum.values) == {field.upper() for field in FIELDS}
    for name, value in enum.values.items():
        assert value.description == described[name.lower()]
        assert value.description
