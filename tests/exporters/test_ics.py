"""The iCalendar exporter, parsed back with Python icalendar and Mozilla's ical.js."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from exporters.ics import IcsExporter
from exporters.registry import load_registry
from service.core.database import create_session_factory
from service.core.dataset_filter import DatasetFilter
from service.core.dataset_reader import DatasetReader
from service.core.models import DatePrecision, Milestone, MilestoneKind, MilestoneStatus
from tests.exporters.support import fresh_engine
from tests.support.feed_data import (
    EXPECTED,
    LONG_TITLE,
    PLAN_TITLE,
    QUOTE,
    STAMP,
    insert_feed_dataset,
)
from tests.support.ics import content_lines, parse_icaljs, parse_python, unescape_text, unfolded

PUBLIC = "https://policy.example.org"


async def export(
    sessions: async_sessionmaker[AsyncSession],
    dataset_filter: DatasetFilter | None = None,
    *,
    batch_size: int = 1000,
    public_url: str | None = PUBLIC,
    spans: bool = False,
) -> bytes:
    out = io.BytesIO()
    async with sessions() as session:
        reader = DatasetReader(session, batch_size=batch_size, public_url=public_url)
        await IcsExporter(spans=spans).export(reader, dataset_filter or DatasetFilter(), out)
    return out.getvalue()


def uids(data: bytes) -> list[str]:
    return [str(event["UID"]) for event in parse_python(data).walk("VEVENT")]


def test_ics_is_registered_like_a_plugin() -> None:
    exporter = load_registry().get("ics")
    assert isinstance(exporter, IcsExporter)
    assert exporter.media_type == "text/calendar"


async def test_calendar_properties(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await insert_feed_dataset(db)
    data = await export(sessions, DatasetFilter(plans=("plan-a",)))
    lines = unfolded(data)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert "PRODID:-//stratagraph//Milestone feed//EN" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines
    assert "X-PUBLISHED-TTL:PT12H" in lines
    # The calendar's name is text: its commas, semicolons and quotes are escaped.
    escaped = 'Digital Strategy of Korea\\, 2022\\; "bold" milestones'
    assert f"NAME:{escaped}" in lines
    assert f"X-WR-CALNAME:{escaped}" in lines
    assert f"SOURCE;VALUE=URI:{PUBLIC}/calendars/milestones.ics?plan=plan-a" in lines
    # Python icalendar parses NAME as an unknown type: unescape it as the TEXT it is.
    calendar = parse_python(data)
    for name in ("NAME", "X-WR-CALNAME"):
        assert unescape_text(str(calendar[name])) == f"{PLAN_TITLE} milestones"

    parsed = parse_icaljs(data)
    assert parsed["version"] == "2.0"
    # ical.js too keeps the raw value of properties it has no type for.
    assert unescape_text(parsed["calendarName"]) == f"{PLAN_TITLE} milestones"
    assert unescape_text(parsed["wrCalname"]) == f"{PLAN_TITLE} milestones"
    assert parsed["refreshInterval"] == "PT12H"
    assert parsed["refreshIntervalType"] == "duration"
    assert parsed["publishedTtl"] == "PT12H"


async def test_content_lines_fold_at_75_octets_between_characters(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await insert_feed_dataset(db)
    data = await export(sessions)
    lines = content_lines(data)
    folded = [line for line in lines if line.startswith(b" ")]
    assert folded, "the long Hangul title must be folded"
    assert any(len(line) > 70 for line in lines)  # folds use the room they have
    summaries = [str(e["SUMMARY"]) for e in parse_python(data).walk("VEVENT")]
    assert f"{LONG_TITLE} (1H 2023)" in summaries
    assert "SUMMARY:" + LONG_TITLE.replace("\\", "\\\\").replace(",", "\\,").replace(
        ";", "\\;"
    ) + " (1H 2023)" in unfolded(data)


@pytest.mark.parametrize("spans", [False, True])
async def test_one_all_day_event_per_milestone(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession], spans: bool
) -> None:
    await insert_feed_dataset(db)
    data = await export(sessions, spans=spans)
    text = "\r\n".join(unfolded(data))
    assert text.count("BEGIN:VEVENT") == len(EXPECTED)
    assert text.count("DTSTART;VALUE=DATE:") == len(EXPECTED)
    assert text.count("DTEND;VALUE=DATE:") == len(EXPECTED)

    python_events = {str(e["UID"]): e for e in parse_python(data).walk("VEVENT")}
    js_events = {e["uid"]: e for e in parse_icaljs(data)["events"]}
    for expected in EXPECTED:
        start, end = (
            (expected.span_start, expected.span_end) if spans else (expected.start, expected.end)
        )
        event = python_events[expected.uid]
        assert event.decoded("DTSTART") == start, expected.date_text
        assert event.decoded("DTEND") == end, expected.date_text
        assert event.decoded("SEQUENCE") == (0 if spans else int(expected.moved))
        assert str(event["SUMMARY"]) == f"{expected.title} ({expected.date_text})"
        js = js_events[expected.uid]
        assert js["startIsDate"], expected.date_text
        assert js["endIsDate"], expected.date_text
        assert js["start"] == start.isoformat(), expected.date_text
        assert js["end"] == end.isoformat(), expected.date_text
        assert js["days"] == (end - start).days
    # "by 2027" and "~2023" are one-day deadlines either way; the half year is its last
    # day by default and spans 181 days on request.
    assert js_events[EXPECTED[1].uid]["days"] == 1
    assert js_events[EXPECTED[3].uid]["days"] == 1
    assert js_events[EXPECTED[0].uid]["days"] == (181 if spans else 1)


async def test_a_period_is_a_begin_and_an_end_marker_with_their_own_uids(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ids = await insert_feed_dataset(db)
    await db.execute(
        insert(Milestone).values(
            task_id=ids["FX-II-1"],
            position=2,
            title="Investment period",
            date_text="2022~2026",
            edtf="2022/2026",
            start_date=date(2022, 1, 1),
            end_date=date(2026, 12, 31),
            precision="year",
            kind="period",
            status="planned",
            revision=3,
        )
    )
    markers = {
        str(e["UID"]): e
        for e in parse_python(await export(sessions, DatasetFilter(plans=("plan-b",)))).walk(
            "VEVENT"
        )
    }
    begin = markers["milestone-FX-II-1-2@stratagraph.invalid"]
    end = markers["milestone-FX-II-1-2-end@stratagraph.invalid"]
    assert (begin.decoded("DTSTART"), begin.decoded("DTEND")) == (
        date(2022, 1, 1),
        date(2022, 1, 2),
    )
    assert (end.decoded("DTSTART"), end.decoded("DTEND")) == (date(2026, 12, 31), date(2027, 1, 1))
    assert str(begin["SUMMARY"]) == "Investment period — begins (2022~2026)"
    assert str(end["SUMMARY"]) == "Investment period — ends (2022~2026)"
    # The span's own UID moved from a five-year banner to one day: a newer version.
    assert begin.decoded("SEQUENCE") == 4
    assert end.decoded("SEQUENCE") == 3  # a new event
    banner = {
        str(e["UID"]): e
        for e in parse_python(
            await export(sessions, DatasetFilter(plans=("plan-b",)), spans=True)
        ).walk("VEVENT")
    }
    assert set(banner) == set(markers) - {"milestone-FX-II-1-2-end@stratagraph.invalid"}
    spanned = banner["milestone-FX-II-1-2@stratagraph.invalid"]
    assert (spanned.decoded("DTSTART"), spanned.decoded("DTEND")) == (
        date(2022, 1, 1),
        date(2027, 1, 1),
    )
    assert spanned.decoded("SEQUENCE") == 3


async def test_event_properties(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await insert_feed_dataset(db)
    data = await export(sessions)
    event = next(e for e in parse_python(data).walk("VEVENT") if str(e["UID"]) == EXPECTED[0].uid)
    assert event.decoded("DTSTAMP") == STAMP
    assert event.decoded("LAST-MODIFIED") == STAMP
    assert event.decoded("SEQUENCE") == 1  # placed on its deadline, not its half year
    assert str(event["SUMMARY"]) == f"{LONG_TITLE} (1H 2023)"
    description = str(event["DESCRIPTION"])
    assert QUOTE in description
    assert "Date as written: 1H 2023" in description
    assert "Fixture press release <https://example.org/press>" in description
    assert "Task FX-I-1: Task FX-I-1" in description
    assert list(event["CATEGORIES"].cats) == [
        PLAN_TITLE,
        "Strategy FX-I",
        "Artificial intelligence",
    ]
    assert str(event["URL"]) == f"{PUBLIC}/tasks/FX-I-1#milestone-FX-I-1-1"
    assert str(event["TRANSP"]) == "TRANSPARENT"

    js = next(e for e in parse_icaljs(data)["events"] if e["uid"] == EXPECTED[0].uid)
    assert js["summary"] == f"{LONG_TITLE} (1H 2023)"
    assert QUOTE in js["description"]
    assert js["categories"] == [PLAN_TITLE, "Strategy FX-I", "Artificial intelligence"]
    assert js["sequence"] == 1
    assert js["url"] == f"{PUBLIC}/tasks/FX-I-1#milestone-FX-I-1-1"
    assert js["lastModified"] == "2024-01-02T03:04:05Z"


async def test_without_a_public_url_events_have_no_url(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await insert_feed_dataset(db)
    data = await export(sessions, public_url=None)
    assert all("URL" not in event for event in parse_python(data).walk("VEVENT"))
    assert b"SOURCE" not in data


async def test_batches_do_not_change_the_feed(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await insert_feed_dataset(db)
    assert await export(sessions, batch_size=2) == await export(sessions)


async def test_uids_are_stable_across_exports_and_unrelated_inserts(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ids = await insert_feed_dataset(db)
    first = await export(sessions)
    assert await export(sessions) == first  # byte-identical when nothing changed
    async with sessions() as session, session.begin():
        session.add(
            Milestone(
                task_id=ids["FX-II-1"],
                position=2,
                title="Unrelated",
                date_text="2030",
                edtf="2030",
                start_date=date(2030, 1, 1),
                end_date=date(2030, 12, 31),
                precision="year",
                kind="event",
                status="planned",
            )
        )
    after = await export(sessions)
    assert uids(after) == [*uids(first), "milestone-FX-II-1-2@stratagraph.invalid"]
    assert sorted(uids(first)) == sorted(e.uid for e in EXPECTED)


async def test_sequence_and_last_modified_move_when_a_milestone_changes(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ids = await insert_feed_dataset(db)
    before = {str(e["UID"]): e for e in parse_python(await export(sessions)).walk("VEVENT")}
    await db.execute(
        update(Milestone)
        .where(Milestone.id == ids["FX-I-2/1"])
        .values(status=MilestoneStatus.COMPLETED)
    )
    data = await export(sessions)
    after = {str(e["UID"]): e for e in parse_python(data).walk("VEVENT")}
    changed = EXPECTED[2].uid
    assert after[changed].decoded("SEQUENCE") == before[changed].decoded("SEQUENCE") + 1
    assert after[changed].decoded("LAST-MODIFIED") > before[changed].decoded("LAST-MODIFIED")
    assert after[changed].decoded("DTSTAMP") > STAMP
    assert "Status: completed" in str(after[changed]["DESCRIPTION"])
    for uid, event in before.items():
        if uid != changed:
            assert after[uid].to_ical() == event.to_ical()
    js = {e["uid"]: e for e in parse_icaljs(data)["events"]}
    assert js[changed]["sequence"] == 1


@pytest.mark.parametrize(
    ("dataset_filter", "expected"),
    [
        (DatasetFilter(plans=("plan-b",)), ["FX-II-1"]),
        (DatasetFilter(strategies=("FX-I",)), ["FX-I-1", "FX-I-1", "FX-I-2", "FX-I-2"]),
        (DatasetFilter(technologies=("ai",)), ["FX-I-1", "FX-I-1"]),
        (DatasetFilter(date_from=date(2027, 1, 1)), ["FX-I-1", "FX-I-2"]),  # "2023~" is open
    ],
)
async def test_filters(
    db: AsyncConnection,
    sessions: async_sessionmaker[AsyncSession],
    dataset_filter: DatasetFilter,
    expected: list[str],
) -> None:
    await insert_feed_dataset(db)
    data = await export(sessions, dataset_filter)
    tasks = [uid.removeprefix("milestone-").rsplit("-", 1)[0] for uid in uids(data)]
    assert tasks == expected
    assert len(parse_icaljs(data)["events"]) == len(expected)


async def test_an_empty_selection_is_a_valid_empty_calendar(
    db: AsyncConnection, sessions: async_sessionmaker[AsyncSession]
) -> None:
    data = await export(sessions, DatasetFilter(plans=("nothing-here",)))
    content_lines(data)
    assert parse_icaljs(data)["events"] == []
    assert list(parse_python(data).walk("VEVENT")) == []


async def test_a_feed_reads_one_snapshot(backend: str, tmp_path: Path) -> None:
    """Writes another connection commits while the feed is being written are not in it."""
    async with fresh_engine(backend, tmp_path) as engine:
        async with engine.begin() as connection:
            ids = await insert_feed_dataset(connection)
        milestones = Milestone.__table__
        pauses = 0

        async def write_meanwhile() -> None:
            nonlocal pauses
            pauses += 1
            if pauses != 2:  # after the first batch has been read
                return
            async with engine.begin() as writer:
                await writer.execute(
                    update(milestones)
                    .where(milestones.c.id == max(ids[key] for key in ids if "/" in key))
                    .values(title="Renamed meanwhile", revision=1)
                )
                await writer.execute(
                    insert(milestones).values(
                        task_id=ids["FX-II-1"],
                        position=99,
                        title="Added meanwhile",
                        date_text="2030",
                        edtf="2030",
                        start_date=date(2030, 1, 1),
                        end_date=date(2030, 12, 31),
                        precision=DatePrecision.YEAR,
                        kind=MilestoneKind.EVENT,
                        status=MilestoneStatus.PLANNED,
                        revision=0,
                        updated_at=STAMP,
                    )
                )

        out = io.BytesIO()
        async with create_session_factory(engine)() as session:
            reader = DatasetReader(session, batch_size=1, pause=write_meanwhile)
            await IcsExporter().export(reader, DatasetFilter(plans=("plan-a", "plan-b")), out)
        assert pauses > 2, "the export ran in several batches"
        # Summaries end with the date as written: compare the titles before it.
        summaries = [
            str(event["SUMMARY"]).rsplit(" (", 1)[0]
            for event in parse_python(out.getvalue()).walk("VEVENT")
        ]
        assert len(summaries) == len(EXPECTED)
        assert "Renamed meanwhile" not in summaries
        assert "Added meanwhile" not in summaries
        after = [
            str(e["SUMMARY"]).rsplit(" (", 1)[0]
            for e in parse_python(await _export_all(engine)).walk("VEVENT")
        ]
        assert {"Renamed meanwhile", "Added meanwhile"} <= set(after)


async def _export_all(engine: AsyncEngine) -> bytes:
    out = io.BytesIO()
    async with create_session_factory(engine)() as session:
        await IcsExporter().export(DatasetReader(session), DatasetFilter(), out)
    return out.getvalue()
