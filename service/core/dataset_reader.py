"""Read the dataset (what a dataset filter selects) as plain records, in keyset batches
(bounded memory).

Exporters read through ``DatasetReader``; it knows nothing of file formats. A record is a
dict of plain values (str, int, Decimal, date, datetime, None, lists and nested records) in
a fixed key order. Foreign keys appear as the referenced row's natural key (slug, code, or
task code + position), never as database ids, so records survive a move between databases.
Rows come in id order, batch by batch (``WHERE id > last ORDER BY id LIMIT n``): each batch
is one ordinary query plus one per reference, link and citation lookup, on any engine.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Executable, Table, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from service.core import registry
from service.core.dataset_filter import (
    DatasetFilter,
    budget_condition,
    milestone_condition,
    plan_condition,
    referenced_document_condition,
    referenced_law_condition,
    referenced_law_group_condition,
    referenced_vocabulary_condition,
    strategy_condition,
    target_condition,
    task_condition,
)
from service.core.milestone_feed import FeedMilestone, feed_batches, plan_titles
from service.core.models import (
    Citation,
    Document,
    Entity,
    Organisation,
    Region,
    Technology,
)
from service.core.queries.budgets import Total, totals_of, totals_statement
from service.core.timestamps import as_utc

Record = dict[str, Any]
Condition = Callable[[DatasetFilter], ColumnElement[bool]]

DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True)
class Reference:
    """A foreign key exported as the natural key ``key`` of the referenced ``model`` row."""

    field: str
    column: str
    model: type[Entity]
    key: str


@dataclass(frozen=True)
class Link:
    """A many-to-many link (a task's laws, a law group's members), exported as the list of
    linked slugs: ``near`` is the link table's column for the record, ``column`` the one for
    the linked ``model`` row."""

    field: str
    table: Table
    column: str
    model: type[Entity]
    near: str


@dataclass(frozen=True)
class Children:
    """Rows owned by the record, nested as a list (e.g. a law's aliases)."""

    field: str
    spec: EntitySpec
    parent_column: str


Item = str | Reference | Link | Children


@dataclass(frozen=True)
class EntitySpec:
    name: str
    model: type[Entity]
    items: tuple[Item, ...]
    condition: Condition | None = None
    cited: bool = True  # citations nest under "citations"; updated_at always comes last

    @property
    def citation_column(self) -> str:
        return f"{self.model.__tablename__}_id"


def _reference(entry: registry.EntityInfo, stored: registry.StoredField) -> Reference:
    relation = stored.reference
    assert relation is not None
    target = registry.entity(relation.target)
    if len(target.natural_key) != 1:  # pragma: no cover - no such reference today
        raise TypeError(f"{entry.name}.{stored.name}: {target.name} has no one-column key")
    return Reference(relation.name, stored.name, _model(target), target.natural_key[0])


def _model(entry: registry.EntityInfo) -> type[Entity]:
    for mapper in Entity.registry.mappers:
        if mapper.local_table is entry.table:
            model: type[Entity] = mapper.class_
            return model
    raise KeyError(entry.name)  # pragma: no cover - every entity has a model


def _spec(
    entity: str,
    condition: Condition | None = None,
    *,
    links: tuple[str, ...] = (),
    children: tuple[str, ...] = (),
    parent_column: str | None = None,
) -> EntitySpec:
    """An entity's record: its public columns in table order (foreign keys as the natural
    key of the row they point at), then the named links and nested children."""
    entry = registry.entity(entity)
    items: list[Item] = []
    for stored in entry.public_fields:
        if stored.name == parent_column:
            continue  # implied by nesting under the parent
        items.append(_reference(entry, stored) if stored.reference else stored.name)
    for name in links:
        relation = entry.relation(name)
        assert isinstance(relation, registry.ManyToMany)
        target = _model(registry.entity(relation.target))
        items.append(Link(name, relation.link, relation.far, target, relation.near))
    for name in children:
        relation = entry.relation(name)
        assert isinstance(relation, registry.ToMany)
        nested = _spec(relation.target, parent_column=relation.column)
        items.append(Children(name, nested, relation.column))
    return EntitySpec(entry.plural, _model(entry), tuple(items), condition, cited=entry.cited)


# Export order: everything a row refers to comes before it (import relies on this).
ENTITIES: tuple[EntitySpec, ...] = (
    _spec("document", referenced_document_condition),
    _spec("technology", referenced_vocabulary_condition(Technology)),
    _spec("region", referenced_vocabulary_condition(Region)),
    _spec("organisation", referenced_vocabulary_condition(Organisation)),
    _spec("law", referenced_law_condition, children=("aliases",)),
    _spec("law_group", referenced_law_group_condition, links=("members",)),
    _spec("plan", plan_condition),
    _spec("strategy", strategy_condition),
    _spec("task", task_condition, links=("technologies", "regions", "organisations", "laws")),
    _spec("milestone", milestone_condition),
    _spec("budget", budget_condition),
    _spec("target", target_condition),
)

ENTITY_BY_NAME: Mapping[str, EntitySpec] = {spec.name: spec for spec in ENTITIES}


def plain(value: Any) -> Any:
    """Enum members become their value; datetimes become aware UTC (SQLite drops the zone)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return as_utc(value)
    return value


class DatasetReader:
    """Reads the dataset inside one session, from one snapshot: every read an exporter makes
    goes through it (the session is not handed out). ``pause`` is awaited before each batch so
    a consumer (an HTTP response) can hold the producer back: memory stays bounded."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        pause: Callable[[], Awaitable[None]] | None = None,
        public_url: str | None = None,
    ) -> None:
        self._session = session
        # Where the dataset is published (``https://host``), for exporters that link back.
        self.public_url = public_url
        self.batch_size = batch_size
        self._pause = pause
        self._started = False

    async def execute(self, statement: Executable) -> Any:
        """Run ``statement`` inside the reader's snapshot."""
        await self._start()
        return await self._session.execute(statement)

    async def _start(self) -> None:
        """Read everything from one snapshot, so records never refer to rows that appeared
        or vanished while the export ran. SQLite's read transaction already is a snapshot;
        PostgreSQL needs REPEATABLE READ, set before the transaction's first query (a session
        already in a transaction, or inside a savepoint as in tests, is left as it is)."""
        if self._started:
            return
        self._started = True
        fresh = not self._session.in_transaction()
        connection = await self._session.connection()
        if (
            fresh
            and connection.dialect.name == "postgresql"
            and not connection.in_nested_transaction()
        ):
            await connection.exec_driver_sql(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
            )

    async def start(self) -> None:
        """Begin the read (its snapshot) with one round trip, so a database that is down
        fails here, before anything has been written, rather than mid-export."""
        await self.execute(select(Document.id).limit(1))  # touches the file, not only a socket

    async def checkpoint(self) -> None:
        """Let the consumer catch up; exporters call this between large writes."""
        if self._pause is not None:
            await self._pause()

    async def batches(
        self, entity: str, dataset_filter: DatasetFilter
    ) -> AsyncIterator[list[Record]]:
        """Records of ``entity`` (one of ``ENTITY_BY_NAME``) that pass the filter, in batches."""
        spec = ENTITY_BY_NAME[entity]
        condition = spec.condition(dataset_filter) if spec.condition else true()
        async for batch in self._batches(spec, condition):
            yield batch

    async def records(self, entity: str, dataset_filter: DatasetFilter) -> AsyncIterator[Record]:
        async for batch in self.batches(entity, dataset_filter):
            for record in batch:
                yield record

    async def _batches(
        self, spec: EntitySpec, condition: ColumnElement[bool]
    ) -> AsyncIterator[list[Record]]:
        table = spec.model.__table__
        last_id = 0
        while True:
            await self.checkpoint()
            result = await self.execute(
                select(table)
                .where(condition, table.c.id > last_id)
                .order_by(table.c.id)
                .limit(self.batch_size)
            )
            rows = [dict(row._mapping) for row in result]
            if not rows:
                return
            yield await self._records(spec, rows)
            if len(rows) < self.batch_size:
                return
            last_id = rows[-1]["id"]

    async def _records(self, spec: EntitySpec, rows: list[dict[str, Any]]) -> list[Record]:
        ids = [row["id"] for row in rows]
        resolved: dict[str, Mapping[Any, Any]] = {}
        for item in spec.items:
            if isinstance(item, Reference):
                resolved[item.field] = await self._keys(
                    item.model, item.key, {row[item.column] for row in rows} - {None}
                )
            elif isinstance(item, Link):
                resolved[item.field] = await self._links(item, ids)
            elif isinstance(item, Children):
                resolved[item.field] = await self._children(item, ids)
        citations = await self._citations(spec, ids) if spec.cited else {}
        records: list[Record] = []
        for row in rows:
            record: Record = {}
            for item in spec.items:
                if isinstance(item, str):
                    record[item] = plain(row[item])
                elif isinstance(item, Reference):
                    fk = row[item.column]
                    record[item.field] = None if fk is None else resolved[item.field][fk]
                else:
                    record[item.field] = resolved[item.field].get(row["id"], [])
            if spec.cited:
                record["citations"] = citations.get(row["id"], [])
            record["updated_at"] = plain(row["updated_at"])
            records.append(record)
        return records

    async def _keys(self, model: type[Entity], key: str, ids: set[int]) -> dict[int, Any]:
        if not ids:
            return {}
        table = model.__table__
        result = await self.execute(
            select(table.c.id, table.c[key]).where(table.c.id.in_(sorted(ids)))
        )
        return {row[0]: row[1] for row in result}

    async def _links(self, link: Link, record_ids: Sequence[int]) -> dict[int, list[str]]:
        other = link.model.__table__
        near = link.table.c[link.near]
        result = await self.execute(
            select(near, other.c.slug)
            .join(other, other.c.id == link.table.c[link.column])
            .where(near.in_(record_ids))
            .order_by(near, other.c.slug)
        )
        linked: dict[int, list[str]] = {}
        for record_id, slug in result:
            linked.setdefault(record_id, []).append(slug)
        return linked

    async def _children(self, children: Children, parent_ids: Sequence[int]) -> dict[int, Any]:
        table = children.spec.model.__table__
        nested: dict[int, list[Record]] = {}
        for start in range(0, len(parent_ids), self.batch_size):
            chunk = parent_ids[start : start + self.batch_size]
            result = await self.execute(
                select(table).where(table.c[children.parent_column].in_(chunk)).order_by(table.c.id)
            )
            rows = [dict(row._mapping) for row in result]
            for row, record in zip(
                rows, await self._records(children.spec, rows) if rows else [], strict=True
            ):
                nested.setdefault(row[children.parent_column], []).append(record)
        return nested

    async def _citations(self, spec: EntitySpec, ids: Sequence[int]) -> dict[int, list[Record]]:
        subject = Citation.__table__.c[spec.citation_column]
        result = await self.execute(
            select(subject, Document.slug, Citation.quote, Citation.updated_at)
            .join(Document, Document.id == Citation.document_id)
            .where(subject.in_(ids))
            .order_by(Citation.id)
        )
        cited: dict[int, list[Record]] = {}
        for subject_id, document, quote, updated_at in result:
            cited.setdefault(subject_id, []).append(
                {"document": document, "quote": quote, "updated_at": plain(updated_at)}
            )
        return cited

    async def milestone_batches(
        self, dataset_filter: DatasetFilter
    ) -> AsyncIterator[list[FeedMilestone]]:
        """The filtered milestones with what a calendar shows of them, batch by batch."""
        async for batch in feed_batches(
            self.execute, dataset_filter, batch_size=self.batch_size, pause=self._pause
        ):
            yield batch

    async def plan_titles(self, slugs: Sequence[str]) -> list[str]:
        """Titles of the named plans, in the order given (unknown slugs are left out)."""
        return await plan_titles(self.execute, slugs)

    # Aggregates for summaries, computed by the database.

    async def budget_totals(self, dataset_filter: DatasetFilter, group: str) -> list[Total]:
        """Budget totals per group (see ``queries.budgets``): one kind, period and currency each."""
        result = await self.execute(totals_statement(dataset_filter, group))
        return totals_of(result.all())

    async def milestone_counts_by_year(
        self, dataset_filter: DatasetFilter
    ) -> list[tuple[int, int]]:
        """(year, milestones) by the year a milestone's span ends (or starts, if open-ended)."""
        milestone = registry.entity("milestone")
        year = milestone.computed_value("year").sql(milestone.table)
        result = await self.execute(
            select(year, func.count())
            .where(milestone_condition(dataset_filter))
            .group_by(year)
            .order_by(year)
        )
        return [(int(y), int(n)) for y, n in result]

    async def counts(self, dataset_filter: DatasetFilter) -> dict[str, int]:
        """Records per entity that pass the filter."""
        counts: dict[str, int] = {}
        for spec in ENTITIES:
            condition = spec.condition(dataset_filter) if spec.condition else true()
            counts[spec.name] = (
                await self.execute(
                    select(func.count()).select_from(spec.model).where(and_(condition))
                )
            ).scalar_one()
        return counts
