"""``/calendars/milestones.ics`` over real HTTP (ASGI): headers, filters, conditional requests."""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.core.models import (
    Citation,
    DataVersion,
    Document,
    Milestone,
    Plan,
    Technology,
    task_technology,
)
from service.core.settings import Settings
from service.core.timestamps import as_utc
from tests.support.feed_data import EXPECTED, STAMP, insert_feed_dataset
from tests.support.ics import content_lines, parse_icaljs, parse_python, unfolded
from tests.support.sql import count_statements

FEED = "/calendars/milestones.ics"


def feed_uids(body: bytes) -> list[str]:
    return [str(event["UID"]) for event in parse_python(body).walk("VEVENT")]


async def test_feed_headers_and_body(client: httpx.AsyncClient, db: AsyncConnection) -> None:
    await insert_feed_dataset(db)
    response = await client.get(FEED)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["etag"].removeprefix("W/").startswith('"')
    # Last-Modified is the last write to the data (the data version's time), to the second.
    changed_at = as_utc(await db.scalar(select(DataVersion.changed_at)))
    assert parsedate_to_datetime(response.headers["last-modified"]) == changed_at.replace(
        microsecond=0
    )
    content_lines(response.content)
    assert sorted(feed_uids(response.content)) == sorted(e.uid for e in EXPECTED)
    events = parse_icaljs(response.content)["events"]
    assert len(events) == len(EXPECTED)
    # Without STRATAGRAPH_PUBLIC_URL, links use the request's base URL: each event links
    # to its milestone on its task's page.
    assert {e["url"] for e in events} == {
        f"http://testserver/tasks/{e.task_code}#milestone-{e.task_code}-{e.position}"
        for e in EXPECTED
    }


async def test_public_url_setting_wins(engine: AsyncEngine, db: AsyncConnection) -> None:
    from service.app import create_app
    from tests.conftest import bound_sessions

    await insert_feed_dataset(db)
    settings = Settings(database_url=engine.url, public_url="https://policy.example.org/")
    app = create_app(settings, engine=engine, sessions=bound_sessions(db))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://internal") as client:
        body = (await client.get(FEED, params={"plan": "plan-b"})).content
    event = next(iter(parse_python(body).walk("VEVENT")))
    assert str(event["URL"]) == "https://policy.example.org/tasks/FX-II-1#milestone-FX-II-1-1"
    source = "SOURCE;VALUE=URI:https://policy.example.org/calendars/milestones.ics?plan=plan-b"
    assert source in unfolded(body)


