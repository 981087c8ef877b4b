"""The entity registry agrees with the database schema and its SQL runs on both engines."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import ForeignKey, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core import registry
from service.core.models import Base
from service.core.queries import catalog
from service.core.registry import ManyToMany, ToMany, ToOne
from service.core.search_index import records_matching, text_fields
from tests.schema.fixtures import insert_small_dataset


def _points_at(table: Table, column: str, target: Table) -> bool:
    keys: set[ForeignKey] = table.c[column].foreign_keys
    return any(key.column.table is target and key.column.name == "id" for key in keys)


def test_every_table_is_an_entity_a_link_provenance_or_internal_with_a_reason() -> None:
    covered = {
        *registry.ENTITIES,
        *registry.link_tables(),
        registry.PROVENANCE.table.name,
        *registry.INTERNAL_TABLES,
    }
    assert set(Base.metadata.tables) == covered
    assert all(reason.strip() for reason in registry.INTERNAL_TABLES.values())


def test_entities_come_after_the_entities_they_refer_to() -> None:
    seen: set[str] = set()
    for entry in registry.ENTITIES.values():
        for relation in entry.to_one():
            assert relation.target in seen | {entry.name}, (entry.name, relation.name)
        seen.add(entry.name)


def test_relations_follow_real_foreign_keys() -> None:
    for entry in registry.ENTITIES.values():
        for relation in entry.relations:
            target = registry.entity(relation.target)
            if isinstance(relation, ToOne):
                assert _points_at(entry.table, relation.column, target.table), relation
            elif isinstance(relation, ToMany):
                assert _points_at(target.table, relation.column, entry.table), relation
                assert all(c in target.table.c for c in relation.order), relation
            else:
                assert isinstance(relation, ManyToMany)
                assert _points_at(relation.link, relation.near, entry.table), relation
                assert _points_at(relation.link, relation.far, target.table), relation
                assert all(c in target.table.c for c in relation.order), relation


def test_every_foreign_key_column_of_an_entity_is_a_to_one_relation() -> None:
    for entry in registry.ENTITIES.values():
        foreign = {column.name for column in entry.table.columns if column.foreign_keys}
        assert foreign == {relation.column for relation in entry.to_one()}, entry.name
        assert all(entry.field(name).reference is not None for name in foreign)


def test_natural_keys_are_columns_and_single_ones_are_unique() -> None:
    for entry in registry.ENTITIES.values():
        assert entry.natural_key, entry.name
        columns = [entry.table.c[name] for name in entry.natural_key]
        if len(columns) == 1:
            assert columns[0].unique, entry.name


def test_orderings_end_with_the_primary_key_and_match_the_catalog() -> None:
    for entry in registry.ENTITIES.values():
        for name, order in entry.orders.items():
            columns = order.columns
            assert columns[-1] == "id", (entry.name, name)
            assert order.description.strip(), (entry.name, name)
            spec = catalog.ORDERS[entry.name][name]
            assert [key.column for key in spec.keys] == [entry.table.c[c] for c in columns]
        assert entry.default_order is None or entry.default_order in entry.orders, entry.name
    assert catalog.ORDERS["milestone"]["START_DATE"].types == (date, int)
    assert catalog.ORDERS["milestone"]["START_DATE"].keys[0].nullable


def test_text_sources_are_text_columns() -> None:
    for entry in registry.ENTITIES.values():
        for source in (*entry.search, *entry.text_filter):
            if isinstance(source, registry.Through):
                relation = entry.relation(source.relation)
                assert isinstance(relation, ToMany)
                column = registry.entity(relation.target).table.c[source.column]
            else:
                column = entry.table.c[source]
            assert isinstance(column.type, String), (entry.name, source)


def test_composites_are_made_of_public_value_columns() -> None:
    for entry in registry.ENTITIES.values():
        for composite in entry.composites:
            for column in composite.parts.values():
                assert entry.field(column).is_value, (entry.name, composite.name, column)
            assert set(composite.present_when) <= set(composite.parts.values())


def test_internal_and_maintained_columns_give_a_reason() -> None:
    for entry in registry.ENTITIES.values():
        for stored in entry.fields:
            for reason in (stored.internal, stored.maintained):
                assert reason is None or len(reason.strip()) > 10, (entry.name, stored.name)
    assert registry.entity("task").field("id").internal
    assert registry.entity("milestone").field("revision").maintained
    assert registry.entity("task").field("title").public


def test_stored_fields_follow_the_table_as_it_is() -> None:
    task = registry.entity("task")
    assert [f.name for f in task.fields] == [c.name for c in task.table.columns]
    assert registry.entity("budget").field("amount").is_money
    assert registry.entity("milestone").field("kind").enum is not None
    assert registry.entity("task").field("title").max_length == 1000
    assert registry.by_plural("strategies") is registry.entity("strategy")
    with pytest.raises(KeyError, match="no entity 'nothing'"):
        registry.entity("nothing")


async def test_computed_span_year_runs_on_both_engines(db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    milestone = registry.entity("milestone")
    year = milestone.computed_value("year").sql(milestone.table)
    rows = (
        await db.execute(
            select(milestone.table.c.start_date, milestone.table.c.end_date, year).order_by(
                milestone.table.c.id
            )
        )
    ).all()
    assert rows
    for start, end, computed in rows:
        expected = (end or start).year
        assert computed == expected
        assert isinstance(computed, int)


async def _matching(db: AsyncConnection, entity: str, sources: Any, words: str) -> set[str]:
    entry = registry.entity(entity)
    key = entry.table.c[entry.natural_key[0]]
    condition = entry.table.c.id.in_(records_matching(entity, text_fields(entry, sources), words))
    return set((await db.execute(select(key).where(condition))).scalars())


async def test_text_sources_reach_related_rows_on_both_engines(db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    law = registry.entity("law")
    # "Inclusion Law" is only an alias of the law; the title reads "Digital Inclusion Act".
    assert await _matching(db, "law", law.text_filter, "INCLUSION LAW") == {"digital-inclusion-act"}
    assert await _matching(db, "law", ("title",), "inclusion law") == set()
    assert await _matching(db, "law", law.search, "framework") == {"ai-framework-act"}
    count = (await db.execute(select(func.count()).select_from(law.table))).scalar_one()
    assert count == 2


def test_every_column_describes_itself() -> None:
    undescribed = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if not (column.comment or "").strip()
    ]
    assert undescribed == []
    assert registry.entity("task").field("title").description == "Title of the task."
