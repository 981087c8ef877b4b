"""A small dataset built for the calendar tests: every fuzzy-date rule, awkward text, filters.

Rows carry a fixed ``updated_at`` in the past, so a later edit in the test always moves
LAST-MODIFIED (which iCalendar writes to the second).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core.models import (
    Citation,
    DatePrecision,
    Document,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Plan,
    Strategy,
    Task,
    Technology,
    task_technology,
)

STAMP = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)

# A long title in Hangul (3 octets a character) with text that iCalendar must escape.
LONG_TITLE = "디지털 플랫폼 정부 구현, 인공지능; 데이터 \\ 클라우드 " * 3
PLAN_TITLE = 'Digital Strategy of Korea, 2022; "bold"'


@dataclass(frozen=True)
class Expected:
    """One milestone's natural key and its all-day event: by default on its decisive day
    (``start``/``end``), with ``?spans=1`` over its whole span (``span_start``/``span_end``)."""

    task_code: str
    position: int
    title: str
    date_text: str
    start: date
    end: date  # exclusive
    span_start: date
    span_end: date  # exclusive

    @property
    def uid(self) -> str:
        return f"milestone-{self.task_code}-{self.position}@stratagraph.invalid"

    @property
    def moved(self) -> bool:
        """Placed on another day than its span: SEQUENCE is one higher than the revision."""
        return (self.start, self.end) != (self.span_start, self.span_end)


# (task, position, title, date_text, edtf, start, end, precision, kind) -> expected day, span
MILESTONES: tuple[tuple[Any, ...], ...] = (
    ("FX-I-1", 1, LONG_TITLE, "1H 2023", "2023-40", date(2023, 1, 1), date(2023, 6, 30),
     DatePrecision.HALF, MilestoneKind.DEADLINE, date(2023, 6, 30), date(2023, 7, 1),
     date(2023, 1, 1), date(2023, 7, 1)),
    ("FX-I-1", 2, "Enact the Digital Bill of Rights", "by 2027", "../2027",
     None, date(2027, 12, 31), DatePrecision.YEAR, MilestoneKind.DEADLINE,
     date(2027, 12, 31), date(2028, 1, 1), date(2027, 12, 31), date(2028, 1, 1)),
    ("FX-I-2", 1, "Open the data dam", "2023~", "2023/..", date(2023, 1, 1), None,
     DatePrecision.YEAR, MilestoneKind.START, date(2023, 1, 1), date(2023, 1, 2),
     date(2023, 1, 1), date(2023, 1, 2)),
    ("FX-I-2", 2, "Pilot programme (ends)", "~2023", "../2023", None, date(2023, 12, 31),
     DatePrecision.YEAR, MilestoneKind.DEADLINE, date(2023, 12, 31), date(2024, 1, 1),
     date(2023, 12, 31), date(2024, 1, 1)),
    ("FX-II-1", 1, "World Digital Forum", "Nov. 2023", "2023-11", date(2023, 11, 1),
     date(2023, 11, 30), DatePrecision.MONTH, MilestoneKind.EVENT,
     date(2023, 11, 1), date(2023, 11, 2), date(2023, 11, 1), date(2023, 12, 1)),
)  # fmt: skip

EXPECTED: tuple[Expected, ...] = tuple(
    Expected(row[0], row[1], row[2], row[3], *row[9:13]) for row in MILESTONES
)
QUOTE = '플랫폼 정부 by 1H 2023, "as promised"; see §3'


async def _add(connection: AsyncConnection, model: Any, **values: Any) -> int:
    values.setdefault("updated_at", STAMP)
    result = await connection.execute(insert(model).values(**values).returning(model.id))
    return int(result.scalar_one())


async def insert_feed_dataset(connection: AsyncConnection) -> dict[str, int]:
    """Insert the dataset; returns ids by natural key ("FX-I-1/1", "plan-a", ...)."""
    ids: dict[str, int] = {}
    document = await _add(
        connection,
        Document,
        slug="fixture-doc",
        title="Fixture press release",
        publisher="Ministry",
        url="https://example.org/press",
    )
    ids["plan-a"] = await _add(
        connection, Plan, slug="plan-a", title=PLAN_TITLE, document_id=document
    )
    ids["plan-b"] = await _add(
        connection, Plan, slug="plan-b", title="Work plan 2023", document_id=document
    )
    ai = await _add(connection, Technology, slug="ai", name="Artificial intelligence")
    await _add(connection, Technology, slug="cloud", name="Cloud, hybrid")
    for code, plan, position in (("FX-I", "plan-a", 1), ("FX-II", "plan-b", 1)):
        ids[code] = await _add(
            connection,
            Strategy,
            code=code,
            plan_id=ids[plan],
            position=position,
            title=f"Strategy {code}",
        )
    tasks = (("FX-I-1", "FX-I", 1), ("FX-I-2", "FX-I", 2), ("FX-II-1", "FX-II", 1))
    for code, strategy, position in tasks:
        ids[code] = await _add(
            connection,
            Task,
            code=code,
            strategy_id=ids[strategy],
            position=position,
            kind="task_statement",
            depth=1,
            outline_position=position,
            title=f"Task {code}",
        )
    await connection.execute(
        insert(task_technology).values(task_id=ids["FX-I-1"], technology_id=ai)
    )
    for task, position, title, text, edtf, start, end, precision, kind, *_ in MILESTONES:
        key = f"{task}/{position}"
        ids[key] = await _add(
            connection,
            Milestone,
            task_id=ids[task],
            position=position,
            title=title,
            date_text=text,
            edtf=edtf,
            start_date=start,
            end_date=end,
            precision=precision,
            kind=kind,
            status=MilestoneStatus.PLANNED,
            revision=0,
        )
    await _add(
        connection, Citation, document_id=document, quote=QUOTE, milestone_id=ids["FX-I-1/1"]
    )
    return ids
