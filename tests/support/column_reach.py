"""Which consumer fails to reach which column: the guard behind tests/test_column_reach.py.

Every column of every table is either marked internal (with a reason) or reached by each
consumer: the GraphQL type ``@stored`` built for its entity (a field named after it or as
``@stored`` renames it, or the relation or composite that shows it; a type shown only
nested in its parent's, like a law's names, implies the column that points at the
parent), the JSON export records, the published JSON Schema, the import (it writes what
the records hold), the workbook sheet of its entity, and the curated seed files (a YAML key, or
what the file layout implies). Tables that are not entities must be link tables of a
relation, the citation table, or internal with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import graphql

from exporters import json_schema, xlsx_exporter
from schema.build import build_schema
from seed import columns as seed_columns
from seed import parse
from service.core import registry
from service.core.dataset_reader import ENTITY_BY_NAME, Children, EntitySpec
from service.core.models import Base
from service.core.registry import EntityInfo, StoredField


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _record_keys(spec: EntitySpec) -> set[str]:
    return {item if isinstance(item, str) else item.field for item in spec.items}


def _json_key(entry: EntityInfo, stored: StoredField) -> str:
    return stored.reference.name if stored.reference else stored.name


def _specs() -> dict[str, tuple[EntitySpec, str | None]]:
    """Entity name -> (its record spec, the parent column a nested spec leaves out)."""
    found: dict[str, tuple[EntitySpec, str | None]] = {}
    for spec in ENTITY_BY_NAME.values():
        found[spec.model.__tablename__] = (spec, None)
        for item in spec.items:
            if isinstance(item, Children):
                found[item.spec.model.__tablename__] = (item.spec, item.parent_column)
    return found


def _graphql_types() -> dict[str, tuple[Any, Mapping[str, str]]]:
    """Entity name -> (its GraphQL type as the SDL gives it, the field name of each column
    ``@stored`` placed), for every type of the schema that ``@stored`` built."""
    schema = build_schema()
    sdl = graphql.build_schema(schema.as_str())
    found: dict[str, tuple[Any, Mapping[str, str]]] = {}
    for name, graphql_type in sdl.type_map.items():
        origin = getattr(schema.get_type_by_name(name), "origin", None)
        shown_as = getattr(origin, "shown_as", None)  # set by @stored, with the entity
        if shown_as is not None:
            entity = origin.table  # type: ignore[union-attr]
            assert entity not in found, f"{entity} has two GraphQL types"
            found[entity] = (graphql_type, shown_as)
    return found


def _workbook_keys() -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for entity, columns in xlsx_exporter.sheet_columns("KRW").values():
        keys[ENTITY_BY_NAME[entity].model.__tablename__] = {c.cell.key for c in columns}
    return keys


def unreached() -> list[str]:
    """'consumer: table.column' for every public column a consumer does not reach."""
    problems: list[str] = []
    covered = {
        *registry.ENTITIES,
        *registry.link_tables(),
        registry.PROVENANCE.table.name,
        *registry.INTERNAL_TABLES,
    }
    problems += [f"registry: table {name}" for name in sorted(set(Base.metadata.tables) - covered)]
    types = _graphql_types()
    specs = _specs()
    published = json_schema.build_schema()["$defs"]
    sheets = _workbook_keys()
    for entry in registry.ENTITIES.values():
        spec, parent_column = specs[entry.name]
        records = _record_keys(spec)
        properties = set(published[spec.name]["properties"])
        graphql_type, shown_as = types.get(entry.name, (None, {}))
        fields = dict(graphql_type.fields) if graphql_type is not None else {}
        if graphql_type is None:
            problems.append(f"graphql: {entry.name} has no type built by @stored")
        composites = {c: comp.name for comp in entry.composites for c in comp.parts.values()}
        accepted = set(parse.accepted_keys(entry.name))
        for stored in entry.fields:
            where = f"{entry.name}.{stored.name}"
            if not stored.public:
                if not (stored.internal or "").strip():
                    problems.append(f"registry: {where} is internal without a reason")
                continue
            if not stored.description.strip():
                problems.append(f"model: {where} has no comment")
            key = _json_key(entry, stored)
            nested = stored.name == parent_column
            if not nested and key not in records:
                problems.append(f"json export: {where}")
            if not nested and key not in properties:
                problems.append(f"json schema: {where}")
            # A type shown only nested in its parent's (a law's names) implies the parent.
            if graphql_type is not None and not nested:
                shown = _camel(composites.get(stored.name) or shown_as.get(stored.name, key))
                if shown not in fields:
                    problems.append(f"graphql: {where}")
                elif stored.is_value and stored.name not in composites:
                    description = fields[shown].description
                    if description != stored.description:
                        problems.append(f"graphql description: {where}")
            if entry.name in sheets and key not in sheets[entry.name]:
                problems.append(f"workbook: {where}")
            implied = (
                stored.reference is not None
                or stored.maintained is not None
                or stored.name in seed_columns.IMPLIED
                or stored.name in entry.natural_key
            )
            if not implied and seed_columns.key_of(entry.name, stored.name) not in accepted:
                problems.append(f"seed: {where}")
    return problems
