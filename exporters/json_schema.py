"""The JSON Schema (Draft 2020-12) of the JSON dataset, published as ``dataset.schema.json``.

``build_schema`` derives it from the ORM columns (types, comments) and the export specs;
``/exports/json/schema`` serves it and the import validates against it. The committed
``dataset.schema.json`` is its snapshot for readers and reviews (a test keeps the two equal).
Regenerate the snapshot with ``python -m exporters.json_schema``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Enum, Integer, Numeric, String, Text

from service.core.dataset_reader import ENTITIES, Children, EntitySpec, Link, Reference
from service.core.identifiers import CODE_PATTERN, SLUG_PATTERN
from service.core.int_ranges import INT64, integer_range

SCHEMA_FILE = "dataset.schema.json"
SCHEMA_ID = "https://stratagraph.example/exports/json/schema"
SCHEMA_MEDIA_TYPE = "application/schema+json"


# Patterns end with (?!\n)$ as service.core.identifiers explains; digits are [0-9] because \d
# in Python's re also matches other scripts' digits.
_DAY = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

DESCRIPTIONS = {
    "documents": "Source texts that the citations quote.",
    "technologies": "Technologies that tasks are tagged with.",
    "regions": "Regions that tasks are tagged with; parent is the enclosing region's slug.",
    "organisations": "Organisations in charge of or involved in tasks.",
    "laws": "Acts, bills and legal frameworks, one record each, with every other name used.",
    "aliases": "Another name of the law and the document that uses it.",
    "law_groups": "Groups of laws a document names as one; members are the slugs of the laws "
    "the text names in it (fewer than stated_count when it counts laws it does not name).",
    "plans": "Policy plans announced in a document.",
    "strategies": "Ordered, coded parts of a plan.",
    "tasks": "Ordered, coded tasks of a strategy; sub-items name their parent task.",
    "milestones": "Dated promises of a task: the date as written, its EDTF value and the "
    "inclusive span it covers (either bound may be null = open).",
    "budgets": "Money for a task, an exact integer in the currency's unit, as a string.",
    "targets": "Quantitative goals of a task; values are exact decimal strings.",
}

DEFS: dict[str, Any] = {
    "slug": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 100},
    "code": {"type": "string", "pattern": CODE_PATTERN, "maxLength": 64},
    "date": {"type": "string", "format": "date", "pattern": rf"^{_DAY}(?!\n)$"},
    "timestamp": {
        "type": "string",
        "description": "UTC, microsecond precision.",
        "pattern": rf"^{_DAY}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}\.[0-9]{{6}}Z(?!\n)$",
    },
    "url": {
        "type": "string",
        "description": "An absolute http:// or https:// URL.",
        "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+",
        "maxLength": 500,
    },
    "money": {
        "type": "string",
        "description": "Exact non-negative integer amount in the currency's unit (e.g. won).",
        "pattern": r"^(?:0|[1-9][0-9]{0,17})(?!\n)$",
    },
    "decimal": {
        "type": "string",
        "description": "Exact decimal number in canonical form (no exponent, no trailing zeros, "
        'zero is "0").',
        "pattern": r"^(?:0|-?(?:0\.[0-9]{0,3}[1-9]|[1-9][0-9]{0,19}(?:\.[0-9]{0,3}[1-9])?))(?!\n)$",
    },
    "citation": {
        "type": "object",
        "description": "The exact quote of a source document that supports the record.",
        "additionalProperties": False,
        "required": ["document", "quote", "updated_at"],
        "properties": {
            "document": {"$ref": "#/$defs/slug"},
            "quote": {"type": "string", "minLength": 1},
            "updated_at": {"$ref": "#/$defs/timestamp"},
        },
    },
}


def _nullable(schema: dict[str, Any], nullable: bool) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]} if nullable else schema


def _column_schema(spec: EntitySpec, name: str) -> dict[str, Any]:
    column = spec.model.__table__.c[name]
    kind = column.type
    schema: dict[str, Any]
    if isinstance(kind, Enum):
        schema = {"type": "string", "enum": list(kind.enums)}
    elif name == "amount" and isinstance(kind, BigInteger):
        schema = {"$ref": "#/$defs/money"}
    elif isinstance(kind, Numeric) and not isinstance(kind, Integer):
        schema = {"$ref": "#/$defs/decimal"}
    elif isinstance(kind, Integer):
        low, high = integer_range(kind) or INT64
        schema = {"type": "integer", "minimum": low, "maximum": high}
        if name in ("position",):
            schema["minimum"] = 1
        if name == "revision":
            schema["minimum"] = 0
    elif isinstance(kind, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, DateTime):
        schema = {"$ref": "#/$defs/timestamp"}
    elif isinstance(kind, Date):
        schema = {"$ref": "#/$defs/date"}
    elif name == "slug":
        schema = {"$ref": "#/$defs/slug"}
    elif name == "code":
        schema = {"$ref": "#/$defs/code"}
    elif column.info.get("format") == "url":
        schema = {"$ref": "#/$defs/url"}
    elif isinstance(kind, String) and kind.length:
        schema = {"type": "string", "maxLength": kind.length}
    elif isinstance(kind, Text | String):
        schema = {"type": "string"}
    else:  # pragma: no cover - a new column type must be mapped explicitly
        raise TypeError(f"no JSON Schema for {spec.name}.{name} ({kind!r})")
    described = _nullable(schema, bool(column.nullable))
    if column.comment:
        described = {**described, "description": column.comment}
    return described


def _reference_schema(spec: EntitySpec, reference: Reference) -> dict[str, Any]:
    key = "code" if reference.key == "code" else "slug"
    nullable = bool(spec.model.__table__.c[reference.column].nullable)
    schema = _nullable({"$ref": f"#/$defs/{key}"}, nullable)
    schema["description"] = f"The {reference.key} of the {reference.model.__tablename__}."
    return schema


def _record_schema(spec: EntitySpec) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for item in spec.items:
        if isinstance(item, str):
            properties[item] = _column_schema(spec, item)
        elif isinstance(item, Reference):
            properties[item.field] = _reference_schema(spec, item)
        elif isinstance(item, Link):
            properties[item.field] = {
                "type": "array",
                "description": f"Slugs of the linked {item.field}, sorted.",
                "items": {"$ref": "#/$defs/slug"},
                "uniqueItems": True,
            }
        elif isinstance(item, Children):
            properties[item.field] = {
                "type": "array",
                "items": {"$ref": f"#/$defs/{item.spec.name}"},
            }
    if spec.cited:
        properties["citations"] = {"type": "array", "items": {"$ref": "#/$defs/citation"}}
    properties["updated_at"] = {"$ref": "#/$defs/timestamp"}
    return {
        "type": "object",
        "description": DESCRIPTIONS[spec.name],
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def build_schema() -> dict[str, Any]:
    defs = dict(DEFS)
    for spec in ENTITIES:
        defs[spec.name] = _record_schema(spec)
        for item in spec.items:
            if isinstance(item, Children):
                defs[item.spec.name] = _record_schema(item.spec)
    names = [spec.name for spec in ENTITIES]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "stratagraph dataset",
        "description": "A selection of the stratagraph policy dataset. References between "
        "records use natural keys (slugs, codes; task code + position for task items). "
        "Records appear in a stable order; every record referred to comes before the "
        "records that refer to it, except parent links within one list.",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "selection", *names],
        "properties": {
            "format": {"const": "stratagraph.dataset"},
            "version": {"const": 1},
            "selection": {
                "type": "object",
                "description": "The filters the export was made with (empty: everything).",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            **{name: {"type": "array", "items": {"$ref": f"#/$defs/{name}"}} for name in names},
        },
        "$defs": defs,
    }


def render_schema() -> bytes:
    return (json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n").encode()


@cache
def schema_bytes() -> bytes:
    """The schema that ``/exports/json/schema`` serves and import checks, built from the
    models and the export specs (``dataset.schema.json`` is its committed snapshot)."""
    return render_schema()


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_bytes())
    return loaded


if __name__ == "__main__":  # pragma: no cover
    Path(__file__).with_name(SCHEMA_FILE).write_bytes(render_schema())
