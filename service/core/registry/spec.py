"""The vocabulary of the entity registry: stored fields, relations, text sources, computed
values and the entity entry that holds them. Declarations live in ``entities.py``."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, ColumnElement, Enum, FromClause, Numeric, String, Table

from service.core.models.base import INTERNAL, MAINTAINED


@dataclass(frozen=True)
class StoredField:
    """One column of an entity's table, as every consumer sees it.

    ``internal`` is the reason the column is not public (None: public). ``maintained`` is the
    reason source data (the curated seed files) does not set it: the database or the loader
    keeps it, yet exports still carry it. ``reference`` is set on a foreign-key column: the
    to-one relation that consumers show instead of the raw id.
    """

    name: str
    column: Column[Any]
    description: str
    internal: str | None
    maintained: str | None
    reference: ToOne | None

    @property
    def public(self) -> bool:
        return self.internal is None

    @property
    def is_value(self) -> bool:
        """A public, non-reference column: consumers show it as it is."""
        return self.public and self.reference is None

    @property
    def nullable(self) -> bool:
        return bool(self.column.nullable)

    @property
    def enum(self) -> type[enum.StrEnum] | None:
        kind = self.column.type
        enum_class = getattr(kind, "enum_class", None) if isinstance(kind, Enum) else None
        return enum_class if isinstance(enum_class, type) else None

    @property
    def python_type(self) -> type:
        """str, int, Decimal, date, datetime, bool or the column's StrEnum class."""
        if self.enum is not None:
            return self.enum
        kind = self.column.type
        if isinstance(kind, Numeric) and not kind.asdecimal:  # pragma: no cover - unused today
            return float
        python: type = kind.python_type
        return python

    @property
    def max_length(self) -> int | None:
        kind = self.column.type
        return kind.length if isinstance(kind, String) and not isinstance(kind, Enum) else None

    @property
    def is_money(self) -> bool:
        """An exact amount of money (a BigInteger named ``amount``)."""
        return self.name == "amount" and self.python_type is int


@dataclass(frozen=True)
class ToOne:
    """A foreign key of this entity's table to ``target``; consumers that leave the database
    (exports, seed files) name the target by its natural key."""

    name: str
    column: str
    target: str
    description: str


@dataclass(frozen=True)
class ToMany:
    """Rows of ``target`` whose ``column`` points at this entity, in ``order`` by default.
    ``where`` narrows the rows (e.g. top-level tasks only); ``owned`` children belong to
    their parent (deleted with it, listed under it in nested formats)."""

    name: str
    target: str
    column: str
    order: tuple[str, ...]
    description: str
    where: Callable[[FromClause], ColumnElement[bool]] | None = None
    owned: bool = True


@dataclass(frozen=True)
class ManyToMany:
    """Rows of ``target`` linked through ``link``: ``near`` is the link's column for this
    entity, ``far`` the one for the target; ``order`` sorts the targets."""

    name: str
    target: str
    link: Table
    near: str
    far: str
    order: tuple[str, ...]
    description: str


Relation = ToOne | ToMany | ManyToMany


@dataclass(frozen=True)
class Through:
    """Text of a related row: ``column`` of the rows reached by the to-many ``relation``."""

    relation: str
    column: str


TextSource = str | Through


@dataclass(frozen=True)
class Composite:
    """One value made of several columns (a fuzzy date, money, a baseline): consumers that
    nest values show ``parts`` (part name -> column) as one object; it is null when every
    column of ``present_when`` is null (never, when empty)."""

    name: str
    parts: Mapping[str, str]
    description: str
    present_when: tuple[str, ...] = ()


@dataclass(frozen=True)
class Computed:
    """A value the database computes from the entity's row: ``sql`` builds it over the
    entity's table (or an alias of it)."""

    name: str
    sql: Callable[[FromClause], ColumnElement[Any]]
    python_type: type
    description: str


@dataclass(frozen=True)
class Order:
    """A connection ordering: its key ``columns`` (the last one unique) and what it sorts by,
    as its users read it."""

    columns: tuple[str, ...]
    description: str


PYTHON_TYPES: tuple[type, ...] = (str, int, Decimal, date, datetime, bool)


@dataclass(frozen=True)
class EntityInfo:
    """Everything the registry knows of one entity.

    ``name`` is its table name (singular); ``plural`` names a list of its records. ``fields``
    are read from the table each time, so a column added to the model shows up without a
    change here. ``orders`` maps an ordering's name to its ``Order``; ``default_order`` names
    the one a connection uses when none is asked for.
    """

    name: str
    plural: str
    table: Table
    description: str
    natural_key: tuple[str, ...]
    relations: tuple[Relation, ...] = ()
    orders: Mapping[str, Order] = field(default_factory=dict)
    default_order: str | None = None
    search: tuple[TextSource, ...] = ()
    text_filter: tuple[TextSource, ...] = ()
    composites: tuple[Composite, ...] = ()
    computed: tuple[Computed, ...] = ()
    cited: bool = True

    @property
    def fields(self) -> tuple[StoredField, ...]:
        references = {r.column: r for r in self.relations if isinstance(r, ToOne)}
        return tuple(
            StoredField(
                name=column.name,
                column=column,
                description=column.comment or "",
                internal=column.info.get(INTERNAL),
                maintained=column.info.get(MAINTAINED),
                reference=references.get(column.name),
            )
            for column in self.table.columns
        )

    def field(self, name: str) -> StoredField:
        for stored in self.fields:
            if stored.name == name:
                return stored
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def public_fields(self) -> tuple[StoredField, ...]:
        return tuple(f for f in self.fields if f.public)

    @property
    def value_fields(self) -> tuple[StoredField, ...]:
        return tuple(f for f in self.fields if f.is_value)

    @property
    def composed_columns(self) -> frozenset[str]:
        """Columns that some composite value is made of."""
        return frozenset(c for composite in self.composites for c in composite.parts.values())

    def relation(self, name: str) -> Relation:
        for relation in self.relations:
            if relation.name == name:
                return relation
        raise KeyError(f"{self.name} has no relation {name!r}")

    def to_one(self) -> tuple[ToOne, ...]:
        return tuple(r for r in self.relations if isinstance(r, ToOne))

    def to_many(self) -> tuple[ToMany, ...]:
        return tuple(r for r in self.relations if isinstance(r, ToMany))

    def many_to_many(self) -> tuple[ManyToMany, ...]:
        return tuple(r for r in self.relations if isinstance(r, ManyToMany))

    def computed_value(self, name: str) -> Computed:
        for value in self.computed:
            if value.name == name:
                return value
        raise KeyError(f"{self.name} has no computed value {name!r}")


@dataclass(frozen=True)
class Provenance:
    """The citation table: one quote of ``document_column``'s document per row, and one
    nullable subject column per cited entity (exactly one set)."""

    table: Table
    document_column: str
    quote_column: str
    subjects: Mapping[str, str]  # entity name -> its subject column
