"""Rows read into a dataclass whose field names say which columns it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.core.queries.items import item_query
from tests.exporters.sample import add_sample


@dataclass(frozen=True)
class TaskLine:
    code: str
    label: str | None
    strategy_code: str  # through the required to-one "strategy"
    parent_code: str | None  # through the optional to-one "parent": an outer join
    parent_title: str | None  # a second column of the same joined row
    note: str  # neither: the caller's to fill


@dataclass(frozen=True)
class MilestoneLine:
    title: str
    start_date: date | None
    kind: str
    task_code: str


async def test_stored_and_to_one_columns_come_from_the_registry(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        await add_sample(session)
    query = item_query("task", TaskLine)
    assert query.fields == ("code", "label", "strategy_code", "parent_code", "parent_title")
    async with sessions() as session:
        rows = (await session.execute(query.statement.order_by(*query.order("CODE")))).all()
    lines = [query.build(row._mapping, note=f"#{row.id}") for row in rows]
    note = {row.code: f"#{row.id}" for row in rows}
    assert lines == [
        TaskLine("DSK-I-1", None, "DSK-I", None, None, note["DSK-I-1"]),
        TaskLine("DSK-I-1-a", "(AI)", "DSK-I", "DSK-I-1", "AI semiconductors", note["DSK-I-1-a"]),
        TaskLine("DSK-II-1", None, "DSK-II", None, None, note["DSK-II-1"]),
    ]  # fmt: skip


async def test_enum_columns_are_their_text_and_keys_are_selected_but_not_held(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        await add_sample(session)
    query = item_query("milestone", MilestoneLine, keys=("task_id",))
    async with sessions() as session:
        rows = (await session.execute(query.statement.order_by(*query.order("ID")))).all()
    first = query.build(rows[0]._mapping)
    assert first == MilestoneLine("Launch", date(2023, 1, 1), "event", "DSK-I-1")
    assert type(first.kind) is str
    assert isinstance(rows[0].task_id, int)
