"""Stored fields of the Node types, generated from the entity registry in one place.

``@stored("task")`` (under ``@strawberry.type``) gives the class one strawberry field per
public value column of the entity, named after the column (camelCase in the schema) and
described by its comment. Attributes the class declares itself under a column's name (the
private foreign keys its relation resolvers read) are filled from the row; a composite
(the registry's fuzzy date, money, baseline) takes the place of its first column. Relations
and computed fields stay explicit resolvers in the class.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any, TypeVar

import strawberry
from sqlalchemy import BigInteger

from schema.types.enums import GRAPHQL_ENUMS
from service.core import registry
from service.core.decimals import decimal_text
from service.core.registry import Composite, StoredField

T = TypeVar("T")
Build = Callable[..., Any]
Compose = Callable[[Any], dict[str, Any]]

_SCALARS: dict[type, type] = {str: str, int: int, bool: bool, date: date, datetime: datetime}


def _graphql_type(stored: StoredField) -> tuple[Any, Callable[[Any], Any] | None]:
    """The field's Python annotation for strawberry, and the conversion of a stored value."""
    python = stored.python_type
    convert: Callable[[Any], Any] | None = None
    kind: Any
    if isinstance(python, type) and issubclass(python, enum.StrEnum):
        if python not in GRAPHQL_ENUMS:
            raise TypeError(
                f"{stored.column.table.name}.{stored.name}: {python.__name__} has no GraphQL "
                "enum; declare it in schema/types/enums.py"
            )
        kind = GRAPHQL_ENUMS[python]
    elif python is Decimal:
        kind, convert = str, decimal_text  # exact decimal strings, as Money and Target.value
    elif python is int and isinstance(stored.column.type, BigInteger):
        kind, convert = str, str  # beyond GraphQL Int's 32 bits
    elif python in _SCALARS:
        kind = _SCALARS[python]
    else:
        raise TypeError(f"{stored.column.table.name}.{stored.name}: no GraphQL type for {python}")
    if stored.nullable:
        kind = kind | None
        if convert is not None:
            inner = convert
            convert = lambda value: None if value is None else inner(value)  # noqa: E731
    return kind, convert


def _composer(
    composites: list[tuple[Composite, Build]],
) -> Callable[[tuple[str, ...]], Compose | None]:
    """For a result's column names, the function that builds each composite of a row."""

    def for_names(names: tuple[str, ...]) -> Compose | None:
        if not composites:
            return None
        plans = []
        for composite, build in composites:
            parts = tuple(composite.parts)
            pick = itemgetter(*(names.index(c) for c in composite.parts.values()))
            present = tuple(
                parts.index(p) for p, c in composite.parts.items() if c in composite.present_when
            )
            plans.append((composite.name, parts, pick, present, build))

        def compose(row: Any) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name, parts, pick, present, build in plans:
                values = pick(row)
                if present and all(values[i] is None for i in present):
                    out[name] = None
                else:
                    out[name] = build(**dict(zip(parts, values, strict=True)))
            return out

        return compose

    return for_names


def stored(
    entity: str, *, names: Mapping[str, str] | None = None, **composites: Build
) -> Callable[[type[T]], type[T]]:
    """Add the entity's stored fields to the class; ``composites`` name the builder of each
    composite value the class declares (called with the composite's parts). ``names`` gives
    a column a field name of its own where the column's does not read well in the type
    (a law alias is a ``LawName``'s ``name``); ``cls.shown_as`` maps every column the type
    shows to its field's name."""
    entry = registry.entity(entity)
    renamed = dict(names or {})
    unknown_columns = set(renamed) - {field.name for field in entry.value_fields}
    if unknown_columns:
        raise TypeError(f"{entity} has no value column {', '.join(sorted(unknown_columns))}")
    declared = {c.name: c for c in entry.composites}
    unknown = set(composites) - set(declared)
    if unknown:
        raise TypeError(f"{entity} has no composite {', '.join(sorted(unknown))}")

    def decorate(cls: type[T]) -> type[T]:
        own: dict[str, Any] = dict(inspect.get_annotations(cls))
        placed: dict[str, Any] = {}
        columns: list[str] = []
        attributes: list[str] = []  # the class's attribute of each column
        converters: dict[str, Callable[[Any], Any]] = {}
        shown_as: dict[str, str] = {}
        first_columns = {next(iter(c.parts.values())): c.name for c in entry.composites}
        for field in entry.fields:
            if field.name in first_columns and first_columns[field.name] in own:
                placed[first_columns[field.name]] = own.pop(first_columns[field.name])
            if field.name in own:
                placed[field.name] = own.pop(field.name)
                columns.append(field.name)
                attributes.append(field.name)
            elif field.is_value and field.name not in entry.composed_columns:
                kind, convert = _graphql_type(field)
                attribute = renamed.get(field.name, field.name)
                placed[attribute] = kind
                setattr(cls, attribute, strawberry.field(description=field.description))
                columns.append(field.name)
                attributes.append(attribute)
                shown_as[field.name] = attribute
                if convert is not None:
                    converters[attribute] = convert
        missing = set(declared) - set(placed) - set(own)
        if missing:
            raise TypeError(f"{cls.__name__} lacks the composite field(s) {sorted(missing)}")
        cls.__annotations__ = {**placed, **own}
        cls.table = entity  # type: ignore[attr-defined]
        cls.columns = tuple(columns)  # type: ignore[attr-defined]
        cls.attributes = tuple(attributes)  # type: ignore[attr-defined]
        cls.shown_as = shown_as  # type: ignore[attr-defined]
        cls.converters = converters  # type: ignore[attr-defined]
        cls.composer = staticmethod(  # type: ignore[attr-defined]
            _composer([(declared[name], build) for name, build in composites.items()])
        )
        return cls

    return decorate
