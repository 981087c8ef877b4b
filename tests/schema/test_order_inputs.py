"""The orderBy enums are the registry's connection orderings: every ordering an entity
declares is a value (named and described as declared), and no other; the input's default is
the registry's default ordering."""

from __future__ import annotations

import graphql
import httpx

from service.core import registry


def _type_name(entity: str) -> str:
    return "".join(part.capitalize() for part in entity.split("_"))


async def test_order_enums_and_defaults_are_the_registrys(client: httpx.AsyncClient) -> None:
    served = graphql.build_schema((await client.get("/schema.graphql")).text)
    inputs = {
        entity: served.type_map[f"{_type_name(entity)}Order"]
        for entity in registry.ENTITIES
        if f"{_type_name(entity)}Order" in served.type_map
    }
    assert set(inputs) == {"strategy", "task", "milestone", "budget", "law", "law_group", "target"}
    for entity, order_input in inputs.items():
        entry = registry.entity(entity)
        assert isinstance(order_input, graphql.GraphQLInputObjectType)
        field = order_input.fields["field"]
        enum = graphql.get_named_type(field.type)
        assert isinstance(enum, graphql.GraphQLEnumType)
        assert enum.name == f"{_type_name(entity)}OrderField"
        assert {name: value.description for name, value in enum.values.items()} == {
            name: order.description for name, order in entry.orders.items()
        }, entity
        assert list(enum.values) == list(entry.orders), entity
        assert field.ast_node is not None
        assert field.ast_node.default_value is not None
        assert graphql.print_ast(field.ast_node.default_value) == entry.default_order, entity
