"""The entity registry: each entity of the dataset described once, for every consumer.

What is *stored* comes from the models: a column's type, nullability and ``comment=`` (its
description); a column's ``info`` marks it internal (``models.base.internal(reason)``: no
consumer shows it) or maintained (``models.base.maintained(reason)``: the database or the
loader keeps it, so source data does not set it). What is *related, ordered, searched and
computed* is declared here, in ``entities.py``. GraphQL types, exports, the JSON Schema,
import, seed files and search derive their stored fields from this; relations and computed
fields stay explicit code in each consumer. The module knows no GraphQL, HTTP or file format.

API (stable: later additions extend it, nothing is renamed)

``ENTITIES: Mapping[str, EntityInfo]``
    By table name, in dependency order (every entity after those it refers to, except
    self-references). ``entity(name)`` and ``by_plural(plural)`` look one up.
``EntityInfo``
    ``name`` (table name), ``plural`` (a list's name, e.g. ``"tasks"``), ``table`` (the
    SQLAlchemy ``Table``), ``description``, ``natural_key`` (column names: ``("code",)``, or
    ``("task_id", "position")`` for a task's items), ``relations``, ``orders`` (ordering name
    -> ``Order(columns, description)``, the last column unique, e.g. ``{"POSITION":
    Order(("strategy_id", "position", "id"), "The text's order.")}``), ``default_order``
    (the ordering a connection uses when none is asked for), ``search`` and ``text_filter``
    (the ``TextSource`` s that search and text filters read), ``composites``, ``computed``,
    ``cited`` (citations may point at it).
    ``fields`` are the table's columns as ``StoredField`` s, read live from the table;
    ``public_fields`` leave out internal ones; ``value_fields`` also leave out foreign keys
    (shown through their ``ToOne``). ``field(name)``, ``relation(name)``,
    ``computed_value(name)``, ``to_one()``, ``to_many()``, ``many_to_many()`` and
    ``composed_columns`` complete it.
``StoredField``
    ``name``, ``column``, ``description``, ``internal`` / ``maintained`` (reasons or None),
    ``reference`` (the ``ToOne`` of a foreign key), ``public``, ``is_value``, ``nullable``,
    ``python_type`` (str, int, Decimal, date, datetime, bool or the StrEnum class),
    ``enum``, ``max_length``, ``is_money``.
Relations
    ``ToOne(name, column, target, description)``: this table's foreign key ``column``.
    ``ToMany(name, target, column, order, description, where=None, owned=True)``: rows of
    ``target`` whose ``column`` points here, in ``order``; ``where(target_table)`` narrows.
    ``ManyToMany(name, target, link, near, far, order, description)``: through the link
    table, ``near`` pointing here, ``far`` at the target.
Text, composites and computed values
    ``TextSource`` is a column name of the entity or ``Through(relation, column)`` (text of
    rows reached by a to-many relation); ``service.core.search_index`` indexes them
    (folded) for search and text filters. ``Composite(name, parts, description,
    present_when)`` groups columns into one value (a fuzzy date, money). ``Computed(name,
    sql, python_type, description)``: ``sql(table)`` is the SQL expression over the
    entity's table or alias.
``PROVENANCE``
    The citation table: ``document_column``, ``quote_column``, ``subjects`` (entity name ->
    subject column).
``INTERNAL_TABLES``
    Tables that hold no dataset records, with the reason (e.g. ``data_version``).
``link_tables()``
    Every many-to-many link table, by name.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Table

from service.core.registry.entities import ENTITIES, INTERNAL_TABLES, PROVENANCE
from service.core.registry.spec import (
    Composite,
    Computed,
    EntityInfo,
    ManyToMany,
    Order,
    Provenance,
    Relation,
    StoredField,
    TextSource,
    Through,
    ToMany,
    ToOne,
)

_BY_PLURAL: Mapping[str, EntityInfo] = {entry.plural: entry for entry in ENTITIES.values()}


def entity(name: str) -> EntityInfo:
    """The entity of table ``name``; KeyError names it when there is none."""
    try:
        return ENTITIES[name]
    except KeyError:
        raise KeyError(f"no entity {name!r} in the registry") from None


def by_plural(plural: str) -> EntityInfo:
    try:
        return _BY_PLURAL[plural]
    except KeyError:
        raise KeyError(f"no entity listed as {plural!r} in the registry") from None


def link_tables() -> dict[str, Table]:
    return {
        relation.link.name: relation.link
        for entry in ENTITIES.values()
        for relation in entry.many_to_many()
    }


__all__ = [
    "ENTITIES",
    "INTERNAL_TABLES",
    "PROVENANCE",
    "Composite",
    "Computed",
    "EntityInfo",
    "ManyToMany",
    "Order",
    "Provenance",
    "Relation",
    "StoredField",
    "TextSource",
    "Through",
    "ToMany",
    "ToOne",
    "by_plural",
    "entity",
    "link_tables",
]