@pytest.mark.parametrize(
    ("params", "tasks"),
    [
        ({"plan": "plan-b"}, {"FX-II-1"}),
        ({"strategy": "FX-I"}, {"FX-I-1", "FX-I-2"}),
        ({"technology": "ai"}, {"FX-I-1"}),
    ],
)
async def test_filters(
    client: httpx.AsyncClient, db: AsyncConnection, params: dict[str, str], tasks: set[str]
) -> None:
    await insert_feed_dataset(db)
    response = await client.get(FEED, params=params)
    assert response.status_code == 200
    expected = sorted(e.uid for e in EXPECTED if e.task_code in tasks)
    assert sorted(feed_uids(response.content)) == expected
    assert sorted(e["uid"] for e in parse_icaljs(response.content)["events"]) == expected


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"plan": "Not A Slug"}, "plan"),
        ({"from": "2023-13-01"}, "from"),
        ({"from": "2024-01-01", "to": "2023-01-01"}, "from"),
        ({"colour": "blue"}, "colour"),
    ],
)
async def test_bad_filter_is_a_400_naming_the_parameter(
    client: httpx.AsyncClient, params: dict[str, str], parameter: str
) -> None:
    response = await client.get(FEED, params=params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


async def test_conditional_requests(
    client: httpx.AsyncClient, db: AsyncConnection, engine: AsyncEngine
) -> None:
    ids = await insert_feed_dataset(db)
    first = await client.get(FEED)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]

    with count_statements(engine) as log:
        cached = await client.get(FEED, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    assert len(log.queries()) == 1  # the data version's row: nothing was rendered
    assert (
        await client.get(FEED, headers={"If-None-Match": f'"other", W/{etag.removeprefix("W/")}'})
    ).status_code == 304
    assert (await client.get(FEED, headers={"If-None-Match": '"other"'})).status_code == 200
    # A date validates only a version alone in its second (SQLite stamped each of the
    # dataset's statements; tests/service/web/test_feed_last_modified.py has the same-second case).
    changed_at = (await db.execute(select(DataVersion.changed_at))).scalar_one()
    await db.execute(
        update(DataVersion).values(previous_changed_at=changed_at - timedelta(hours=1))
    )
    since = await client.get(FEED, headers={"If-Modified-Since": last_modified})
    assert since.status_code == 304
    earlier = format_datetime(STAMP - timedelta(seconds=1), usegmt=True)
    assert (await client.get(FEED, headers={"If-Modified-Since": earlier})).status_code == 200
    garbage = await client.get(FEED, headers={"If-Modified-Since": "yesterday"})
    assert garbage.status_code == 200
    # If-None-Match as /graphql reads it: "*" only on its own; a blank one is no condition.
    star_in_list = await client.get(FEED, headers={"If-None-Match": '"other", *'})
    assert star_in_list.status_code == 200
    blank = await client.get(
        FEED, headers={"If-None-Match": "", "If-Modified-Since": last_modified}
    )
    assert blank.status_code == 304

    # Another filter is another feed: another ETag.
    other = await client.get(FEED, params={"plan": "plan-a"})
    assert other.headers["etag"] != etag

    # A change to a milestone makes the old ETag and date stale.
    await db.execute(
        update(Milestone).where(Milestone.id == ids["FX-I-1/2"]).values(title="Enacted early")
    )
    changed = await client.get(FEED, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert parsedate_to_datetime(changed.headers["last-modified"]) > STAMP
    assert b"SEQUENCE:1" in changed.content
    # HTTP dates have a resolution of one second (and PostgreSQL stamps a whole transaction
    # alike): the date never goes back, and the ETag tells a same-second change apart.
    assert parsedate_to_datetime(changed.headers["last-modified"]) >= parsedate_to_datetime(
        last_modified
    )

    # So does a change the feed shows through a related row (a technology's name).
    etag = changed.headers["etag"]
    await db.execute(update(Technology).where(Technology.slug == "ai").values(name="AI"))
    assert (await client.get(FEED, headers={"If-None-Match": etag})).status_code == 200


async def test_every_change_the_feed_shows_makes_a_new_etag(
    client: httpx.AsyncClient, db: AsyncConnection, engine: AsyncEngine
) -> None:
    ids = await insert_feed_dataset(db)

    async def etag() -> str:
        response = await client.head(FEED)
        assert response.status_code == 200
        return response.headers["etag"]

    seen = {await etag()}
    changes = [
        # A tag moved to another task: same link count, no timestamp on link rows.
        update(task_technology)
        .where(task_technology.c.task_id == ids["FX-I-1"])
        .values(task_id=ids["FX-I-2"]),
        delete(Citation).where(Citation.milestone_id == ids["FX-I-1/1"]),
        update(Document).values(title="Renamed press release"),
        update(Plan).where(Plan.id == ids["plan-b"]).values(title="Renamed plan"),
        delete(Milestone).where(Milestone.id == ids["FX-II-1/1"]),
    ]
    for change in changes:
        await db.execute(change)
        with count_statements(engine) as log:
            tag = await etag()
        assert len(log.queries()) == 1
        assert tag not in seen, str(change)
        seen.add(tag)


async def test_head_has_the_headers_and_no_body(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_feed_dataset(db)
    get = await client.get(FEED)
    head = await client.head(FEED)
    assert head.status_code == 200
    assert head.content == b""
    # GET's body is gzip-encoded, so its tag is the weak form of HEAD's.
    assert get.headers["etag"] == f"W/{head.headers['etag']}"
    assert head.headers["content-type"] == "text/calendar; charset=utf-8"
    assert head.headers["last-modified"] == get.headers["last-modified"]
    conditional = await client.head(FEED, headers={"If-None-Match": get.headers["etag"]})
    assert conditional.status_code == 304


async def test_empty_database_gives_an_empty_calendar(client: httpx.AsyncClient) -> None:
    response = await client.get(FEED)
    assert response.status_code == 200
    assert parsedate_to_datetime(response.headers["last-modified"])
    assert parse_icaljs(response.content)["events"] == []


async def test_curated_dataset_feed_parses_in_both_engines(
    seeded_client: httpx.AsyncClient, seeded_db: AsyncConnection
) -> None:
    milestones = (await seeded_db.execute(select(func.count(Milestone.id)))).scalar_one()
    periods = (
        await seeded_db.execute(
            select(func.count(Milestone.id)).where(
                Milestone.kind == "period", Milestone.start_date != Milestone.end_date
            )
        )
    ).scalar_one()
    response = await seeded_client.get(FEED)
    assert response.status_code == 200
    content_lines(response.content)
    events = parse_icaljs(response.content)["events"]
    # One event per milestone, and a second (end) marker per period.
    assert len(events) == milestones + periods == len(feed_uids(response.content))
    assert len({e["uid"] for e in events}) == len(events)
    assert all(e["startIsDate"] and e["endIsDate"] and e["days"] >= 1 for e in events)
    plan = await seeded_client.get(FEED, params={"plan": "msit-work-plan-2023"})
    assert plan.status_code == 200
    assert {e["uid"] for e in parse_icaljs(plan.content)["events"]} <= {e["uid"] for e in events}


async def test_every_event_links_to_its_milestone_on_the_task_page(
    seeded_client: httpx.AsyncClient,
) -> None:
    feed = await seeded_client.get(FEED)
    events = parse_python(feed.content).walk("VEVENT")
    assert events
    pages: dict[str, str] = {}
    for event in events:
        url = urlsplit(str(event["URL"]))
        assert (url.scheme, url.netloc) == ("http", "testserver")
        assert url.path.startswith("/tasks/")
        if url.path not in pages:
            page = await seeded_client.get(url.path)
            assert page.status_code == 200, url.path
            pages[url.path] = page.text
        assert f'id="{unquote(url.fragment)}"' in pages[url.path], str(event["URL"])
        task_code = unquote(url.path.removeprefix("/tasks/"))
        assert f"Task {task_code}:" in str(event["DESCRIPTION"])
